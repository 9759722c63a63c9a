"""Publishing a recording into the contract topics: at the original pace, scaled, or flat out.

Ordering. Kafka keeps order only within one topic partition, and the worker reads the registry
topics and the three room topics as separate streams; so a recording published in one go may be
processed in another order than the file's (a transcript before its room's session start, a card
before the host's selection list). Two options ask for order where it matters:

- neither: everything in one go (fastest; what a live source would do).
- ``registry_first``: every registry record (selections, blacklist, certificates, lexicon) first;
  wait until the worker has applied them; then the room events.
- ``strict``: the recording is cut into waves, a new one whenever a record could otherwise
  overtake an earlier one (a registry record after room events or the reverse, or a second room
  topic for the same room); each wave is published once the previous one has been applied.
  The worker then sees the records in the file's order wherever that changes the outcome, which
  is what makes a replay raise exactly the alerts of ``livewatch scan --as-replay``. It costs a
  round trip to the worker per wave (at least its flush interval), so it suits small recordings.
- both: registry records first, then the room events in strict waves (archive downloads, where
  registry records sort by their business time rather than where they were in the stream).

"Applied" is checked by ``wait_applied`` (see replay.worker_api): the worker archives a batch only
after it has processed it, so a record's offset showing up in the archive means it was applied.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer

from replay.identity import partition_for
from replay.recording import RecordedMessage
from topics.names import REGISTRY_TOPICS, REPLAY_HEADER, ROOM_TOPICS
from topics.records import InvalidRecord, decode_json, parse_record
from topics.timestamps import TimestampError, to_epoch_ms

# (unprefixed topic, partition) -> offset of the last record the worker must have applied
Targets = dict[tuple[str, int], int]
WaitApplied = Callable[[Targets], Awaitable[None]]


@dataclass
class PublishStats:
    records: int = 0
    seconds: float = 0.0
    waves: int = 0
    waited: float = 0.0  # seconds spent waiting for the worker between waves

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def event_time_ms(message: RecordedMessage) -> int | None:
    """When the record happened in its room, for pacing: room events only.

    Registry records carry business times (when a host was blacklisted, when a certificate was
    issued: months before the stream), not the moment they were sent, so they are never paced.
    A room event's own ``ts`` field wins over the envelope's timestamp.
    """
    if message.topic not in ROOM_TOPICS:
        return None
    try:
        obj = decode_json(message.value)
        if obj.get("ts") is not None:
            return to_epoch_ms(obj["ts"])
    except (ValueError, TimestampError):
        pass
    return message.ts_ms


class Pacer:
    """Due times of paced records: ``speed`` times the recording's own pace (None/0: no pacing)."""

    def __init__(self, speed: float | None) -> None:
        self.speed = speed or None
        self.anchor: tuple[float, int] | None = None  # (monotonic time, event time) of the first paced record

    def due(self, ts_ms: int | None) -> float | None:
        if not self.speed or ts_ms is None:
            return None
        if self.anchor is None:
            self.anchor = (time.monotonic(), ts_ms)
            return None
        start, first = self.anchor
        return start + (ts_ms - first) / 1000 / self.speed

    def paced_seconds(self, messages: Iterable[RecordedMessage]) -> float:
        """How long the whole recording takes at this speed (0 when not paced)."""
        if not self.speed:
            return 0.0
        times = [t for t in (event_time_ms(m) for m in messages) if t is not None]
        if len(times) < 2:
            return 0.0
        return max(0.0, (max(times) - times[0]) / 1000 / self.speed)


def plan_waves(messages: list[RecordedMessage], partition_of: Callable[[RecordedMessage], int], *,
               registry_first: bool = False, strict: bool = False) -> list[list[RecordedMessage]]:
    """Cut the recording into waves that may be published without waiting (see module doc)."""
    if registry_first:
        registry = [m for m in messages if m.topic in REGISTRY_TOPICS]
        rooms = [m for m in messages if m.topic not in REGISTRY_TOPICS]
        return [w for w in [registry] if w] + plan_waves(rooms, partition_of, strict=strict)
    if not strict:
        return [messages] if messages else []
    waves: list[list[RecordedMessage]] = []
    current: list[RecordedMessage] = []
    current_registry = False
    topic_on: dict[Any, str] = {}  # room -> the room topic this wave already has for it
    for message in messages:
        registry = message.topic in REGISTRY_TOPICS
        room = None if registry else _room_of(message, partition_of)
        if current and (registry != current_registry
                        or (not registry and topic_on.get(room, message.topic) != message.topic)):
            waves.append(current)
            current, topic_on = [], {}
        current_registry = registry
        if not registry:
            topic_on[room] = message.topic
        current.append(message)
    if current:
        waves.append(current)
    return waves


