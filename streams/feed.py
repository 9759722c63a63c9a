"""In-process fan-out of alerts to live subscribers (the web page's server-sent events)."""

from __future__ import annotations

import asyncio
from typing import Any

# A slow browser must not hold the pipeline back: its queue drops the oldest alert instead.
SUBSCRIBER_QUEUE = 1000


class AlertFeed:
    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(SUBSCRIBER_QUEUE)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._subscribers.discard(queue)

    def publish(self, alert: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(alert)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)
