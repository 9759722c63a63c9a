"""End to end: contract topics -> faust worker -> alerts in ClickHouse and on the alerts topic.

Real tansu broker, real `livewatch worker` process, real chdb ClickHouse. Alerts are read back
from ClickHouse through the worker's API (the worker process owns the chdb data directory).
"""

from __future__ import annotations

import pytest
from conftest import Stack, wait_for

pytestmark = pytest.mark.e2e

TS = "2026-11-22T20:15:03.120+08:00"


def session(room: str, host: str, status: str = "start", **extra: str) -> dict:
    return {"event_id": f"ev-{room}-{status}", "platform": "douyin", "room_id": room,
            "session_id": f"{room}-s1", "host_id": host, "status": status, "ts": TS, **extra}


def transcript(room: str, host: str, seq: int, text: str) -> dict:
    return {"event_id": f"ev-{room}-t{seq}", "platform": "douyin", "room_id": room, "session_id": f"{room}-s1",
            "host_id": host, "seq": seq, "ts": 1795349703120 + seq * 1000, "text": text}


def card(room: str, host: str, n: int, product_id: str, title: str, **extra: object) -> dict:
    return {"event_id": f"ev-{room}-c{n}", "platform": "douyin", "room_id": room, "session_id": f"{room}-s1",
            "host_id": host, "ts": TS, "product_id": product_id, "title": title, **extra}


SELECTION = {"host_id": "h-lin", "version": 1, "products": [
    {"product_id": "p-mask", "title": "玻尿酸补水面膜 10片", "brand": "润百颜", "category": "化妆品"}]}
BLACKLISTED = {"subject_id": "h-bad", "subject_type": "host", "op": "add", "reason": "虚假宣传被处罚",
               "ts": "2026-10-01T00:00:00+08:00"}


def seed_registry(stack: Stack, worker) -> None:
    stack.produce("selections", [SELECTION])
    stack.produce("blacklist", [BLACKLISTED])
    wait_for(lambda: worker.get("/api/hosts/h-lin").get("registry", {}).get("selection")
             and worker.get("/api/hosts/h-bad").get("registry", {}).get("blacklist"),
             30, "registry state visible on the worker")


def test_alerts_reach_clickhouse_and_alerts_topic(stack: Stack) -> None:
    worker = stack.worker().start()
    seed_registry(stack, worker)
    stack.produce("sessions", [session("r-lin", "h-lin"), session("r-bad", "h-bad", host_name="坏主播")])
    stack.produce("transcripts", [
        transcript("r-lin", "h-lin", 1, "欢迎来到直播间，今天天气不错"),
        transcript("r-lin", "h-lin", 2, "这款面膜是全网最低价，错过就没了"),
    ])
    stack.produce("product_cards", [
        card("r-lin", "h-lin", 1, "p-mask", "玻尿酸补水面膜 10片", brand="润百颜", category="化妆品"),
        card("r-lin", "h-lin", 2, "p-cream", "美白淡斑霜 30g", brand="某某", category="化妆品"),
    ])

    alerts = wait_for(lambda: (a := worker.alerts()) and len(a) >= 3 and a, 60, "three alerts in ClickHouse")
    by_kind = {}
    for alert in alerts:
        by_kind.setdefault(alert["kind"], []).append(alert)
    assert sorted(by_kind) == ["blacklisted_host", "false_advertising", "unlisted_product"], alerts

    [fa] = by_kind["false_advertising"]
    assert fa["event_id"] == "ev-r-lin-t2" and fa["room_id"] == "r-lin"
    assert "最低" in fa["evidence"] and fa["evidence"] in "这款面膜是全网最低价，错过就没了"
    [unlisted] = by_kind["unlisted_product"]
    assert unlisted["event_id"] == "ev-r-lin-c2" and unlisted["evidence"] == "美白淡斑霜 30g"
    [black] = by_kind["blacklisted_host"]
    assert black["room_id"] == "r-bad" and black["severity"] == "critical" and black["host_id"] == "h-bad"

    published = stack.consume("alerts", len(alerts))
    assert sorted(a["alert_id"] for a in published) == sorted(a["alert_id"] for a in alerts)


