"""models.monitor.Monitor on the product_cards topic: selection lists, CCC certificates and prices."""

from __future__ import annotations

import itertools

import pytest

from models.ccc import ccc_requirement
from models.monitor import Monitor, MonitorState, default_price_seed
from topics import names
from topics.records import parse_record

T0 = 1_700_000_000_000
NOW = T0 + 5_000
_ids = itertools.count()

P_CREAM = {"product_id": "p-cream", "title": "欧莱雅复颜玻尿酸水光充盈导入精华面霜 50ml", "brand": "欧莱雅",
           "category": "化妆品"}
P_PHONE = {"product_id": "p-x200", "title": "vivo X200 Pro 5G手机 16GB+512GB", "brand": "vivo", "category": "手机"}
P_NUTS = {"product_id": "p-nuts", "title": "三只松鼠每日坚果 750g 30包", "brand": "三只松鼠", "category": "食品"}

CERT = "2021010701234567"
COOKER = {"title": "美的电饭煲 MB-FB40S701 4L", "category": "小家电", "product_id": "p-cooker"}


def card(title, ts=T0 + 100, product_id="c-unknown", **kw):
    rec = {"event_id": f"ev-c{next(_ids)}", "platform": "douyin", "room_id": "r1", "session_id": "s1",
           "host_id": "h1", "ts": ts, "product_id": product_id, "title": title}
    rec.update(kw)
    return parse_record(names.PRODUCT_CARDS, rec)


def selection(version, products, host="h1", **kw):
    rec = {"host_id": host, "version": version, "products": products}
    rec.update(kw)
    return parse_record(names.SELECTIONS, rec)


def certificate(status, ts, cert_no=CERT, **kw):
    rec = {"cert_no": cert_no, "holder": "美的集团", "status": status, "ts": ts}
    rec.update(kw)
    return parse_record(names.CERTIFICATES, rec)


def of_kind(kind, alerts):
    return [a for a in alerts if a.kind == kind]


def show(monitor, rec, kind):
    return of_kind(kind, monitor.handle(names.PRODUCT_CARDS, rec, NOW))


# -- selection lists ------------------------------------------------------------------------------------


def test_listed_by_product_id(monitor):
    monitor.handle(names.SELECTIONS, selection(1, [P_CREAM, P_NUTS]), NOW)
    assert show(monitor, card("完全不同的标题", product_id="p-nuts"), "unlisted_product") == []


@pytest.mark.parametrize(("title", "brand"), [
    ("【直播专享】L'Oréal复颜玻尿酸水光面霜50ml 限时秒杀 包邮", "L'Oréal"),
    ("歐萊雅復顏玻尿酸水光充盈導入精華面霜", None),
    ("oulaiya 玻尿酸水光充盈面霜", None),
])
def test_listed_by_fuzzy_title_or_brand(monitor, title, brand):
    monitor.handle(names.SELECTIONS, selection(1, [P_PHONE, P_CREAM, P_NUTS]), NOW)
    extra = {"brand": brand} if brand else {}
    assert show(monitor, card(title, **extra), "unlisted_product") == []


def test_not_on_the_list(monitor):
    monitor.handle(names.SELECTIONS, selection(3, [P_CREAM, P_NUTS]), NOW)
    rec = card("良品铺子每日坚果 750g 30包", brand="良品铺子", category="食品", product_id="c-lp")
    (a,) = show(monitor, rec, "unlisted_product")
    assert (a.rule, a.severity, a.evidence) == ("not_on_selection_list", "high", rec.title)
    d = a.details
    assert d["nearest"]["product_id"] == "p-nuts" and 0.0 <= d["score"] <= 1.0
    assert (d["list_version"], d["product_id"], d["method"]) == (3, "c-lp", "none")
    assert d["veto"] == "brand_mismatch"


def test_unrelated_card_nearest_is_the_closest_declared(monitor):
    monitor.handle(names.SELECTIONS, selection(1, [P_CREAM, P_PHONE]), NOW)
    (a,) = show(monitor, card("vivo X300 Pro 5G手机 16GB+512GB", brand="vivo"), "unlisted_product")
    assert a.details["nearest"]["product_id"] == "p-x200" and a.details["veto"] == "model_number_mismatch"
    assert a.details["score"] > 0.5  # similar, and still not the declared product


