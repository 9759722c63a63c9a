"""Rows of the input archive (deploy/clickhouse/archive.sql): every valid input record, replayable."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from clickhouse_connect.driver.client import Client

from topics.names import PRODUCT_CARDS, SESSIONS, TRANSCRIPTS
from topics.records import KEY_FIELDS
from topics.timestamps import ms_to_datetime

_ROOM = ("event_id", "platform", "room_id", "session_id", "host_id", "ts")
_TAIL = ("replay_id", "kafka_partition", "kafka_offset", "payload")
COLUMNS: dict[str, tuple[str, ...]] = {
    SESSIONS: _ROOM + ("status",) + _TAIL,
    TRANSCRIPTS: _ROOM + ("seq", "text") + _TAIL,
    PRODUCT_CARDS: _ROOM + ("product_id", "title") + _TAIL,
}
_REGISTRY = ("record_key", "ts") + _TAIL
_EXTRA = {SESSIONS: ("status",), TRANSCRIPTS: ("seq", "text"), PRODUCT_CARDS: ("product_id", "title")}


def columns(topic: str) -> tuple[str, ...]:
    return COLUMNS.get(topic, _REGISTRY)


def archive_row(topic: str, rec: Any, raw: bytes, partition: int, offset: int, replay_id: str,
                fallback_ts_ms: int) -> list[Any]:
    payload = raw.decode("utf-8")
    tail = [replay_id, partition, max(offset, 0), payload]
    if topic in COLUMNS:
        head = [rec.event_id, rec.platform, rec.room_id, rec.session_id, rec.host_id, ms_to_datetime(rec.ts_ms)]
        return head + [getattr(rec, f) for f in _EXTRA[topic]] + tail
    ts_ms = getattr(rec, "ts_ms", None) or getattr(rec, "valid_from_ms", None) or fallback_ts_ms
    key_field = KEY_FIELDS.get(topic)
    key = str(getattr(rec, key_field)) if key_field else str(getattr(rec, "entry", {}).get("id", ""))
    return [key, ms_to_datetime(ts_ms)] + tail


class ArchiveBatch:
    def __init__(self) -> None:
        self.rows: dict[str, list[list[Any]]] = defaultdict(list)

    def add(self, topic: str, row: list[Any]) -> None:
        self.rows[topic].append(row)

    def __len__(self) -> int:
        return sum(len(r) for r in self.rows.values())

    def insert(self, client: Client) -> None:
        for topic, rows in self.rows.items():
            client.insert(f"archive_{topic}", rows, column_names=columns(topic))
