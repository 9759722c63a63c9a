"""Lexicon entries beyond plain patterns: co-occurrence (near), anchored regexes, and 虚构原价 comparisons."""

from __future__ import annotations

import pytest

from models.detector import Detector
from models.lexicon import Lexicon, validate_entry

BASIS = "广告法 第十六条(四)"


@pytest.fixture()
def det() -> Detector:
    return Detector(Lexicon([]), None)


def _add(det: Detector, **entry: object) -> None:
    det.apply_update("upsert", {"category": "medical_endorsement", "severity": "high", "basis": BASIS, **entry})


def test_near_needs_its_partner_in_the_same_sentence(det: Detector) -> None:
    _add(det, id="t.role", pattern=["护士"], near=["推荐", "都在用"])
    found = det.detect("好多护士都在用这款护手霜")
    assert [(f.rule, f.evidence) for f in found] == [("t.role", "护士都在用")]
    assert det.detect("护士提醒大家勤洗手") == []
    assert det.detect("护士说要勤洗手。这款我推荐") == []  # the partner is in the next sentence
    # The partner before the role word counts too; the evidence spans both.
    assert [f.evidence for f in det.detect("推荐这款的是一位护士")] == ["推荐这款的是一位护士"]


def test_near_respects_negation_of_the_role_word(det: Detector) -> None:
    _add(det, id="t.role", pattern=["医生"], near=["推荐"])
    assert det.detect("不是医生推荐的，是我自己用过觉得好") == []


def test_regex_entry_is_judged_on_its_whole_match(det: Detector) -> None:
    _add(det, id="t.none", pattern=["超过"], category="absolute_terms", basis="广告法 第九条(三)",
         regex="没有(?:任何)?[^，。]{0,6}?能超过")
    f = det.detect("市面上没有任何一款能超过它")
    # The 没有 inside the match is part of the claim, not a negation of it.
    assert [(x.rule, x.evidence) for x in f] == [("t.none", "没有任何一款能超过")]
    assert det.detect("销量超过十万单") == []


def test_regex_and_near_round_trip_through_to_dict() -> None:
    e = validate_entry({"id": "t.x", "pattern": "保7", "category": "education_guarantee", "severity": "high",
                        "basis": "广告法 第二十四条(一)", "regex": "保[0-9]+分", "near": ["雅思"]})
    again = validate_entry(e.to_dict())
    assert again.regex is not None and again.regex.pattern == "保[0-9]+分" and again.near == ("雅思",)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("这件大衣吊牌价两千九，今天直播间只要二百九十九", "吊牌价两千九，今天直播间只要二百九十九"),
        ("外面都卖五百多的，我们这里六十九包邮", "外面都卖五百多的，我们这里六十九"),
    ],
)
def test_inflated_reference_price(text: str, evidence: str) -> None:
    det = Detector.from_files(model_path=None)
    found = [f for f in det.detect(text) if f.rule == "price.reference_ratio"]
    assert [f.evidence for f in found] == [evidence]
    assert found[0].category == "price_claim" and found[0].basis.startswith("《明码标价")


@pytest.mark.parametrize(
    "text",
    ["日常价一百二十九，今天到手一百零九", "原价多少？今天九十九", "这件原价三百。今天九十九，明天恢复"],
)
def test_modest_or_split_reference_price_is_not_flagged(text: str) -> None:
    det = Detector.from_files(model_path=None)
    assert not [f for f in det.detect(text) if f.rule == "price.reference_ratio"]


def test_a_partner_inside_the_hit_does_not_count(det: Detector) -> None:
    _add(det, id="t.fail", pattern=["考不过"], near=["考", "退"], category="education_guarantee",
         basis="广告法 第二十四条(一)")
    assert det.detect("考不过也没关系，明年再来") == []
    assert [f.evidence for f in det.detect("考不过全款退")] == ["考不过全款退"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("报这个班没到六分就免费重读", "edu.miss_refund"),
        ("资格证拿不到证书算我的", "edu.miss_refund"),
        ("跟我们学的没有一个考不过的", "edu.none_fail"),
        ("这套书刷完稳进年级前五十", "edu.rank_sure"),
        ("这瓶洗发水白头发用了都黑回来了", "med.hair_restored"),
        ("喝了一个月，结节就消了", "med.symptom_gone"),
        ("这套邮票五年后翻三倍", "inv.multiplies"),
        ("穿了两个月，长高了三公分", "eff.results_in_time"),
        ("武警部队采购的就是这一款", "state.organ_near"),
    ],
)
def test_packaged_regex_and_near_rules(text: str, rule: str) -> None:
    assert rule in {f.rule for f in Detector.from_files().detect(text)}


@pytest.mark.parametrize(
    "text",
    [
        "考试没到时间不能交卷",  # 没到 without a score or a refund
        "喝了一个月，感觉挺好喝的",
        "这套邮票五年前发行的，现在存世不多",
        "穿了两个月，领口也没变形",
    ],
)
def test_packaged_rules_leave_near_misses_alone(text: str) -> None:
    assert Detector.from_files().detect(text) == []


def test_a_denied_partner_after_the_role_word(det: Detector) -> None:
    _add(det, id="t.object", pattern=["平安扣"], category="superstition", basis="广告法 第九条(八)", near=["保平安"])
    assert [f.rule for f in det.detect("这个平安扣戴着保平安")] == ["t.object"]
    assert det.detect("这个平安扣就是个装饰，我不说什么保平安") == []


def test_a_disclaimer_in_the_sentence_hedges_a_guarantee_partner(det: Detector) -> None:
    _add(det, id="t.fail", pattern=["没考上"], category="education_guarantee", basis="广告法 第二十四条(一)",
         near=["退费"])
    assert [f.rule for f in det.detect("没考上的全额退费")] == ["t.fail"]
    assert det.detect("我们不承诺通过，没考上的也不退费") == []


def test_a_hundred_percent_result() -> None:
    found = Detector.from_files().detect("吸一遍百分之百除螨", "家电")
    assert [f.rule for f in found] == ["eff.percent_result"]
