"""The rules engine: one contract record in, the alerts it raises out.

Pure Python: the faust agents call it with faust tables as state, `livewatch scan` with dicts,
so a recording scanned offline and replayed through Kafka raises the same alerts.
All state values are JSON data so that they can live in faust tables.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from models import blacklist as bl
from models import ccc, prices, selection
from models.alert import Alert, make_alert_id
from models.detector import Detector, Finding
from models.fuzzy import canonical_category
from topics.records import plain

PRICE_SEED = Path(__file__).resolve().parent / "data" / "price_seed.csv"


@cache
def default_price_seed() -> dict[str, dict]:
    return prices.load_seed(PRICE_SEED) if PRICE_SEED.exists() else {}


NS_SEP = "\x1f"
_SUBJECT_FIELDS = (("host", "host_id"), ("operator", "operator_id"), ("agency", "agency_id"))


@dataclass
class MonitorState:
    """Where the engine keeps what it has learned; each a mapping from key to JSON data."""

    rooms: MutableMapping[str, Any] = field(default_factory=dict)  # room_id -> current session info
    selections: MutableMapping[str, Any] = field(default_factory=dict)  # host_id -> list versions
    blacklist: MutableMapping[str, Any] = field(default_factory=dict)  # subject_id -> listings
    certificates: MutableMapping[str, Any] = field(default_factory=dict)  # cert_no -> states
    prices: MutableMapping[str, Any] = field(default_factory=dict)  # category -> quantile sketch
    lexicon: MutableMapping[str, Any] = field(default_factory=dict)  # entry id -> run-time update


class Monitor:
    def __init__(
        self,
        detector: Detector,
        state: MonitorState | None = None,
        *,
        matcher: selection.ProductMatcher | None = None,
        replay_id: str = "",
        check_prices: bool = True,
        price_scope: Callable[[Any], str] | None = None,
        price_seed: dict[str, dict] | None = None,
    ) -> None:
        self.detector = detector
        self.state = state or MonitorState()
        self.matcher = matcher or selection.default_matcher()  # ~2 s to build: one per process
        self.replay_id = replay_id
        self.check_prices = check_prices
        # Which price sketch a card joins; the worker keeps one per category and partition.
        self.price_scope = price_scope or (lambda rec: canonical_category(rec.category))
        self.price_seed = default_price_seed() if price_seed is None else price_seed

    # -- dispatch -----------------------------------------------------------------------
    def handle(self, topic: str, rec: Any, now_ms: int) -> list[Alert]:
        """Apply one validated record of ``topic`` (unprefixed) and return the alerts it raises."""
        handler = getattr(self, f"on_{topic}", None)
        if handler is None:
            return []
        return handler(rec, now_ms)

    # -- registry topics: state only ------------------------------------------------------
    def on_selections(self, rec: Any, now_ms: int) -> list[Alert]:
        key = self._k(rec.host_id)
        self.state.selections[key] = selection.apply_selection(self.state.selections.get(key), plain(rec)
        )
        return []

    def on_blacklist(self, rec: Any, now_ms: int) -> list[Alert]:
        key = self._k(rec.subject_id)
        self.state.blacklist[key] = bl.apply_blacklist(self.state.blacklist.get(key), plain(rec)
        )
        return []

    def on_certificates(self, rec: Any, now_ms: int) -> list[Alert]:
        key = self._k(ccc.normalise_cert_no(rec.cert_no))
        self.state.certificates[key] = ccc.apply_certificate(self.state.certificates.get(key), plain(rec)
        )
        return []

    def on_lexicon(self, rec: Any, now_ms: int) -> list[Alert]:
        if self.replay_id:
            return []  # the lexicon is configuration: a replayed recording never changes it
        entry_id = str(rec.entry.get("id") or "")
        if not entry_id:
            raise ValueError("lexicon entry needs an 'id'")
        self.detector.apply_update(rec.op, rec.entry)  # validates; raises ValueError on a bad entry
        self.state.lexicon[entry_id] = {"op": rec.op, "entry": rec.entry}
        return []

    # -- room topics ----------------------------------------------------------------------
    def on_sessions(self, rec: Any, now_ms: int) -> list[Alert]:
        # The room's other topics may have been read first: keep what they recorded.
        room = self._room_info(rec)
        for attr in ("host_name", "operator_id", "agency_id"):
            if getattr(rec, attr):
                room[attr] = getattr(rec, attr)
        room["status"] = rec.status
        alerts = self._blacklist_alerts(rec, room, now_ms, "sessions", trigger="session_start")
        if rec.status == "end":
            stored = self.state.rooms.get(self._k(rec.room_id))
            if stored is not None and stored.get("session_id") == rec.session_id:
                self.state.rooms.pop(self._k(rec.room_id), None)
        else:
            self._remember(rec, room)
        return alerts

    def on_transcripts(self, rec: Any, now_ms: int) -> list[Alert]:
        room = self._room_info(rec)
        alerts = self._blacklist_alerts(rec, room, now_ms, "transcripts", trigger="transcript")
        for finding in self.detector.detect(rec.text, room.get("category")):
            alerts.append(self._false_ad(rec, finding, now_ms, "transcripts", "text"))
        for hit in selection.spoken_unlisted(rec.text, self.state.selections.get(self._k(rec.host_id)), None,
                                              ts_ms=rec.ts_ms):
            details = {"brand": hit["brand"], "alias": hit.get("alias"), "start": hit["start"],
                       "end": hit["end"], "context": hit["evidence"]}
            alerts.append(self._alert(
                # low: measured P 0.67 / R 0.43 on bench/spoken_unlisted.py's labelled segments
                rec, now_ms, "transcripts", "unlisted_product", "spoken_unlisted", "low",
                rec.text[hit["start"]:hit["end"]], details, f"{hit['start']}",
            ))
        self._remember(rec, room)
        return alerts

    def on_product_cards(self, rec: Any, now_ms: int) -> list[Alert]:
        room = self._room_info(rec)
        if rec.category:
            room["category"] = rec.category  # scope for the claims made while this card is up
        alerts = self._blacklist_alerts(rec, room, now_ms, "product_cards", trigger="product_card")
        card = plain(rec)
        alerts += self._selection_alerts(rec, card, now_ms)
        for finding in self.detector.detect(rec.title, rec.category, speech=False):
            alerts.append(self._false_ad(rec, finding, now_ms, "product_cards", "title"))
        alerts += self._ccc_alerts(rec, card, now_ms)
        if self.check_prices:
            alerts += self._price_alerts(rec, now_ms)
        self._remember(rec, room)
        return alerts

    # -- state keys -----------------------------------------------------------------------
    def _k(self, key: str) -> str:
        # A replay keeps its own state (rooms, registry taken from its recording) beside the
        # live state, so replayed records never change what live alerts see.
        return f"{self.replay_id}{NS_SEP}{key}" if self.replay_id else key

    def _own_items(self, table: MutableMapping[str, Any]) -> list[tuple[str, Any]]:
        if not self.replay_id:
            return [(k, v) for k, v in table.items() if NS_SEP not in k]
        prefix = f"{self.replay_id}{NS_SEP}"
        return [(k[len(prefix):], v) for k, v in table.items() if k.startswith(prefix)]

    # -- rules ------------------------------------------------------------------------------
    def _room_info(self, rec: Any) -> dict[str, Any]:
        room = self.state.rooms.get(self._k(rec.room_id))
        if room is None or room.get("session_id") != rec.session_id:
            return {"session_id": rec.session_id, "host_id": rec.host_id, "alerted": [],
                    "started_ms": rec.ts_ms}
        return {**room, "alerted": list(room.get("alerted", ()))}  # a copy: stored state is compared

    def _remember(self, rec: Any, room: dict[str, Any]) -> None:
        # Written only on change (alerts raised, card scope): table writes cost a changelog record.
        key = self._k(rec.room_id)
        stored = self.state.rooms.get(key)
        if stored == room:
            return
        if stored is not None and stored.get("session_id") != room["session_id"] \
                and rec.ts_ms < stored.get("started_ms", 0):
            return  # a late record of an earlier session: the room has moved on
        self.state.rooms[key] = room

    def _blacklist_alerts(self, rec: Any, room: dict[str, Any], now_ms: int, topic: str,
                          trigger: str) -> list[Alert]:
        alerts = []
        hits: list[tuple[str, str, dict[str, Any], str | None]] = []
        for subject_type, attr in _SUBJECT_FIELDS:
            subject_id = getattr(rec, attr, None) or room.get(attr)
            if not subject_id:
                continue
            listing = bl.listing_at(self.state.blacklist.get(self._k(subject_id)), rec.ts_ms)
            if listing is not None:
                hits.append((subject_type, subject_id, listing, None))
        host_name = getattr(rec, "host_name", None) or room.get("host_name")
        matched_by: dict[str, str] = {}
        if host_name:
            listed = {h[1] for h in hits}
            for found in bl.find_alias_all(self._own_items(self.state.blacklist), host_name, rec.ts_ms):
                if found["subject_id"] in listed:
                    continue
                listing = bl.listing_at(self.state.blacklist.get(self._k(found["subject_id"])), rec.ts_ms) or {}
                hits.append((found["subject_type"], found["subject_id"], listing, found["alias"]))
                matched_by[found["subject_id"]] = found["match"]
                break  # the best hit by the collision rule (models/blacklist.py)
        for subject_type, subject_id, listing, alias in hits:
            once_key = f"{subject_type}:{subject_id}"
            if once_key in room.get("alerted", ()):
                continue  # once per session, not once per segment
            room.setdefault("alerted", []).append(once_key)
            details = {
                "subject_type": subject_type,
                "subject_id": subject_id,
                "reason": listing.get("reason"),
                "listed_at": listing.get("listed_at"),
                "expires_at": listing.get("expires_at"),
                "trigger": trigger,
            }
            severity = "critical"
            if alias:
                details["alias"] = alias
                details["alias_match"] = matched_by.get(subject_id, "exact")
                if details["alias_match"] != "exact":
                    severity = "high"  # a sound-alike name: likely, not certain
            rule = f"blacklisted_{subject_type}" + ("_alias" if alias else "")
            alerts.append(Alert(
                alert_id=make_alert_id("blacklisted_host", rule, rec.session_id, subject_id, self.replay_id),
                kind="blacklisted_host", rule=rule, severity=severity,
                platform=rec.platform, room_id=rec.room_id, session_id=rec.session_id,
                host_id=rec.host_id, event_id=rec.event_id, event_ts_ms=rec.ts_ms,
                detected_at_ms=now_ms, evidence=alias or subject_id, details=details,
                source_topic=topic, replay_id=self.replay_id,
            ))
        return alerts

    def _selection_alerts(self, rec: Any, card: dict[str, Any], now_ms: int) -> list[Alert]:
        active = selection.active_list(self.state.selections.get(self._k(rec.host_id)), rec.ts_ms)
        declared = active["products"] if active else []
        match = self.matcher.match(card, declared) if active else selection.CardMatch(
            listed=False, method="no_list", nearest=None, score=0.0, version=None)
        if match.listed:
            return []
        rule = "no_selection_list" if active is None else "not_on_selection_list"
        details = {
            "product_id": rec.product_id,
            "title": rec.title,
            "list_version": active.get("version") if active else None,
            "nearest": match.nearest,
            "score": round(match.score, 4),
            "method": match.method,
            "veto": match.veto,
        }
        return [self._alert(rec, now_ms, "product_cards", "unlisted_product", rule, "high",
                            rec.title, details, rec.product_id)]

    def _ccc_alerts(self, rec: Any, card: dict[str, Any], now_ms: int) -> list[Alert]:
        item = ccc.ccc_requirement(rec.category, rec.title)
        if item is None:
            return []
        cert = self.state.certificates.get(self._k(ccc.normalise_cert_no(rec.ccc_cert))) if rec.ccc_cert else None
        reason = ccc.check_card_certificate(card, cert, rec.ts_ms)
        if reason is None:
            return []
        details = {"reason": reason, "catalogue_item": item, "ccc_cert": rec.ccc_cert,
                   "product_id": rec.product_id, "category": rec.category}
        return [self._alert(rec, now_ms, "product_cards", "ccc_invalid", f"ccc_{reason}", "high",
                            rec.ccc_cert or rec.title, details, rec.product_id)]

    def _price_alerts(self, rec: Any, now_ms: int) -> list[Alert]:
        if rec.price is None or not rec.category or rec.price <= 0:
            return []
        price_key = self._k(self.price_scope(rec))
        stats = self.state.prices.get(price_key)
        verdict = prices.price_verdict(stats, rec.price,
                                       seed=self.price_seed.get(canonical_category(rec.category)))
        self.state.prices[price_key] = prices.observe_price(stats, rec.price)
        if verdict is None:
            return []
        details = {"price": rec.price, "category": rec.category, "product_id": rec.product_id, **verdict}
        return [self._alert(rec, now_ms, "product_cards", "price_anomaly", "price_far_below_range",
                            "medium", repr(rec.price), details, rec.product_id)]

    def _false_ad(self, rec: Any, f: Finding, now_ms: int, topic: str, field_name: str) -> Alert:
        details = {
            "category": f.category, "basis": f.basis, "source": f.source, "score": round(f.score, 4),
            "start": f.start, "end": f.end, "field": field_name, "matched": f.matched,
        }
        if topic == "transcripts":
            details["seq"] = rec.seq
        return self._alert(rec, now_ms, topic, "false_advertising", f.rule, f.severity, f.evidence,
                           details, f"{field_name}:{f.start}:{f.end}")

    def _alert(self, rec: Any, now_ms: int, topic: str, kind: str, rule: str, severity: str,
               evidence: str, details: dict[str, Any], discriminator: str) -> Alert:
        return Alert(
            alert_id=make_alert_id(kind, rule, topic, rec.event_id, discriminator, self.replay_id),
            kind=kind, rule=rule, severity=severity, platform=rec.platform, room_id=rec.room_id,
            session_id=rec.session_id, host_id=rec.host_id, event_id=rec.event_id,
            event_ts_ms=rec.ts_ms, detected_at_ms=now_ms, evidence=evidence, details=details,
            source_topic=topic, replay_id=self.replay_id,
        )
