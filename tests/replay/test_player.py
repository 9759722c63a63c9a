"""The replay tool without a broker: wave planning, pacing, the progress columns, archive queries."""

from __future__ import annotations

import time

import orjson
import pytest
from rich.progress import Progress

from replay.cli import EtaColumn, RateColumn
from replay.player import Pacer, event_time_ms, plan_waves
from replay.recording import RecordedMessage
from replay.worker_api import archive_query as source_query
from replay.worker_api import is_archive_source, worker_url
from streams.web.archive import ArchiveQueryError, archive_query, page_query

T0 = 1795349703120


def msg(topic: str, room: str | None = None, ts: int | None = None, **extra: object) -> RecordedMessage:
    value = {"room_id": room, "ts": ts, **extra} if room else {"host_id": "h", "ts": ts, **extra}
    return RecordedMessage(line_no=0, topic=topic, key=(room or "h").encode(), value=orjson.dumps(value))


def shape(waves: list[list[RecordedMessage]]) -> list[list[str]]:
    return [[f"{m.topic}:{orjson.loads(m.value).get('room_id') or '-'}" for m in w] for w in waves]


def test_waves() -> None:
    records = [msg("selections"), msg("blacklist"), msg("sessions", "r1"), msg("sessions", "r2"),
               msg("transcripts", "r2"), msg("transcripts", "r1"), msg("transcripts", "r1"),
               msg("product_cards", "r3"), msg("certificates"), msg("product_cards", "r1")]
    part = lambda m: 0  # noqa: E731
    assert plan_waves(records, part) == [records]
    assert plan_waves([], part, strict=True) == []
    assert shape(plan_waves(records, part, registry_first=True)) == [
        ["selections:-", "blacklist:-", "certificates:-"],
        ["sessions:r1", "sessions:r2", "transcripts:r2", "transcripts:r1", "transcripts:r1",
         "product_cards:r3", "product_cards:r1"]]
    # strict: a new wave when a room changes topic, and around registry records; other rooms run on.
    assert shape(plan_waves(records, part, strict=True)) == [
        ["selections:-", "blacklist:-"],
        ["sessions:r1", "sessions:r2"],
        ["transcripts:r2", "transcripts:r1", "transcripts:r1", "product_cards:r3"],
        ["certificates:-"],
        ["product_cards:r1"]]
    assert shape(plan_waves(records, part, registry_first=True, strict=True))[1:] == [
        ["sessions:r1", "sessions:r2"],
        ["transcripts:r2", "transcripts:r1", "transcripts:r1", "product_cards:r3"],
        ["product_cards:r1"]]


def test_pacing_uses_room_event_time_only() -> None:
    # A blacklist entry listed months ago must not hold the replay back.
    assert event_time_ms(msg("blacklist", ts="2026-10-01T00:00:00+08:00")) is None
    assert event_time_ms(msg("transcripts", "r1", ts="2026-11-22T20:15:03.120+08:00")) == T0
    envelope_only = RecordedMessage(0, "sessions", b"r1", b'{"room_id": "r1"}', ts_ms=T0 + 5)
    assert event_time_ms(envelope_only) == T0 + 5

    pacer = Pacer(10)
    assert pacer.due(None) is None
    before = time.monotonic()
    assert pacer.due(T0) is None  # the first paced record sets the clock
    assert pacer.due(T0 + 10_000) == pytest.approx(pacer.anchor[0] + 1.0)  # 10 s of recording at 10x
    assert before <= pacer.anchor[0] <= time.monotonic()
    messages = [msg("blacklist", ts=0), msg("sessions", "r1", ts=T0),
                msg("transcripts", "r1", ts=T0 + 30_000)]
    assert Pacer(10).paced_seconds(messages) == pytest.approx(3.0)
    assert Pacer(None).paced_seconds(messages) == 0.0 and Pacer(0).due(T0) is None


def test_progress_columns() -> None:
    progress = Progress(disable=True)
    task_id = progress.add_task("replay", total=100, ends_at=None)
    task = progress.tasks[0]
    assert EtaColumn().render(task).plain == "eta -:--:--"
    progress.start_task(task_id)
    task.start_time = task.get_time() - 10  # 10 s in, 20 done: 2/s, 80 to go
    progress.update(task_id, completed=20)
    assert EtaColumn().render(task).plain == "eta 0:00:40"
    assert RateColumn().render(task).plain.strip() == "2 rec/s"
    progress.update(task_id, ends_at=time.monotonic() + 125)  # paced: the recording's clock decides
    assert EtaColumn().render(task).plain in ("eta 0:02:05", "eta 0:02:04")
    progress.update(task_id, completed=100)
    assert EtaColumn().render(task).plain == "done"


def test_archive_queries() -> None:
    sql, args = archive_query({"room_id": "r1", "from": "2026-11-22T20:15:03.120+08:00", "to": str(T0 + 1)})
    assert args == {"replay_id": "", "to_ms": T0 + 1, "from_ms": T0, "room_id": "r1"}
    parts = sql.split("UNION ALL")
    assert len(parts) == 7
    sessions = next(p for p in parts if "archive_sessions" in p)
    assert "room_id = {room_id:String}" in sessions and "from_ms" in sessions and "to_ms" in sessions
    blacklist = next(p for p in parts if "archive_blacklist" in p)  # whole, up to `to`
    assert "room_id" not in blacklist.split("WHERE")[1]
    assert "from_ms" not in blacklist and "to_ms" in blacklist
    sql, args = archive_query({"replay_id": "*", "topics": "livewatch.transcripts,selections"})
    assert "replay_id" not in args and sql.count("UNION ALL") == 1 and "WHERE 1" in sql
    with pytest.raises(ArchiveQueryError):
        archive_query({"topics": "alerts"})
    with pytest.raises(ArchiveQueryError):
        archive_query({"from": "yesterday"})
    sql, args = page_query({}, (T0, "sessions", 1, 5, "", 9), 10)
    assert args["a_ts"] == T0 and args["page_rows"] == 10 and "ORDER BY ts_ms, topic, p, o" in sql


def test_sources() -> None:
    assert is_archive_source("archive:?room_id=r1") and not is_archive_source("rec.jsonl")
    assert source_query("archive:?from=1&room_id=r1") == "from=1&room_id=r1"
    assert source_query("archive:") == ""
    assert worker_url("127.0.0.1:6066") == "http://127.0.0.1:6066"
    assert worker_url("https://w.example/") == "https://w.example"
