"""Runs the aiohttp web app (streams.web.server) inside the faust worker, on LIVEWATCH_WEB."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from mode import Service

from streams.agents.common import feed
from streams.app import app, settings
from streams.clickhouse import connect

log = logging.getLogger(__name__)


def worker_health() -> dict[str, Any]:
    """Ready once partitions are assigned and every table has recovered from its changelog."""
    assignment = app.consumer.assignment() if app.consumer else set()
    recovery = app.tables.recovery
    ready = bool(assignment) and not app.rebalancing and recovery.completed.is_set()
    return {"ready": ready, "partitions": len(assignment), "rebalancing": bool(app.rebalancing)}


@app.service
class WebService(Service):
    runner: web.AppRunner | None = None

    async def on_start(self) -> None:
        from streams.web.server import create_web_app

        web_app = create_web_app(settings=settings, feed=feed,
                                 client_factory=lambda: connect(settings.clickhouse), health=worker_health)
        self.runner = web.AppRunner(web_app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, settings.web_host, settings.web_port).start()
        log.info("web: http://%s:%s/", settings.web_host, settings.web_port)

    async def on_stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
