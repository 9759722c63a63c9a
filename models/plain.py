"""Records as plain dicts: the rules accept either a dict or a faust Record; JSONL files as lists of dicts."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson


def read_jsonl(path: Path | str) -> list[dict[str, Any]]:
    """Every non-blank line of a JSONL file, parsed."""
    with open(path, "rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


def as_dict(rec: Any) -> dict[str, Any]:
    """A shallow plain-dict copy of a mapping or a faust Record (``asdict``)."""
    if isinstance(rec, Mapping):
        return dict(rec)
    if hasattr(rec, "asdict"):
        return dict(rec.asdict())
    raise TypeError(f"expected a mapping or a faust Record, got {type(rec).__name__}")
