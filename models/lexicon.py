"""Lexicon of prohibited advertising claims: loading, validation and the compiled automaton.

The lexicon is data (models/data/lexicon.yaml).  ``Lexicon.compile()`` produces an immutable ``Compiled``
snapshot holding one Aho-Corasick automaton over the normalised entry patterns, the classifier cue words
and the exception words, so a segment is scanned once for all three.  Run-time updates build a new
snapshot; callers swap the reference, so readers see either the old or the new snapshot, never a mix.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick_rs
import yaml

from models.context import DISCLAIMERS, REJECTIONS
from models.normalize import normalize_pattern
from models.reference_price import REFERENCE_PLACES, REFERENCE_WORDS

DEFAULT_PATH = Path(__file__).parent / "data" / "lexicon.yaml"

CATEGORIES = (
    "absolute_terms",
    "state_endorsement",
    "superstition",
    "medical_claim",
    "health_food_claim",
    "medical_endorsement",
    "efficacy_guarantee",
    "education_guarantee",
    "investment_guarantee",
    "price_claim",
)
SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
CONTEXTS = ("none", "superlative", "ordinal", "unique", "word")
SKIP = "skip"

# Product-card categories arrive in several spellings; scope keys use the canonical one.
PRODUCT_ALIASES = {
    "保健品": "保健食品", "营养品": "保健食品", "膳食补充剂": "保健食品",
    "食品饮料": "食品", "零食": "食品", "饮料": "食品", "生鲜": "食品", "酒水": "食品",
    "美妆": "化妆品", "护肤品": "化妆品", "彩妆": "化妆品", "个护": "化妆品", "美容护肤": "化妆品",
    "药": "药品", "中药": "药品", "西药": "药品", "非处方药": "药品", "医药": "药品",
    "器械": "医疗器械", "医疗用品": "医疗器械",
}


def canonical_product(product_category: str | None) -> str | None:
    if not product_category:
        return None
    p = product_category.strip()
    return PRODUCT_ALIASES.get(p, p)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    patterns: tuple[str, ...]
    category: str
    severity: str
    basis: str
    scope: Mapping[str, str] = field(default_factory=dict)
    context: str = "none"
    # Words of which one must occur in the same sentence (pattern 医生 + near 推荐: an endorsement, while
    # 医生建议多喝水 is not one).  Empty: the pattern alone is the claim.
    near: tuple[str, ...] = ()
    # A regular expression over the normalised clause that must match around the pattern hit (the
    # pattern is its anchor, found by the automaton): 没有任何一款能超过 from anchor 超过.  The match is
    # the evidence.  None: the pattern alone.
    regex: re.Pattern[str] | None = None
    near_re: re.Pattern[str] | None = None  # the near words as one alternation (longest first), compiled once

    def severity_for(self, product_category: str | None) -> str | None:
        """Severity for this product category; None when the claim is lawful for it (scope "skip")."""
        sev = self.scope.get(product_category, self.severity) if product_category else self.severity
        return None if sev == SKIP else sev

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "pattern": list(self.patterns) if len(self.patterns) > 1 else self.patterns[0],
            "category": self.category,
            "severity": self.severity,
            "basis": self.basis,
        }
        if self.scope:
            d["scope"] = dict(self.scope)
        if self.context != "none":
            d["context"] = self.context
        if self.near:
            d["near"] = list(self.near)
        if self.regex is not None:
            d["regex"] = self.regex.pattern
        return d


def _validate_scope(scope: Any, where: str) -> dict[str, str]:
    if scope is None:
        return {}
    if not isinstance(scope, Mapping):
        raise ValueError(f"{where}: 'scope' must be a mapping of product category -> severity or 'skip'")
    out: dict[str, str] = {}
    for k, v in scope.items():
        if not isinstance(k, str) or not k.strip():
            raise ValueError(f"{where}: scope keys must be non-empty product category names, got {k!r}")
        if v not in SEVERITIES and v != SKIP:
            raise ValueError(f"{where}: scope[{k!r}] must be one of {SEVERITIES + (SKIP,)}, got {v!r}")
        out[canonical_product(k) or k] = v
    return out


_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*(?:[*+]|\{\d*,\d*\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d*,\d*\})")


def validate_entry(raw: Any) -> Entry:
    """Validate one lexicon entry (YAML or a `livewatch.lexicon` update); raise ValueError saying what is wrong."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"lexicon entry must be a mapping, got {type(raw).__name__}")
    eid = raw.get("id")
    if not isinstance(eid, str) or not eid.strip():
        raise ValueError(f"lexicon entry needs a non-empty string 'id', got {eid!r}")
    where = f"lexicon entry {eid!r}"
    unknown = set(raw) - {"id", "pattern", "category", "severity", "basis", "scope", "context", "near", "regex"}
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    pattern = raw.get("pattern")
    patterns = [pattern] if isinstance(pattern, str) else pattern
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
        raise ValueError(f"{where}: 'pattern' must be a non-empty string or a non-empty list of strings")
    normed = []
    for p in patterns:
        n = normalize_pattern(p)
        if not n.strip():
            raise ValueError(f"{where}: pattern {p!r} is empty after normalisation")
        normed.append(n)
    category = raw.get("category")
    if category not in CATEGORIES:
        raise ValueError(f"{where}: 'category' must be one of {CATEGORIES}, got {category!r}")
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: 'severity' must be one of {SEVERITIES}, got {severity!r}")
    basis = raw.get("basis")
    if not isinstance(basis, str) or "第" not in basis and "规定" not in basis:
        raise ValueError(f"{where}: 'basis' must cite the legal article, e.g. '广告法 第九条(三)', got {basis!r}")
    context = raw.get("context", "none") or "none"
    if context not in CONTEXTS:
        raise ValueError(f"{where}: 'context' must be one of {CONTEXTS}, got {context!r}")
    near = raw.get("near") or []
    if isinstance(near, str):
        near = [near]
    if not isinstance(near, list) or not all(isinstance(w, str) and normalize_pattern(w).strip() for w in near):
        raise ValueError(f"{where}: 'near' must be a list of non-empty strings")
    near_words = tuple(dict.fromkeys(normalize_pattern(w) for w in near))
    rx = raw.get("regex")
    if rx is not None:
        if not isinstance(rx, str) or not rx:
            raise ValueError(f"{where}: 'regex' must be a non-empty string")
        if _NESTED_QUANTIFIER.search(rx):
            # (a+)+ and the like backtrack exponentially; updates arrive at run time, so refuse them.
            raise ValueError(f"{where}: 'regex' has a quantified group containing a quantifier: {rx!r}")
        try:
            rx = re.compile(rx)
        except re.error as exc:
            raise ValueError(f"{where}: 'regex' does not compile: {exc}") from None
    return Entry(
        id=eid.strip(),
        patterns=tuple(dict.fromkeys(normed)),
        category=category,
        severity=severity,
        basis=basis,
        scope=_validate_scope(raw.get("scope"), where),
        context=context,
        near=near_words,
        regex=rx,
        near_re=re.compile("|".join(map(re.escape, sorted(near_words, key=len, reverse=True)))) if near_words else None,
    )


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    severity: str
    basis: str
    scope: Mapping[str, str]

    def severity_for(self, product_category: str | None) -> str | None:
        sev = self.scope.get(product_category, self.severity) if product_category else self.severity
        return None if sev == SKIP else sev


