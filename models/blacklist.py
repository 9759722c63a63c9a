"""Blacklisted hosts, operators and agencies: listing history per subject, and alias look-up.

State is plain JSON (a faust table value keyed by ``subject_id``)::

    {"subject_id": "h9", "subject_type": "host",
     "events": [{"ts_ms", "op", "reason", "names", "expires_at_ms", "seq"}, ...],   # input log
     "intervals": [{"from_ms", "listed_at", "until_ms", "expires_at", "reason",
                    "names", "names_norm", "removed_reason"}, ...]}               # derived

``intervals`` is recomputed from the event log on every record, so records arriving out of order
(by ``ts_ms``) give the same state as in order.  Replay order: ``(ts_ms, arrival seq)``.

* ``add`` when not listed opens a listing (``listed_at`` = its ``ts_ms``).
* ``add`` while listed (re-add / amend) splits the interval at its ``ts_ms``: the reason, expiry and
  aliases change from then on, ``listed_at`` keeps the original listing time.  An ``add`` after the
  previous listing expired opens a new listing.
* ``remove`` ends the current listing at its ``ts_ms`` (``until_ms``, exclusive); a remove while
  not listed is kept in the log but changes nothing.
* A listing is active at ``t`` iff ``from_ms <= t < until_ms`` (None = open) and
  ``t < expires_at`` (None = never): listed *until*, not *at*, ``expires_at``.
* Aliases of a listing: the ``names`` of its add records (accumulated across amendments); an add
  without ``names`` carries over the aliases of the subject's previous listing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from pypinyin import lazy_pinyin

from models.fuzzy import _fold
from models.plain import as_dict

MAX_EVENTS = 200
SUBJECT_RANK = {"host": 0, "operator": 1, "agency": 2}
# CJK stroke characters used as separators in display names ("张三丨官方"); letters to Unicode
_DECOR = set("丨丶丿亅")




def normalise_alias(name: str) -> str:
    """Comparable form of a display name: NFKC (full-width -> ASCII), traditional -> simplified,
    lower case, Latin accents folded, and everything that is not a letter or digit (spaces,
    punctuation, emoji, separators like ★ or 丨) removed.  '李佳琦 Austin✨' -> '李佳琦austin'."""
    return "".join(c for c in _fold(name or "") if unicodedata.category(c)[0] in "LN" and c not in _DECOR)


def alias_keys(name: str) -> dict[str, str]:
    """Look-up keys of a name: ``{"exact": normalise_alias(name), "pinyin": toneless pinyin of it}``.

    The pinyin key makes '李佳琦', 'Li Jiaqi' and the homophone '李家琪' meet; it is only produced
    for names of at least 2 characters and 5 pinyin letters, because short keys ("wang") collide
    on ordinary names.  A pinyin hit is weaker evidence than an exact one (see find_alias_all)."""
    exact = normalise_alias(name)
    keys = {"exact": exact} if exact else {}
    py = "".join(lazy_pinyin(exact)) if exact else ""
    py = "".join(c for c in py if c.isalnum())
    if len(exact) >= 2 and len(py) >= 5:
        keys["pinyin"] = py
    return keys


def _event(rec: dict[str, Any], seq: int) -> dict[str, Any]:
    names = rec.get("names")
    return {
        "ts_ms": int(rec["ts_ms"]),
        "op": rec["op"],
        "reason": rec.get("reason") or "",
        "names": [str(n) for n in names] if names is not None else None,
        "expires_at_ms": rec.get("expires_at_ms"),
        "seq": seq,
    }


def _derive(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    intervals: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    last_names: list[str] = []

    def close(at: int | None, why: str | None) -> None:
        nonlocal cur
        assert cur is not None
        cur["until_ms"] = at
        cur["removed_reason"] = why
        intervals.append(cur)
        cur = None

    for e in sorted(events, key=lambda e: (e["ts_ms"], e["seq"])):
        t = e["ts_ms"]
        if cur is not None and cur["expires_at"] is not None and cur["expires_at"] <= t:
            close(None, None)  # lapsed by expiry before this event
        if e["op"] == "add":
            if e["names"] is not None:
                names = list(dict.fromkeys((cur["names"] if cur else []) + e["names"]))
            else:
                names = list(cur["names"]) if cur else list(last_names)
            listed_at = cur["listed_at"] if cur else t
            if cur is not None:
                close(t, None)  # amendment: split, not a removal
            cur = {"from_ms": t, "listed_at": listed_at, "until_ms": None, "expires_at": e["expires_at_ms"],
                   "reason": e["reason"], "names": names,
                   "names_norm": sorted({normalise_alias(n) for n in names} - {""}), "removed_reason": None}
            last_names = names
        elif e["op"] == "remove" and cur is not None:
            close(t, e["reason"] or None)
    if cur is not None:
        intervals.append(cur)
    return intervals


def apply_blacklist(state: dict | None, rec: dict) -> dict:
    """Fold one blacklist record into the subject's state (pure; ``state`` is not mutated).

    An exact redelivery (same ts_ms, op, reason, names, expiry) is ignored.  The log keeps the
    newest ``MAX_EVENTS`` events by ``ts_ms``."""
    rec = as_dict(rec)
    old = state or {}
    events = [dict(e) for e in old.get("events", [])]
    seq = max((e["seq"] for e in events), default=-1) + 1
    new = _event(rec, seq)
    same = ("ts_ms", "op", "reason", "names", "expires_at_ms")
    if not any(all(e[k] == new[k] for k in same) for e in events):
        events.append(new)
    events.sort(key=lambda e: (e["ts_ms"], e["seq"]))
    events = events[-MAX_EVENTS:]
    return {
        "subject_id": rec.get("subject_id", old.get("subject_id")),
        "subject_type": rec.get("subject_type") or old.get("subject_type") or "host",
        "events": events,
        "intervals": _derive(events),
    }


def _active(iv: Mapping[str, Any], ts_ms: int) -> bool:
    return (
        iv["from_ms"] <= ts_ms
        and (iv["until_ms"] is None or ts_ms < iv["until_ms"])
        and (iv["expires_at"] is None or ts_ms < iv["expires_at"])
    )


def listing_at(state: dict | None, ts_ms: int) -> dict | None:
    """The listing active at ``ts_ms``: ``{"subject_id", "subject_type", "reason", "listed_at",
    "expires_at", "names"}`` or None.

    Boundaries: listed from ``listed_at`` inclusive; a remove at ``t`` means not listed at ``t``;
    ``expires_at`` is exclusive - an event exactly at ``expires_at`` is NOT blacklisted."""
    for iv in (state or {}).get("intervals", []):
        if _active(iv, ts_ms):
            return {
                "subject_id": state.get("subject_id") if state else None,
                "subject_type": state.get("subject_type") if state else None,
                "reason": iv["reason"],
                "listed_at": iv["listed_at"],
                "expires_at": iv["expires_at"],
                "names": list(iv["names"]),
            }
    return None


def find_alias_all(entries: Iterable[tuple[str, dict]], name: str, ts_ms: int) -> list[dict[str, Any]]:
    """Every subject listed at ``ts_ms`` with an alias matching ``name``, best first.

    Each hit: ``{"subject_id", "subject_type", "alias", "match": "exact"|"pinyin", "listed_at"}``.
    Order (the collision rule): exact before pinyin, then subject type host < operator < agency,
    then the earliest ``listed_at``, then ``subject_id`` - so the result never depends on the
    iteration order of ``entries``."""
    keys = alias_keys(name)
    if not keys:
        return []
    hits = []
    for subject_id, state in entries:
        listing = listing_at(state, ts_ms)
        if listing is None:
            continue
        best = None
        for alias in sorted(listing["names"]):
            ak = alias_keys(alias)
            if ak.get("exact") and ak["exact"] == keys.get("exact"):
                best = (0, alias)
                break
            if best is None and ak.get("pinyin") and ak["pinyin"] == keys.get("pinyin"):
                best = (1, alias)
        if best is not None:
            hits.append({
                "subject_id": subject_id,
                "subject_type": listing["subject_type"] or "host",
                "alias": best[1],
                "match": "exact" if best[0] == 0 else "pinyin",
                "listed_at": listing["listed_at"],
                "_rank": (best[0], SUBJECT_RANK.get(listing["subject_type"] or "host", 9), listing["listed_at"],
                          subject_id),
            })
    hits.sort(key=lambda h: h["_rank"])
    for h in hits:
        del h["_rank"]
    return hits


def find_alias(entries: Iterable[tuple[str, dict]], name: str, ts_ms: int) -> tuple[str, str] | None:
    """(subject_id, the listed alias as written on the blacklist) for a name matching an alias of a
    subject listed at ``ts_ms``, or None.  With several matching subjects (alias collision) the
    first by :func:`find_alias_all`'s order wins: exact > pinyin, host > operator > agency,
    earliest listing, smallest subject_id.  O(subjects); see ENFORCEMENT.md for an index."""
    hits = find_alias_all(entries, name, ts_ms)
    return (hits[0]["subject_id"], hits[0]["alias"]) if hits else None


__all__ = ["alias_keys", "apply_blacklist", "find_alias", "find_alias_all", "listing_at", "normalise_alias"]
