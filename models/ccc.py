"""CCC (强制性产品认证) rules: which catalogue item a product card falls under, and whether the
certificate it carries was good at the card's time.

Certificate state is plain JSON (a faust table value keyed by :func:`normalise_cert_no`)::

    {"cert_no": "2021010701234567", "holder": "...",
     "events": [{"ts_ms", "status", "scope", "expires_at_ms", "holder"}, ...]}   # ascending ts_ms

The certificate *at time t* is the last event with ``ts_ms <= t`` (ties: the later arrival).  So a
suspension followed by a restoration gives "suspended" between the two and None after.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from models import fuzzy
from models.plain import as_dict

CATALOGUE_PATH = Path(__file__).with_name("data") / "ccc_catalogue.yaml"
MAX_EVENTS = 100
REASONS = ("missing", "unknown", "expired", "suspended", "revoked", "out_of_scope")




def _key(text: str | None) -> str:
    """Folded and compacted (no spaces/punctuation) so keywords match across spellings."""
    return fuzzy._compact(fuzzy._fold(text or ""))


@lru_cache(maxsize=4)
def load_catalogue(path: str | Path = CATALOGUE_PATH) -> dict[str, Any]:
    """The catalogue with keywords folded; items keep their file order (= tie-break priority)."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    items = []
    for item in raw["items"]:
        items.append({
            "id": item["id"],
            "name": item["name"],
            # the item's own name counts as a keyword so a certificate scope may name the class
            "keywords": sorted({_key(k) for k in [*item.get("keywords", []), item["name"]]} - {""}),
            "exclude": sorted({_key(k) for k in item.get("exclude", [])} - {""}),
            "default_for": [fuzzy.canonical_category(c) for c in item.get("default_for", [])],
        })
    exempt = {fuzzy.canonical_category(c) for c in raw.get("exempt_categories", [])}
    return {"version": raw.get("version"), "items": items, "exempt": exempt}


def ccc_item(category: str | None, title: str, catalogue: Mapping[str, Any] | None = None) -> dict | None:
    """The catalogue item (``{"id", "name", ...}``) that applies to a card, or None.

    Order: an exempt category (食品, 化妆品, 服装 and synonyms) -> None; else the item with the
    longest keyword in the folded title (ties: file order), skipping items whose ``exclude``
    keyword appears ('手机壳' is not a 手机); else the item whose ``default_for`` holds the card's
    canonical category (玩具 -> toys even when the title names no toy word) unless that item was
    excluded by the title; else None."""
    cat = catalogue or load_catalogue()
    canon = fuzzy.canonical_category(category)
    if canon in cat["exempt"]:
        return None
    t = _key(title)
    best: tuple[int, int, dict] | None = None
    excluded: set[str] = set()
    for order, item in enumerate(cat["items"]):
        if any(x in t for x in item["exclude"]):
            excluded.add(item["id"])
            continue
        hit = max((len(k) for k in item["keywords"] if k in t), default=0)
        if hit and (best is None or (hit, -order) > (best[0], -best[1])):
            best = (hit, order, item)
    if best is not None:
        return best[2]
    if canon is not None:
        for item in cat["items"]:
            if canon in item["default_for"] and item["id"] not in excluded:
                return item  # an excluded item stays excluded: 手机壳 in category 手机 is no phone
    return None


def ccc_requirement(category: str | None, title: str) -> str | None:
    """Name of the CCC catalogue item a card with this category and title falls under (e.g.
    '家用和类似用途设备', '玩具（塑胶/电/金属/弹射/娃娃玩具）'), or None when CCC does not apply."""
    item = ccc_item(category, title)
    return item["name"] if item else None


# ---------------------------------------------------------------------------------------- certificates
def normalise_cert_no(cert_no: str | None) -> str:
    """Table key of a certificate number: NFKC, upper case, spaces and dashes removed."""
    return re.sub(r"[\s\-_/]", "", fuzzy._fold(cert_no or "")).upper()


