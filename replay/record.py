"""`livewatch record`: capture the input topics into a JSONL recording (kcat -J envelopes).

Each line keeps what a faithful replay needs: topic, partition, offset, timestamp, key, headers and
the value as text (`replay.recording.envelope`); `livewatch replay FILE` publishes it again and
`livewatch scan FILE` runs it offline. Records that carry the replay header (a replay going through
the topics) are left out unless ``include_replays``: a recording is of the live stream.

Without ``from_beginning`` only records produced after the recorder started are kept. On tansu (the
embedded broker) the "latest" offset can be wrong (ListOffsets misreports multi-record batches, see
tests/e2e/test_tansu_quirks.py), so there the recorder reads from the start and drops records whose
timestamp is older than its own start instead.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

import orjson
from aiokafka import AIOKafkaConsumer

from replay.recording import envelope
from topics.names import INPUT_TOPICS, REPLAY_HEADER, parse_topic_list, strip_prefix


@dataclass
class RecordStats:
    records: int = 0
    skipped_replays: int = 0
    skipped_old: int = 0
    seconds: float = 0.0
    by_topic: dict[str, int] = field(default_factory=dict)


async def record(
    bootstrap: str,
    out: IO[bytes],
    *,
    prefix: str = "livewatch.",
    topics: list[str] | None = None,
    from_beginning: bool = False,
    max_records: int | None = None,
    idle_exit: float | None = None,
    include_replays: bool = False,
    tansu: bool | None = None,
    stop: asyncio.Event | None = None,
    on_record: Callable[[int], None] | None = None,
) -> RecordStats:
    """Append envelopes to ``out`` until ``max_records`` are written, nothing came for ``idle_exit``
    seconds, or ``stop`` is set."""
    names = [f"{prefix}{t}" for t in parse_topic_list(topics)]
    tansu = os.environ.get("LIVEWATCH_BROKER_KIND") == "tansu" if tansu is None else tansu
    read_all = from_beginning or tansu
    started_ms = int(time.time() * 1000)
    consumer = AIOKafkaConsumer(*names, bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest" if read_all else "latest")
    stats = RecordStats()
    began = time.monotonic()
    await consumer.start()
    try:
        last_seen = time.monotonic()
        while max_records is None or stats.records < max_records:
            if stop is not None and stop.is_set():
                break
            batch = await consumer.getmany(timeout_ms=200, max_records=1000)
            lines = []
            for tp in sorted(batch, key=lambda tp: (tp.topic, tp.partition)):
                for msg in batch[tp]:
                    if max_records is not None and stats.records + len(lines) >= max_records:
                        break
                    headers = [(k, bytes(v) if v is not None else b"") for k, v in (msg.headers or ())]
                    if not include_replays and any(k == REPLAY_HEADER for k, _ in headers):
                        stats.skipped_replays += 1
                        continue
                    if not from_beginning and msg.timestamp is not None and msg.timestamp < started_ms:
                        stats.skipped_old += 1  # before the recorder started (tansu: read from the start)
                        continue
                    topic = strip_prefix(msg.topic, prefix)
                    stats.by_topic[topic] = stats.by_topic.get(topic, 0) + 1
                    lines.append(orjson.dumps(envelope(msg.topic, msg.key, msg.value or b"", msg.timestamp,
                                                       msg.partition, msg.offset, headers)) + b"\n")
            if batch:
                last_seen = time.monotonic()
            if lines:
                out.write(b"".join(lines))
                out.flush()
                stats.records += len(lines)
                if on_record is not None:
                    on_record(len(lines))
            elif idle_exit is not None and time.monotonic() - last_seen >= idle_exit:
                break
    finally:
        await consumer.stop()
        stats.seconds = time.monotonic() - began
    return stats


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The `livewatch record` options (streams.cli mounts them)."""
    p.add_argument("--out", required=True, help="JSONL file to write (- for standard output)")
    p.add_argument("--topics", nargs="+", default=None, metavar="TOPIC",
                   help=f"input topics to record (default all: {' '.join(INPUT_TOPICS)})")
    p.add_argument("--from-beginning", action="store_true", help="start at each topic's first record")
    p.add_argument("--max-records", type=int, default=None, help="stop after this many records")
    p.add_argument("--idle-exit", type=float, default=None, metavar="SECONDS",
                   help="stop when nothing arrived for this many seconds")
    p.add_argument("--include-replays", action="store_true",
                   help="also record replayed records (those with the livewatch-replay header)")
    p.add_argument("--append", action="store_true", help="append to --out instead of replacing it")


def run_record(args: argparse.Namespace) -> int:
    from streams.settings import Settings

    settings = Settings.from_env()
    if not settings.kafka:
        print("livewatch record needs LIVEWATCH_KAFKA (the broker to record from)", file=sys.stderr)
        return 2
    try:
        topics = parse_topic_list(args.topics)
    except ValueError as exc:
        print(f"livewatch record: {exc}", file=sys.stderr)
        return 2

    async def main(out: IO[bytes]) -> RecordStats:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        return await record(settings.kafka or "", out, prefix=settings.topic_prefix, topics=topics,
                            from_beginning=args.from_beginning, max_records=args.max_records,
                            idle_exit=args.idle_exit, include_replays=args.include_replays, stop=stop)

    print(f"recording {', '.join(topics)} to {args.out} (Ctrl-C to stop)", file=sys.stderr)
    if args.out == "-":
        stats = asyncio.run(main(sys.stdout.buffer))
    else:
        with open(args.out, "ab" if args.append else "wb") as out:
            stats = asyncio.run(main(out))
    detail = ", ".join(f"{t} {n}" for t, n in sorted(stats.by_topic.items())) or "nothing"
    print(f"recorded {stats.records} records in {stats.seconds:.1f}s ({detail})"
          + (f"; {stats.skipped_replays} replayed records left out" if stats.skipped_replays else ""),
          file=sys.stderr)
    return 0
