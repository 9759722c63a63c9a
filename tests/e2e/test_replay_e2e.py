"""End to end: `livewatch record`, `livewatch replay` (file and archive: sources) and the archive API.

Real tansu broker, real worker processes (four starts in this file), chdb ClickHouse read through
the worker's API. The worker runs with GET /api/archive mounted (tests/e2e/_worker_with_archive.py).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import orjson
import pytest
from conftest import REPO, Stack, Worker, wait_for

from replay.identity import replay_id_for
from replay.recording import RecordingError, read_recording
from replay.scan import scan

pytestmark = pytest.mark.e2e

SAMPLE = REPO / "replay" / "data" / "sample_recording.jsonl"
T0 = 1795349703120  # 2026-11-22T20:15:03.120+08:00


class ArchiveWorker(Worker):
    """A `livewatch worker`, with a helper for its archive endpoint."""

    def archive(self, **params: str) -> bytes:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/archive?{query}", timeout=30) as resp:
            assert resp.headers["Content-Type"].startswith("application/x-ndjson")
            return resp.read()


def start_worker(stack: Stack) -> ArchiveWorker:
    worker = ArchiveWorker(stack, "w1")
    stack.workers.append(worker)
    return worker.start()


def livewatch(stack: Stack, *args: str, worker: Worker | None = None, timeout: float = 180
              ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **stack.env}
    if worker is not None:
        env["LIVEWATCH_WEB"] = f"127.0.0.1:{worker.port}"
    result = subprocess.run([sys.executable, "-m", "streams.cli", *args], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"livewatch {' '.join(args)} failed:\n{result.stderr}"
    return result


def replay(stack: Stack, worker: Worker, source: str, *options: str) -> str:
    """Replay ``source`` with the CLI; returns the replay id it printed."""
    result = livewatch(stack, "replay", source, "--no-progress", *options, worker=worker)
    return result.stdout.strip()


def identity(alert: dict) -> tuple:
    return alert["alert_id"], alert["kind"], alert["rule"], alert["evidence"], alert["event_id"]


def room_records(room: str, host: str, texts: list[str], *, blacklisted: bool = False) -> dict[str, list]:
    """A small session: start, host speech one second apart, then two cards (one not on the list)."""
    sid = f"{room}-s1"
    base = {"platform": "douyin", "room_id": room, "session_id": sid, "host_id": host}
    sessions = [{**base, "event_id": f"ev-{room}-start", "status": "start", "ts": T0,
                 "host_name": "坏主播" if blacklisted else "林小美"}]
    transcripts = [{**base, "event_id": f"ev-{room}-t{i}", "seq": i, "ts": T0 + i * 1000, "text": text}
                   for i, text in enumerate(texts, start=1)]
    cards = [{**base, "event_id": f"ev-{room}-c1", "ts": T0 + 60_000, "product_id": "p-mask",
              "title": "玻尿酸补水面膜 10片", "brand": "润百颜", "category": "化妆品"},
             {**base, "event_id": f"ev-{room}-c2", "ts": T0 + 61_000, "product_id": "p-cream",
              "title": "美白淡斑霜 30g", "brand": "某某", "category": "化妆品"}]
    return {"sessions": sessions, "transcripts": transcripts, "product_cards": cards}


SELECTION = {"host_id": "h-lin", "version": 1, "valid_from": "2026-11-01T00:00:00+08:00", "products": [
    {"product_id": "p-mask", "title": "玻尿酸补水面膜 10片", "brand": "润百颜", "category": "化妆品"}]}
BLACKLISTED = {"subject_id": "h-bad", "subject_type": "host", "op": "add", "reason": "虚假宣传被处罚",
               "ts": "2026-10-01T00:00:00+08:00"}


def produce_live(stack: Stack, worker: Worker) -> list[dict]:
    """Registry, then two rooms, stage by stage (each applied before the next): the live alerts."""
    stack.produce("selections", [SELECTION])
    stack.produce("blacklist", [BLACKLISTED])
    wait_for(lambda: worker.get("/api/hosts/h-lin").get("registry", {}).get("selection")
             and worker.get("/api/hosts/h-bad").get("registry", {}).get("blacklist"), 30, "registry applied")
    lin = room_records("r-lin", "h-lin", ["欢迎来到直播间", "这款面膜是全网最低价，错过就没了"])
    bad = room_records("r-bad", "h-bad", ["家人们好", "喝了七天瘦十斤"], blacklisted=True)
    stack.produce("sessions", lin["sessions"] + bad["sessions"])
    wait_for(lambda: worker.alerts(kind="blacklisted_host"), 30, "blacklist alert of the session start")
    stack.produce("transcripts", lin["transcripts"] + bad["transcripts"])
    wait_for(lambda: worker.alerts(event_id="ev-r-lin-t2"), 30, "false advertising alert")
    stack.produce("product_cards", lin["product_cards"])
    wait_for(lambda: worker.alerts(event_id="ev-r-lin-c2"), 30, "unlisted product alert")
    time.sleep(0.5)  # anything else of the last batch
    return worker.alerts()


def test_record_captures_what_was_produced(stack: Stack, tmp_path: Path) -> None:
    """No worker: `livewatch record` on the broker, then read_recording gives the records back."""
    before = room_records("r-rec", "h-rec", ["录制之前的一句话"])
    stack.produce("transcripts", before["transcripts"])  # also creates the topics
    out = tmp_path / "recording.jsonl"
    env = {**os.environ, **stack.env}
    recorder = subprocess.Popen([sys.executable, "-m", "streams.cli", "record", "--out", str(out),
                                 "--idle-exit", "4"], env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
    while "recording" not in (line := recorder.stderr.readline()):
        assert line, "the recorder exited before it started"
    time.sleep(1.5)
    records = room_records("r-rec", "h-rec", ["第一句", "第二句：全网最低价"])
    stack.produce("sessions", records["sessions"], headers=[("trace", b"abc-1")])
    stack.produce("transcripts", records["transcripts"])
    stack.produce("product_cards", records["product_cards"])
    stack.produce("selections", [SELECTION])
    stack.produce("transcripts", records["transcripts"][:1], headers=[("livewatch-replay", b"rp-x")])
    _, err = recorder.communicate(timeout=60)
    assert recorder.returncode == 0, err
    assert "1 replayed records left out" in err

    got = [m for m in read_recording(out.open("rb"), stack.prefix)]
    assert not any(isinstance(m, RecordingError) for m in got)
    produced = [(topic, r) for topic, rs in records.items() for r in rs] + [("selections", SELECTION)]
    key_field = {"sessions": "room_id", "transcripts": "room_id", "product_cards": "room_id",
                 "selections": "host_id"}
    want = sorted((t, r[key_field[t]].encode(), orjson.dumps(r)) for t, r in produced)
    assert sorted((m.topic, m.key, m.value) for m in got) == want  # nothing from before the start
    session = next(m for m in got if m.topic == "sessions")
    assert session.headers == [("trace", b"abc-1")] and session.ts_ms and session.ts_ms > T0
    envelopes = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert all(e["topic"].startswith(stack.prefix) and e["partition"] >= 0 and e["offset"] >= 0
               for e in envelopes)
    # Per partition, the offsets are Kafka's (consecutive as produced, in order).
    transcripts = sorted((e["partition"], e["offset"]) for e in envelopes
                         if e["topic"].endswith("transcripts"))
    assert len(set(transcripts)) == 2

    # --from-beginning with --max-records: the oldest records, including the one before the start.
    first = tmp_path / "first.jsonl"
    livewatch(stack, "record", "--out", str(first), "--from-beginning", "--topics", "transcripts",
              "--max-records", "2", "--idle-exit", "5")
    texts = {orjson.loads(m.value)["text"] for m in read_recording(first.open("rb"), stack.prefix)}
    assert len(texts) == 2 and "录制之前的一句话" in texts


def test_scan_and_replay_raise_the_same_alerts(stack: Stack) -> None:
    worker = start_worker(stack)
    content = SAMPLE.read_bytes()
    replay_id = replay_id_for(content)
    out = io.BytesIO()
    stats = scan(io.BytesIO(content), out, replay_id=replay_id, partitions=4, prefix=stack.prefix,
                 errors=io.StringIO())
    expected = {identity(orjson.loads(line)) for line in out.getvalue().splitlines()}
    assert stats.alerts == len(expected) > 20
    assert {a[1] for a in expected} >= {"false_advertising", "unlisted_product", "blacklisted_host",
                                        "ccc_invalid"}

    assert replay(stack, worker, str(SAMPLE), "--strict", "--wait") == replay_id
    got = wait_for(lambda: (a := worker.alerts(replay_id=replay_id)) and len(a) >= len(expected) and a,
                   60, f"{len(expected)} replay alerts")
    got_ids = {identity(a) for a in got}
    assert got_ids == expected, (sorted(expected - got_ids), sorted(got_ids - expected))
    assert all(a["replay_id"] == replay_id for a in got)


def test_replaying_twice_gives_the_same_alert_ids_once(stack: Stack) -> None:
    worker = start_worker(stack)
    replay_id = replay(stack, worker, str(SAMPLE), "--strict", "--wait")
    first = wait_for(lambda: (a := worker.alerts(replay_id=replay_id)) and len(a) > 20 and a, 60,
                     "first replay")
    time.sleep(1)
    first = worker.alerts(replay_id=replay_id)
    assert replay(stack, worker, str(SAMPLE), "--strict", "--wait") == replay_id
    time.sleep(1)
    body = worker.get("/api/alerts", replay_id=replay_id, limit=1000)
    second = body["alerts"]
    ids = [a["alert_id"] for a in second]
    assert len(ids) == len(set(ids)) == body["total"]  # one row per alert id (FINAL)
    assert set(ids) == {a["alert_id"] for a in first}
    # The archive too: the second replay's records collapsed onto the first's.
    lines = worker.archive(replay_id=replay_id, topics="transcripts").splitlines()
    valid = [m for m in read_recording(SAMPLE.open("rb")) if not isinstance(m, RecordingError)
             and m.topic == "transcripts"]
    assert len(lines) == len(valid) - 2  # the sample has two unusable transcripts (dead letters)


def test_replay_alerts_stay_out_of_the_live_list(stack: Stack, tmp_path: Path) -> None:
    worker = start_worker(stack)
    live = produce_live(stack, worker)
    assert live and all(a["replay_id"] == "" for a in live)

    # The same records again, as a replay: same events, their own alert ids.
    lin = room_records("r-lin", "h-lin", ["欢迎来到直播间", "这款面膜是全网最低价，错过就没了"])
    recording = tmp_path / "again.jsonl"
    lines = [{"topic": "selections", **SELECTION}] + [{"topic": t, **r} for t, rs in lin.items() for r in rs]
    recording.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    replay_id = replay(stack, worker, str(recording), "--registry-first", "--strict", "--wait")
    assert replay_id == replay_id_for(recording.read_bytes())
    replayed = wait_for(lambda: (a := worker.alerts(replay_id=replay_id)) and len(a) >= 2 and a, 30,
                        "replay alerts")
    assert all(a["replay_id"] == replay_id for a in replayed)
    live_lin = [a for a in live if a["room_id"] == "r-lin"]
    assert sorted((a["kind"], a["event_id"], a["evidence"]) for a in replayed) == sorted(
        (a["kind"], a["event_id"], a["evidence"]) for a in live_lin)
    assert not {a["alert_id"] for a in replayed} & {a["alert_id"] for a in live}

    # And the sample, a bigger replay: the live list does not change.
    sample_id = replay(stack, worker, str(SAMPLE), "--registry-first", "--wait")
    wait_for(lambda: len(worker.alerts(replay_id=sample_id)) > 20, 60, "sample replay alerts")
    assert sorted(a["alert_id"] for a in worker.alerts()) == sorted(a["alert_id"] for a in live)
    assert worker.get("/api/alerts", limit=1)["total"] == len(live)
    everything = worker.alerts(replay_id="*")
    assert {a["replay_id"] for a in everything} == {"", replay_id, sample_id}


def test_archive_round_trip_replays_a_room(stack: Stack, tmp_path: Path) -> None:
    worker = start_worker(stack)
    live = produce_live(stack, worker)
    live_lin = [a for a in live if a["room_id"] == "r-lin"]
    assert {a["kind"] for a in live_lin} == {"false_advertising", "unlisted_product"}

    # The archive of one room: its events plus the whole registry, in time order, as envelopes.
    content = worker.archive(room_id="r-lin")
    envelopes = [orjson.loads(line) for line in content.splitlines()]
    topics = [e["topic"].removeprefix(stack.prefix) for e in envelopes]
    assert sorted(topics) == ["blacklist", "product_cards", "product_cards", "selections", "sessions",
                              "transcripts", "transcripts"]
    assert [e["ts"] for e in envelopes] == sorted(e["ts"] for e in envelopes)
    room = [e for e in envelopes if e["topic"].endswith(("sessions", "transcripts", "product_cards"))]
    assert all(orjson.loads(e["payload"])["room_id"] == "r-lin" and e["key"] == "r-lin" for e in room)
    assert worker.archive(room_id="r-lin") == content  # same query, same bytes: same replay id
    # Filters: a window, a platform with nothing in it, topics; bad parameters are a 400.
    window = worker.archive(room_id="r-lin", topics="transcripts", **{"from": str(T0 + 1500),
                                                                     "to": "2026-11-22T20:16:03.120+08:00"})
    assert [orjson.loads(orjson.loads(x)["payload"])["seq"] for x in window.splitlines()] == [2]
    assert worker.archive(platform="kuaishou", topics="sessions,transcripts") == b""
    assert worker.archive(room_id="r-lin", replay_id="rp-nothing") == b""
    with pytest.raises(urllib.error.HTTPError) as bad:
        worker.archive(topics="nope")
    assert bad.value.code == 400

    saved = tmp_path / "archive.jsonl"
    replay_id = replay(stack, worker, "archive:?room_id=r-lin", "--strict", "--wait", "--save", str(saved))
    assert saved.read_bytes() == content and replay_id == replay_id_for(content)
    replayed = wait_for(lambda: (a := worker.alerts(replay_id=replay_id)) and len(a) >= len(live_lin) and a,
                        60, "alerts of the archive replay")
    assert sorted((a["kind"], a["rule"], a["evidence"], a["event_id"]) for a in replayed) == sorted(
        (a["kind"], a["rule"], a["evidence"], a["event_id"]) for a in live_lin)
    assert all(a["replay_id"] == replay_id for a in replayed)
    assert sorted(a["alert_id"] for a in worker.alerts()) == sorted(a["alert_id"] for a in live)
