"""Selection lists (选品档案): per-host versioned product declarations, and matching a product card
or a spoken brand against the list that applied at the event's time.

State is plain JSON (a faust table value keyed by ``host_id``)::

    {"host_id": "h1",
     "versions": [  # ascending by version, at most MAX_VERSIONS (highest kept)
        {"version": 3, "valid_from_ms": 1700000000000 | None, "valid_to_ms": None,
         "products": [{"product_id": "p1", "title": "...", "brand": "...", "category": "..."}]}]}

Rules:

* A record replaces the stored entry with the same ``version`` whole (redelivery is idempotent; a
  corrected re-publish of a version wins) - products are never merged across records.
* An older version arriving late is stored in the history (it may still be the applicable list for
  an earlier time window) but never shadows a newer version whose window contains the time.
* :func:`active_list` picks, among stored versions whose window ``[valid_from_ms, valid_to_ms)``
  contains ``ts_ms``, the highest version.  ``None`` bounds are open: a version without
  ``valid_from_ms`` applies to *every* earlier event too, so producers switching the list
  mid-session must set ``valid_from_ms`` to the switch time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path
from typing import Any

from models import fuzzy
from models.plain import as_dict, read_jsonl

MAX_VERSIONS = 10
# Chosen by bench/fuzzy_match.py on the train split of models/data/card_pairs.jsonl (F1-maximising
# threshold of the "combined" method; see models/ENFORCEMENT.md for the measured figures).
DEFAULT_THRESHOLD = 0.57
PAIRS_PATH = Path(__file__).with_name("data") / "card_pairs.jsonl"




def _product(p: Any) -> dict[str, Any]:
    d = as_dict(p)
    return {
        "product_id": str(d["product_id"]),
        "title": str(d.get("title") or ""),
        "brand": d.get("brand"),
        "category": d.get("category"),
    }


# ------------------------------------------------------------------------------------------- state
def apply_selection(state: dict | None, rec: dict) -> dict:
    """Fold one selection-list record into the host's state and return the new state.

    Pure: ``state`` is not mutated.  The version with the same number is replaced whole; the
    history keeps the ``MAX_VERSIONS`` highest version numbers, sorted ascending, so a late record
    older than all of them is dropped."""
    rec = as_dict(rec)
    entry = {
        "version": int(rec["version"]),
        "valid_from_ms": rec.get("valid_from_ms"),
        "valid_to_ms": rec.get("valid_to_ms"),
        "products": [_product(p) for p in rec.get("products") or []],
    }
    versions = [v for v in (state or {}).get("versions", []) if v["version"] != entry["version"]]
    versions.append(entry)
    versions.sort(key=lambda v: v["version"])
    return {"host_id": rec.get("host_id", (state or {}).get("host_id")), "versions": versions[-MAX_VERSIONS:]}


def _contains(v: Mapping[str, Any], ts_ms: int) -> bool:
    lo, hi = v.get("valid_from_ms"), v.get("valid_to_ms")
    return (lo is None or lo <= ts_ms) and (hi is None or ts_ms < hi)


def active_list(state: dict | None, ts_ms: int) -> dict | None:
    """The newest stored version whose ``[valid_from_ms, valid_to_ms)`` contains ``ts_ms``.

    ``valid_from_ms`` is inclusive, ``valid_to_ms`` exclusive (an event exactly at ``valid_to_ms``
    is already outside), ``None`` bounds are open.  Returns the version dict (``version``,
    ``valid_from_ms``, ``valid_to_ms``, ``products``) or None when no version applies."""
    for v in reversed((state or {}).get("versions", [])):
        if _contains(v, ts_ms):
            return v
    return None


# ------------------------------------------------------------------------------------------ matching
@dataclass(slots=True)
class CardMatch:
    """Outcome of matching one card against the host's declared products.

    ``method``: "product_id" (exact id on the list), "fuzzy" (listed by title/brand/category
    similarity), "none" (a list applied but nothing matched: the unlisted_product case) or
    "no_list" (no list version applied at the card's time).  ``nearest`` is the most similar
    declared product (None when there is nothing to compare) and ``score`` its similarity in
    [0, 1]; ``veto`` says why a similar product was still rejected ("model_number_mismatch",
    "brand_mismatch")."""

    listed: bool
    method: str
    nearest: dict | None
    score: float
    version: int | None
    veto: str | None = None
    threshold: float | None = None

    def to_details(self) -> dict[str, Any]:
        """JSON-ready dict for an alert's ``details``."""
        return asdict(self)


def _split_of(group: str) -> str:
    """Deterministic train/test split by product group: blake2b(group) mod 10 < 7 -> train."""
    return "train" if int(blake2b(group.encode(), digest_size=8).hexdigest(), 16) % 10 < 7 else "test"


def load_pairs(path: str | Path = PAIRS_PATH) -> list[dict]:
    """The labelled card/declaration pairs, each with its ``split`` ("train"/"test") filled in."""
    rows = read_jsonl(path)
    for row in rows:
        row["split"] = _split_of(row["group"])
    return rows


@lru_cache(maxsize=1)
def _default_corpus() -> tuple[str, ...]:
    """IDF corpus: normalised texts of the train split (so the test split stays unseen)."""
    try:
        rows = [r for r in load_pairs() if r["split"] == "train"]
    except OSError:
        return ()
    texts = {fuzzy.product_text(r["card"]) for r in rows} | {fuzzy.product_text(r["declared"]) for r in rows}
    return tuple(sorted(texts))


class ProductMatcher:
    """Card -> declared product matcher: product_id first, else the calibrated fuzzy "combined" score.

    combined = 0.5 * TF-IDF char-1-3-gram cosine + 0.5 * rapidfuzz token_set_ratio (jieba tokens)
    over normalised "brand + title" text, moved 40 % towards 1 when both sides name agreeing model
    numbers, x0.8 on a category-group conflict; a model-number
    mismatch (X200 vs X300) or a brand conflict (both sides name brands, none shared) vetoes."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, corpus: Iterable[str] | None = None) -> None:
        self.threshold = threshold
        self._tfidf = fuzzy.TfidfScorer(_default_corpus() if corpus is None else corpus)

    def score(self, card: Mapping[str, Any], declared: Mapping[str, Any]) -> tuple[float, str | None]:
        """(combined similarity, veto reason or None) of one pair."""
        f = fuzzy.pair_features(card, declared)
        tfidf = self._tfidf.score(f["card_text"], f["declared_text"])  # type: ignore[arg-type]
        s = fuzzy.combine(tfidf, f["token_set"], category_conflict=bool(f["category_conflict"]),  # type: ignore[arg-type]
                          model_agree=bool(f["model_agree"]))
        return s, fuzzy.veto_reason(f)

    def match(self, card: dict, declared: list[dict]) -> CardMatch:
        """Match ``card`` against ``declared`` products (``version`` is left None; see match_card).

        A product_id on the list wins outright (score 1.0).  Otherwise the card is listed when some
        declared product scores >= threshold without a veto (the best such one is ``nearest``);
        when none does, ``nearest`` is the highest-scoring declared product (vetoed or not) and
        ``veto`` its veto reason, for the unlisted_product alert."""
        card = as_dict(card)
        products = [_product(p) for p in declared]
        pid = card.get("product_id")
        for p in products:
            if pid is not None and p["product_id"] == str(pid):
                return CardMatch(True, "product_id", p, 1.0, None, None, self.threshold)
        if not products:
            return CardMatch(False, "none", None, 0.0, None, None, self.threshold)
        feats = [fuzzy.pair_features(card, p) for p in products]
        tfidfs = self._tfidf.score_many(str(feats[0]["card_text"]), [str(f["declared_text"]) for f in feats])
        scored = []
        for i, (p, f, tfidf) in enumerate(zip(products, feats, tfidfs, strict=True)):
            s = fuzzy.combine(tfidf, f["token_set"], category_conflict=bool(f["category_conflict"]),  # type: ignore[arg-type]
                              model_agree=bool(f["model_agree"]))
            scored.append((s, fuzzy.veto_reason(f), i, p))
        accepted = [t for t in scored if t[1] is None and t[0] >= self.threshold]
        if accepted:
            s, _veto, _i, p = max(accepted, key=lambda t: (t[0], -t[2]))
            return CardMatch(True, "fuzzy", p, round(s, 4), None, None, self.threshold)
        s, veto, _i, p = max(scored, key=lambda t: (t[0], -t[2]))
        return CardMatch(False, "none", p, round(s, 4), None, veto, self.threshold)


_MATCHER: ProductMatcher | None = None


def default_matcher() -> ProductMatcher:
    """Process-wide matcher (building the IDF takes ~100 ms, so agents share one)."""
    global _MATCHER
    if _MATCHER is None:
        _MATCHER = ProductMatcher()
    return _MATCHER


def match_card(card: dict, state: dict | None, matcher: ProductMatcher | None = None,
               ts_ms: int | None = None) -> CardMatch:
    """Match ``card`` against the host's list active at ``ts_ms`` (default: the card's ``ts_ms``).

    No applicable version -> ``CardMatch(False, "no_list", None, 0.0, None)``."""
    card = as_dict(card)
    at = int(card["ts_ms"]) if ts_ms is None else ts_ms
    lst = active_list(state, at)
    if lst is None:
        return CardMatch(False, "no_list", None, 0.0, None)
    m = (matcher or default_matcher()).match(card, lst["products"])
    m.version = lst["version"]
    return m


# ------------------------------------------------------------------------------------- transcripts
# Context that says a brand is being compared against, not sold: "比兰蔻还好用", "兰蔻平替".
_BEFORE = ("比", "对比", "不是", "不如", "吊打", "碾压", "秒杀")
_AFTER = ("平替", "同厂", "代工", "同款平替")


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text (NFKC, t2s, lower) plus, per folded char, the index of its source char."""
    chars: list[str] = []
    src: list[int] = []
    for i, c in enumerate(text):
        for c2 in unicodedata.normalize("NFKC", c):
            chars.append(c2)
            src.append(i)
    joined = "".join(chars)
    converted = fuzzy._T2S.convert(joined)
    if len(converted) != len(joined):  # phrase-level conversion changed length: go char by char
        converted = "".join(fuzzy._T2S.convert(c) if len(fuzzy._T2S.convert(c)) == 1 else c for c in chars)
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in converted)
    return lowered, src