def test_bad_records_go_to_deadletter_and_processing_continues(stack: Stack) -> None:
    worker = stack.worker().start()
    too_big = b'{"text": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    stack.produce("transcripts", [b'{"event_id": "e1", "text": "cut', b"\xff\xfe not utf-8", b"[1, 2]", too_big])
    stack.produce("transcripts", [{"event_id": "e2", "platform": "douyin", "room_id": "r1"},  # missing fields
                                  {**transcript("r1", "h1", 1, "hi"), "seq": "三"}])  # wrong type
    stack.produce("sessions", [{**session("r1", "h1"), "ts": "昨天"}])  # unparseable timestamp
    # A good record after the bad ones is still processed.
    stack.produce("transcripts", [transcript("r1", "h1", 9, "这是全网最低价")])

    dead = stack.consume("deadletter", 7)
    errors = sorted(d["error"] for d in dead)
    assert len(dead) == 7, errors
    assert any("bad JSON" in e for e in errors)
    assert any("invalid UTF-8" in e for e in errors)
    assert any("expected a JSON object" in e for e in errors)
    assert any("exceeds" in e for e in errors)
    assert any("missing required field" in e for e in errors)
    assert any("'seq' must be an integer" in e for e in errors)
    assert any("'ts'" in e for e in errors)
    for d in dead:
        assert d["source_topic"].endswith(("transcripts", "sessions")) and d["offset"] >= 0
        assert d["partition"] >= 0 and d["sha256"]
    invalid_utf8 = next(d for d in dead if "UTF-8" in d["error"])
    assert invalid_utf8["encoding"] == "base64"
    wait_for(lambda: worker.alerts(event_id="ev-r1-t9"), 30, "alert for the good record after bad ones")


def test_redelivered_records_do_not_duplicate_alerts(stack: Stack) -> None:
    worker = stack.worker().start()
    records = [transcript("r2", "h2", i, f"第{i}号链接，全网最低价，国家级品质") for i in range(1, 6)]
    stack.produce("transcripts", records)
    first = wait_for(lambda: (a := worker.alerts(room_id="r2")) and len(a) >= 5 and a, 40, "first delivery")
    # Let the first batch settle, then deliver the same records again.
    stack.produce("transcripts", records)
    stack.produce("transcripts", [transcript("r2", "h2", 99, "最后一条：全网最低价")])  # marks the end
    wait_for(lambda: worker.alerts(event_id="ev-r2-t99"), 40, "marker alert")
    again = worker.alerts(room_id="r2")
    ids = [a["alert_id"] for a in again]
    assert len(ids) == len(set(ids))
    assert {a["alert_id"] for a in first} <= set(ids)
    assert len(ids) == len(first) + len(worker.alerts(event_id="ev-r2-t99"))


def test_state_survives_worker_restart(stack: Stack) -> None:
    worker = stack.worker().start()
    seed_registry(stack, worker)
    stack.produce("sessions", [session("r-bad", "h-bad")])
    wait_for(lambda: worker.alerts(kind="blacklisted_host"), 30, "blacklist alert before restart")
    worker.stop()

    worker = stack.worker("w1").start()  # same data dir, same app id: recovers tables from changelogs
    stack.produce("product_cards", [
        card("r-lin", "h-lin", 1, "p-mask", "玻尿酸补水面膜 10片", category="化妆品"),
        card("r-lin", "h-lin", 2, "p-other", "不在清单上的商品", category="化妆品"),
    ])
    stack.produce("transcripts", [transcript("r-bad", "h-bad", 1, "大家好")])
    unlisted = wait_for(lambda: worker.alerts(kind="unlisted_product"), 40, "unlisted alert after restart")
    assert [a["event_id"] for a in unlisted] == ["ev-r-lin-c2"]  # the declared product still matches
    # Same session after the restart: the once-per-session blacklist alert is not raised again.
    stack.produce("transcripts", [transcript("r-lin", "h-lin", 5, "国家级品质，全网最低价")])
    wait_for(lambda: worker.alerts(event_id="ev-r-lin-t5"), 30, "marker after restart")
    assert len(worker.alerts(kind="blacklisted_host")) == 1
    published = stack.consume("alerts", len(worker.alerts()))
    assert [a["kind"] for a in published].count("blacklisted_host") == 1


def test_clickhouse_outage_delays_alerts_and_loses_none(stack: Stack) -> None:
    from streams.broker import free_port

    # Nothing listens on this port: every insert fails, as when the ClickHouse server is down.
    stack.extra_env["LIVEWATCH_CLICKHOUSE"] = f"http://default:@127.0.0.1:{free_port()}/default"
    worker = stack.worker("w-outage").start()
    stack.produce("transcripts", [transcript("r-out", "h-out", 1, "国家级配方，全网最低价")])
    wait_for(lambda: worker.get("/health")["clickhouse_failures"] >= 2, 30, "sink retrying inserts")
    assert worker.get("/health")["alerts_written"] == 0
    worker.stop()  # the batch was never acknowledged, so its offsets were never committed

    stack.extra_env.pop("LIVEWATCH_CLICKHOUSE")
    worker = stack.worker("w-after").start()  # same consumer group, ClickHouse available again
    alerts = wait_for(lambda: worker.alerts(event_id="ev-r-out-t1"), 40, "the delayed alert")
    assert alerts and all(a["room_id"] == "r-out" for a in alerts)