# Discourse markers and reference-price words, folded like the text they are matched against.
_MARKERS = tuple(
    tuple(dict.fromkeys(normalize_pattern(w) for w in ws)) for ws in (DISCLAIMERS, REJECTIONS, REFERENCE_WORDS + REFERENCE_PLACES)
)
KIND_ENTRY, KIND_CUE, KIND_EXCEPTION, KIND_REFERENCE_PRICE, KIND_DISCLAIMER, KIND_REJECTION, KIND_TOPIC, KIND_STRONG = range(8)
# Absolute terms and price superlatives are defined by their wording (第九条(三) lists words): a hit of theirs
# that the context checks turn down (最近, 第一次) stays down and is no subject for the classifier.
WORDING_DEFINED = frozenset({"absolute_terms", "price_claim"})


@dataclass(frozen=True, slots=True)
class Compiled:
    """Immutable matching snapshot: swap the whole object, never mutate it."""

    automaton: Any  # ahocorasick_rs.AhoCorasick, or None when there is nothing to match
    kinds: tuple[int, ...]  # per automaton pattern index
    targets: tuple[tuple[Entry, ...] | str, ...]  # entries for KIND_ENTRY, the word otherwise
    version: int
    # Plain entry patterns of a category the classifier also judges (治, 包过, 医生 …; not 最 or 全网最低, and not a
    # regex anchor such as 减 or 白, which names nothing by itself): a hit turned down by the context checks still
    # names what a claim may be about, so its clause is scored like a topic.
    subjects: frozenset[int] = frozenset()


