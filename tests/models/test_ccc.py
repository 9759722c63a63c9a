import orjson
import pytest

from models.ccc import (
    apply_certificate,
    ccc_item,
    ccc_requirement,
    certificate_at,
    check_card_certificate,
    normalise_cert_no,
)

T0 = 1_700_000_000_000
CERT = "2021010701234567"


@pytest.mark.parametrize(
    ("category", "title", "item_id"),
    [
        ("玩具", "乐高42115兰博基尼 拼装积木", "toys"),
        ("玩具", "奥迪双钻超级飞侠", "toys"),  # category default, no toy word in the title
        ("小家电", "美的电饭煲 MB-FB40S701 4L", "household_appliances"),
        ("厨房电器", "九阳豆浆机", "household_appliances"),
        ("家用电器", "海尔冰箱 470升", "household_appliances"),
        ("手机", "华为Mate60 Pro", "telecom_terminal"),
        ("数码", "安克 65W 氮化镓充电器", "it_equipment"),
        ("数码", "倍思充电宝 20000mAh", "power_bank"),
        ("插座", "公牛插线板 3米", "switches_plugs"),
        ("灯具", "欧普吸顶灯 客厅", "lighting"),
        ("電動車", "雅迪冠能DE3", "e_bike"),
        ("母婴", "好孩子儿童安全座椅 ISOFIX", "child_restraint"),
        (None, "儿童电动车 四轮遥控", "toys"),
        ("汽车用品", "70迈行车记录仪", "motor_vehicle"),
    ],
)
def test_requirement_applies(category, title, item_id):
    assert ccc_item(category, title)["id"] == item_id
    assert ccc_requirement(category, title) == ccc_item(category, title)["name"]


@pytest.mark.parametrize(
    ("category", "title"),
    [
        ("食品", "三只松鼠每日坚果"),
        ("化妆品", "欧莱雅面霜"),
        ("服装", "儿童发光运动鞋"),
        ("手机", "iPhone15 手机壳 防摔"),  # excluded accessory beats the category default
        ("数码", "绿联 Type-C 数据线"),
        ("宠物用品", "宠物玩具 磨牙"),
        (None, "纯棉毛巾"),
    ],
)
def test_requirement_does_not_apply(category, title):
    assert ccc_requirement(category, title) is None


def cert(status, ts, scope=None, expires=None, cert_no=CERT):
    r = {"cert_no": cert_no, "holder": "美的集团", "status": status, "ts_ms": ts}
    if scope is not None:
        r["scope"] = scope
    if expires is not None:
        r["expires_at_ms"] = expires
    return r


def fold(*recs):
    s = None
    for r in recs:
        s = apply_certificate(s, r)
    return s


def cooker(cert_no=CERT, title="美的电饭煲 MB-FB40S701 4L"):
    c = {"title": title, "category": "小家电", "ts_ms": T0}
    if cert_no is not None:
        c["ccc_cert"] = cert_no
    return c


def test_not_required_is_none_even_without_cert():
    assert check_card_certificate({"title": "坚果", "category": "食品"}, None, T0) is None


def test_missing_and_unknown():
    assert check_card_certificate(cooker(cert_no=None), None, T0) == "missing"
    assert check_card_certificate(cooker(cert_no="  "), None, T0) == "missing"
    assert check_card_certificate(cooker(), None, T0) == "unknown"
    later = fold(cert("valid", T0 + 1))
    assert check_card_certificate(cooker(), later, T0) == "unknown"  # not issued yet at the card's time
    other = fold(cert("valid", T0 - 1, cert_no="999"))
    assert check_card_certificate(cooker(), other, T0) == "unknown"


def test_valid_and_cert_number_normalised():
    s = fold(cert("valid", T0 - 10))
    assert check_card_certificate(cooker(cert_no="2021-0107 0123 4567"), s, T0) is None
    assert s["cert_no"] == normalise_cert_no("2021 0107-01234567")


def test_expiry_exactly_at_event_time():
    s = fold(cert("valid", T0 - 10, expires=T0))
    assert check_card_certificate(cooker(), s, T0 - 1) is None
    assert check_card_certificate(cooker(), s, T0) == "expired"


def test_suspended_then_restored():
    s = fold(cert("valid", T0 - 100), cert("valid", T0 + 50), cert("suspended", T0))  # out of order
    assert check_card_certificate(cooker(), s, T0 - 1) is None
    assert check_card_certificate(cooker(), s, T0) == "suspended"
    assert check_card_certificate(cooker(), s, T0 + 49) == "suspended"
    assert check_card_certificate(cooker(), s, T0 + 50) is None
    assert certificate_at(s, T0 + 50)["status"] == "valid"


def test_revoked_wins_over_expired_and_scope():
    s = fold(cert("revoked", T0 - 5, scope=["冰箱"], expires=T0 - 10))
    assert check_card_certificate(cooker(), s, T0) == "revoked"


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (["电饭煲"], None),  # named literally in the title
        (["MB-FB40S701"], None),  # model number
        (["家用和类似用途设备"], None),  # the catalogue class
        (["电饭锅"], None),  # another keyword of the same class
        (["插座", "插线板"], "out_of_scope"),
        (["MB-FB30S701"], "out_of_scope"),  # different model
        ([], None),  # empty scope = unrestricted
    ],
)
def test_scope(scope, expected):
    s = fold(cert("valid", T0 - 5, scope=scope))
    assert check_card_certificate(cooker(), s, T0) == expected


def test_state_is_json_and_redelivery_idempotent():
    r = cert("valid", T0, scope=["电饭煲"])
    s = fold(r, r)
    assert len(s["events"]) == 1
    assert orjson.loads(orjson.dumps(s)) == s
