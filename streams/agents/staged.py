"""Table writes held back until the batch's alerts are safe (the checkpoint), then applied.

A room's state records which once-per-session alerts were raised. If that reached the changelog
before the alert reached ClickHouse, a crash in between (or a restart during a ClickHouse outage)
would redeliver the events against state that says "already alerted", and the alert would be lost.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from faust.streams import current_event
from faust.types import EventT

_MISSING = object()


class StagedTable(MutableMapping[str, Any]):
    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table
        self._staged: dict[str, tuple[Any, EventT | None]] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._staged:
            value = self._staged[key][0]
            if value is _MISSING:
                raise KeyError(key)
            return value
        return self.table[key]

    def get(self, key: str, default: Any = None) -> Any:
        try:
            value = self[key]
        except KeyError:
            return default
        return default if value is None else value

    def __setitem__(self, key: str, value: Any) -> None:
        self._staged[key] = (value, current_event())

    def __delitem__(self, key: str) -> None:
        self._staged[key] = (_MISSING, current_event())

    def pop(self, key: str, default: Any = None) -> Any:
        value = self.get(key, default)
        del self[key]
        return value

    def __iter__(self) -> Iterator[str]:
        keys = {k for k, (v, _) in self._staged.items() if v is not _MISSING}
        keys |= {k for k in self.table if k not in self._staged}
        return iter(keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def commit(self, event_context: Any) -> None:
        """Apply staged writes, each under the event that made it (its changelog partition)."""
        for key, (value, event) in self._staged.items():
            with event_context(event):
                if value is _MISSING:
                    self.table.pop(key, None)
                else:
                    self.table[key] = value
        self._staged.clear()
