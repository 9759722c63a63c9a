"""The monitoring centre's HTTP API and live page (served by streams.web.service inside the worker)."""

from __future__ import annotations

import asyncio
import hmac
import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from aiohttp import web
from clickhouse_connect.driver.exceptions import ClickHouseError

from streams.clickhouse import row_to_dict
from streams.web import queries
from streams.web.archive import add_archive_routes
from streams.web.openapi import openapi_spec
from topics.names import REGISTRY_TOPICS
from topics.timestamps import TimestampError, to_epoch_ms

log = logging.getLogger(__name__)

FILTERS = queries.FILTER_COLUMNS
STATIC_DIR = Path(__file__).resolve().parent / "static"
KEEPALIVE_SECONDS = 15.0
CONTEXT_SEGMENTS = 3  # transcript segments shown before and after the evidence...
CONTEXT_WINDOW_MS = 120_000  # ...if no further than this from it

Registry = Callable[[str], dict[str, Any] | Awaitable[dict[str, Any]]]
Publish = Callable[[str, dict[str, Any]], Awaitable[None]]


class BadRequest(web.HTTPBadRequest):
    def __init__(self, message: str) -> None:
        super().__init__(text=orjson.dumps({"error": message}).decode(), content_type="application/json")


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda o: orjson.dumps(o).decode())


