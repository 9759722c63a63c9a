"""Records as plain dicts: the rules accept either a dict or a faust Record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_dict(rec: Any) -> dict[str, Any]:
    """A shallow plain-dict copy of a mapping or a faust Record (``asdict``)."""
    if isinstance(rec, Mapping):
        return dict(rec)
    if hasattr(rec, "asdict"):
        return dict(rec.asdict())
    raise TypeError(f"expected a mapping or a faust Record, got {type(rec).__name__}")
