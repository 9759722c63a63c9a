"""Starting the faust worker: topics and ClickHouse schema first, then agents, tables and web."""

from __future__ import annotations

import asyncio
import logging

from streams.settings import Settings


def prepare(settings: Settings) -> None:
    """Create missing topics and tables (idempotent)."""
    from streams.clickhouse import connect, ensure_schema
    from topics.kafka import ensure_topics

    asyncio.run(ensure_topics(settings.kafka or "", settings.topic_prefix, settings.partitions))
    try:
        ensure_schema(connect(settings.clickhouse), settings.alert_ttl_days, settings.archive_ttl_days)
    except Exception as exc:  # the sink retries (and creates the schema) once ClickHouse is back
        logging.getLogger(__name__).warning("ClickHouse unavailable at start (%s); alerts wait for it", exc)


def run_worker(settings: Settings, loglevel: str = "warning") -> None:
    import faust

    prepare(settings)
    import streams.agents  # noqa: F401  registers agents and tables
    import streams.web.service  # noqa: F401  registers the web service
    from streams.app import app

    logging.getLogger("aiokafka").setLevel(logging.ERROR)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True)
    worker.execute_from_commandline()
