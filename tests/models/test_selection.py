import orjson
import pytest

from models.selection import (
    MAX_VERSIONS,
    CardMatch,
    ProductMatcher,
    active_list,
    apply_selection,
    match_card,
    spoken_unlisted,
)

T0 = 1_700_000_000_000


def lst(version, products, valid_from=None, valid_to=None, host="h1"):
    rec = {"host_id": host, "version": version, "products": products}
    if valid_from is not None:
        rec["valid_from_ms"] = valid_from
    if valid_to is not None:
        rec["valid_to_ms"] = valid_to
    return rec


P_CREAM = {"product_id": "p-cream", "title": "欧莱雅复颜玻尿酸水光充盈导入精华面霜 50ml", "brand": "欧莱雅",
           "category": "化妆品"}
P_PHONE = {"product_id": "p-x200", "title": "vivo X200 Pro 5G手机 16GB+512GB", "brand": "vivo", "category": "手机"}
P_NUTS = {"product_id": "p-nuts", "title": "三只松鼠每日坚果 750g 30包", "brand": "三只松鼠", "category": "食品"}


def card(title, product_id="c-unknown", ts=T0, **extra):
    return {"event_id": "e1", "platform": "douyin", "room_id": "r1", "session_id": "s1", "host_id": "h1",
            "ts_ms": ts, "product_id": product_id, "title": title, **extra}


@pytest.fixture(scope="module")
def matcher():
    return ProductMatcher()


def test_state_is_plain_json_and_input_not_mutated():
    s1 = apply_selection(None, lst(1, [P_CREAM]))
    snapshot = orjson.dumps(s1)
    s2 = apply_selection(s1, lst(2, [P_PHONE]))
    assert orjson.dumps(s1) == snapshot
    assert orjson.loads(orjson.dumps(s2)) == s2
    assert [v["version"] for v in s2["versions"]] == [1, 2]


def test_new_version_replaces_atomically_no_merge():
    s = apply_selection(None, lst(1, [P_CREAM, P_NUTS]))
    s = apply_selection(s, lst(2, [P_PHONE]))
    assert [p["product_id"] for p in active_list(s, T0)["products"]] == ["p-x200"]


def test_same_version_redelivered_replaces_not_duplicates():
    s = apply_selection(None, lst(3, [P_CREAM]))
    s = apply_selection(s, lst(3, [P_PHONE]))
    assert len(s["versions"]) == 1
    assert active_list(s, T0)["products"][0]["product_id"] == "p-x200"


def test_older_version_arriving_late_does_not_replace_newer():
    s = apply_selection(None, lst(5, [P_PHONE]))
    s = apply_selection(s, lst(4, [P_CREAM]))
    assert active_list(s, T0)["version"] == 5
    assert [v["version"] for v in s["versions"]] == [4, 5]


def test_late_older_version_still_applies_to_its_own_earlier_window():
    s = apply_selection(None, lst(5, [P_PHONE], valid_from=T0 + 1000))
    s = apply_selection(s, lst(4, [P_CREAM], valid_to=T0 + 1000))
    assert active_list(s, T0 + 999)["version"] == 4
    assert active_list(s, T0 + 1000)["version"] == 5


def test_history_is_capped_keeping_highest_versions():
    s = None
    for v in range(1, MAX_VERSIONS + 4):
        s = apply_selection(s, lst(v, [P_CREAM]))
    assert [v["version"] for v in s["versions"]] == list(range(4, MAX_VERSIONS + 4))
    s2 = apply_selection(s, lst(1, [P_PHONE]))  # too old to be kept at all
    assert s2["versions"] == s["versions"]


def test_window_boundaries_from_inclusive_to_exclusive():
    s = apply_selection(None, lst(1, [P_CREAM], valid_from=T0, valid_to=T0 + 10))
    assert active_list(s, T0 - 1) is None
    assert active_list(s, T0)["version"] == 1
    assert active_list(s, T0 + 9)["version"] == 1
    assert active_list(s, T0 + 10) is None


def test_version_change_mid_session(matcher):
    switch = T0 + 60_000
    s = apply_selection(None, lst(1, [P_CREAM]))
    s = apply_selection(s, lst(2, [P_PHONE], valid_from=switch))
    before = match_card(card("欧莱雅玻尿酸水光面霜", ts=switch - 1), s, matcher)
    after = match_card(card("欧莱雅玻尿酸水光面霜", ts=switch), s, matcher)
    assert (before.listed, before.version) == (True, 1)
    assert (after.listed, after.version, after.method) == (False, 2, "none")
    assert after.nearest["product_id"] == "p-x200"


