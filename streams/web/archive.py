"""GET /api/archive: the input archive as a replayable JSONL recording (kcat -J envelopes).

Mounted on the worker's web app by :func:`add_archive_routes` (the worker process owns the chdb
data directory, so other processes read the archive through this endpoint).

``GET /api/archive`` query parameters, all optional:

- ``from``, ``to``: event time window ``[from, to)``, ISO-8601 with offset or epoch ms.
- ``platform``, ``room_id``, ``host_id``: room filters (room topics only).
- ``topics``: comma-separated input topics (default: all input topics).
- ``replay_id``: which records: ``''`` live (default), a replay id, or ``*`` for all.

Room topics are filtered by every parameter. Registry topics (selections, blacklist, certificates,
lexicon) have no room, host or platform: they are included whole up to ``to`` (``from`` does not
apply to them either), so that a replay of any window starts with the lists, blacklist and
certificates that were in force. Lines come in (ts, topic, partition, offset) order; the same query
over the same archive gives the same bytes (so the same replay id).

``GET /api/archive/progress?replay_id=...``: the highest archived Kafka offset per topic and
partition of that replay id (``''`` = live), which `livewatch replay` polls to know the worker has
applied what it published (a batch is archived only after it has been processed).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import orjson
from aiohttp import web

from replay.recording import envelope
from topics.names import ROOM_TOPICS, parse_topic_list
from topics.timestamps import TimestampError, to_epoch_ms

PAGE_ROWS = 5000
ROOM_FILTERS = ("platform", "room_id", "host_id")
ARCHIVE_PATH = "/api/archive"
PROGRESS_PATH = "/api/archive/progress"


class ArchiveQueryError(ValueError):
    pass


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=orjson.dumps({"error": message}).decode(), content_type="application/json")


def _time(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        return to_epoch_ms(raw)
    except TimestampError as exc:
        raise ArchiveQueryError(f"{name}: {exc}") from None


def _topics(params: dict[str, str]) -> list[str]:
    try:
        return parse_topic_list(params.get("topics") or None)
    except ValueError as exc:
        raise ArchiveQueryError(str(exc)) from None


def archive_query(params: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The UNION ALL over the archive tables (without paging): columns topic, ts_ms, p, o, rid, k, payload."""
    start, end = _time(params, "from"), _time(params, "to")
    replay_id = params.get("replay_id", "")
    args: dict[str, Any] = {}
    common = []
    if replay_id != "*":
        common.append("replay_id = {replay_id:String}")
        args["replay_id"] = replay_id
    if end is not None:
        common.append("ts < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')")
        args["to_ms"] = end
    room = list(common)
    if start is not None:
        room.append("ts >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')")
        args["from_ms"] = start
    for name in ROOM_FILTERS:
        if params.get(name):
            room.append(f"{name} = {{{name}:String}}")
            args[name] = params[name]
    parts = []
    for topic in _topics(params):
        where = room if topic in ROOM_TOPICS else common
        key = "room_id" if topic in ROOM_TOPICS else "record_key"
        parts.append(
            f"SELECT '{topic}' AS topic, toUnixTimestamp64Milli(ts) AS ts_ms, kafka_partition AS p, "
            f"kafka_offset AS o, replay_id AS rid, cityHash64(payload) AS h, {key} AS k, payload "
            f"FROM archive_{topic} FINAL WHERE {' AND '.join(where) or '1'}")
    return "\nUNION ALL\n".join(parts), args


def page_query(params: dict[str, str], after: tuple[Any, ...] | None, rows: int = PAGE_ROWS
               ) -> tuple[str, dict[str, Any]]:
    """One page of the archive in (ts, topic, partition, offset) order, after the keyset ``after``."""
    union, args = archive_query(params)
    sql = f"SELECT topic, ts_ms, p, o, rid, h, k, payload FROM ({union})"
    if after is not None:
        sql += (" WHERE (ts_ms, topic, p, o, rid, h) > ({a_ts:Int64}, {a_topic:String}, {a_p:UInt32}, "
                "{a_o:UInt64}, {a_rid:String}, {a_h:UInt64})")
        args = {**args, "a_ts": after[0], "a_topic": after[1], "a_p": after[2], "a_o": after[3],
                "a_rid": after[4], "a_h": after[5]}
    sql += " ORDER BY ts_ms, topic, p, o, rid, h LIMIT {page_rows:UInt32}"
    return sql, {**args, "page_rows": rows}


