"""Lexicon loading, validation and compilation."""

from __future__ import annotations

import pytest

from models.lexicon import CATEGORIES, Lexicon, validate_entry

GOOD = {
    "id": "t.1",
    "pattern": ["神奇功效"],
    "category": "efficacy_guarantee",
    "severity": "medium",
    "basis": "广告法 第二十八条",
}


def test_packaged_lexicon_loads_and_covers_categories() -> None:
    lex = Lexicon.load()
    cats = {e.category for e in lex.entries.values()}
    assert set(CATEGORIES) <= cats
    for e in lex.entries.values():
        assert "第" in e.basis or "规定" in e.basis, e.id


def test_articles_cited_per_category() -> None:
    lex = Lexicon.load()
    expect = {
        "absolute_terms": "第九条(三)",
        "state_endorsement": "第九条(二)",
        "superstition": "第九条(八)",
        "medical_claim": "第十七条",
        "health_food_claim": "第十八条",
        "education_guarantee": "第二十四条",
        "investment_guarantee": "第二十五条",
    }
    for e in lex.entries.values():
        if e.category in expect:
            assert expect[e.category] in e.basis, e.id


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"id": ""}, "id"),
        ({"pattern": []}, "pattern"),
        ({"pattern": "  "}, "empty after normalisation"),
        ({"category": "nope"}, "category"),
        ({"severity": "fatal"}, "severity"),
        ({"basis": "law"}, "basis"),
        ({"scope": {"食品": "extreme"}}, "scope"),
        ({"context": "fuzzy"}, "context"),
        ({"colour": "red"}, "unknown field"),
        ({"near": [1]}, "near"),
        ({"regex": "(unclosed"}, "regex"),
        ({"regex": "(?:最+好)+"}, "quantified group"),
    ],
)
def test_validation_messages(patch: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_entry({**GOOD, **patch})


def test_scope_severity_and_skip() -> None:
    e = validate_entry({**GOOD, "scope": {"药品": "skip", "保健品": "critical"}})
    assert e.severity_for(None) == "medium"
    assert e.severity_for("药品") is None
    assert e.severity_for("保健食品") == "critical"  # alias key canonicalised
    assert e.severity_for("家电") == "medium"


def test_patterns_are_normalised() -> None:
    e = validate_entry({**GOOD, "pattern": "全網最低價"})
    assert e.patterns == ("全网最低价",)


def test_apply_and_compile_are_independent_snapshots() -> None:
    lex = Lexicon.load()
    before = lex.compile()
    lex.apply("upsert", GOOD)
    after = lex.compile()
    assert after.version == before.version + 1
    assert len(after.kinds) == len(before.kinds) + 1
    lex.apply("remove", {"id": "t.1"})
    assert "t.1" not in lex.entries
    lex.apply("remove", {"id": "t.1"})  # idempotent: replays redeliver removals
    with pytest.raises(ValueError, match="id"):
        lex.apply("remove", {"pattern": "x"})
    with pytest.raises(ValueError, match="op"):
        lex.apply("delete", GOOD)


def test_topics_are_normalised_and_a_cue_is_never_also_a_topic() -> None:
    lex = Lexicon([], cues=["保证"], topics=["考研", "貔貅", "保证", "部隊", "考研"])
    assert lex.topics == ("考研", "貔貅", "部队")
    packaged = Lexicon.load()
    assert packaged.topics and not set(packaged.topics) & set(packaged.cues)
    assert all(isinstance(t, str) and t for t in packaged.topics)


def test_a_runtime_update_keeps_the_topics() -> None:
    from models.detector import Detector

    det = Detector.from_files()
    before = det.lexicon.topics
    det.apply_update("upsert", GOOD)
    assert det.lexicon.topics == before


def test_copy_is_independent_of_the_original() -> None:
    lex = Lexicon.load()
    dup = lex.copy()
    dup.apply("remove", {"id": next(iter(lex.entries))})
    dup.apply("upsert", {"id": "x.new", "pattern": ["示例词"], "category": "absolute_terms", "severity": "low",
                         "basis": "广告法 第九条(三)"})
    assert len(dup.entries) == len(lex.entries) and "x.new" not in lex.entries
    assert (dup.cues, dup.topics, dup.exceptions) == (lex.cues, lex.topics, lex.exceptions)
    assert dup.version == lex.version + 2
