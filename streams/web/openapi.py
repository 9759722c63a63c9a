"""OpenAPI 3 description of the HTTP API (served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any

from streams.web.archive import OPENAPI_PATHS as ARCHIVE_PATHS
from streams.web.queries import FILTER_COLUMNS
from topics.names import REGISTRY_TOPICS


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _ok(schema: str, description: str = "OK") -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


FILTER_PARAMS = [_query(name, f"only alerts whose {name} equals this") for name in FILTER_COLUMNS] + [
    _query("replay_id", "'' (default): live alerts only; a replay id: that replay's alerts; '*': all"),
]
TIME_PARAMS = [
    _query("since", "event_ts >= this (ISO-8601 with offset, or epoch ms)"),
    _query("until", "event_ts < this (ISO-8601 with offset, or epoch ms)"),
]
ERROR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

ALERT = {
    "type": "object",
    "properties": {
        "alert_id": {"type": "string"},
        "kind": {"type": "string", "enum": ["false_advertising", "unlisted_product", "blacklisted_host",
                                            "ccc_invalid", "price_anomaly"]},
        "rule": {"type": "string"},
        "severity": {"type": "string", "enum": ["low", "medium", "high", "critical"]},
        "platform": {"type": "string"}, "room_id": {"type": "string"}, "session_id": {"type": "string"},
        "host_id": {"type": "string"}, "event_id": {"type": "string"},
        "event_ts": {"type": "string", "description": "ISO-8601, UTC (rows from ClickHouse carry no offset)"},
        "detected_at": {"type": "string"},
        "evidence": {"type": "string"},
        "details": {"type": "string", "description": "JSON object, as a string"},
        "source_topic": {"type": "string"}, "replay_id": {"type": "string"},
    },
}


def openapi_spec() -> dict[str, Any]:
    """The API description; kept by hand next to streams.web.server (a test checks every route is in it)."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "livewatch monitoring API", "version": "1.0.0",
                 "description": "直播电商违规监控中心 — alerts, statistics and registry updates."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Alert": ALERT,
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
                "AlertPage": {"type": "object", "properties": {
                    "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}},
                    "count": {"type": "integer", "description": "alerts in this page"},
                    "total": {"type": "integer", "description": "alerts matching the filters"},
                    "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
                "Segment": {"type": "object", "properties": {
                    "event_id": {"type": "string"}, "seq": {"type": "integer"}, "ts": {"type": "string"},
                    "text": {"type": "string"},
                    "evidence": {"type": "boolean", "description": "the segment the alert was raised on"},
                    "highlight": {"type": "array", "items": {"type": "integer"}, "nullable": True,
                                  "description": "[start, end) of the evidence in text"}}},
                "AlertDetail": {"type": "object", "properties": {
                    "alert": {"$ref": "#/components/schemas/Alert"},
                    "context": {"type": "object", "properties": {
                        "available": {"type": "boolean", "description": "false: no transcript archive"},
                        "segments": {"type": "array", "items": {"$ref": "#/components/schemas/Segment"}}}}}},
                "Minutely": {"type": "object", "properties": {
                    "minutes": {"type": "integer"}, "start": {"type": "string"}, "end": {"type": "string"},
                    "total": {"type": "integer"},
                    "buckets": {"type": "array", "items": {"type": "object", "properties": {
                        "minute": {"type": "string"}, "total": {"type": "integer"},
                        "by_kind": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}},
                "Top": {"type": "object", "properties": {
                    "by": {"type": "string"}, "tz": {"type": "string"},
                    "items": {"type": "array", "items": {"type": "object", "properties": {
                        "key": {"type": "string"}, "platform": {"type": "string"},
                        "host_id": {"type": "string", "description": "by=room only"},
                        "alerts": {"type": "integer"}, "critical": {"type": "integer"},
                        "last_ts": {"type": "string"}}}}}},
                "Host": {"type": "object", "properties": {
                    "host_id": {"type": "string"},
                    "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}},
                    "count": {"type": "integer"}, "total": {"type": "integer"},
                    "by_kind": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "registry": {"type": "object", "nullable": True,
                                 "description": "registry state (blacklist, selection list...) if wired"}}},
            },
        },
        "paths": {
            **ARCHIVE_PATHS,
            "/health": {"get": {"summary": "Worker readiness", "responses": {
                "200": {"description": "ready"}, "503": {"description": "not ready"}}}},
            "/api/openapi.json": {"get": {"summary": "This description", "responses": {
                "200": {"description": "OpenAPI 3 document"}}}},
            "/api/alerts": {"get": {
                "summary": "Alerts, newest first",
                "parameters": FILTER_PARAMS + TIME_PARAMS + [
                    _query("limit", "page size (default 100, at most 1000)", {"type": "integer"}),
                    _query("offset", "rows to skip", {"type": "integer"})],
                "responses": {"200": _ok("AlertPage"), "400": ERROR}}},
            "/api/alerts/stream": {"get": {
                "summary": "Server-sent events: `event: alert` with the contract alert as data",
                "description": "Keep-alive comments every 15 s. Filters as for /api/alerts.",
                "parameters": FILTER_PARAMS,
                "responses": {"200": {"description": "event stream",
                                      "content": {"text/event-stream": {"schema": {"type": "string"}}}}}}},
            "/api/alerts/{alert_id}": {"get": {
                "summary": "One alert with its transcript context",
                "parameters": [_path("alert_id")],
                "responses": {"200": _ok("AlertDetail"), "404": ERROR}}},
            "/api/stats/minutely": {"get": {
                "summary": "Alerts per minute (and per kind) over the last minutes",
                "parameters": [_query("minutes", "1-1440, default 60", {"type": "integer"}), *FILTER_PARAMS],
                "responses": {"200": _ok("Minutely"), "400": ERROR}}},
            "/api/stats/top": {"get": {
                "summary": "Today's top offending hosts or rooms",
                "parameters": [
                    _query("by", "host or room", {"type": "string", "enum": ["host", "room"]}),
                    _query("limit", "1-100, default 10", {"type": "integer"}),
                    _query("tz", "time zone of 'today' (default Asia/Shanghai)"), *FILTER_PARAMS],
                "responses": {"200": _ok("Top"), "400": ERROR}}},
            "/api/hosts/{host_id}": {"get": {
                "summary": "A host's recent alerts and registry state",
                "parameters": [_path("host_id"), _query("limit", "1-1000, default 50", {"type": "integer"}),
                               *[p for p in FILTER_PARAMS if p["name"] != "host_id"], *TIME_PARAMS],
                "responses": {"200": _ok("Host"), "400": ERROR}}},
            "/api/registry/{kind}": {"post": {
                "summary": "Publish a registry record (selection list, blacklist entry, certificate, lexicon)",
                "security": [{"bearer": []}],
                "parameters": [{"name": "kind", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(REGISTRY_TOPICS)}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "description": "the record as on the wire contract's topic"}}}},
                "responses": {"202": {"description": "accepted (published to the topic)"},
                              "400": ERROR, "401": ERROR, "404": ERROR,
                              "503": {"description": "no token configured, or publishing not wired"}}}},
        },
    }
