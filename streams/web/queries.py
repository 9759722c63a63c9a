"""SQL shared by the monitoring page (streams.web.server) and the Grafana dashboard.

Each statement is a template with two slots: `@time@` (the time range) and `@where@` (the other
filters). `for_api` fills them with ClickHouse query parameters (`{name:Type}`); `for_grafana` with
the grafana-clickhouse-datasource macros. deploy/grafana/livewatch.json is generated from here
(`python -m streams.web.queries > deploy/grafana/livewatch.json`) and a test checks it is current.
"""

from __future__ import annotations

import json
from typing import Any

# Alert columns a caller may filter on with equality (query parameter name = column name).
FILTER_COLUMNS = ("kind", "platform", "severity", "host_id", "room_id", "session_id", "rule", "event_id")
# Time zone of "today" for the top-offender lists (the monitoring centre works in China time).
DEFAULT_TZ = "Asia/Shanghai"

ALERTS_PER_MINUTE = """SELECT toStartOfMinute(event_ts) AS minute, kind, count() AS alerts
FROM alerts FINAL
WHERE @time@ AND @where@
GROUP BY minute, kind
ORDER BY minute, kind"""

TOP_HOSTS = """SELECT host_id AS key, any(platform) AS platform, count() AS alerts,
    countIf(severity = 'critical') AS critical, max(event_ts) AS last_ts
FROM alerts FINAL
WHERE @time@ AND @where@
GROUP BY key
ORDER BY alerts DESC, key
LIMIT @limit@
SETTINGS prefer_column_name_to_alias = 1"""

TOP_ROOMS = """SELECT room_id AS key, any(platform) AS platform, any(host_id) AS host_id, count() AS alerts,
    countIf(severity = 'critical') AS critical, max(event_ts) AS last_ts
FROM alerts FINAL
WHERE @time@ AND @where@
GROUP BY key
ORDER BY alerts DESC, key
LIMIT @limit@
SETTINGS prefer_column_name_to_alias = 1"""

RECENT_CRITICAL = """SELECT event_ts, platform, kind, rule, host_id, room_id, evidence, alert_id
FROM alerts FINAL
WHERE @time@ AND severity = 'critical' AND @where@
ORDER BY event_ts DESC, alert_id
LIMIT @limit@"""

TEMPLATES = {
    "alerts_per_minute": ALERTS_PER_MINUTE,
    "top_hosts": TOP_HOSTS,
    "top_rooms": TOP_ROOMS,
    "recent_critical": RECENT_CRITICAL,
}

# (prefer_column_name_to_alias: `platform = ...` in WHERE filters the column, not the any() alias.)

# Time-range expressions of the page (ClickHouse query parameters).
TIME_RANGE = (
    "event_ts >= fromUnixTimestamp64Milli({start_ms:Int64}, 'UTC') "
    "AND event_ts < fromUnixTimestamp64Milli({end_ms:Int64}, 'UTC')"
)
SINCE_TODAY = "event_ts >= toStartOfDay(now64(3), {tz:String})"

# Transcript segments around an alert (archive_transcripts, written by the pipeline's archiver).
ARCHIVE_TABLE_EXISTS = (
    "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = {table:String}"
)
TRANSCRIPT_SEGMENT = """SELECT event_id, seq, ts, text FROM archive_transcripts FINAL
WHERE event_id = {event_id:String} AND room_id = {room_id:String} AND replay_id = {replay_id:String}
LIMIT 1"""
_CONTEXT_WHERE = (
    "room_id = {room_id:String} AND session_id = {session_id:String} AND replay_id = {replay_id:String}"
)
TRANSCRIPT_BEFORE = f"""SELECT event_id, seq, ts, text FROM archive_transcripts FINAL
WHERE {_CONTEXT_WHERE} AND (ts, seq) < (fromUnixTimestamp64Milli({{ts_ms:Int64}}, 'UTC'), {{seq:UInt32}})
    AND ts >= fromUnixTimestamp64Milli({{ts_ms:Int64}} - {{window_ms:Int64}}, 'UTC')
ORDER BY ts DESC, seq DESC
LIMIT {{n:UInt32}}"""
TRANSCRIPT_AFTER = f"""SELECT event_id, seq, ts, text FROM archive_transcripts FINAL
WHERE {_CONTEXT_WHERE} AND (ts, seq) > (fromUnixTimestamp64Milli({{ts_ms:Int64}}, 'UTC'), {{seq:UInt32}})
    AND ts <= fromUnixTimestamp64Milli({{ts_ms:Int64}} + {{window_ms:Int64}}, 'UTC')
ORDER BY ts, seq
LIMIT {{n:UInt32}}"""


