"""The registry agent: selection lists, blacklist, CCC certificates and lexicon updates.

Every worker needs the whole registry (cards are keyed by room, lists by host), so the state is
held in GlobalTables: each worker reads every partition of their changelogs.
"""

from __future__ import annotations

from models.monitor import Monitor, MonitorState
from streams.agents.common import detector, process_events, sink
from streams.app import app, settings
from topics.names import BLACKLIST, CERTIFICATES, LEXICON, SELECTIONS

# recovery_buffer_size=1: faust treats every changelog partition of a GlobalTable as active and
# applies other workers' updates through its recovery buffer (default 1000 events) - without
# this a worker would not see a registry change made on another one until 1000 had piled up.
selections = app.GlobalTable("selections", default=None, recovery_buffer_size=1)
blacklist = app.GlobalTable("blacklist", default=None, recovery_buffer_size=1)
certificates = app.GlobalTable("certificates", default=None, recovery_buffer_size=1)
# entry id -> {"op", "entry"}: every worker's detector follows this table (see rooms.sync_lexicon).
lexicon = app.GlobalTable("lexicon", default=None, recovery_buffer_size=1)

registry_topic = app.topic(*(settings.topic(n) for n in (SELECTIONS, BLACKLIST, CERTIFICATES, LEXICON)))


def _monitor() -> Monitor:
    state = MonitorState(selections=selections, blacklist=blacklist, certificates=certificates,
                         lexicon=lexicon)
    return Monitor(detector(), state)


@app.agent(registry_topic)
async def registry(stream):
    monitor = _monitor()
    async for events in stream.take_events(500, within=0.2):
        alerts, dead, archive = process_events(events, monitor)
        await sink.write(alerts, dead, archive, events=len(events))
