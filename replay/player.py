"""Publishing a recording into the contract topics: at the original pace, scaled, or flat out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from replay.recording import RecordedMessage
from topics.records import decode_json
from topics.timestamps import to_epoch_ms

REPLAY_HEADER = "livewatch-replay"


@dataclass
class PublishStats:
    records: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def event_time_ms(message: RecordedMessage) -> int | None:
    """When the record happened: its own ``ts`` field, else the envelope's timestamp."""
    try:
        obj = decode_json(message.value)
        if obj.get("ts") is not None:
            return to_epoch_ms(obj["ts"])
    except ValueError:
        pass
    return message.ts_ms


async def publish(
    messages: Iterable[RecordedMessage],
    bootstrap: str,
    *,
    prefix: str = "livewatch.",
    speed: float | None = None,
    replay_id: str = "",
    on_progress: Callable[[int], None] | None = None,
    producer_options: dict | None = None,
) -> PublishStats:
    """Send every message, keyed as recorded; ``speed`` None or 0 means as fast as possible."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=4 * 1024 * 1024,
                                **(producer_options or {}))
    await producer.start()
    stats = PublishStats()
    started = time.monotonic()
    first_ts: int | None = None
    try:
        for message in messages:
            if speed:
                ts = event_time_ms(message)
                if ts is not None:
                    first_ts = ts if first_ts is None else first_ts
                    due = started + (ts - first_ts) / 1000 / speed
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)  # pacing to the recording's clock, not synchronisation
            headers = list(message.headers)
            if replay_id:
                headers = [h for h in headers if h[0] != REPLAY_HEADER] + [(REPLAY_HEADER, replay_id.encode())]
            await producer.send(f"{prefix}{message.topic}", message.value, key=message.key,
                                headers=headers or None)
            stats.records += 1
            if on_progress is not None:
                on_progress(1)
        await producer.flush()
    finally:
        await producer.stop()
    stats.seconds = time.monotonic() - started
    return stats