def _brand_patterns(known_brands: Mapping[str, Iterable[str]] | Iterable[str] | None
                    ) -> list[tuple[str, str, re.Pattern[str] | None]]:
    rows = list(fuzzy._alias_table())
    extra: dict[str, Iterable[str]] = {}
    if isinstance(known_brands, Mapping):
        extra = dict(known_brands)
    elif known_brands is not None:
        extra = {b: () for b in known_brands}
    seen = {a for a, _c, _p in rows}
    for canon, aliases in extra.items():
        canon_c = fuzzy.canonical_brand(canon) or canon
        for alias in {canon, *aliases}:
            a = fuzzy._fold(alias).replace("'", " ").strip()
            if not a or a in seen:
                continue
            seen.add(a)
            pat = (re.compile(r"(?<![a-z])" + re.escape(a) + r"(?![a-z])") if fuzzy._is_ascii_word(a) else None)
            rows.append((a, canon_c, pat))
    rows.sort(key=lambda r: (-len(r[0]), r[0]))
    return rows


def spoken_unlisted(text: str, state_or_list: dict | None,
                    known_brands: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
                    *, ts_ms: int | None = None) -> list[dict]:
    """Brands named in a transcript segment that no product on the host's list carries.

    ``state_or_list`` is a host selection state (then the version active at ``ts_ms`` is used, or the
    newest when ``ts_ms`` is None) or one list version / record with ``products``.  ``known_brands``
    adds brands to the built-in dictionary (canonical -> aliases, or just names).  No applicable list
    -> ``[]`` (the card path reports "no_list"; a transcript alone cannot).

    Best effort: one hit per brand (its first mention), as ``{"brand", "alias", "start", "end",
    "evidence"}`` where ``text[start:end]`` is the mention and ``evidence`` ±12 characters around it.
    Mentions framed as comparisons ("比X好用", "X平替") are skipped, and brand names that are also
    ordinary words (``fuzzy.AMBIGUOUS_BRANDS``: 美的, 小米, 苹果...) count only when a product noun or
    a model number follows ("小米手机", "美的电饭煲", "苹果15")."""
    if not text or not state_or_list:
        return []
    if "versions" in state_or_list:
        versions = state_or_list.get("versions") or []
        lst = active_list(state_or_list, ts_ms) if ts_ms is not None else (versions[-1] if versions else None)
    else:
        lst = state_or_list
    if lst is None:
        return []
    listed: set[str] = set()
    for p in lst.get("products") or []:
        p = as_dict(p)
        listed |= fuzzy.brands_of(p.get("brand"), p.get("title"))
    folded, src = _folded_with_map(text)
    taken = [False] * len(folded)
    hits: dict[str, dict] = {}
    for alias, canon, pat in _brand_patterns(known_brands):
        spans = ([(m.start(), m.end()) for m in pat.finditer(folded)] if pat is not None
                 else [(m.start(), m.end()) for m in re.finditer(re.escape(alias), folded)])
        for s, e in spans:
            if any(taken[s:e]):
                continue
            for k in range(s, e):
                taken[k] = True
            family = {canon, fuzzy._PARENT.get(canon, canon)}
            if family & listed or canon in hits:
                continue
            if folded[max(0, s - 2):s].endswith(_BEFORE) or folded[e:e + 4].startswith(_AFTER):
                continue
            if alias in fuzzy.AMBIGUOUS_BRANDS and not fuzzy.ambiguous_mention_ok(folded, e):
                continue  # "好美的颜色", "小米粥": ordinary words, not the brand
            start, end = src[s], src[e - 1] + 1
            hits[canon] = {"brand": canon, "alias": text[start:end], "start": start, "end": end,
                           "evidence": text[max(0, start - 12): end + 12]}
    return sorted(hits.values(), key=lambda h: h["start"])


__all__ = ["DEFAULT_THRESHOLD", "MAX_VERSIONS", "CardMatch", "ProductMatcher", "active_list", "apply_selection",
           "default_matcher", "load_pairs", "match_card", "spoken_unlisted"]