def _int_param(params: Any, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return value


def _time_args(params: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """Optional since/until (ISO-8601 with offset or epoch ms) on event_ts."""
    where, args = [], {}
    for name, op in (("since", ">="), ("until", "<")):
        if params.get(name):
            try:
                args[f"{name}_ms"] = to_epoch_ms(params[name])
            except TimestampError as exc:
                raise BadRequest(f"{name}: {exc}") from None
            where.append(f"event_ts {op} fromUnixTimestamp64Milli({{{name}_ms:Int64}}, 'UTC')")
    return where, args


def _where(params: dict[str, str]) -> tuple[str, dict[str, Any]]:
    where, args = queries.filter_clause(params)
    time_where, time_args = _time_args(params)
    return " AND ".join([where, *time_where]), {**args, **time_args}


def alert_query(params: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """SQL and parameters for GET /api/alerts; live alerts only unless a replay id is given."""
    where, args = _where(params)
    args["limit"] = min(_int_param(params, "limit", 100, 0, 2**31), 1000)  # clamped, as ever
    args["offset"] = _int_param(params, "offset", 0, 0, 10**9)
    sql = f"SELECT * EXCEPT inserted_at FROM alerts FINAL WHERE {where}"
    sql += " ORDER BY event_ts DESC, alert_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}"
    return sql, args


def alert_count_query(params: dict[str, str]) -> tuple[str, dict[str, Any]]:
    where, args = _where(params)
    return f"SELECT count() FROM alerts FINAL WHERE {where}", args


def matches(alert: dict[str, Any], params: Any) -> bool:
    """Whether a contract alert passes the stream's filters (the same rules as queries.filter_clause)."""
    for name in FILTERS:
        if params.get(name) and alert.get(name) != params[name]:
            return False
    replay = params.get("replay_id", "")
    return replay == "*" or alert.get("replay_id", "") == replay


def _utc_ms(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds")


def _highlight(text: str, alert: dict[str, Any]) -> list[int] | None:
    """[start, end) of the evidence inside a transcript segment's text.

    The detector's offsets win when they cover the evidence; otherwise the evidence is searched for;
    failing that (evidence normalised, e.g. traditional to simplified) the offsets are used as given.
    """
    try:
        details = orjson.loads(alert.get("details") or "{}")
    except orjson.JSONDecodeError:
        details = {}
    start, end = details.get("start"), details.get("end")
    offsets = [start, end] if (isinstance(start, int) and isinstance(end, int)
                               and 0 <= start < end <= len(text)) else None
    evidence = alert.get("evidence") or ""
    if offsets and text[start:end] == evidence:
        return offsets
    if evidence and evidence in text:
        at = text.index(evidence)
        return [at, at + len(evidence)]
    return offsets


@web.middleware
async def clickhouse_errors(request: web.Request, handler: Callable[[web.Request], Awaitable[Any]]) -> Any:
    """ClickHouse unreachable or failing: a JSON 503 for the API instead of an HTML 500."""
    try:
        return await handler(request)
    except ClickHouseError as exc:
        log.warning("web: %s %s: ClickHouse: %s", request.method, request.path, exc)
        return _json({"error": "ClickHouse unavailable", "detail": str(exc)[:500]}, status=503)


def create_web_app(*, settings: Any, feed: Any, client_factory: Callable[[], Any],
                   health: Callable[[], dict[str, Any]], registry: Registry | None = None,
                   publish: Publish | None = None,
                   keepalive_seconds: float = KEEPALIVE_SECONDS) -> web.Application:
    """The aiohttp app: page at /, JSON API under /api (see /api/openapi.json), /health."""
    web_app = web.Application(middlewares=[clickhouse_errors])
    clients: list[Any] = []
    create_lock, query_lock = threading.Lock(), threading.Lock()
    streams: set[asyncio.Task[Any]] = set()

    def client() -> Any:
        with create_lock:
            if not clients:
                clients.append(client_factory())
            return clients[0]

    def raw_rows(sql: str, args: dict[str, Any]) -> tuple[Any, list[tuple[Any, ...]]]:
        c = client()
        if "chdb" in type(c).__module__:  # embedded chdb: one query at a time through the shared client
            with query_lock:
                result = c.query(sql, parameters=args)
        else:
            result = c.query(sql, parameters=args)
        return result.column_names, list(result.result_rows)

    def rows(sql: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        columns, found = raw_rows(sql, args)
        return [row_to_dict(columns, row) for row in found]

    async def tuples(sql: str, args: dict[str, Any]) -> list[tuple[Any, ...]]:
        return (await asyncio.to_thread(raw_rows, sql, args))[1]

    async def query(sql: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        return await asyncio.to_thread(rows, sql, args)

    async def scalar(sql: str, args: dict[str, Any]) -> Any:
        found = await tuples(sql, args)
        return found[0][0] if found else None

    # -- page -------------------------------------------------------------------------------------

    async def get_index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    async def get_health(request: web.Request) -> web.Response:
        state = health()
        return web.json_response(state, status=200 if state["ready"] else 503)

    async def get_openapi(request: web.Request) -> web.Response:
        return _json(openapi_spec())

    # -- alerts -----------------------------------------------------------------------------------

    async def get_alerts(request: web.Request) -> web.Response:
        params = dict(request.query)
        sql, args = alert_query(params)
        count_sql, count_args = alert_count_query(params)
        found, total = await asyncio.gather(query(sql, args), scalar(count_sql, count_args))
        return _json({"alerts": found, "count": len(found), "total": total,
                      "limit": args["limit"], "offset": args["offset"]})

    async def stream_alerts(request: web.Request) -> web.StreamResponse:
        params = dict(request.query)
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        })
        # Subscribe before the headers go out: once the browser sees the stream open, nothing is missed.
        queue = feed.subscribe()
        task = asyncio.current_task()
        if task is not None:
            streams.add(task)
        try:
            await response.prepare(request)
            await response.write(b"retry: 3000\n: connected\n\n")
            while True:
                try:
                    alert = await asyncio.wait_for(queue.get(), keepalive_seconds)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if matches(alert, params):
                    data = orjson.dumps(alert)
                    await response.write(b"event: alert\nid: " + str(alert.get("alert_id", "")).encode()
                                         + b"\ndata: " + data + b"\n\n")
        except ConnectionResetError:
            pass
        finally:
            feed.unsubscribe(queue)
            if task is not None:
                streams.discard(task)
        return response

    async def get_alert(request: web.Request) -> web.Response:
        alert_id = request.match_info["alert_id"]
        found = await query("SELECT * EXCEPT inserted_at FROM alerts FINAL WHERE alert_id = {alert_id:String} "
                            "LIMIT 1", {"alert_id": alert_id})
        if not found:
            return _json({"error": "alert not found", "alert_id": alert_id}, status=404)
        alert = found[0]
        return _json({"alert": alert, "context": await transcript_context(alert)})

    async def transcript_context(alert: dict[str, Any]) -> dict[str, Any]:
        """Transcript segments around the alert's event, from archive_transcripts when it exists."""
        exists = await scalar(queries.ARCHIVE_TABLE_EXISTS, {"table": "archive_transcripts"})
        if not exists:
            return {"available": False, "segments": []}
        keys = {"room_id": alert["room_id"], "session_id": alert["session_id"],
                "replay_id": alert["replay_id"]}
        target = await tuples(queries.TRANSCRIPT_SEGMENT,
                                         {"event_id": alert["event_id"], "room_id": alert["room_id"],
                                          "replay_id": alert["replay_id"]})
        if target:
            _, seq, ts, _ = target[0]
            pivot = {"ts_ms": _utc_ms(ts), "seq": seq}
        else:  # a product card or session event: what was being said at that moment
            pivot = {"ts_ms": to_epoch_ms(alert["event_ts"] + ("" if "+" in alert["event_ts"] else "+00:00")),
                     "seq": 0}
        args = {**keys, **pivot, "n": CONTEXT_SEGMENTS, "window_ms": CONTEXT_WINDOW_MS}
        before, after = await asyncio.gather(
            tuples(queries.TRANSCRIPT_BEFORE, args),
            tuples(queries.TRANSCRIPT_AFTER, args))
        segments = []
        for event_id, seq, ts, text in [*reversed(before), *target, *after]:
            evidence = event_id == alert["event_id"]
            segments.append({"event_id": event_id, "seq": seq, "ts": _iso(_utc_ms(ts)), "text": text,
                             "evidence": evidence, "highlight": _highlight(text, alert) if evidence else None})
        return {"available": True, "segments": segments}

    # -- statistics -------------------------------------------------------------------------------

    async def get_minutely(request: web.Request) -> web.Response:
        params = dict(request.query)
        minutes = _int_param(params, "minutes", 60, 1, 1440)
        end_ms = (int(time.time() * 1000) // 60_000 + 1) * 60_000
        start_ms = end_ms - minutes * 60_000
        sql, args = queries.for_api("alerts_per_minute", queries.TIME_RANGE, params)
        found = await query(sql, {**args, "start_ms": start_ms, "end_ms": end_ms})
        buckets = {start_ms + i * 60_000: {"total": 0, "by_kind": {}} for i in range(minutes)}
        for row in found:
            bucket = buckets.get(to_epoch_ms(row["minute"] + "+00:00"))
            if bucket is not None:
                bucket["total"] += row["alerts"]
                bucket["by_kind"][row["kind"]] = row["alerts"]
        out = [{"minute": _iso(ms), **b} for ms, b in buckets.items()]
        return _json({"minutes": minutes, "start": _iso(start_ms), "end": _iso(end_ms), "buckets": out,
                      "total": sum(b["total"] for b in out)})

    async def get_top(request: web.Request) -> web.Response:
        params = dict(request.query)
        by = params.get("by", "host")
        if by not in ("host", "room"):
            raise BadRequest("by must be host or room")
        limit = _int_param(params, "limit", 10, 1, 100)
        tz = params.get("tz") or queries.DEFAULT_TZ
        sql, args = queries.for_api("top_hosts" if by == "host" else "top_rooms", queries.SINCE_TODAY,
                                    params, limit)
        try:
            ZoneInfo(tz)
        except (ValueError, ZoneInfoNotFoundError):
            raise BadRequest(f"unknown time zone {tz!r}") from None
        items = await query(sql, {**args, "tz": tz})
        return _json({"by": by, "tz": tz, "items": items})

    async def get_host(request: web.Request) -> web.Response:
        host_id = request.match_info["host_id"]
        params = {**request.query, "host_id": host_id}
        params.pop("offset", None)
        sql, args = alert_query({**params, "limit": str(_int_param(params, "limit", 50, 1, 1000))})
        where, where_args = _where(params)
        by_kind_sql = f"SELECT kind, count() FROM alerts FINAL WHERE {where} GROUP BY kind ORDER BY kind"
        found, by_kind = await asyncio.gather(query(sql, args),
                                              tuples(by_kind_sql, where_args))
        state = None
        if registry is not None:  # called on the event loop: faust tables are not for other threads
            state = registry(host_id)
            if inspect.isawaitable(state):
                state = await state
        return _json({"host_id": host_id, "alerts": found, "count": len(found),
                      "total": sum(n for _, n in by_kind), "by_kind": dict(by_kind), "registry": state})

    # -- state changes (token-guarded) ------------------------------------------------------------

    def authorize(request: web.Request) -> None:
        token = getattr(settings, "token", None)
        if not token:
            raise web.HTTPServiceUnavailable(
                text='{"error": "no access token configured (LIVEWATCH_TOKEN)"}', content_type="application/json")
        given = request.headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise web.HTTPUnauthorized(text='{"error": "missing or wrong bearer token"}',
                                       content_type="application/json",
                                       headers={"WWW-Authenticate": 'Bearer realm="livewatch"'})

    async def post_registry(request: web.Request) -> web.Response:
        authorize(request)
        kind = request.match_info["kind"]
        if kind not in REGISTRY_TOPICS:
            return _json({"error": f"kind must be one of {', '.join(REGISTRY_TOPICS)}"}, status=404)
        if publish is None:
            return _json({"error": "registry updates are not wired in this process"}, status=503)
        try:
            body = orjson.loads(await request.read())
        except orjson.JSONDecodeError:
            raise BadRequest("body must be a JSON object") from None
        if not isinstance(body, dict):
            raise BadRequest("body must be a JSON object")
        await publish(kind, body)
        return _json({"accepted": True, "kind": kind}, status=202)

    async def on_shutdown(app: web.Application) -> None:
        for task in list(streams):
            task.cancel()

    web_app.on_shutdown.append(on_shutdown)
    router = web_app.router
    router.add_get("/", get_index)
    router.add_static("/static/", STATIC_DIR, append_version=False)
    router.add_get("/health", get_health)
    router.add_get("/api/openapi.json", get_openapi)
    router.add_get("/api/alerts", get_alerts)
    router.add_get("/api/alerts/stream", stream_alerts)
    router.add_get("/api/alerts/{alert_id}", get_alert)
    router.add_get("/api/stats/minutely", get_minutely)
    router.add_get("/api/stats/top", get_top)
    router.add_get("/api/hosts/{host_id}", get_host)
    router.add_post("/api/registry/{kind}", post_registry)
    add_archive_routes(web_app, client_factory, prefix=getattr(settings, "topic_prefix", None))
    return web_app
