"""models.monitor.Monitor on the sessions topic: blacklisted hosts, operators and agencies, once per session."""

from __future__ import annotations

import itertools

import pytest

from models.monitor import Monitor, MonitorState
from topics import names
from topics.records import parse_record

T0 = 1_700_000_000_000
NOW = T0 + 5_000
_ids = itertools.count()


def session(status="start", ts=T0, **kw):
    rec = {"event_id": f"ev-s{next(_ids)}", "platform": "douyin", "room_id": "r1", "session_id": "s1",
           "host_id": "h1", "status": status, "ts": ts}
    rec.update(kw)
    return names.SESSIONS, parse_record(names.SESSIONS, rec)


def transcript(text="大家好，欢迎来到直播间", ts=T0 + 100, **kw):
    rec = {"event_id": f"ev-t{next(_ids)}", "platform": "douyin", "room_id": "r1", "session_id": "s1",
           "host_id": "h1", "seq": next(_ids), "ts": ts, "text": text}
    rec.update(kw)
    return names.TRANSCRIPTS, parse_record(names.TRANSCRIPTS, rec)


def card(ts=T0 + 200, **kw):
    rec = {"event_id": f"ev-c{next(_ids)}", "platform": "douyin", "room_id": "r1", "session_id": "s1",
           "host_id": "h1", "ts": ts, "product_id": "p1", "title": "纯棉毛巾 三条装", "category": "家居"}
    rec.update(kw)
    return names.PRODUCT_CARDS, parse_record(names.PRODUCT_CARDS, rec)


def listing(subject_id, subject_type="host", op="add", ts=T0 - 86_400_000, reason="售假", **kw):
    rec = {"subject_id": subject_id, "subject_type": subject_type, "op": op, "reason": reason, "ts": ts}
    rec.update(kw)
    return names.BLACKLIST, parse_record(names.BLACKLIST, rec)


def run(monitor, *items):
    out = []
    for topic, rec in items:
        out += monitor.handle(topic, rec, NOW)
    return out


def bl_alerts(alerts):
    return [a for a in alerts if a.kind == "blacklisted_host"]


@pytest.mark.parametrize(("subject_type", "field", "subject_id"), [
    ("host", "host_id", "h1"),
    ("operator", "operator_id", "op-7"),
    ("agency", "agency_id", "mcn-3"),
])
def test_listed_subject_on_session_start_alerts_once(monitor, subject_type, field, subject_id):
    run(monitor, listing(subject_id, subject_type, reason="虚假宣传"))
    start = session(operator_id="op-7", agency_id="mcn-3")
    alerts = run(monitor, start)
    assert len(alerts) == 1
    a = alerts[0]
    assert (a.kind, a.rule, a.severity) == ("blacklisted_host", f"blacklisted_{subject_type}", "critical")
    assert a.evidence == subject_id == a.details["subject_id"]
    assert a.details["subject_type"] == subject_type and a.details["reason"] == "虚假宣传"
    assert a.details["trigger"] == "session_start"
    assert (a.room_id, a.session_id, a.host_id, a.event_id) == ("r1", "s1", "h1", start[1].event_id)
    assert (a.event_ts_ms, a.detected_at_ms, a.source_topic) == (T0, NOW, "sessions")
    assert getattr(start[1], field) == subject_id


def test_unlisted_session_raises_nothing(monitor):
    run(monitor, listing("someone-else"))
    assert run(monitor, session(operator_id="op-7", agency_id="mcn-3")) == []
    assert bl_alerts(run(monitor, transcript(), card())) == []


def test_host_operator_and_agency_all_listed_one_alert_each(monitor):
    run(monitor, listing("h1"), listing("op-7", "operator"), listing("mcn-3", "agency"))
    alerts = run(monitor, session(operator_id="op-7", agency_id="mcn-3"))
    assert sorted((a.details["subject_type"], a.evidence) for a in alerts) == [
        ("agency", "mcn-3"), ("host", "h1"), ("operator", "op-7")]
    assert len({a.alert_id for a in alerts}) == 3
    assert all(a.severity == "critical" and a.kind == "blacklisted_host" for a in alerts)


def test_once_per_session_later_events_add_none(monitor):
    run(monitor, listing("h1"), listing("op-7", "operator"))
    first = run(monitor, session(operator_id="op-7"))
    assert len(first) == 2
    later = run(monitor, transcript(), transcript(ts=T0 + 300), card(), card(ts=T0 + 400), transcript(ts=T0 + 500))
    assert bl_alerts(later) == []


def test_new_session_alerts_again_with_a_new_id(monitor):
    run(monitor, listing("h1"))
    (first,) = run(monitor, session())
    run(monitor, session("end", ts=T0 + 1000))
    (second,) = run(monitor, session(ts=T0 + 2000, session_id="s2"))
    assert second.session_id == "s2" and second.alert_id != first.alert_id
    assert bl_alerts(run(monitor, transcript(ts=T0 + 2100, session_id="s2"))) == []


