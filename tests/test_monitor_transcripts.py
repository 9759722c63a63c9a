"""models.monitor.Monitor on the transcripts topic: false-advertising claims, scope, lexicon updates."""

from __future__ import annotations

import itertools

import pytest

from models.detector import Detector
from models.monitor import Monitor, MonitorState
from topics import names
from topics.records import parse_record

T0 = 1_700_000_000_000
NOW = T0 + 5_000
_ids = itertools.count()

NEW_PHRASE = "闭眼冲神品"
NEW_ENTRY = {"id": "test.blind_buy", "pattern": [NEW_PHRASE], "category": "absolute_terms",
             "severity": "medium", "basis": "广告法 第九条(三)"}


def transcript(text, ts=T0 + 100, **kw):
    rec = {"event_id": f"ev-t{next(_ids)}", "platform": "douyin", "room_id": "r1", "session_id": "s1",
           "host_id": "h1", "seq": 12, "ts": ts, "text": text}
    rec.update(kw)
    return parse_record(names.TRANSCRIPTS, rec)


def card(category, ts=T0 + 50, **kw):
    rec = {"event_id": f"ev-c{next(_ids)}", "platform": "douyin", "room_id": "r1", "session_id": "s1",
           "host_id": "h1", "ts": ts, "product_id": "p1", "title": "商品", "category": category}
    rec.update(kw)
    return parse_record(names.PRODUCT_CARDS, rec)


def false_ads(alerts):
    return [a for a in alerts if a.kind == "false_advertising"]


@pytest.mark.parametrize("text", [
    "家人们，这款面霜全网最低价，错过再等一年",
    "全網最低價，錯過再等一年",
    "这个茶 能 降 血 压，真的",
    "这是宇宙级好物，国家级品质",
])
def test_violating_segment_alert_with_exact_evidence(monitor, text):
    rec = transcript(text)
    alerts = false_ads(monitor.handle(names.TRANSCRIPTS, rec, NOW))
    assert alerts
    for a in alerts:
        d = a.details
        assert a.evidence == text[d["start"]:d["end"]] and a.evidence
        assert a.severity in ("low", "medium", "high", "critical")
        assert d["field"] == "text" and d["seq"] == 12 and d["source"] in ("rule", "classifier")
        assert "第" in d["basis"] or "规定" in d["basis"]
        assert (a.event_id, a.event_ts_ms, a.detected_at_ms, a.source_topic) == (rec.event_id, rec.ts_ms, NOW,
                                                                                 "transcripts")
        assert (a.platform, a.room_id, a.session_id, a.host_id) == ("douyin", "r1", "s1", "h1")
    assert len({a.alert_id for a in alerts}) == len(alerts)


@pytest.mark.parametrize("text", ["大家好，欢迎来到直播间", "今天给大家推荐一款面霜，质地很清爽",
                                  "这款不是最便宜的，但是质量很好"])
def test_benign_segment_raises_nothing(monitor, text):
    assert monitor.handle(names.TRANSCRIPTS, transcript(text), NOW) == []


def test_empty_segment_raises_nothing(monitor):
    assert monitor.handle(names.TRANSCRIPTS, transcript(""), NOW) == []


def test_alert_id_is_deterministic(detector):
    rec = transcript("全网最低价，冲")

    def ids(r, now):
        return [a.alert_id for a in Monitor(detector, MonitorState(), price_seed={}).handle(names.TRANSCRIPTS,
                                                                                           r, now)]

    first = ids(rec, NOW)
    assert first and first == ids(rec, NOW) == ids(rec, NOW + 60_000)  # detection time is not part of it
    other_event = transcript("全网最低价，冲", event_id="ev-other")
    assert set(ids(other_event, NOW)).isdisjoint(first)


def test_card_category_sets_the_claim_severity(detector):
    text = "这个茶能降血压"
    plain = Monitor(detector, MonitorState(), price_seed={})
    (base,) = false_ads(plain.handle(names.TRANSCRIPTS, transcript(text), NOW))

    food = Monitor(detector, MonitorState(), price_seed={})
    food.handle(names.PRODUCT_CARDS, card("食品"), NOW)
    (scoped,) = false_ads(food.handle(names.TRANSCRIPTS, transcript(text), NOW))
    assert base.rule == scoped.rule and base.details["category"] == scoped.details["category"] == "medical_claim"
    assert (base.severity, scoped.severity) == ("medium", "high")

    drug = Monitor(detector, MonitorState(), price_seed={})
    drug.handle(names.PRODUCT_CARDS, card("药品"), NOW)
    assert false_ads(drug.handle(names.TRANSCRIPTS, transcript(text), NOW)) == []  # lawful for a medicine


def test_the_current_card_counts_not_an_earlier_one(monitor):
    text = "这个茶能降血压"
    monitor.handle(names.PRODUCT_CARDS, card("食品", ts=T0 + 10), NOW)
    monitor.handle(names.PRODUCT_CARDS, card("药品", ts=T0 + 20), NOW)
    assert false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text), NOW)) == []
    monitor.handle(names.PRODUCT_CARDS, card("保健品", ts=T0 + 30), NOW)  # an alias of 保健食品
    (a,) = false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text, ts=T0 + 200), NOW))
    assert a.severity == "high"


