"""The alert sink: ClickHouse first, then the alerts and dead-letter topics, then the live feed.

The agent calls :meth:`AlertSink.write` at the end of each batch, before faust acks the batch's
events; so an offset is committed only after the alerts it produced are safe in ClickHouse. When
ClickHouse is down the write is retried with back-off for as long as it takes: alerts are
delayed, never dropped, and a worker stopped meanwhile leaves the batch uncommitted.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from typing import Any

import orjson
from clickhouse_connect.driver.client import Client

from models.alert import Alert
from streams.archive import ArchiveBatch
from streams.clickhouse import insert_alerts
from streams.feed import AlertFeed

log = logging.getLogger(__name__)


class AlertSink:
    def __init__(
        self,
        client_factory: Callable[[], Client],
        send: Callable[[str, bytes, bytes], Any] | None = None,
        *,
        alerts_topic: str = "livewatch.alerts",
        deadletter_topic: str = "livewatch.deadletter",
        feed: AlertFeed | None = None,
        max_backoff: float = 10.0,
        on_connect: Callable[[Client], None] | None = None,
    ) -> None:
        self._client_factory = client_factory
        self._client: Client | None = None
        self._send = send
        self.alerts_topic = alerts_topic
        self.deadletter_topic = deadletter_topic
        self.feed = feed
        self.max_backoff = max_backoff
        self.on_connect = on_connect
        self.written = 0
        self.events = 0  # input records whose batch has been written (the checkpointed count)
        self.failures = 0

    def _insert(self, alerts: list[Alert], archive: ArchiveBatch | None) -> None:
        if self._client is None:
            client = self._client_factory()
            if self.on_connect is not None:
                self.on_connect(client)  # e.g. create the tables a server lost or never had
            self._client = client
        try:
            if archive:
                archive.insert(self._client)
            insert_alerts(self._client, alerts)
        except Exception:
            self._client = None  # reconnect on the next try
            raise

    async def write(self, alerts: list[Alert], dead: list[dict[str, Any]] | None = None,
                    archive: ArchiveBatch | None = None, events: int = 0) -> None:
        if alerts or archive:
            await self._insert_with_retry(alerts, archive)
        contracts = [alert.to_contract() for alert in alerts]
        if self._send is not None:
            await self._retry("publish", lambda: self._publish(contracts, dead or ()), len(alerts))
        if self.feed is not None:
            for contract in contracts:
                self.feed.publish(contract)
        self.written += len(alerts)
        self.events += events

    async def _publish(self, alerts: list[dict[str, Any]], dead: Any) -> None:
        assert self._send is not None
        pending = [self._send(self.alerts_topic, a["room_id"].encode(), orjson.dumps(a)) for a in alerts]
        pending += [self._send(self.deadletter_topic, r["source_topic"].encode(), orjson.dumps(r))
                    for r in dead]
        # Delivered before the batch is acked: the topics are as durable as the table.
        for fut in await asyncio.gather(*pending):
            if asyncio.isfuture(fut):
                await fut

    async def _insert_with_retry(self, alerts: list[Alert], archive: ArchiveBatch | None) -> None:
        await self._retry("ClickHouse insert", lambda: asyncio.to_thread(self._insert, alerts, archive),
                          len(alerts))

    async def _retry(self, what: str, attempt: Callable[[], Any], n: int) -> None:
        """Try until it works: a failing sink holds the batch (and its offsets) back, drops nothing."""
        delay = 0.1
        while True:
            try:
                await attempt()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker or ClickHouse down, network errors: wait and retry
                self.failures += 1
                log.warning("%s of %d alerts failed (%s: %s); retrying in %.1fs", what, n,
                            type(exc).__name__, exc, delay)
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, self.max_backoff)
