"""ClickHouse access: connect by DSN (http(s):// server or chdb:// embedded), schema, alert rows."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import clickhouse_connect
import orjson
from clickhouse_connect.driver.client import Client

from models.alert import Alert
from topics.timestamps import ms_to_datetime

DDL_DIR = Path(__file__).resolve().parent.parent / "deploy" / "clickhouse"

ALERT_COLUMNS = (
    "alert_id", "kind", "rule", "severity", "platform", "room_id", "session_id", "host_id",
    "event_id", "event_ts", "detected_at", "evidence", "details", "source_topic", "replay_id",
)

# chdb allows one data directory per process; every client in this process shares it.
_chdb_lock = threading.Lock()


def connect(dsn: str) -> Client:
    if dsn.startswith("chdb:"):
        path = dsn.removeprefix("chdb://")
        if path:
            Path(path).mkdir(parents=True, exist_ok=True)
        with _chdb_lock:
            return clickhouse_connect.get_client(dsn=dsn)
    return clickhouse_connect.get_client(dsn=dsn, autogenerate_session_id=False)


def ddl_statements(ttl_days: int, archive_ttl_days: int = 30) -> list[str]:
    """The DDL of deploy/clickhouse/*.sql with its TTL placeholders filled in, one statement each."""
    statements = []
    for path in sorted(DDL_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        text = text.replace("{ttl_days}", str(int(ttl_days))).replace(
            "{archive_ttl_days}", str(int(archive_ttl_days)))
        body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
        statements += [s.strip() for s in body.split(";") if s.strip()]
    return statements


def ensure_schema(client: Client, ttl_days: int = 180, archive_ttl_days: int = 30) -> None:
    for statement in ddl_statements(ttl_days, archive_ttl_days):
        client.command(statement)


def alert_row(alert: Alert) -> list[Any]:
    return [
        alert.alert_id, alert.kind, alert.rule, alert.severity, alert.platform, alert.room_id,
        alert.session_id, alert.host_id, alert.event_id, ms_to_datetime(alert.event_ts_ms),
        ms_to_datetime(alert.detected_at_ms), alert.evidence,
        orjson.dumps(alert.details, option=orjson.OPT_SORT_KEYS).decode(), alert.source_topic,
        alert.replay_id,
    ]


def insert_alerts(client: Client, alerts: list[Alert]) -> None:
    if alerts:
        client.insert("alerts", [alert_row(a) for a in alerts], column_names=ALERT_COLUMNS)


def row_to_dict(columns: tuple[str, ...] | list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    out = {}
    for name, value in zip(columns, row, strict=True):
        out[name] = value.isoformat(timespec="milliseconds") if isinstance(value, datetime) else value
    return out