def test_other_room_same_host_alerts_for_its_own_session(monitor):
    run(monitor, listing("h1"))
    assert len(run(monitor, session())) == 1
    other = run(monitor, session(room_id="r2", session_id="s9"))
    assert [(a.room_id, a.session_id) for a in other] == [("r2", "s9")]


def test_listed_host_activity_without_session_start(monitor):
    run(monitor, listing("h1"))
    alerts = run(monitor, card(), transcript(), card(ts=T0 + 900))
    assert len(bl_alerts(alerts)) == 1
    assert bl_alerts(alerts)[0].details["trigger"] == "product_card"


def test_transcript_before_session_start_still_one_alert(monitor):
    run(monitor, listing("h1"), listing("op-7", "operator"))
    early = run(monitor, transcript(ts=T0 + 100))
    assert [(a.evidence, a.details["trigger"]) for a in bl_alerts(early)] == [("h1", "transcript")]
    # The start (read later, earlier ts) brings the operator: its alert is new, the host's is not repeated.
    start = run(monitor, session(ts=T0, operator_id="op-7"))
    assert [a.evidence for a in start] == ["op-7"]
    assert bl_alerts(run(monitor, transcript(ts=T0 + 200), card())) == []


@pytest.mark.parametrize("variant", ["老王直播间", "老 王 直播間", "老王·直播间✨", "ＬＡＯ王直播间"])
def test_alias_of_a_listed_host_under_another_id(monitor, variant):
    run(monitor, listing("h1", names=["老王直播间", "LAO王直播间"], reason="冒名带货"))
    alerts = run(monitor, session(host_id="h-new", host_name=variant, room_id="r5", session_id="s5"))
    assert len(alerts) == 1
    a = alerts[0]
    assert (a.kind, a.rule, a.severity) == ("blacklisted_host", "blacklisted_host_alias", "critical")
    assert a.details["alias"] in {"老王直播间", "LAO王直播间"}  # the alias as written on the blacklist
    assert a.evidence == a.details["alias"]
    assert a.details["subject_id"] == "h1" and a.host_id == "h-new" and a.details["reason"] == "冒名带货"
    # once per session for the alias hit too
    assert bl_alerts(run(monitor, transcript(host_id="h-new", room_id="r5", session_id="s5"))) == []


def test_alias_that_does_not_match_raises_nothing(monitor):
    run(monitor, listing("h1", names=["老王直播间"]))
    assert run(monitor, session(host_id="h-new", host_name="小王直播间")) == []


def test_listed_host_by_id_is_not_also_reported_by_alias(monitor):
    run(monitor, listing("h1", names=["老王直播间"]))
    alerts = run(monitor, session(host_name="老王直播间"))
    assert [a.rule for a in alerts] == ["blacklisted_host"]


def test_expiry_exactly_at_event_time_is_not_listed(monitor):
    expires = T0 + 60_000
    run(monitor, listing("h1", expires_at=expires))
    assert run(monitor, session(ts=expires)) == []
    before = run(monitor, session(ts=expires - 1, session_id="s2"))
    assert len(before) == 1 and before[0].details["subject_id"] == "h1"


def test_expired_alias_is_not_matched(monitor):
    expires = T0 + 60_000
    run(monitor, listing("h1", names=["老王直播间"], expires_at=expires))
    assert run(monitor, session(ts=expires, host_id="h2", host_name="老王直播间")) == []
    hit = run(monitor, session(ts=expires - 1, host_id="h2", host_name="老王直播间", session_id="s2"))
    assert [a.rule for a in hit] == ["blacklisted_host_alias"]


def test_removed_listing(monitor):
    removed = T0 - 1000
    run(monitor, listing("h1", ts=T0 - 10_000), listing("h1", op="remove", ts=removed, reason="申诉成功"))
    assert run(monitor, session(ts=T0)) == []
    assert run(monitor, session(ts=removed, session_id="s2")) == []  # removed at t: not listed at t
    during = run(monitor, session(ts=removed - 1, session_id="s3"))  # a late event from before the removal
    assert len(during) == 1


def test_listing_after_the_event_does_not_apply(monitor):
    run(monitor, listing("h1", ts=T0 + 1))
    assert run(monitor, session(ts=T0)) == []
    assert len(run(monitor, session(ts=T0 + 1, session_id="s2"))) == 1


def test_alert_details_carry_listing_times(monitor):
    listed, expires = T0 - 5000, T0 + 60_000
    run(monitor, listing("h1", ts=listed, expires_at=expires))
    (a,) = run(monitor, session())
    assert (a.details["listed_at"], a.details["expires_at"]) == (listed, expires)


# -- replay isolation ----------------------------------------------------------------------------------


