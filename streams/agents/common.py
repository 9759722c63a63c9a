"""What both agents share: the detector and sink of this worker, and per-event bookkeeping."""

from __future__ import annotations

import contextlib
import logging
import time
import weakref
from collections.abc import Iterator
from functools import cache
from typing import Any

from faust.streams import _current_event  # faust's own "event being processed" slot
from faust.types import EventT

from models.alert import Alert
from models.detector import Detector
from models.monitor import Monitor
from streams.app import app, settings
from streams.archive import ArchiveBatch, archive_row
from streams.clickhouse import connect, ensure_schema
from streams.deadletter import deadletter_record
from streams.feed import AlertFeed
from streams.sink import AlertSink
from topics.names import ALERTS, DEADLETTER, strip_prefix
from topics.records import InvalidRecord, parse_record

log = logging.getLogger(__name__)

REPLAY_HEADER = "livewatch-replay"

feed = AlertFeed()
alerts_topic = app.topic(settings.topic(ALERTS), key_serializer="raw", value_serializer="raw")
deadletter_topic = app.topic(settings.topic(DEADLETTER), key_serializer="raw", value_serializer="raw")


async def _send(topic: str, key: bytes, value: bytes) -> Any:
    target = alerts_topic if topic == alerts_topic.get_topic_name() else deadletter_topic
    return await target.send(key=key, value=value)


sink = AlertSink(
    lambda: connect(settings.clickhouse), _send,
    alerts_topic=alerts_topic.get_topic_name(), deadletter_topic=deadletter_topic.get_topic_name(),
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
