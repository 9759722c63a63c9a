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
                    archive: ArchiveBatch | None = None) -> None:
        if alerts or archive:
            await self._insert_with_retry(alerts, archive)
        pending = []
        if self._send is not None:
            for alert in alerts:
                pending.append(self._send(self.alerts_topic, alert.room_id.encode(),
                                          orjson.dumps(alert.to_contract())))
            for record in dead or ():
                pending.append(self._send(self.deadletter_topic, record["source_topic"].encode(),
                                          orjson.dumps(record)))
            # Delivered before the batch is acked: the topics are as durable as the table.
            for fut in await asyncio.gather(*pending):
                if asyncio.isfuture(fut):
                    await fut
        if self.feed is not None:
            for alert in alerts:
                self.feed.publish(alert.to_contract())
        self.written += len(alerts)

    async def _insert_with_retry(self, alerts: list[Alert], archive: ArchiveBatch | None) -> None:
        delay = 0.1
        while True:
            try:
                await asyncio.to_thread(self._insert, alerts, archive)
                return
            except Exception as exc:  # any ClickHouse or network failure: wait and retry
                self.failures += 1
                log.warning("ClickHouse insert of %d alerts failed (%s); retrying in %.1fs",
                            len(alerts), exc, delay)
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, self.max_backoff)
