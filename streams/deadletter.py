"""Dead-letter records: the original bytes of an unusable input record, where it came from, why."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

# Keep a dead-letter record under the broker's 1 MiB default even when the original was larger.
MAX_KEPT_BYTES = 512 * 1024


def deadletter_record(
    raw: bytes | None, *, topic: str, partition: int, offset: int, error: str, key: bytes | None = None,
    timestamp_ms: int | None = None,
) -> dict[str, Any]:
    raw = raw or b""
    kept = raw[:MAX_KEPT_BYTES]
    record: dict[str, Any] = {
        "source_topic": topic,
        "partition": partition,
        "offset": offset,
        "error": error,
        "size": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "truncated": len(raw) > MAX_KEPT_BYTES,
        "timestamp": timestamp_ms,
    }
    try:
        record["value"] = kept.decode("utf-8")
        record["encoding"] = "text"
    except UnicodeDecodeError:
        record["value"] = base64.b64encode(kept).decode("ascii")
        record["encoding"] = "base64"
    if key is not None:
        try:
            record["key"] = key.decode("utf-8")
        except UnicodeDecodeError:
            record["key"] = base64.b64encode(key).decode("ascii")
    return record
