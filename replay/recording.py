"""Recordings: JSONL, one record a line, either a kcat -J envelope or a bare contract record.

kcat -J envelope: {"topic", "partition", "offset", "tstype", "ts", "key", "payload", "headers"}
with ``payload`` the record's value as a string. A bare record is the contract object itself with
a ``topic`` field naming its topic, with or without the prefix. Lines are used in file order.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from topics.names import INPUT_TOPICS, strip_prefix
from topics.records import KEY_FIELDS


@dataclass(slots=True)
class RecordedMessage:
    line_no: int
    topic: str  # unprefixed
    key: bytes | None
    value: bytes
    ts_ms: int | None = None
    headers: list[tuple[str, bytes]] = field(default_factory=list)


class RecordingError(ValueError):
    pass


def open_source(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else Path(path).open("rb")


def read_recording(stream: IO[bytes], prefix: str = "livewatch.") -> Iterator[RecordedMessage | RecordingError]:
    """Yield each line as a message, or a RecordingError for a line that names no usable topic."""
    for line_no, line in enumerate(stream, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield RecordingError(f"line {line_no}: bad JSON: {exc}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("topic"), str):
            yield RecordingError(f"line {line_no}: no 'topic' field")
            continue
        topic = strip_prefix(obj["topic"], prefix)
        if topic not in INPUT_TOPICS:
            yield RecordingError(f"line {line_no}: unknown topic {obj['topic']!r}")
            continue
        if "payload" in obj:  # kcat -J envelope
            yield _from_envelope(line_no, topic, obj)
        else:
            yield _from_bare(line_no, topic, obj)


def _as_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8")
    return orjson.dumps(value)


def _from_envelope(line_no: int, topic: str, obj: dict[str, Any]) -> RecordedMessage:
    headers = obj.get("headers") or []
    if isinstance(headers, dict):
        pairs = list(headers.items())
    else:  # kcat writes a flat [name, value, name, value, ...] list
        pairs = list(zip(headers[0::2], headers[1::2], strict=False))
    ts = obj.get("ts")
    return RecordedMessage(
        line_no=line_no, topic=topic, key=_as_bytes(obj.get("key")), value=_as_bytes(obj["payload"]) or b"",
        ts_ms=ts if isinstance(ts, int) and ts > 0 else None,
        headers=[(str(k), _as_bytes(v) or b"") for k, v in pairs],
    )


def _from_bare(line_no: int, topic: str, obj: dict[str, Any]) -> RecordedMessage:
    record = {k: v for k, v in obj.items() if k != "topic"}
    key_field = KEY_FIELDS.get(topic)
    key = record.get(key_field) if key_field else None
    return RecordedMessage(line_no=line_no, topic=topic, key=_as_bytes(key) if key is not None else None,
                           value=orjson.dumps(record))


def envelope(topic: str, key: bytes | None, value: bytes, ts_ms: int | None, partition: int = -1,
             offset: int = -1, headers: list[tuple[str, bytes]] | None = None) -> dict[str, Any]:
    """A kcat -J compatible line (what `livewatch record` writes)."""
    flat: list[str] = []
    for name, val in headers or ():
        flat += [name, val.decode("utf-8", "replace")]
    return {
        "topic": topic, "partition": partition, "offset": offset, "tstype": "create",
        "ts": ts_ms if ts_ms is not None else -1,
        "broker": -1, "headers": flat,
        "key": key.decode("utf-8", "replace") if key is not None else None,
        "payload": value.decode("utf-8", "replace"),
    }
