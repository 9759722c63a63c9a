"""`livewatch scan`: a recording through the same rules engine as the worker, with no Kafka."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import IO

import orjson

from models.detector import Detector
from models.fuzzy import canonical_category
from models.monitor import Monitor
from replay.identity import partition_for
from replay.recording import RecordingError, read_recording
from topics.records import InvalidRecord, parse_record
from topics.timestamps import TimestampError


@dataclass
class ScanStats:
    records: int = 0
    alerts: int = 0
    dead: int = 0


def scan(source: IO[bytes], out: IO[bytes], *, replay_id: str = "", partitions: int = 4,
         prefix: str = "livewatch.", detector: Detector | None = None, now_ms: int | None = None,
         errors: IO[str] | None = None) -> ScanStats:
    """Write one contract alert JSON per line to ``out``; unusable lines are reported to ``errors``."""
    errors = errors if errors is not None else sys.stderr
    current: dict[str, int] = {"partition": 0}
    monitor = Monitor(
        detector or Detector.default(), replay_id=replay_id,
        # The worker keeps one price sketch per (partition, category); so does the scan.
        price_scope=lambda rec: f"{current['partition']}|{canonical_category(rec.category)}",
    )
    stats = ScanStats()
    for item in read_recording(source, prefix):
        if isinstance(item, RecordingError):
            stats.dead += 1
            print(f"skipped: {item}", file=errors)
            continue
        stats.records += 1
        try:
            record = parse_record(item.topic, item.value)
        except InvalidRecord as exc:
            stats.dead += 1
            print(f"dead letter: line {item.line_no} ({item.topic}): {exc}", file=errors)
            continue
        current["partition"] = partition_for(item.key, partitions)
        try:
            found = monitor.handle(item.topic, record, now_ms if now_ms is not None else int(time.time() * 1000))
        except (ValueError, TimestampError) as exc:
            stats.dead += 1
            print(f"dead letter: line {item.line_no} ({item.topic}): processing error: {exc}", file=errors)
            continue
        for alert in found:
            out.write(orjson.dumps(alert.to_contract()) + b"\n")
        stats.alerts += len(found)
    out.flush()
    return stats