def test_card_scope_is_per_room_and_per_session(monitor):
    text = "这个茶能降血压"
    monitor.handle(names.PRODUCT_CARDS, card("食品"), NOW)
    (other_room,) = false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text, room_id="r2"), NOW))
    (same,) = false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text, session_id="s1"), NOW))
    (next_session,) = false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text, session_id="s2"), NOW))
    assert (other_room.severity, same.severity, next_session.severity) == ("medium", "high", "medium")


def test_card_title_claim_is_flagged_with_title_evidence(monitor):
    rec = card("食品", title="【全网最低价】每日坚果 750g")
    (a,) = false_ads(monitor.handle(names.PRODUCT_CARDS, rec, NOW))
    assert a.details["field"] == "title" and a.evidence == rec.title[a.details["start"]:a.details["end"]]
    assert a.source_topic == "product_cards"


def test_spoken_brand_not_on_the_list(monitor):
    sel = parse_record(names.SELECTIONS, {"host_id": "h1", "version": 1, "products": [
        {"product_id": "p1", "title": "三只松鼠每日坚果 750g", "brand": "三只松鼠"}]})
    monitor.handle(names.SELECTIONS, sel, NOW)
    text = "下一个给大家上小米手机，三只松鼠也有"
    alerts = [a for a in monitor.handle(names.TRANSCRIPTS, transcript(text), NOW) if a.kind == "unlisted_product"]
    assert [(a.rule, a.evidence) for a in alerts] == [("spoken_unlisted", "小米")]
    assert text[alerts[0].details["start"]:alerts[0].details["end"]] == "小米"


# -- run-time lexicon updates --------------------------------------------------------------------------


def lexicon_update(op, entry):
    return parse_record(names.LEXICON, {"op": op, "entry": entry})


def test_lexicon_upsert_then_remove():
    detector = Detector.from_files()
    state = MonitorState()
    monitor = Monitor(detector, state, price_seed={})
    text = f"这款真的是{NEW_PHRASE}，家人们"
    assert false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text), NOW)) == []

    assert monitor.handle(names.LEXICON, lexicon_update("upsert", NEW_ENTRY), NOW) == []
    (a,) = false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text), NOW))
    assert (a.rule, a.evidence, a.severity) == (NEW_ENTRY["id"], NEW_PHRASE, "medium")
    assert a.details["category"] == "absolute_terms" and a.details["basis"] == NEW_ENTRY["basis"]
    assert state.lexicon[NEW_ENTRY["id"]] == {"op": "upsert", "entry": NEW_ENTRY}

    monitor.handle(names.LEXICON, lexicon_update("upsert", dict(NEW_ENTRY, severity="critical")), NOW)
    assert [a.severity for a in false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text), NOW))] == ["critical"]

    monitor.handle(names.LEXICON, lexicon_update("remove", {"id": NEW_ENTRY["id"]}), NOW)
    assert false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text), NOW)) == []
    assert state.lexicon[NEW_ENTRY["id"]]["op"] == "remove"
    # the shared default detector never saw any of it
    assert Detector.default().detect(text) == []


@pytest.mark.parametrize(("op", "entry"), [
    ("upsert", dict(NEW_ENTRY, category="made_up")),
    ("upsert", dict(NEW_ENTRY, severity="extreme")),
    ("upsert", dict(NEW_ENTRY, basis="because")),
    ("upsert", dict(NEW_ENTRY, pattern=[])),
    ("upsert", dict(NEW_ENTRY, pattern="  ")),
    ("upsert", dict(NEW_ENTRY, colour="red")),
    ("upsert", dict(NEW_ENTRY, scope={"食品": "very"})),
    ("upsert", dict(NEW_ENTRY, context="sometimes")),
    ("upsert", {k: v for k, v in NEW_ENTRY.items() if k != "id"}),
    ("delete", NEW_ENTRY),
])
def test_invalid_lexicon_update_raises_and_changes_nothing(op, entry):
    detector = Detector.from_files()
    state = MonitorState()
    monitor = Monitor(detector, state, price_seed={})
    entries_before = dict(detector.lexicon.entries)
    with pytest.raises(ValueError):
        monitor.handle(names.LEXICON, lexicon_update(op, entry), NOW)
    assert detector.lexicon.entries == entries_before and dict(state.lexicon) == {}
    text = f"这款真的是{NEW_PHRASE}"
    assert false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text), NOW)) == []


def test_replayed_lexicon_update_does_not_change_live_detection():
    detector = Detector.from_files()
    state = MonitorState()
    live = Monitor(detector, state, price_seed={})
    replay = Monitor(detector, state, replay_id="rp-1", price_seed={})
    replay.handle(names.LEXICON, lexicon_update("upsert", NEW_ENTRY), NOW)
    text = f"这款真的是{NEW_PHRASE}"
    assert false_ads(live.handle(names.TRANSCRIPTS, transcript(text), NOW)) == []
    assert NEW_ENTRY["id"] not in state.lexicon


def test_late_segment_of_previous_session_keeps_current_card_scope(monitor):
    text = "这个茶能降血压"
    monitor.handle(names.PRODUCT_CARDS, card("食品", session_id="s2", ts=T0 + 1000), NOW)
    monitor.handle(names.TRANSCRIPTS, transcript("大家好", session_id="s1", ts=T0 + 900), NOW)  # late, old session
    (a,) = false_ads(monitor.handle(names.TRANSCRIPTS, transcript(text, session_id="s2", ts=T0 + 1100), NOW))
    assert a.severity == "high"
