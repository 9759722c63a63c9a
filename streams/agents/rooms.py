"""The room agent: sessions, transcripts and product cards, all keyed by room_id.

One agent reads the three co-partitioned topics so that a room's session state (who hosts it,
which operator and agency run it, which alerts were raised once per session) lives in one table
partition next to the room's events.
"""

from __future__ import annotations

import logging
import time

from models.fuzzy import canonical_category
from models.monitor import Monitor, MonitorState
from streams.agents.common import detector, event_context, process_events, sink
from streams.agents.registry import blacklist, certificates, lexicon, selections
from streams.agents.staged import StagedTable
from streams.app import app, settings
from topics.names import PRODUCT_CARDS, SESSIONS, TRANSCRIPTS

log = logging.getLogger(__name__)

rooms = app.Table("rooms", default=None)
# (partition, category) -> price quantile sketch: co-partitioned with the cards that feed it.
prices = app.Table("prices", default=None)

room_topic = app.topic(*(settings.topic(n) for n in (SESSIONS, TRANSCRIPTS, PRODUCT_CARDS)))

_applied_lexicon: dict[str, dict] = {}


def sync_lexicon() -> None:
    """Bring this worker's detector up to the lexicon GlobalTable (updates from any worker)."""
    current = dict(lexicon.items())
    if current == _applied_lexicon:
        return
    for entry_id, change in current.items():
        if _applied_lexicon.get(entry_id) != change:
            try:
                detector().apply_update(change["op"], change["entry"])
            except ValueError as exc:
                log.warning("lexicon update %s rejected: %s", entry_id, exc)
    _applied_lexicon.clear()
    _applied_lexicon.update(current)


def _price_scope(rec) -> str:
    from faust.streams import current_event

    event = current_event()
    return f"{event.message.partition if event else 0}|{canonical_category(rec.category)}"


@app.agent(room_topic)
async def watch_rooms(stream):
    staged_rooms, staged_prices = StagedTable(rooms), StagedTable(prices)
    last = time.perf_counter()
    monitor = Monitor(
        detector(),
        MonitorState(rooms=staged_rooms, selections=selections, blacklist=blacklist,
                     certificates=certificates, prices=staged_prices),
        price_scope=_price_scope,
    )
    async for events in stream.take_events(settings.flush_rows, within=settings.flush_seconds):
        started = time.perf_counter()
        sync_lexicon()
        alerts, dead, archive = process_events(events, monitor)
        processed = time.perf_counter()
        await sink.write(alerts, dead, archive, events=len(events))
        # Checkpoint: state changes reach the changelog only once their alerts are safe.
        staged_rooms.commit(event_context)
        staged_prices.commit(event_context)
        log.debug("batch of %d: rules %.0f ms, sink %.0f ms, since last batch %.0f ms", len(events),
                  (processed - started) * 1000, (time.perf_counter() - processed) * 1000,
                  (started - last) * 1000)
        last = time.perf_counter()