def test_card_before_any_list(monitor):
    (a,) = show(monitor, card("欧莱雅面霜"), "unlisted_product")
    assert (a.rule, a.details["list_version"], a.details["nearest"], a.details["method"]) == \
        ("no_selection_list", None, None, "no_list")
    # another host's list does not count
    monitor.handle(names.SELECTIONS, selection(1, [P_CREAM], host="h2"), NOW)
    assert [a.rule for a in show(monitor, card("欧莱雅面霜"), "unlisted_product")] == ["no_selection_list"]
    # a list valid only from later does not cover an earlier card
    monitor.handle(names.SELECTIONS, selection(1, [P_CREAM], valid_from=T0 + 101), NOW)
    assert [a.rule for a in show(monitor, card("欧莱雅面霜", ts=T0 + 100), "unlisted_product")] == \
        ["no_selection_list"]
    assert show(monitor, card("欧莱雅面霜", ts=T0 + 101, product_id="p-cream"), "unlisted_product") == []


def test_list_version_changes_mid_session(monitor):
    switch = T0 + 60_000
    monitor.handle(names.SELECTIONS, selection(1, [P_CREAM], valid_to=switch), NOW)
    monitor.handle(names.SELECTIONS, selection(2, [P_PHONE], valid_from=switch), NOW)
    cream = "欧莱雅玻尿酸水光面霜"
    assert show(monitor, card(cream, ts=switch - 1), "unlisted_product") == []
    (a,) = show(monitor, card(cream, ts=switch), "unlisted_product")
    assert (a.rule, a.details["list_version"], a.details["nearest"]["product_id"]) == \
        ("not_on_selection_list", 2, "p-x200")
    assert show(monitor, card("vivo X200 Pro 手机", ts=switch, brand="vivo"), "unlisted_product") == []
    (b,) = show(monitor, card("vivo X200 Pro 手机", ts=switch - 1, brand="vivo"), "unlisted_product")
    assert b.details["list_version"] == 1


def test_late_older_version_does_not_replace_newer(monitor):
    monitor.handle(names.SELECTIONS, selection(5, [P_PHONE]), NOW)
    monitor.handle(names.SELECTIONS, selection(4, [P_CREAM]), NOW)  # arrives late
    (a,) = show(monitor, card("欧莱雅玻尿酸水光面霜"), "unlisted_product")
    assert a.details["list_version"] == 5
    assert show(monitor, card("x", product_id="p-x200"), "unlisted_product") == []


def test_newer_version_replaces_products_whole(monitor):
    monitor.handle(names.SELECTIONS, selection(1, [P_CREAM, P_NUTS]), NOW)
    assert show(monitor, card("x", product_id="p-nuts"), "unlisted_product") == []
    monitor.handle(names.SELECTIONS, selection(2, [P_PHONE]), NOW)
    (a,) = show(monitor, card("x", product_id="p-nuts", ts=T0 + 200), "unlisted_product")
    assert a.details["list_version"] == 2


def test_unlisted_alert_id_is_per_card_event(monitor):
    monitor.handle(names.SELECTIONS, selection(1, [P_NUTS]), NOW)
    rec = card("良品铺子每日坚果", brand="良品铺子")
    (a,) = show(monitor, rec, "unlisted_product")
    (b,) = show(Monitor(monitor.detector, MonitorState(selections=dict(monitor.state.selections)),
                        price_seed={}), rec, "unlisted_product")
    (c,) = show(monitor, card("良品铺子每日坚果", brand="良品铺子"), "unlisted_product")
    assert a.alert_id == b.alert_id != c.alert_id


# -- CCC certificates -----------------------------------------------------------------------------------


def ccc(monitor, ts=T0 + 100, **kw):
    return show(monitor, card(**{**COOKER, **kw}, ts=ts), "ccc_invalid")


def test_cooker_needs_ccc():
    assert ccc_requirement(COOKER["category"], COOKER["title"])


def test_ccc_valid_certificate(monitor):
    monitor.handle(names.CERTIFICATES, certificate("valid", T0), NOW)
    assert ccc(monitor, ccc_cert=CERT) == []
    assert ccc(monitor, ccc_cert="2021-0107-0123 4567") == []  # same number, spelt differently