def apply_certificate(state: dict | None, rec: dict) -> dict:
    """Fold one certificate record into its state (pure).  Events stay sorted by ``ts_ms``
    (stable, so a same-ms correction arriving later wins); exact redeliveries are ignored; the
    newest ``MAX_EVENTS`` are kept."""
    rec = as_dict(rec)
    old = state or {}
    ev = {
        "ts_ms": int(rec["ts_ms"]),
        "status": rec["status"],
        "scope": list(rec["scope"]) if rec.get("scope") is not None else None,
        "expires_at_ms": rec.get("expires_at_ms"),
        "holder": rec.get("holder"),
    }
    events = [dict(e) for e in old.get("events", [])]
    if ev not in events:
        events.append(ev)
    events.sort(key=lambda e: e["ts_ms"])
    return {
        "cert_no": normalise_cert_no(rec.get("cert_no") or old.get("cert_no")),
        "holder": rec.get("holder") or old.get("holder"),
        "events": events[-MAX_EVENTS:],
    }


def certificate_at(state: dict | None, ts_ms: int) -> dict | None:
    """The certificate's last event with ``ts_ms <= ts_ms`` or None (not yet known at that time)."""
    found = None
    for e in (state or {}).get("events", []):
        if e["ts_ms"] <= ts_ms:
            found = e
        else:
            break
    return found


def _in_scope(scope: list[str], card: Mapping[str, Any], item: Mapping[str, Any] | None) -> bool:
    title = str(card.get("title") or "")
    t = _key(title)
    card_cat = fuzzy.canonical_category(card.get("category"))
    card_models = fuzzy.model_numbers(title)
    for entry in scope:
        e = _key(entry)
        if not e:
            continue
        if e in t:  # scope names the product or model literally
            return True
        if item is not None and (ccc_item(entry, entry) or {}).get("id") == item["id"]:
            return True  # scope names the same catalogue class
        if card_cat is not None and card_cat in fuzzy.CATEGORIES and fuzzy.canonical_category(entry) == card_cat:
            return True
        models = fuzzy.model_numbers(entry)
        if models and card_models and models & card_models:
            return True
    return False


def check_card_certificate(card: dict, cert_state: dict | None, ts_ms: int) -> str | None:
    """Why the card's CCC certificate is not good at ``ts_ms``, or None when fine / not required.

    None when :func:`ccc_requirement` finds no catalogue item.  Otherwise, first applicable of:

    * "missing"  - the card carries no ``ccc_cert``;
    * "unknown"  - ``cert_state`` is None, or has no event at or before ``ts_ms``;
    * "revoked" / "suspended" - status at ``ts_ms``;
    * "expired"  - ``expires_at_ms <= ts_ms`` (exclusive: valid until, not at, the expiry);
    * "out_of_scope" - the certificate has a non-empty ``scope`` and no entry covers the card
      (covered = the entry appears in the title, names the same catalogue class or canonical
      category, or shares a model number with the title).

    ``cert_state`` must be the state of the card's own ``ccc_cert`` (look it up with
    :func:`normalise_cert_no`); a state of another number is treated as unknown."""
    card = as_dict(card)
    item = ccc_item(card.get("category"), str(card.get("title") or ""))
    if item is None:
        return None
    cert_no = normalise_cert_no(card.get("ccc_cert"))
    if not cert_no:
        return "missing"
    if cert_state is None or (cert_state.get("cert_no") and cert_state["cert_no"] != cert_no):
        return "unknown"
    at = certificate_at(cert_state, ts_ms)
    if at is None:
        return "unknown"
    if at["status"] in ("revoked", "suspended"):
        return at["status"]
    if at.get("expires_at_ms") is not None and at["expires_at_ms"] <= ts_ms:
        return "expired"
    if at.get("scope") and not _in_scope(at["scope"], card, item):
        return "out_of_scope"
    return None


__all__ = ["REASONS", "apply_certificate", "ccc_item", "ccc_requirement", "certificate_at", "check_card_certificate",
           "load_catalogue", "normalise_cert_no"]