def test_replay_registry_does_not_reach_live(detector):
    state = MonitorState()
    live = Monitor(detector, state, price_seed={})
    replay = Monitor(detector, state, replay_id="rp-1", price_seed={})
    run(replay, listing("h1", names=["老王直播间"]))
    assert run(live, session()) == []
    assert run(live, session(host_id="h2", host_name="老王直播间", room_id="r2", session_id="s2")) == []
    assert [a.replay_id for a in run(replay, session())] == ["rp-1"]
    hit = run(replay, session(host_id="h2", host_name="老王直播间", room_id="r2", session_id="s2"))
    assert [a.rule for a in hit] == ["blacklisted_host_alias"]


def test_live_registry_does_not_reach_replay(detector):
    state = MonitorState()
    live = Monitor(detector, state, price_seed={})
    replay = Monitor(detector, state, replay_id="rp-1", price_seed={})
    run(live, listing("h1", names=["老王直播间"]))
    assert run(replay, session()) == []
    assert run(replay, session(host_id="h2", host_name="老王直播间", room_id="r2", session_id="s2")) == []
    assert len(run(live, session())) == 1


def test_replay_room_state_is_separate_from_live(detector):
    state = MonitorState()
    live = Monitor(detector, state, price_seed={})
    replay = Monitor(detector, state, replay_id="rp-1", price_seed={})
    run(live, listing("h1"))
    run(replay, listing("h1"))
    start = session()
    (live_alert,) = run(live, start)
    (replay_alert,) = run(replay, start)  # the live session having alerted does not silence the replay
    assert live_alert.alert_id != replay_alert.alert_id
    assert (live_alert.replay_id, replay_alert.replay_id) == ("", "rp-1")
    assert bl_alerts(run(replay, transcript())) == [] and bl_alerts(run(live, transcript())) == []


def test_alert_ids_stable_for_the_same_replay_id(detector):
    inputs = [listing("h1"), listing("op-7", "operator"), session(operator_id="op-7")]

    def ids(replay_id):
        return sorted(a.alert_id for a in run(Monitor(detector, MonitorState(), replay_id=replay_id,
                                                      price_seed={}), *inputs))

    assert len(ids("rp-1")) == 2
    assert ids("rp-1") == ids("rp-1")
    assert ids("") == ids("")
    assert not set(ids("rp-1")) & set(ids("")) and not set(ids("rp-1")) & set(ids("rp-2"))


def test_late_event_of_previous_session_does_not_repeat_current_alerts(monitor):
    run(monitor, listing("h1"))
    assert len(run(monitor, session(session_id="s1"))) == 1
    assert len(run(monitor, session(session_id="s2", ts=T0 + 10_000))) == 1
    run(monitor, transcript(session_id="s1", ts=T0 + 9_000))  # late: read after s2 started
    assert bl_alerts(run(monitor, transcript(session_id="s2", ts=T0 + 11_000))) == []


def test_late_end_of_previous_session_keeps_current_room(monitor):
    run(monitor, listing("h1"))
    run(monitor, session(session_id="s1"))
    assert len(run(monitor, session(session_id="s2", ts=T0 + 10_000))) == 1
    run(monitor, session("end", session_id="s1", ts=T0 + 9_000))  # late
    assert bl_alerts(run(monitor, transcript(session_id="s2", ts=T0 + 11_000))) == []


def test_late_start_of_previous_session_keeps_current_room(monitor):
    run(monitor, listing("op-7", "operator"))
    assert len(run(monitor, session(session_id="s2", ts=T0 + 10_000, operator_id="op-7"))) == 1
    assert len(run(monitor, session(session_id="s1", ts=T0))) == 0  # late start of an old, clean session
    assert bl_alerts(run(monitor, transcript(session_id="s2", ts=T0 + 11_000))) == []


def test_end_then_late_event_of_the_same_session_keeps_the_alert_id(monitor):
    run(monitor, listing("h1"))
    (first,) = run(monitor, session())
    run(monitor, session("end", ts=T0 + 1000))
    again = bl_alerts(run(monitor, transcript(ts=T0 + 900)))  # a segment read after the end
    assert [a.alert_id for a in again] in ([], [first.alert_id])  # if repeated, it collapses onto one row


def test_pinyin_only_alias_hit_is_less_severe_than_exact(detector):
    from models.alert import SEVERITY_RANK

    def alias_alert(name):
        m = Monitor(detector, MonitorState(), price_seed={})
        run(m, listing("h1", names=["李佳琦"]))
        (a,) = run(m, session(host_id="h2", host_name=name))
        assert a.rule == "blacklisted_host_alias"
        return a

    exact, homophone = alias_alert("李佳琦"), alias_alert("李家琪")
    assert SEVERITY_RANK[homophone.severity] < SEVERITY_RANK[exact.severity]


def test_alias_of_a_listed_operator_reports_the_operator(monitor):
    run(monitor, listing("op-7", "operator", names=["星河传媒运营部"]))
    (a,) = run(monitor, session(host_id="h2", host_name="星河传媒运营部"))
    assert a.details["subject_id"] == "op-7"
    assert a.details["subject_type"] == "operator"
