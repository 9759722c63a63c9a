"""Runs the aiohttp web app (streams.web.server) inside the faust worker, on LIVEWATCH_WEB."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from aiohttp import web
from mode import Service

from streams.agents.common import feed, sink
from streams.app import app, settings
from streams.clickhouse import connect

log = logging.getLogger(__name__)


def worker_health() -> dict[str, Any]:
    """Ready once partitions are assigned and every table has recovered from its changelog."""
    assignment = app.consumer.assignment() if app.consumer else set()
    recovery = app.tables.recovery
    ready = bool(assignment) and not app.rebalancing and recovery.completed.is_set()
    return {"ready": ready, "partitions": len(assignment), "rebalancing": bool(app.rebalancing),
            "alerts_written": sink.written, "events_processed": sink.events,
            "clickhouse_failures": sink.failures}


def registry_state(host_id: str) -> dict[str, Any]:
    """What the registry says of a host (or operator/agency id) on this worker, now."""
    from streams.agents.registry import blacklist, selections

    return {"selection": selections.get(host_id), "blacklist": blacklist.get(host_id)}


async def publish_registry(kind: str, body: dict[str, Any]) -> None:
    """Validate a registry record and publish it to its topic (HTTP POST /api/registry/{kind})."""
    from topics.records import KEY_FIELDS, InvalidRecord, parse_record

    try:
        parse_record(kind, body)
    except InvalidRecord as exc:
        raise web.HTTPBadRequest(text=orjson.dumps({"error": str(exc)}).decode(),
                                 content_type="application/json") from None
    key_field = KEY_FIELDS.get(kind)
    key = str(body[key_field]) if key_field else str(body.get("entry", {}).get("id", ""))
    await app.topic(settings.topic(kind)).send(key=key.encode(), value=orjson.dumps(body))


@app.service
class WebService(Service):
    runner: web.AppRunner | None = None

    async def on_start(self) -> None:
        from streams.web.server import create_web_app

        web_app = create_web_app(settings=settings, feed=feed,
                                 client_factory=lambda: connect(settings.clickhouse), health=worker_health,
                                 registry=registry_state, publish=publish_registry)
        self.runner = web.AppRunner(web_app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, settings.web_host, settings.web_port).start()
        log.info("web: http://%s:%s/", settings.web_host, settings.web_port)

    async def on_stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
