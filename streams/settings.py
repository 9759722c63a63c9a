"""Configuration from the environment (names and defaults are part of the wire contract)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from topics.names import DEFAULT_PREFIX


@dataclass(frozen=True)
class Settings:
    kafka: str | None  # None: start the embedded tansu broker
    clickhouse: str  # DSN: http(s)://... or chdb:///abs/path
    topic_prefix: str
    web_host: str
    web_port: int
    data_dir: Path
    partitions: int = 4
    alert_ttl_days: int = 180
    archive_ttl_days: int = 30
    flush_rows: int = 1000
    flush_seconds: float = 0.2
    token: str | None = None  # guards state-changing HTTP endpoints
    app_id: str = "livewatch"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("LIVEWATCH_DATA", "./.livewatch")).expanduser().resolve()
        web = env.get("LIVEWATCH_WEB", "127.0.0.1:6066")
        host, _, port = web.rpartition(":")
        clickhouse = env.get("LIVEWATCH_CLICKHOUSE") or f"chdb://{data_dir / 'clickhouse'}"
        return cls(
            kafka=env.get("LIVEWATCH_KAFKA") or None,
            clickhouse=clickhouse,
            topic_prefix=env.get("LIVEWATCH_TOPIC_PREFIX", DEFAULT_PREFIX),
            web_host=host or "127.0.0.1",
            web_port=int(port),
            data_dir=data_dir,
            partitions=int(env.get("LIVEWATCH_PARTITIONS", "4")),
            alert_ttl_days=int(env.get("LIVEWATCH_ALERT_TTL_DAYS", "180")),
            archive_ttl_days=int(env.get("LIVEWATCH_ARCHIVE_TTL_DAYS", "30")),
            flush_rows=int(env.get("LIVEWATCH_FLUSH_ROWS", "1000")),
            flush_seconds=float(env.get("LIVEWATCH_FLUSH_MS", "200")) / 1000,
            token=env.get("LIVEWATCH_TOKEN") or None,
            app_id=env.get("LIVEWATCH_APP_ID", "livewatch"),
        )

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @property
    def embedded_clickhouse(self) -> bool:
        return self.clickhouse.startswith("chdb:")