def _room_of(message: RecordedMessage, partition_of: Callable[[RecordedMessage], int]) -> Any:
    """What a room event's order matters within: its room (the worker keeps room state per room; the
    only other room-side state, price sketches, is fed by one topic, whose order Kafka keeps)."""
    try:
        room = decode_json(message.value).get("room_id")
    except ValueError:
        room = None
    return ("room", str(room)) if room is not None else ("partition", partition_of(message))


def _usable(message: RecordedMessage) -> bool:
    """Whether the worker will archive this record (else it goes to the dead-letter topic)."""
    try:
        parse_record(message.topic, message.value)
    except (InvalidRecord, TimestampError, ValueError):
        return False
    return True


async def publish(
    messages: Iterable[RecordedMessage],
    bootstrap: str,
    *,
    prefix: str = "livewatch.",
    speed: float | None = None,
    replay_id: str = "",
    on_progress: Callable[[int], None] | None = None,
    producer_options: dict | None = None,
    registry_first: bool = False,
    strict: bool = False,
    wait_applied: WaitApplied | None = None,
    wait_at_end: bool = False,
    on_start: Callable[[Pacer], None] | None = None,
) -> PublishStats:
    """Send every message, keyed as recorded; ``speed`` None or 0 means as fast as possible.

    With ``registry_first``, ``strict`` or ``wait_at_end``, ``wait_applied`` is awaited with the
    offsets the worker must have applied before the next wave (and, with ``wait_at_end``, after
    the last one).
    """
    messages = list(messages)
    if (registry_first or strict or wait_at_end) and wait_applied is None:
        raise ValueError("registry_first, strict and wait_at_end need wait_applied (a worker to ask)")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_request_size=4 * 1024 * 1024,
                                **(producer_options or {}))
    await producer.start()
    stats = PublishStats()
    pacer = Pacer(speed)
    started = time.monotonic()
    try:
        counts: dict[str, int] = {}
        for topic in {m.topic for m in messages}:
            found = await producer.partitions_for(f"{prefix}{topic}")
            counts[topic] = len(found) if found else 1

        def partition_of(m: RecordedMessage) -> int:
            # Keyed: Kafka's default partitioner (what the producer would pick); keyless: partition 0,
            # as `livewatch scan` assumes.
            return partition_for(m.key, counts[m.topic])

        waves = plan_waves(messages, partition_of, registry_first=registry_first, strict=strict)
        if on_start is not None:
            on_start(pacer)
        for n, wave in enumerate(waves):
            sent: list[tuple[RecordedMessage, asyncio.Future]] = []
            for message in wave:
                due = pacer.due(event_time_ms(message))
                if due is not None:
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)  # pacing to the recording's clock, not synchronisation
                headers = list(message.headers)
                if replay_id:
                    headers = [h for h in headers if h[0] != REPLAY_HEADER]
                    headers.append((REPLAY_HEADER, replay_id.encode()))
                future = await producer.send(f"{prefix}{message.topic}", message.value, key=message.key,
                                             partition=partition_of(message), headers=headers or None)
                sent.append((message, future))
                stats.records += 1
                if on_progress is not None:
                    on_progress(1)
            await producer.flush()
            stats.waves += 1
            last = n == len(waves) - 1
            if wait_applied is not None and (wait_at_end if last else True):
                targets: Targets = {}
                for message, future in sent:
                    meta = await future
                    if _usable(message):
                        key = (message.topic, meta.partition)
                        targets[key] = max(targets.get(key, -1), meta.offset)
                waited = time.monotonic()
                await wait_applied(targets)
                stats.waited += time.monotonic() - waited
    finally:
        await producer.stop()
    stats.seconds = time.monotonic() - started
    return stats
