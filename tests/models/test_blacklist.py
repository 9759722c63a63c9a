import itertools

import orjson

from models.blacklist import (
    alias_keys,
    apply_blacklist,
    find_alias,
    find_alias_all,
    listing_at,
    normalise_alias,
)

T0 = 1_700_000_000_000


def rec(op, ts, subject="h9", stype="host", reason="fake goods", names=None, expires=None):
    r = {"subject_id": subject, "subject_type": stype, "op": op, "reason": reason, "ts_ms": ts}
    if names is not None:
        r["names"] = names
    if expires is not None:
        r["expires_at_ms"] = expires
    return r


def fold(*recs, state=None):
    for r in recs:
        state = apply_blacklist(state, r)
    return state


def test_listed_from_add_time_inclusive():
    s = fold(rec("add", T0))
    assert listing_at(s, T0 - 1) is None
    got = listing_at(s, T0)
    assert got["reason"] == "fake goods" and got["listed_at"] == T0 and got["expires_at"] is None


def test_expiry_exactly_at_event_time_is_not_listed():
    s = fold(rec("add", T0, expires=T0 + 100))
    assert listing_at(s, T0 + 99) is not None
    assert listing_at(s, T0 + 100) is None


def test_remove_then_re_add():
    s = fold(rec("add", T0, names=["老王"]), rec("remove", T0 + 10, reason="appeal won"),
             rec("add", T0 + 20, reason="relapse"))
    assert listing_at(s, T0 + 9)["reason"] == "fake goods"
    assert listing_at(s, T0 + 10) is None
    assert listing_at(s, T0 + 19) is None
    again = listing_at(s, T0 + 20)
    assert again["reason"] == "relapse" and again["listed_at"] == T0 + 20
    assert again["names"] == ["老王"]  # add without names carries the previous aliases
    assert s["intervals"][0]["removed_reason"] == "appeal won"


def test_out_of_order_records_give_same_state():
    recs = [rec("add", T0, names=["a"]), rec("remove", T0 + 10), rec("add", T0 + 20, expires=T0 + 30)]
    states = [fold(*perm) for perm in itertools.permutations(recs)]
    for s in states:
        assert s["intervals"] == states[0]["intervals"]


def test_redelivery_is_idempotent_and_state_is_json():
    r = rec("add", T0, names=["李佳琦"])
    s1 = fold(r)
    s2 = fold(r, state=s1)
    assert s1 == s2
    assert orjson.loads(orjson.dumps(s2)) == s2


def test_re_add_while_listed_amends_keeps_listed_at():
    s = fold(rec("add", T0, expires=T0 + 100, names=["a"]),
             rec("add", T0 + 50, reason="second offence", expires=T0 + 1000, names=["b"]))
    assert listing_at(s, T0 + 49)["reason"] == "fake goods"
    mid = listing_at(s, T0 + 500)
    assert mid["reason"] == "second offence" and mid["listed_at"] == T0 and mid["names"] == ["a", "b"]
    assert listing_at(s, T0 + 1000) is None


def test_add_after_expiry_opens_new_listing():
    s = fold(rec("add", T0, expires=T0 + 10), rec("add", T0 + 50))
    assert listing_at(s, T0 + 20) is None
    assert listing_at(s, T0 + 50)["listed_at"] == T0 + 50


def test_remove_when_not_listed_changes_nothing():
    s = fold(rec("remove", T0), rec("add", T0 + 5))
    assert listing_at(s, T0 + 5)["listed_at"] == T0 + 5
    assert len(s["intervals"]) == 1


def test_operator_and_agency_subjects():
    op = fold(rec("add", T0, subject="op1", stype="operator", reason="MCN fraud"))
    ag = fold(rec("add", T0, subject="ag1", stype="agency"), rec("remove", T0 + 5, subject="ag1", stype="agency"))
    assert listing_at(op, T0)["subject_type"] == "operator"
    assert listing_at(ag, T0 + 4)["subject_type"] == "agency"
    assert listing_at(ag, T0 + 5) is None


def test_normalise_alias():
    assert normalise_alias("  李佳琦 Austin✨ ") == "李佳琦austin"
    assert normalise_alias("ＬＩ　ＪＩＡＱＩ") == "lijiaqi"
    assert normalise_alias("張三丨官方") == "张三官方"
    assert alias_keys("李佳琦")["pinyin"] == "lijiaqi"
    assert "pinyin" not in alias_keys("王")


def test_find_alias_exact_traditional_and_pinyin():
    entries = [("h9", fold(rec("add", T0, names=["李佳琦Austin", "小李子"])))]
    assert find_alias(entries, "李佳琦 austin", T0) == ("h9", "李佳琦Austin")
    assert find_alias(entries, "小李子🔥", T0) == ("h9", "小李子")
    assert find_alias(entries, "xiao li zi", T0) == ("h9", "小李子")  # pinyin-insensitive
    assert find_alias_all(entries, "xiaolizi", T0)[0]["match"] == "pinyin"
    assert find_alias(entries, "小李", T0) is None
    assert find_alias(entries, "小李子", T0 - 1) is None  # not listed yet


def test_find_alias_respects_expiry_and_removal():
    entries = [("h9", fold(rec("add", T0, names=["老王"], expires=T0 + 10))),
               ("h8", fold(rec("add", T0, subject="h8", names=["老张"]), rec("remove", T0 + 5, subject="h8")))]
    assert find_alias(entries, "老王", T0 + 9) == ("h9", "老王")
    assert find_alias(entries, "老王", T0 + 10) is None
    assert find_alias(entries, "老张", T0 + 5) is None


def test_alias_collision_is_deterministic():
    a = ("ag1", fold(rec("add", T0, subject="ag1", stype="agency", names=["星光"])))
    h_late = ("h2", fold(rec("add", T0 + 5, subject="h2", names=["星光"])))
    h_early = ("h3", fold(rec("add", T0 + 1, subject="h3", names=["星光"])))
    pinyin_only = ("h1", fold(rec("add", T0, subject="h1", names=["星广"])))  # xingguang too
    entries = [a, h_late, h_early, pinyin_only]
    for perm in itertools.permutations(entries):
        assert find_alias(list(perm), "星光", T0 + 10) == ("h3", "星光")
    order = [h["subject_id"] for h in find_alias_all(entries, "星光", T0 + 10)]
    assert order == ["h3", "h2", "ag1", "h1"]  # exact > pinyin, host > agency, earliest listing