def test_card_before_any_list_is_no_list(matcher):
    m = match_card(card("欧莱雅面霜"), None, matcher)
    assert m == CardMatch(False, "no_list", None, 0.0, None)
    s = apply_selection(None, lst(1, [P_CREAM], valid_from=T0 + 5))
    assert match_card(card("欧莱雅面霜", ts=T0), s, matcher).method == "no_list"


def test_product_id_match_wins(matcher):
    m = matcher.match(card("完全不同的标题", product_id="p-nuts"), [P_CREAM, P_NUTS])
    assert (m.listed, m.method, m.score, m.nearest["product_id"]) == (True, "product_id", 1.0, "p-nuts")


def test_fuzzy_match_through_marketing_noise_and_brand_spelling(matcher):
    for title, brand in [("【直播专享】L'Oréal复颜玻尿酸水光面霜50ml 限时秒杀 包邮", "L'Oréal"),
                         ("oulaiya 玻尿酸水光充盈面霜", None),
                         ("歐萊雅復顏玻尿酸水光充盈導入精華面霜", None)]:
        extra = {"brand": brand} if brand else {}
        m = matcher.match(card(title, **extra), [P_PHONE, P_CREAM, P_NUTS])
        assert m.listed and m.method == "fuzzy" and m.nearest["product_id"] == "p-cream", (title, m)


def test_model_number_mismatch_vetoes(matcher):
    m = matcher.match(card("vivo X300 Pro 5G手机 16GB+512GB", brand="vivo"), [P_PHONE, P_CREAM])
    assert not m.listed and m.method == "none"
    assert m.nearest["product_id"] == "p-x200" and m.veto == "model_number_mismatch"
    assert m.score > 0.8  # very similar text, still rejected: the alert shows why


def test_brand_conflict_vetoes(matcher):
    m = matcher.match(card("良品铺子每日坚果 750g 30包", brand="良品铺子"), [P_NUTS])
    assert not m.listed and m.veto == "brand_mismatch"


def test_empty_list_gives_none_without_nearest(matcher):
    m = matcher.match(card("欧莱雅面霜"), [])
    assert (m.listed, m.method, m.nearest) == (False, "none", None)
    assert orjson.loads(orjson.dumps(m.to_details()))["method"] == "none"


def test_spoken_unlisted_brand_with_offsets():
    s = apply_selection(None, lst(1, [P_CREAM, P_NUTS]))
    text = "家人们这个欧莱雅面霜真的好，下一个上小米手机，三只松鼠也有"
    hits = spoken_unlisted(text, s, ts_ms=T0)
    assert [h["brand"] for h in hits] == ["小米"]
    h = hits[0]
    assert text[h["start"]:h["end"]] == "小米" and "小米手机" in h["evidence"]


def test_spoken_unlisted_english_alias_traditional_and_comparison():
    version = {"version": 1, "products": [P_CREAM]}
    hits = spoken_unlisted("今天上 Xiaomi 和 華為", version)
    assert sorted(h["brand"] for h in hits) == ["华为", "小米"]
    assert spoken_unlisted("这个比兰蔻还好用，兰蔻平替", version) == []


def test_spoken_unlisted_known_brands_and_no_list():
    assert spoken_unlisted("小米手机", None) == []
    s = apply_selection(None, lst(1, [P_CREAM], valid_from=T0 + 1))
    assert spoken_unlisted("小米手机", s, ts_ms=T0) == []
    hits = spoken_unlisted("来看看花花公子的外套", s, known_brands={"花花公子": ["playboy"]}, ts_ms=T0 + 1)
    assert [h["brand"] for h in hits] == ["花花公子"]


def test_spoken_unlisted_ignores_ordinary_words_that_are_brand_names():
    version = {"version": 1, "products": [P_CREAM]}
    text = "这个颜色好美的，早上喝点小米粥，下一个上小米手机"
    hits = spoken_unlisted(text, version)
    assert [(h["brand"], h["start"]) for h in hits] == [("小米", text.index("小米手机"))]


def test_accepts_validated_faust_records():
    from topics import names
    from topics.records import parse_record

    rec = parse_record(names.SELECTIONS, {"host_id": "h1", "version": 2, "valid_from": T0,
                                          "products": [{"product_id": "p-cream", "title": P_CREAM["title"]}]})
    s = apply_selection(None, rec)
    assert orjson.loads(orjson.dumps(s)) == s
    c = parse_record(names.PRODUCT_CARDS, {"event_id": "e", "platform": "douyin", "room_id": "r", "session_id": "s",
                                           "host_id": "h1", "ts": T0, "product_id": "p-cream", "title": "x"})
    m = match_card(c, s)
    assert (m.listed, m.method, m.version) == (True, "product_id", 2)