def progress_query(replay_id: str, topics: list[str]) -> tuple[str, dict[str, Any]]:
    parts = [f"SELECT '{t}' AS topic, kafka_partition AS p, max(kafka_offset) AS o FROM archive_{t} "
             "WHERE replay_id = {replay_id:String} GROUP BY p" for t in topics]
    return "\nUNION ALL\n".join(parts), {"replay_id": replay_id}


def envelope_line(prefix: str, row: tuple[Any, ...]) -> bytes:
    topic, ts_ms, partition, offset, _rid, _h, key, payload = row
    return orjson.dumps(envelope(f"{prefix}{topic}", key.encode() if key else None, payload.encode(),
                                 int(ts_ms), int(partition), int(offset))) + b"\n"


def _param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string"}}


# For streams/web/openapi.py (owned elsewhere): merge into its "paths" when the routes are mounted.
OPENAPI_PATHS: dict[str, Any] = {
    ARCHIVE_PATH: {"get": {
        "summary": "The input archive as a replayable JSONL recording (kcat -J envelopes)",
        "description": "Lines in (ts, topic, partition, offset) order. Registry topics ignore the room "
                       "filters and `from`: they come whole up to `to`. `livewatch replay archive:?...` "
                       "reads this.",
        "parameters": [
            _param("from", "event ts >= this (ISO-8601 with offset, or epoch ms); room topics only"),
            _param("to", "event ts < this (ISO-8601 with offset, or epoch ms)"),
            *[_param(n, f"room topics: only records whose {n} equals this") for n in ROOM_FILTERS],
            _param("topics", "comma-separated input topics (default: all)"),
            _param("replay_id", "'' (default): live records; a replay id; '*': all")],
        "responses": {"200": {"description": "JSONL, one kcat -J envelope a line",
                              "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                      "400": {"description": "bad parameter"}}}},
    PROGRESS_PATH: {"get": {
        "summary": "Highest archived Kafka offset per topic and partition of a replay id ('' = live)",
        "parameters": [_param("replay_id", "'' (default): live"),
                       _param("topics", "comma-separated input topics (default: all)")],
        "responses": {"200": {"description": "{replay_id, offsets: {topic: {partition: offset}}}"},
                      "400": {"description": "bad parameter"}}}},
}


def add_archive_routes(web_app: web.Application, client_factory: Callable[[], Any], *,
                       prefix: str | None = None, page_rows: int = PAGE_ROWS) -> None:
    """Add GET /api/archive and /api/archive/progress to ``web_app`` (once: a second call does nothing)."""
    if any(getattr(r, "canonical", None) == ARCHIVE_PATH for r in web_app.router.resources()):
        return
    if prefix is None:
        from streams.settings import Settings

        prefix = Settings.from_env().topic_prefix
    clients: list[Any] = []
    lock = threading.Lock()  # embedded chdb: one query at a time through this client

    def rows(sql: str, args: dict[str, Any]) -> list[tuple[Any, ...]]:
        with lock:
            if not clients:
                clients.append(client_factory())
            return list(clients[0].query(sql, parameters=args).result_rows)

    async def get_archive(request: web.Request) -> web.StreamResponse:
        params = dict(request.query)
        try:
            sql, args = page_query(params, None, page_rows)
        except ArchiveQueryError as exc:
            raise _bad(str(exc)) from None
        page = await asyncio.to_thread(rows, sql, args)  # before the headers: errors are still a 4xx/5xx
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson; charset=utf-8",
                                               "Cache-Control": "no-store"})
        await response.prepare(request)
        while page:
            await response.write(b"".join(envelope_line(prefix, row) for row in page))
            if len(page) < page_rows:
                break
            sql, args = page_query(params, page[-1][:6], page_rows)
            page = await asyncio.to_thread(rows, sql, args)
        await response.write_eof()
        return response

    async def get_progress(request: web.Request) -> web.Response:
        params = dict(request.query)
        try:
            topics = _topics(params)
        except ArchiveQueryError as exc:
            raise _bad(str(exc)) from None
        replay_id = params.get("replay_id", "")
        sql, args = progress_query(replay_id, topics)
        offsets: dict[str, dict[str, int]] = {}
        for topic, partition, offset in await asyncio.to_thread(rows, sql, args):
            offsets.setdefault(topic, {})[str(partition)] = int(offset)
        return web.json_response({"replay_id": replay_id, "offsets": offsets},
                                 dumps=lambda o: orjson.dumps(o).decode())

    web_app.router.add_get(PROGRESS_PATH, get_progress)
    web_app.router.add_get(ARCHIVE_PATH, get_archive)