def test_ccc_missing(monitor):
    (a,) = ccc(monitor)
    assert (a.rule, a.severity, a.details["reason"], a.evidence) == ("ccc_missing", "high", "missing", COOKER["title"])
    assert a.details["catalogue_item"] == ccc_requirement(COOKER["category"], COOKER["title"])
    assert a.details["ccc_cert"] is None and a.details["product_id"] == "p-cooker"


def test_ccc_unknown(monitor):
    monitor.handle(names.CERTIFICATES, certificate("valid", T0, cert_no="2021010709999999"), NOW)
    (a,) = ccc(monitor, ccc_cert=CERT)
    assert (a.rule, a.details["reason"], a.evidence) == ("ccc_unknown", "unknown", CERT)
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 + 101), NOW)  # published only after the card
    assert [a.details["reason"] for a in ccc(monitor, ccc_cert=CERT)] == ["unknown"]


def test_ccc_revoked(monitor):
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 - 1000), NOW)
    monitor.handle(names.CERTIFICATES, certificate("revoked", T0), NOW)
    (a,) = ccc(monitor, ccc_cert=CERT)
    assert (a.rule, a.details["reason"]) == ("ccc_revoked", "revoked")
    assert ccc(monitor, ccc_cert=CERT, ts=T0 - 1) == []  # before the revocation it was good


def test_ccc_suspended_then_restored(monitor):
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 - 1000), NOW)
    monitor.handle(names.CERTIFICATES, certificate("suspended", T0 + 100), NOW)
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 + 200), NOW)
    assert ccc(monitor, ccc_cert=CERT, ts=T0 + 99) == []
    (a,) = ccc(monitor, ccc_cert=CERT, ts=T0 + 100)
    assert (a.rule, a.details["reason"]) == ("ccc_suspended", "suspended")
    assert [a.details["reason"] for a in ccc(monitor, ccc_cert=CERT, ts=T0 + 199)] == ["suspended"]
    assert ccc(monitor, ccc_cert=CERT, ts=T0 + 200) == []


def test_ccc_restoration_arriving_before_the_suspension(monitor):
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 + 200), NOW)
    monitor.handle(names.CERTIFICATES, certificate("suspended", T0 + 100), NOW)
    assert [a.details["reason"] for a in ccc(monitor, ccc_cert=CERT, ts=T0 + 150)] == ["suspended"]
    assert ccc(monitor, ccc_cert=CERT, ts=T0 + 250) == []


def test_ccc_expired_exactly_at_card_time(monitor):
    expires = T0 + 100
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 - 1000, expires_at=expires), NOW)
    (a,) = ccc(monitor, ccc_cert=CERT, ts=expires)
    assert (a.rule, a.details["reason"]) == ("ccc_expired", "expired")
    assert ccc(monitor, ccc_cert=CERT, ts=expires - 1) == []


def test_ccc_out_of_scope(monitor):
    monitor.handle(names.CERTIFICATES, certificate("valid", T0, scope=["液晶电视机"]), NOW)
    (a,) = ccc(monitor, ccc_cert=CERT)
    assert (a.rule, a.details["reason"]) == ("ccc_out_of_scope", "out_of_scope")
    monitor.handle(names.CERTIFICATES, certificate("valid", T0 + 50, scope=["液晶电视机", "电饭煲"]), NOW)
    assert ccc(monitor, ccc_cert=CERT) == []


@pytest.mark.parametrize(("category", "title"), [
    ("食品", "三只松鼠每日坚果"),
    ("化妆品", "欧莱雅面霜"),
    ("手机", "iPhone15 手机壳 防摔"),
    (None, "纯棉毛巾"),
])
def test_non_ccc_products_need_no_certificate(monitor, category, title):
    assert ccc_requirement(category, title) is None
    extra = {"category": category} if category else {}
    assert show(monitor, card(title, **extra), "ccc_invalid") == []


def test_replay_certificates_are_separate(detector):
    state = MonitorState()
    live = Monitor(detector, state, price_seed={})
    replay = Monitor(detector, state, replay_id="rp-1", price_seed={})
    replay.handle(names.CERTIFICATES, certificate("valid", T0), NOW)
    assert [a.details["reason"] for a in ccc(live, ccc_cert=CERT)] == ["unknown"]
    assert ccc(replay, ccc_cert=CERT) == []


# -- prices ---------------------------------------------------------------------------------------------


def priced(price, category="食品", **kw):
    return card("每日坚果 750g", price=price, category=category, **kw)


