"""The alert of the wire contract and its deterministic id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from topics.timestamps import ms_to_iso

KINDS = ("false_advertising", "unlisted_product", "blacklisted_host", "ccc_invalid", "price_anomaly")
SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def make_alert_id(*parts: object) -> str:
    """Same parts, same id: replays and redeliveries collapse onto one ClickHouse row."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass(slots=True)
class Alert:
    alert_id: str
    kind: str
    rule: str
    severity: str
    platform: str
    room_id: str
    session_id: str
    host_id: str
    event_id: str
    event_ts_ms: int
    detected_at_ms: int
    evidence: str
    details: dict[str, Any] = field(default_factory=dict)
    source_topic: str = ""
    replay_id: str = ""

    def to_contract(self) -> dict[str, Any]:
        """JSON object as published on the alerts topic (timestamps as ISO-8601 in UTC)."""
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "rule": self.rule,
            "severity": self.severity,
            "platform": self.platform,
            "room_id": self.room_id,
            "session_id": self.session_id,
            "host_id": self.host_id,
            "event_id": self.event_id,
            "event_ts": ms_to_iso(self.event_ts_ms),
            "detected_at": ms_to_iso(self.detected_at_ms),
            "evidence": self.evidence,
            "details": orjson.dumps(self.details, option=orjson.OPT_SORT_KEYS).decode(),
            "source_topic": self.source_topic,
            "replay_id": self.replay_id,
        }
