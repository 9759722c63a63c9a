"""streams.sink.AlertSink against a real chdb ClickHouse and a real refused connection.

Uses the session-wide chdb directory of tests/conftest.py (`chdb_dsn`, `ch`): chdb opens one data
directory per process.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from models.alert import Alert, make_alert_id
from streams.clickhouse import connect, ensure_schema
from streams.deadletter import deadletter_record
from streams.feed import AlertFeed
from streams.sink import AlertSink

# Recent: the alerts table has a TTL (rows older than it are dropped), and one UTC day, so one partition.
T0 = (int(time.time() * 1000) // 86_400_000) * 86_400_000 + 3_600_000


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: connecting is refused


def alerts(n: int, tag: str = "a", room: str = "r1") -> list[Alert]:
    out = []
    for i in range(n):
        event_id = f"ev-{tag}-{i}"
        out.append(Alert(
            alert_id=make_alert_id("false_advertising", "price.lowest", "transcripts", event_id, ""),
            kind="false_advertising", rule="price.lowest", severity="high", platform="douyin", room_id=room,
            session_id="s1", host_id="h1", event_id=event_id, event_ts_ms=T0 + i, detected_at_ms=T0 + 1000 + i,
            evidence="全网最低价", details={"start": i, "end": i + 5, "field": "text"},
            source_topic="transcripts",
        ))
    return out


class FlakyFactory:
    """Refused connections for the first ``fail`` calls, then the chdb client."""

    def __init__(self, dsn: str, fail: int, watch: Callable[[], int] | None = None) -> None:
        self.dsn, self.fail, self.calls = dsn, fail, 0
        self.bad_dsn = f"http://127.0.0.1:{closed_port()}"
        self.watch = watch  # e.g. the feed queue's size, noted at each attempt
        self.seen: list[int] = []
        self.errors: list[Exception] = []

    def __call__(self) -> Any:
        self.calls += 1
        if self.watch is not None:
            self.seen.append(self.watch())
        if self.calls <= self.fail:
            try:
                return connect(self.bad_dsn)
            except Exception as exc:
                self.errors.append(exc)
                raise
            raise AssertionError("a closed port accepted a connection")
        return connect(self.dsn)


class CheckingFeed(AlertFeed):
    """A feed that, on each alert, looks the alert up in ClickHouse."""

    def __init__(self, client: Any) -> None:
        super().__init__()
        self.client = client
        self.received: list[tuple[str, int]] = []

    def publish(self, alert: dict[str, Any]) -> None:
        stored = self.client.query("SELECT count() FROM alerts FINAL WHERE alert_id = {id:String}",
                                   parameters={"id": alert["alert_id"]}).result_rows[0][0]
        self.received.append((alert["alert_id"], stored))
        super().publish(alert)


def rows(ch: Any, final: bool = False) -> dict[str, int]:
    q = f"SELECT alert_id, count() FROM alerts {'FINAL' if final else ''} GROUP BY alert_id"
    return dict(ch.query(q).result_rows)


async def test_insert_retried_until_clickhouse_answers(ch, chdb_dsn):
    batch = alerts(5)
    factory = FlakyFactory(chdb_dsn, fail=3)
    sink = AlertSink(factory, max_backoff=0.01)
    await sink.write(batch, events=7)
    assert factory.calls == 4 and len(factory.errors) == 3
    assert "Connection refused" in str(factory.errors[0]) or "refused" in repr(factory.errors[0]).lower()
    assert sink.failures >= 3
    assert rows(ch) == {a.alert_id: 1 for a in batch}  # exactly once, even without FINAL
    assert (sink.written, sink.events) == (5, 7)


async def test_rows_hold_the_alert(ch, chdb_dsn):
    (alert,) = alerts(1)
    await AlertSink(lambda: connect(chdb_dsn), max_backoff=0.01).write([alert])
    result = ch.query("SELECT kind, rule, severity, room_id, event_id, evidence, details, "
                      "toUnixTimestamp64Milli(event_ts), toUnixTimestamp64Milli(detected_at) FROM alerts")
    (row,) = result.result_rows
    assert row[:6] == (alert.kind, alert.rule, alert.severity, alert.room_id, alert.event_id, alert.evidence)
    assert orjson.loads(row[6]) == alert.details
    assert row[7:] == (alert.event_ts_ms, alert.detected_at_ms)


async def test_feed_gets_alerts_only_after_the_insert(ch, chdb_dsn):
    feed = CheckingFeed(ch)
    queue = feed.subscribe()
    factory = FlakyFactory(chdb_dsn, fail=2, watch=queue.qsize)
    batch = alerts(3)
    sink = AlertSink(factory, feed=feed, max_backoff=0.01)
    await sink.write(batch)
    assert factory.seen == [0, 0, 0]  # nothing reached the feed while ClickHouse was refusing
    assert feed.received == [(a.alert_id, 1) for a in batch]  # each already stored when the feed saw it
    assert [queue.get_nowait()["alert_id"] for _ in batch] == [a.alert_id for a in batch]


async def test_writing_the_same_alerts_twice_keeps_one_row_each(ch, chdb_dsn):
    batch = alerts(4)
    sink = AlertSink(lambda: connect(chdb_dsn), max_backoff=0.01)
    await sink.write(batch)
    await sink.write(batch)  # a redelivered batch
    await AlertSink(lambda: connect(chdb_dsn), max_backoff=0.01).write(batch[:2])  # or a restarted worker
    assert rows(ch, final=True) == {a.alert_id: 1 for a in batch}
    assert sum(rows(ch).values()) >= 4
    assert sink.failures == 0 and sink.written == 8


async def test_publish_retried_after_the_insert(ch, chdb_dsn):
    sent: list[tuple[str, bytes, bytes]] = []
    calls = []

    def send(topic: str, key: bytes, value: bytes) -> Any:
        calls.append(topic)
        if len(calls) <= 2:
            raise ConnectionError("broker not available")

        async def deliver() -> None:
            sent.append((topic, key, value))

        return deliver()

    batch = alerts(2, room="r7")
    dead = [deadletter_record(b'{"bad json', topic="livewatch.transcripts", partition=3, offset=41,
                              error="bad JSON")]
    factory = FlakyFactory(chdb_dsn, fail=0)
    feed = AlertFeed()
    queue = feed.subscribe()
    sink = AlertSink(factory, send, alerts_topic="t.alerts", deadletter_topic="t.dead", feed=feed,
                     max_backoff=0.01)
    await sink.write(batch, dead, events=3)
    assert sink.failures == 2 and factory.calls == 1  # the insert is not repeated for a publish failure
    assert rows(ch) == {a.alert_id: 1 for a in batch}
    assert sorted((t, k) for t, k, _ in sent) == [("t.alerts", b"r7"), ("t.alerts", b"r7"),
                                                   ("t.dead", b"livewatch.transcripts")]
    published = {orjson.loads(v)["alert_id"]: orjson.loads(v) for t, _, v in sent if t == "t.alerts"}
    assert published == {a.alert_id: a.to_contract() for a in batch}
    (dl,) = [orjson.loads(v) for t, _, v in sent if t == "t.dead"]
    assert (dl["offset"], dl["partition"], dl["error"], dl["value"]) == (41, 3, "bad JSON", '{"bad json')
    assert queue.qsize() == 2 and (sink.written, sink.events) == (2, 3)


async def test_publish_waits_for_a_failing_insert(ch, chdb_dsn):
    order: list[str] = []

    async def deliver() -> None:
        order.append("publish")

    def factory() -> Any:
        order.append("connect")
        if order.count("connect") == 1:
            return connect(f"http://127.0.0.1:{closed_port()}")
        return connect(chdb_dsn)

    await AlertSink(factory, lambda *_: deliver(), max_backoff=0.01).write(alerts(1))
    assert order == ["connect", "connect", "publish"]


async def test_dead_letters_only_touch_no_table(ch, chdb_dsn):
    factory = FlakyFactory(chdb_dsn, fail=0)
    sent = []

    async def ok(*args: Any) -> None:
        sent.append(args)

    dead = [deadletter_record(b"\xff", topic="livewatch.sessions", partition=0, offset=1, error="invalid UTF-8")]
    sink = AlertSink(factory, lambda *a: ok(*a), max_backoff=0.01)
    await sink.write([], dead, events=1)
    assert factory.calls == 0 and len(sent) == 1 and rows(ch) == {}
    assert orjson.loads(sent[0][2])["encoding"] == "base64"


async def test_on_connect_recreates_a_lost_table(ch, chdb_dsn):
    ch.command("DROP TABLE alerts")
    batch = alerts(2)
    sink = AlertSink(lambda: connect(chdb_dsn), on_connect=ensure_schema, max_backoff=0.01)
    await sink.write(batch)
    assert rows(ch) == {a.alert_id: 1 for a in batch}


async def test_broken_connection_reconnects(ch, chdb_dsn):
    """An insert that fails on an open client drops the client; the next try connects again."""
    factory = FlakyFactory(chdb_dsn, fail=0)
    sink = AlertSink(factory, max_backoff=0.01)
    await sink.write(alerts(1, tag="x"))
    ch.command("DROP TABLE alerts")  # the server lost the table: inserts fail on the open client

    def recreate(client: Any) -> None:
        ensure_schema(client)

    sink.on_connect = recreate
    batch = alerts(2, tag="y")
    await sink.write(batch)
    assert factory.calls == 2 and sink.failures == 1
    assert rows(ch) == {a.alert_id: 1 for a in batch}


@pytest.mark.parametrize("fail", [1, 4])
async def test_failures_counted(ch, chdb_dsn, fail):
    factory = FlakyFactory(chdb_dsn, fail=fail)
    sink = AlertSink(factory, max_backoff=0.005)
    await sink.write(alerts(1, tag=f"f{fail}"))
    assert sink.failures >= fail and factory.calls == fail + 1
    assert len(rows(ch)) == 1