class Lexicon:
    """Mutable set of entries + cues + topics + exceptions; ``compile()`` returns a fresh immutable snapshot."""

    def __init__(
        self,
        entries: Iterable[Entry],
        cues: Iterable[str] = (),
        exceptions: Iterable[str] = (),
        categories: Mapping[str, CategoryInfo] | None = None,
        topics: Iterable[str] = (),
    ) -> None:
        self.entries: dict[str, Entry] = {}
        for e in entries:
            if e.id in self.entries:
                raise ValueError(f"duplicate lexicon entry id {e.id!r}")
            self.entries[e.id] = e
        self.cues = tuple(dict.fromkeys(normalize_pattern(c) for c in cues if c))
        self.exceptions = tuple(dict.fromkeys(normalize_pattern(c) for c in exceptions if c))
        # Subject words (考研, 黄金, 部队 …): a clause holding one is scored by the classifier at a stricter
        # threshold than a clause with a cue word.
        self.topics = tuple(dict.fromkeys(t for t in map(normalize_pattern, topics) if t and t not in self.cues))
        self.categories: dict[str, CategoryInfo] = dict(categories or {})
        for cat in CATEGORIES:
            self.categories.setdefault(cat, CategoryInfo("medium", "广告法 第二十八条", {}))
        self.version = 0

    @classmethod
    def load(cls, path: Path | str = DEFAULT_PATH) -> Lexicon:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
            raise ValueError(f"{path}: expected a mapping with an 'entries' list")
        cats: dict[str, CategoryInfo] = {}
        for name, info in (data.get("categories") or {}).items():
            if name not in CATEGORIES:
                raise ValueError(f"{path}: unknown category {name!r}")
            if info.get("severity") not in SEVERITIES:
                raise ValueError(f"{path}: category {name!r} needs a valid severity")
            cats[name] = CategoryInfo(
                info["severity"], str(info.get("basis", "")), _validate_scope(info.get("scope"), name)
            )
        return cls(
            (validate_entry(e) for e in data["entries"]),
            data.get("cues") or (),
            data.get("exceptions") or (),
            cats,
            data.get("topics") or (),
        )

    def copy(self) -> Lexicon:
        """An independent lexicon with the same entries, words, categories and version (entries are frozen,
        so sharing them is safe; ``apply`` on the copy leaves this one unchanged)."""
        new = copy.copy(self)
        new.entries = dict(self.entries)
        new.categories = dict(self.categories)
        return new

    def apply(self, op: str, entry: Mapping[str, Any]) -> None:
        """Apply a run-time update; raises ValueError on a bad op or entry."""
        if op == "upsert":
            e = validate_entry(entry)
            self.entries[e.id] = e
        elif op == "remove":
            eid = entry.get("id") if isinstance(entry, Mapping) else None
            if not isinstance(eid, str) or not eid:
                raise ValueError("lexicon remove needs an entry with a non-empty string 'id'")
            # Removing an absent id is a no-op: compacted-topic replays and restarts redeliver removals.
            self.entries.pop(eid, None)
        else:
            raise ValueError(f"lexicon update op must be 'upsert' or 'remove', got {op!r}")
        self.version += 1

    def compile(self, strong: Sequence[str] = ()) -> Compiled:
        """``strong``: the classifier's most claim-weighted n-grams (``ClaimClassifier.strong_ngrams``), matched
        in the same pass as KIND_STRONG."""
        by_pattern: dict[str, list[Entry]] = {}
        for e in self.entries.values():
            for p in e.patterns:
                by_pattern.setdefault(p, []).append(e)
        patterns: list[str] = []
        kinds: list[int] = []
        targets: list[tuple[Entry, ...] | str] = []
        for p, es in by_pattern.items():
            patterns.append(p)
            kinds.append(KIND_ENTRY)
            targets.append(tuple(es))
        # Reference-price words (原价, 专柜价, 外面卖 …) ride in the same automaton: a segment without one never
        # reaches models/reference_price.py.
        # So do the discourse markers the context checks look for (因人而异, 别信 …): their positions come from
        # this one pass, and a segment without any skips those checks.
        for kind, words in (
            (KIND_CUE, self.cues), (KIND_TOPIC, self.topics), (KIND_EXCEPTION, self.exceptions), (KIND_REFERENCE_PRICE, _MARKERS[2]),
            (KIND_DISCLAIMER, _MARKERS[0]), (KIND_REJECTION, _MARKERS[1]), (KIND_STRONG, strong),
        ):
            for w in words:
                patterns.append(w)
                kinds.append(kind)
                targets.append(w)
        automaton = (
            ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
            if patterns
            else None
        )
        subjects = frozenset(
            i for i, es in enumerate(targets[: len(by_pattern)])
            if any(e.category not in WORDING_DEFINED and e.regex is None for e in es)
        )
        return Compiled(automaton, tuple(kinds), tuple(targets), self.version, subjects)