def test_price_anomaly_after_enough_observations(monitor):
    normal = [80.0 + (i * 7) % 45 for i in range(30)]  # 80..124
    for i, p in enumerate(normal[:29]):
        assert show(monitor, priced(p), "price_anomaly") == [], i
    assert show(monitor, priced(5.0), "price_anomaly") == []  # 29 observations so far: no reference yet
    # that card was observed too: 30 now
    (a,) = show(monitor, priced(9.9), "price_anomaly")
    d = a.details
    assert (a.rule, a.severity, a.evidence) == ("price_far_below_range", "medium", "9.9")
    assert d["source"] == "stream" and d["observations"] == 30 and d["price"] == 9.9
    assert min(normal) <= d["median"] <= max(normal) and d["ratio"] == pytest.approx(9.9 / d["median"], rel=1e-3)
    assert d["q1"] <= d["median"] <= d["q3"] and d["threshold"] == 0.3 and d["category"] == "食品"
    for p in normal:
        assert show(monitor, priced(p), "price_anomaly") == []


def test_price_anomaly_from_the_seed_before_that(detector):
    seed = default_price_seed()["食品"]
    assert seed["observations"] >= 30
    monitor = Monitor(detector, MonitorState())  # the packaged seed
    (a,) = show(monitor, priced(round(seed["median"] * 0.1, 2)), "price_anomaly")
    assert a.details["source"] == "seed" and a.details["median"] == seed["median"]
    assert show(monitor, priced(seed["median"]), "price_anomaly") == []
    assert show(monitor, priced(seed["median"] * 0.3), "price_anomaly") == []  # exactly the threshold: fine
    assert len(show(monitor, priced(seed["median"] * 0.29), "price_anomaly")) == 1


def test_category_synonyms_share_a_reference(detector):
    seed = {"食品": {"median": 100.0, "q1": 60.0, "q3": 150.0, "observations": 30, "source": "seed"}}
    monitor = Monitor(detector, MonitorState(), price_seed=seed)
    assert [a.details["median"] for a in show(monitor, priced(10.0, category="零食"), "price_anomaly")] == [100.0]
    assert show(monitor, priced(10.0, category="家居"), "price_anomaly") == []  # no seed, no stream


@pytest.mark.parametrize("price", [None, 0.0])
def test_no_price_no_verdict(monitor, price):
    seed = {"食品": {"median": 100.0, "q1": 60.0, "q3": 150.0, "observations": 30, "source": "seed"}}
    m = Monitor(monitor.detector, MonitorState(), price_seed=seed)
    assert show(m, priced(price), "price_anomaly") == []


def test_price_scope_keeps_separate_sketches(detector):
    state = MonitorState()
    monitor = Monitor(detector, state, price_seed={}, price_scope=lambda rec: f"{rec.room_id}|{rec.category}")
    for i in range(30):
        monitor.handle(names.PRODUCT_CARDS, priced(100.0 + i, room_id="r1"), NOW)
    assert set(state.prices) == {"r1|食品"} and state.prices["r1|食品"]["n"] == 30
    assert show(monitor, priced(5.0, room_id="r2"), "price_anomaly") == []
    assert len(show(monitor, priced(5.0, room_id="r1"), "price_anomaly")) == 1


def test_check_prices_off(detector):
    monitor = Monitor(detector, MonitorState(), check_prices=False)
    assert show(monitor, priced(0.01), "price_anomaly") == []
    assert dict(monitor.state.prices) == {}


def test_price_anomaly_evidence_is_the_exact_price(detector):
    seed = {"家用电器": {"median": 100_000.0, "q1": 80_000.0, "q3": 150_000.0, "observations": 30, "source": "seed"}}
    monitor = Monitor(detector, MonitorState(), price_seed=seed)
    rec = card("商用中央空调 外机", price=12345.67, category="家用电器")
    (a,) = show(monitor, rec, "price_anomaly")
    assert a.details["price"] == rec.price
    assert float(a.evidence) == rec.price


def test_card_titles_get_the_lexicon_not_the_speech_classifier(detector):
    monitor = Monitor(detector, MonitorState(), price_seed={})
    # A product-type name is not a spoken claim; a medical claim written into a title still is.
    assert show(monitor, card("美白淡斑霜 30g", category="化妆品"), "false_advertising") == []
    assert show(monitor, card("野生灵芝孢子粉 降三高", category="保健食品"), "false_advertising")
