"""What both agents share: the detector and sink of this worker, and per-event bookkeeping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Iterator
from functools import cache
from typing import Any

from aiokafka import AIOKafkaProducer
from faust.streams import _current_event  # faust's own "event being processed" slot
from faust.types import EventT
from mode import Service

from models.alert import Alert
from models.detector import Detector
from models.monitor import Monitor
from streams.app import app, settings
from streams.archive import ArchiveBatch, archive_row
from streams.clickhouse import connect, ensure_schema
from streams.deadletter import deadletter_record
from streams.feed import AlertFeed
from streams.sink import AlertSink
from topics.names import ALERTS, DEADLETTER, REPLAY_HEADER, strip_prefix
from topics.records import InvalidRecord, parse_record

log = logging.getLogger(__name__)

feed = AlertFeed()


class OutputProducer(Service):
    """Producer for the alerts and dead-letter topics, batching normally.

    The app's own producer writes one record a batch on tansu (see streams/app.py) for the sake
    of table changelogs; output topics have no such need, and one-record batches cost 5x here.
    """

    producer: AIOKafkaProducer | None = None
    _lock: asyncio.Lock | None = None

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self.producer is None:  # first use may come before faust starts its extra services
            self._lock = self._lock or asyncio.Lock()
            async with self._lock:
                if self.producer is None:
                    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka or "127.0.0.1:9092",
                                                linger_ms=2, acks="all", max_request_size=4 * 1024 * 1024)
                    await producer.start()
                    self.producer = producer
        return self.producer

    async def on_stop(self) -> None:
        if self.producer is not None:
            await self.producer.flush()
            await self.producer.stop()

    async def send(self, topic: str, key: bytes, value: bytes) -> Any:
        return await (await self._ensure_producer()).send(topic, value, key=key)


output = OutputProducer()
app.service(output)  # stopped (and flushed) with the app


sink = AlertSink(
    lambda: connect(settings.clickhouse), output.send,
    alerts_topic=settings.topic(ALERTS), deadletter_topic=settings.topic(DEADLETTER),
    feed=feed,
    on_connect=lambda client: ensure_schema(client, settings.alert_ttl_days, settings.archive_ttl_days),
)


@cache
def detector() -> Detector:
    return Detector.default()


@contextlib.contextmanager
def event_context(event: EventT | None) -> Iterator[None]:
    """Make ``event`` faust's current event, so table writes go to its partition's changelog.

    Inside ``take_events`` batches faust no longer tracks which event the agent is handling.
    """
    token = _current_event.set(weakref.ref(event) if event is not None else None)
    try:
        yield
    finally:
        _current_event.reset(token)


def replay_id_of(event: EventT) -> str:
    headers = event.message.headers or ()
    items = headers.items() if isinstance(headers, dict) else headers
    for name, value in items:
        if name == REPLAY_HEADER:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return ""


def process_events(events: list[EventT], monitor: Monitor
                   ) -> tuple[list[Alert], list[dict[str, Any]], ArchiveBatch]:
    """Run one batch through the rules engine; unusable records become dead letters."""
    alerts: list[Alert] = []
    dead: list[dict[str, Any]] = []
    archive = ArchiveBatch()
    now_ms = int(time.time() * 1000)
    for event in events:
        message = event.message
        topic = strip_prefix(message.topic, settings.topic_prefix)
        try:
            record = parse_record(topic, message.value)
        except InvalidRecord as exc:
            dead.append(_dead(message, str(exc)))
            continue
        except Exception as exc:  # a validator bug must not stop the agent either
            log.exception("parsing %s[%s]@%s failed", message.topic, message.partition, message.offset)
            dead.append(_dead(message, f"unusable record: {type(exc).__name__}: {exc}"))
            continue
        monitor.replay_id = replay_id_of(event)
        try:
            with event_context(event):
                alerts.extend(monitor.handle(topic, record, now_ms))
        except Exception as exc:  # one bad record must not stop the agent
            log.exception("processing %s[%s]@%s failed", message.topic, message.partition, message.offset)
            dead.append(_dead(message, f"processing error: {type(exc).__name__}: {exc}"))
            continue
        archive.add(topic, archive_row(topic, record, message.value, message.partition, message.offset,
                                       monitor.replay_id, now_ms))
    return alerts, dead, archive


def _dead(message: Any, error: str) -> dict[str, Any]:
    return deadletter_record(
        message.value, topic=message.topic, partition=message.partition, offset=message.offset,
        error=error, key=message.key if isinstance(message.key, bytes) else None,
        timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None,
    )
