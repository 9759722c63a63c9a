"""Fixtures for the web tests: a real AlertFeed and the aiohttp app on a port (chdb: tests/conftest.py)."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from models.alert import Alert, make_alert_id
from streams.clickhouse import connect
from streams.feed import AlertFeed
from streams.web.server import create_web_app
from topics.timestamps import ms_to_datetime

_seq = itertools.count()


def make_alert(**overrides: Any) -> Alert:
    """A false-advertising alert on a transcript, a minute ago; any field can be overridden."""
    n = next(_seq)
    now = int(time.time() * 1000)
    values: dict[str, Any] = dict(
        kind="false_advertising", rule="absolute_claim", severity="high", platform="douyin",
        room_id="dy-r-100", session_id="dy-s-100", host_id="dy-h-linxm", event_id=f"ev-{n}",
        event_ts_ms=now - 60_000, detected_at_ms=now - 59_000, evidence="全网最低价",
        details={"start": 5, "end": 10, "field": "text", "category": "absolute_claim"},
        source_topic="transcripts", replay_id="",
    )
    values.update(overrides)
    values.setdefault("alert_id", make_alert_id("test", n, values["event_id"], values["replay_id"]))
    return Alert(**values)


@dataclass
class Settings:
    token: str | None = "s3cret"
    clickhouse: str = ""


@dataclass
class Web:
    client: TestClient
    feed: AlertFeed
    ch: Any
    published: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    registry_calls: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.client.make_url("/"))


@pytest.fixture
def web_factory(ch: Any, chdb_dsn: str) -> Callable[..., Any]:
    """Starts the app (real chdb, real feed): `async with web_factory(token=...) as web: ...`."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def start(token: str | None = "s3cret", with_publish: bool = True,
                    with_registry: bool = True, keepalive_seconds: float = 15.0,
                    client_factory: Callable[[], Any] | None = None) -> AsyncIterator[Web]:
        feed = AlertFeed()
        web: Web | None = None

        async def publish(kind: str, record: dict[str, Any]) -> None:
            assert web is not None
            web.published.append((kind, record))

        def registry(host_id: str) -> dict[str, Any]:
            assert web is not None
            web.registry_calls.append(host_id)
            return {"blacklisted": host_id == "dy-h-bad", "selection_version": 3}

        app = create_web_app(
            settings=Settings(token=token, clickhouse=chdb_dsn), feed=feed,
            client_factory=client_factory or (lambda: connect(chdb_dsn)), health=lambda: {"ready": True},
            registry=registry if with_registry else None, publish=publish if with_publish else None,
            keepalive_seconds=keepalive_seconds,
        )
        client = TestClient(TestServer(app))
        await client.start_server()
        web = Web(client=client, feed=feed, ch=ch)
        try:
            yield web
        finally:
            await client.close()

    return start


def archive_segments(client: Any, alert: Alert, texts: list[str], hit: int) -> None:
    """archive_transcripts rows around an alert: texts[hit] is the alert's own segment."""
    rows = []
    for i, text in enumerate(texts):
        event_id = alert.event_id if i == hit else f"{alert.event_id}-ctx{i}"
        ts = ms_to_datetime(alert.event_ts_ms + (i - hit) * 4000)
        rows.append([event_id, alert.platform, alert.room_id, alert.session_id, alert.host_id, ts, 10 + i, text,
                     alert.replay_id, 0, i, "{}"])
    client.insert("archive_transcripts", rows, column_names=[
        "event_id", "platform", "room_id", "session_id", "host_id", "ts", "seq", "text", "replay_id",
        "kafka_partition", "kafka_offset", "payload"])


@pytest.fixture(name="make_alert")
def make_alert_fixture() -> Callable[..., Alert]:
    return make_alert


@pytest.fixture(name="archive_segments")
def archive_segments_fixture() -> Callable[..., None]:
    return archive_segments