def filter_clause(params: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """Equality filters from request parameters; live alerts only unless replay_id is given ('*': all)."""
    where, args = [], {}
    for name in FILTER_COLUMNS:
        if params.get(name):
            where.append(f"{name} = {{{name}:String}}")
            args[name] = params[name]
    replay = params.get("replay_id", "")
    if replay != "*":
        where.append("replay_id = {replay_id:String}")
        args["replay_id"] = replay
    return (" AND ".join(where) or "1"), args


def for_api(name: str, time_expr: str, params: dict[str, str], limit: int = 10) -> tuple[str, dict[str, Any]]:
    """A shared statement with the page's parameters filled in (time args are the caller's)."""
    where, args = filter_clause(params)
    sql = TEMPLATES[name].replace("@time@", time_expr).replace("@where@", where)
    return sql.replace("@limit@", str(int(limit))), args


def for_grafana(name: str, limit: int = 10) -> str:
    """A shared statement for the Grafana ClickHouse datasource: dashboard time range, live alerts."""
    sql = TEMPLATES[name].replace("@time@", "$__timeFilter(event_ts)").replace("@where@", "replay_id = ''")
    return sql.replace("@limit@", str(int(limit)))


# Grafana panels: (title, query name, limit, panel type, grid position).
PANELS = (
    ("每分钟告警数（按类型）", "alerts_per_minute", 0, "timeseries", {"h": 9, "w": 24, "x": 0, "y": 0}),
    ("告警最多的主播", "top_hosts", 10, "table", {"h": 9, "w": 12, "x": 0, "y": 9}),
    ("告警最多的直播间", "top_rooms", 10, "table", {"h": 9, "w": 12, "x": 12, "y": 9}),
    ("最近的严重告警", "recent_critical", 50, "table", {"h": 10, "w": 24, "x": 0, "y": 18}),
)
DATASOURCE = {"type": "grafana-clickhouse-datasource", "uid": "livewatch-clickhouse"}


def grafana_dashboard() -> dict[str, Any]:
    """The provisioned dashboard (deploy/grafana/livewatch.json)."""
    panels = []
    for panel_id, (title, name, limit, kind, pos) in enumerate(PANELS, start=1):
        target: dict[str, Any] = {
            "refId": "A", "datasource": DATASOURCE, "editorType": "sql", "queryType": "table",
            "format": 1, "rawSql": for_grafana(name, limit),
        }
        panel: dict[str, Any] = {
            "id": panel_id, "type": kind, "title": title, "datasource": DATASOURCE, "gridPos": pos,
            "targets": [target], "options": {}, "fieldConfig": {"defaults": {}, "overrides": []},
        }
        if name == "alerts_per_minute":
            # format 0 (time series): the plugin turns the long (minute, kind, alerts) rows into a series per kind
            target.update(queryType="timeseries", format=0)
            panel["fieldConfig"]["defaults"] = {"custom": {"drawStyle": "bars", "stacking": {"mode": "normal"},
                                                           "fillOpacity": 80}}
        panels.append(panel)
    return {
        "uid": "livewatch-alerts", "title": "livewatch 直播违规监控", "tags": ["livewatch"],
        "timezone": "browser", "schemaVersion": 39, "version": 1, "editable": True,
        "refresh": "30s", "time": {"from": "now-1h", "to": "now"}, "panels": panels,
        "templating": {"list": []}, "annotations": {"list": []},
    }


if __name__ == "__main__":
    print(json.dumps(grafana_dashboard(), ensure_ascii=False, indent=2))
