"""False-advertising detector: normalise -> one Aho-Corasick pass -> context checks -> gated classifier."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, count
from operator import add
from pathlib import Path
from typing import Any

from models.classifier import DEFAULT_MODEL_PATH, ClaimClassifier
from models.context import (
    BOUNDARY_RE,
    CONTRAST_WORDS,
    a_not_a,
    a_not_a_middle,
    benign_reason,
    clause_bounds,
    decision_window,
    is_negated,
    is_question,
    named,
    question_at,
    refuted_clause,
    refuted_sentence,
    registered_claim,
    registered_window,
    said_negated,
    sentence_reason,
    superlative_extent,
)
from models.lexicon import (
    DEFAULT_PATH,
    KIND_CUE,
    KIND_DISCLAIMER,
    KIND_ENTRY,
    KIND_EXCEPTION,
    KIND_REFERENCE_PRICE,
    KIND_STRONG,
    KIND_TOPIC,
    SEVERITY_RANK,
    Compiled,
    Entry,
    Lexicon,
    canonical_product,
)
from models.normalize import SENTENCE_BOUNDARY, normalize, sentence_bounds
from models.reference_price import find_reference_price_claims


@dataclass(frozen=True, slots=True)
class Finding:
    category: str
    rule: str  # lexicon entry id, or "classifier:<category>"
    severity: str  # low|medium|high|critical
    start: int  # span in the ORIGINAL text
    end: int
    evidence: str  # original_text[start:end]
    basis: str
    source: str  # "rule" | "classifier"
    score: float  # 1.0 for rules, classifier probability otherwise
    matched: str  # normalised text that matched: the pattern (最 + graded word for the generic 最 entry),
    # or the scored window for the classifier


class Detector:
    """Thread-safe for concurrent ``detect``; ``apply_update`` swaps a freshly compiled snapshot."""

    def __init__(self, lexicon: Lexicon, classifier: ClaimClassifier | None = None) -> None:
        self._lexicon = lexicon
        self._classifier = classifier
        self._lock = threading.Lock()  # serialises writers only; readers never take it
        self._strong = classifier.strong_ngrams() if classifier is not None else ()
        self._snap: Compiled = lexicon.compile(self._strong)
        self.set_cache_size(CACHE_SIZE)

    def set_cache_size(self, size: int) -> None:
        """Entries in each window cache: context verdicts here, P(claim) and category in the classifier
        (0 turns them off; bench/detector.py --no-cache).  The cached functions are pure functions of
        the window text, so a hit returns exactly what computing it again would."""
        self._verdict = lru_cache(maxsize=size)(_verdict) if size > 0 else _verdict
        if self._classifier is not None:
            self._classifier.set_cache_size(size)

    @classmethod
    def from_files(
        cls, lexicon_path: Path | str = DEFAULT_PATH, model_path: Path | str | None = DEFAULT_MODEL_PATH
    ) -> Detector:
        """A new, unshared detector (tests and tools that apply updates should use this)."""
        clf = ClaimClassifier.load(model_path) if model_path is not None and Path(model_path).exists() else None
        return cls(Lexicon.load(lexicon_path), clf)

    @classmethod
    def default(cls) -> Detector:
        """Packaged lexicon + fitted model, loaded once per process and shared."""
        return _default_detector()

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon

    def apply_update(self, op: str, entry: dict[str, Any]) -> None:
        """Apply a `livewatch.lexicon` update ({"op": "upsert"|"remove", "entry": {...}}).

        The lexicon is copied, changed and compiled off to the side; the new snapshot is then published
        with one reference assignment, so a concurrent detect() uses the old or the new automaton whole.
        Raises ValueError for an invalid op or entry (the current lexicon is left unchanged).
        """
        with self._lock:
            new = self._lexicon.copy()
            new.apply(op, entry)
            snap = new.compile(self._strong)
            self._lexicon = new
            self._snap = snap

    def detect(self, text: str, product_category: str | None = None, *, speech: bool = True) -> list[Finding]:
        """Findings in ``text``. ``speech=False`` (a card title) applies the lexicon only: the
        classifier models spoken claims, and a product name (美白淡斑霜) is not one."""
        snap = self._snap  # one read: the whole call sees a single snapshot
        if not text or snap.automaton is None:
            return []
        norm = normalize(text)
        nt = norm.text
        matches = snap.automaton.find_matches_as_indexes(nt, overlapping=True)
        if not matches:
            return []
        kinds = snap.kinds
        targets = snap.targets
        subjects = snap.subjects
        pc = canonical_product(product_category)
        cands = []
        cues = []
        topics = []
        exc = []
        priced = False  # a reference-price word (原价, 专柜价 …): check for 虚构原价
        disclaimers: list[int] = []  # 因人而异, 有风险 …: classifier windows holding one are skipped
        rejected = False  # 别信, 没有的事 …: only then can a sentence refute a claim
        subject_hits: list[tuple[int, int]] = []  # hits of Compiled.subjects: scored like topic words
        strong = False  # one of the classifier's most claim-weighted n-grams: see _whole
        for idx, s, e in matches:
            k = kinds[idx]
            if k == KIND_ENTRY:
                cands.append((idx, s, e))
                if idx in subjects:
                    subject_hits.append((s, e))
            elif k == KIND_CUE:
                cues.append(s)
            elif k == KIND_TOPIC:
                topics.append(s)
            elif k == KIND_EXCEPTION:
                exc.append((s, e))
            elif k == KIND_REFERENCE_PRICE:
                priced = True
            elif k == KIND_DISCLAIMER:
                if not _not_a_hedge(nt, s):
                    disclaimers.append(s)
            elif k == KIND_STRONG:
                strong = True
            else:
                rejected = True

        raw: list[tuple[int, int, int, Any, str]] = []  # (s, e, severity rank, entry, severity)
        verdicts: dict[tuple[int, int, str], bool] = {}
        kept_out: list[tuple[int, int]] = []
        for idx, hs, he in cands:
            if exc and _inside(exc, hs, he):
                continue  # inside a benign word (转运 in 转运珠); an entry naming the whole word still counts
            for entry in targets[idx]:
                sev = entry.severity_for(pc)
                if sev is None:
                    continue
                s, e = hs, he
                if entry.regex is not None:
                    # The hit is only the anchor: the claim is the regex match around it, which may hold
                    # its own negation (没有任何一款能超过), so context is judged on the match.
                    span = regex_span(nt, s, e, entry.regex)
                    if span is None:
                        continue
                    s, e = span
                    if disclaimers and _disclaimed(nt, s, e, disclaimers, claim=True):
                        continue  # 过去三年年化百分之三…过往业绩不代表未来: a disclosed figure, hedged
                fs, fe = s, e
                if entry.near:
                    # Checked before the context verdict: most role words (医院, 医生) come without one.
                    span = near_span(nt, s, e, entry.near_re)
                    if span is None:
                        continue
                    fs, fe, ps = span  # the evidence shows both words (医生 … 推荐)
                    if ps != s and (
                        is_negated(nt, ps) or is_question(nt, ps, ps + 1) or named(nt, ps)
                        or rejected and refuted_sentence(nt, ps, ps + 1)
                    ):
                        # 不是推荐…的医生, 有人问是不是专家推荐的, 长命锁…我不说什么保平安: the partner is denied or
                        # asked; 这个香薰叫好运来: it is a name; 至于什么净化磁场，那都是营销话术: it is dismissed
                        kept_out.append((fs, fe))
                        continue
                    if disclaimers and entry.category in _HEDGED and _hedged(nt, s, e, fs, fe, disclaimers):
                        continue  # 我不承诺通过率，…有考上的也有没考上的: a disclosure, not a guarantee
                key = (s, e, entry.context)
                ok = verdicts.get(key)
                if ok is None:
                    # Decided by the clause around the hit (+ what decision_window says): cacheable.
                    a, b = decision_window(nt, s, e, entry.context)
                    v = self._verdict(nt[a:b], s - a, e - a, entry.context)
                    ok = v == _CLAIM
                    if v == _NEGATED:
                        kept_out.append((s, e))  # a disclaimer: the classifier must not re-flag it
                    verdicts[key] = ok
                if ok and (why := sentence_reason(nt, s, e, entry.context, rejected)) is not None:
                    # Sentence-level reasons (有人说…，没有的事; 最小…最大…) read past the cached clause window.
                    ok = verdicts[key] = False
                    if why == "refuted":
                        kept_out.append((s, e))
                if not ok or entry.category in _REGISTRABLE and registered_claim(nt, s, e):
                    continue  # (特证的美白祛斑产品: the function the product is registered for)
                if entry.context == "superlative" and e - s == 1 and not entry.near:
                    fe = superlative_extent(nt, s)  # generic 最: report 最 + the word it grades
                raw.append((fs, fe, SEVERITY_RANK[sev], entry, sev))

        ref_sev = REFERENCE_PRICE.severity_for(pc) if priced else None
        for s, e, _ref, _live in find_reference_price_claims(nt) if ref_sev is not None else ():
            cs, ce = clause_bounds(nt, e - 1, e)
            if not question_at(nt, cs, ce, e - 1):
                raw.append((s, e, SEVERITY_RANK[ref_sev], REFERENCE_PRICE, ref_sev))

        findings: list[Finding] = []
        kept: list[tuple[int, int]] = []
        # Longest span first, then most severe, then the specific entry over a co-occurrence one: a hit inside an
        # accepted one (最 in 全网最低价) adds nothing.
        for s, e, _, entry, sev in sorted(raw, key=lambda r: (r[0] - r[1], -r[2], bool(r[3].near))):
            if any(a <= s and e <= b for a, b in kept):
                continue
            kept.append((s, e))
            os_, oe = norm.span(s, e)
            cat = _reported_category(pc, entry.category)
            if cat == "absolute_terms" and _PRICE_SUPERLATIVE.search(nt, s, e) and _price_sentence(nt, s, e):
                # 全年最低, 找不到比这更便宜的: an absolute term about the price is the price claim the host makes
                cat = "price_claim"
            basis = entry.basis if cat == entry.category else self._lexicon.categories[cat].basis
            findings.append(Finding(cat, entry.id, sev, os_, oe, text[os_:oe], basis, "rule", 1.0, nt[s:e]))

        if subject_hits:
            # (not one inside a benign word: 状元 in 状元饼 names no top scorer)
            topics = sorted(topics + [s for s, e in subject_hits if not (exc and _inside(exc, s, e))])
        if exc and cues:
            # A cue word inside a benign word (不掉 in 跑不掉) claims nothing.  A topic word there still names the
            # subject (转运 in 转运珠), so topics stay.
            cues = [c for c in cues if not any(a <= c < b for a, b in exc)]
        if speech and self._classifier is not None:
            if cues or topics:
                findings.extend(self._classify(norm, cues, topics, kept + kept_out, pc, disclaimers, rejected))
            elif strong and not findings and not kept_out and not disclaimers and not rejected:
                findings.extend(self._whole(norm, pc))
        findings.sort(key=lambda f: (f.start, f.end))
        return findings

    def _classify(
        self, norm: Any, cues: list[int], topics: list[int], skip: list[tuple[int, int]], pc: str | None,
        disclaimers: list[int], rejected: bool,
    ) -> list[Finding]:
        """Score the text around each cue word, unless a rule finding or a negated rule hit is there.  A clause
        with only a topic word (考研, 黄金, 部队 …: the subject, not the claim) or a lexicon hit the context checks
        turned down (Compiled.subjects) is scored too, against the stricter ``topic_threshold`` of the model: claims
        in the host's own words often carry no cue word."""
        nt = norm.text
        n = len(nt)
        clf = self._classifier
        assert clf is not None
        windows: list[tuple[int, int, float]] = []
        # Clause boundary positions, found once (C-level split and sums); each clause lookup is a bisect.
        bpos = list(map(add, accumulate(map(len, BOUNDARY_RE.split(nt)[:-1])), count()))
        nb = len(bpos)
        refused: list[tuple[int, int]] = []  # clauses whose cue was turned down (a question, a denial …)
        for positions, threshold in ((cues, clf.threshold), (topics, clf.topic_threshold)):
            last_ce = -1  # end of the clause decided last: its other cues get the same decision
            n_cue = len(windows)  # topic words inside a cue window add nothing
            for c in positions:
                if c < last_ce or windows and windows[-1][0] <= c < windows[-1][1]:
                    continue
                if n_cue and any(a <= c < b for a, b, _ in windows[:n_cue]):
                    continue
                if refused and any(a <= c < b for a, b in refused):
                    continue  # the clause was judged for its cue word; its subject word does not reopen it
                i = bisect_left(bpos, c)  # bpos[i]: the first boundary at or after c
                s = bpos[i - 1] + 1 if i else 0
                e = bpos[i] if i < nb else n
                cs, ce = s, e  # the cue's own clause
                last_ce = ce
                # A short clause borrows one clause either side (吃了三天，瘦了十斤), within the sentence and at
                # most MAX_WINDOW chars; a clause of SELF_CONTAINED chars or more is scored alone, so host filler
                # or a read-out question next to it (我看到好多宝宝在问，…一周瘦八斤) cannot dilute it.
                if e - s >= SELF_CONTAINED:
                    pass
                elif s > 0 and nt[s - 1] not in SENTENCE_BOUNDARY:
                    ps = bpos[i - 2] + 1 if i >= 2 else 0
                    if e - ps <= MAX_WINDOW:
                        s = ps
                if e - cs < SELF_CONTAINED and e < n and nt[e] not in SENTENCE_BOUNDARY:
                    ne = (bpos[i + 1] if i + 1 < nb else n) if e + 1 < n else e
                    if ne - s <= MAX_WINDOW:
                        e = ne
                if e - s > MAX_WINDOW:
                    s, e = max(s, c - MAX_WINDOW // 2), min(e, c + MAX_WINDOW // 2)
                if skip and any(s <= a < e or s < b <= e for a, b in skip):
                    continue
                # 这个能治病吗？ is the audience asking.  (A cue never starts with a boundary character; if one
                # did, is_question() delimits the clause itself.)
                if (
                    (question_at(nt, cs, ce, c) if ce > c else is_question(nt, c, c + 1))
                    # a hedged sentence (…，过往业绩不代表未来) is not a soft claim, whatever words it repeats
                    or disclaimers and _disclaimed(nt, s, e, disclaimers)
                    # nor is a claim the host reports in order to deny it
                    or said_negated(nt, cs, c) or refuted_clause(nt, cs, ce, rejected)
                    or rejected and refuted_sentence(nt, c, c + 1)
                ):
                    refused.append((cs, ce))
                    continue
                windows.append((s, e, threshold))
        return self._score(norm, windows, pc)

    def _whole(self, norm: Any, pc: str | None) -> list[Finding]:
        """A segment with none of the cue or topic words but one of the classifier's most claim-weighted n-grams
        (Compiled holds them as KIND_STRONG): score it whole against WHOLE_THRESHOLD.  Claims in the host's own
        words (戴两个月自己就长好了, 面试这块你就放一百个心) often carry no cue word; the n-gram gate keeps the cost
        to the few segments that could score that high (models/DETECTOR.md)."""
        nt = norm.text
        if nt[-1] in "?？" or len(nt) < WHOLE_MIN:  # a question; or too few n-grams to judge
            return []
        return self._score(norm, [(0, len(nt), WHOLE_THRESHOLD)], pc)

    def _score(self, norm: Any, windows: list[tuple[int, int, float]], pc: str | None) -> list[Finding]:
        """Classifier findings for the (start, end, threshold) windows of the normalised text."""
        nt = norm.text
        clf = self._classifier
        assert clf is not None
        out = []
        for s, e, threshold in windows:
            w = nt[s:e]
            p = clf.reaching(w, threshold)
            if p is None:
                continue
            cat = clf.category(w)
            if cat == "price_claim" and not _PRICE_TALK.search(w):
                continue
            cat = _reported_category(pc, cat)
            if registered_window(nt, s, e):
                # 蓝帽子…保健功能是增强免疫力, 特证的祛斑霜，国妆特字号能查到: the registered function read out with
                # its registration, whatever category the model guessed
                continue
            info = self._lexicon.categories[cat]
            sev = info.severity_for(pc)
            if sev is None:
                continue
            # Trim separators/spaces so the evidence starts and ends on real text.
            while s < e and nt[s] in _TRIM:
                s += 1
            while e > s and nt[e - 1] in _TRIM:
                e -= 1
            os_, oe = norm.span(s, e)
            out.append(
                Finding(
                    cat, f"classifier:{cat}", sev, os_, oe, norm.original[os_:oe], info.basis, "classifier",
                    round(p, 4), nt[s:e],
                )
            )
        return out


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Does one of ``spans`` hold [s, e) strictly (a lexicon exception around a shorter hit)?"""
    return any(a <= s and e <= b and (a != s or b != e) for a, b in spans)


def _not_a_hedge(text: str, s: int) -> bool:
    """The disclaimer word at ``s`` is part of an A-not-A question (能不能保证, 有没有风险: it asks, it hedges
    nothing) or is denied (没有风险 holds 有风险)."""
    return a_not_a_middle(text, s) or a_not_a(text, s) or s > 0 and text[s - 1] == "没" and text[s] == "有"


def _in_sentence(text: str, s: int, e: int, positions: list[int]) -> bool:
    a, b = sentence_bounds(text, s, e)
    return any(a <= p < b for p in positions)


def _disclaimed(text: str, s: int, e: int, disclaimers: list[int], claim: bool = False) -> bool:
    """A disclaimer in the sentence of [s, e), unless the host turns away from it before the claim (它不是药，
    但比药管用).  ``claim``: [s, e) is a matched claim, and a disclaimer word inside it is part of the claim
    (比去医院看效果好), not a hedge; a classifier window counts what it holds."""
    a, b = sentence_bounds(text, s, e)
    return any(
        a <= p < b and not (claim and s <= p < e) and (p >= s or _TURN.search(text, p, s) is None)
        for p in disclaimers
    )


def _hedged(text: str, s: int, e: int, fs: int, fe: int, disclaimers: list[int]) -> bool:
    """A guarantee hedge (不承诺, 不保证, 有风险 …) close to the finding [fs, fe) and in its sentence.  有风险
    inside the hit [s, e) (没有风险) is no hedge, and health advice (少吃) does not hedge a guarantee."""
    close = [
        p for p in disclaimers
        if fs - _HEDGE_REACH <= p < fe + _HEDGE_REACH and not s <= p < e and text.startswith(_GUARANTEE_HEDGES, p)
    ]
    return bool(close) and _in_sentence(text, fs, fe, close)


def regex_span(text: str, s: int, e: int, rx: re.Pattern[str]) -> tuple[int, int] | None:
    """The match of ``rx`` in the sentence of the hit [s, e) that covers the hit, or None."""
    cs, ce = sentence_bounds(text, s, e)
    for m in rx.finditer(text, cs, ce):
        if m.start() <= s and e <= m.end():
            return m.span()
        if m.start() > s:
            break
    return None


def near_span(text: str, s: int, e: int, near: re.Pattern[str]) -> tuple[int, int, int] | None:
    """[s, e) widened to the closest ``near`` word in the same sentence, and that word's start; None if
    there is none."""
    a, b = sentence_bounds(text, s, e)
    best: tuple[int, int, int] | None = None  # (distance, start, end)
    for m in near.finditer(text, a, b):
        i, j = m.span()
        if s <= i and j <= e:
            continue  # inside the hit itself (考 in 考不过): a partner must be another word
        d = s - j if j <= s else (i - e if i >= e else 0)
        if best is None or d < best[0]:
            best = (d, i, j)
    return None if best is None else (min(s, best[1]), max(e, best[2]), best[1])


# 虚构原价: a reference price at least 3x the live price in one sentence (models/reference_price.py).  Not a
# lexicon entry because it compares two parsed numbers; listed under this id in alerts.
REFERENCE_PRICE = Entry(
    id="price.reference_ratio",
    patterns=("原价",),
    category="price_claim",
    severity="medium",
    basis="《明码标价和禁止价格欺诈规定》第十九条；广告法 第二十八条第二款(二)",
)


_TURN = re.compile("|".join(CONTRAST_WORDS))
MAX_WINDOW = 48
WHOLE_THRESHOLD = 0.9  # chosen on the development sets (0.85-0.95 within 3 rows of each other)
WHOLE_MIN = SELF_CONTAINED = 12  # a clause this long is scored alone; a segment shorter is not scored whole
CACHE_SIZE = 4096
_BENIGN, _CLAIM, _NEGATED = 0, 1, 2


def _verdict(window: str, s: int, e: int, context: str) -> int:
    """Context decision for the hit [s, e) of ``window`` (its clause and what follows): a benign use,
    a claim, or a claim under a negator or refuted (a disclaimer)."""
    if benign_reason(window, s, e, context) is not None:
        return _BENIGN
    if is_negated(window, s):
        return _NEGATED
    cs, ce = clause_bounds(window, s, e)
    return _NEGATED if refuted_clause(window, cs, ce) else _CLAIM

# A price_claim guess for a window that does not talk price (这个颜色只有我们有) is dropped; one that does
# (这个价只有我们有, 你去哪买都没这么便宜) stands: hosts claim the lowest price without 最.  Absolute claims in paraphrase
# (别家粉饼给它提鞋都不配) stand too: with the written training files p13-p15, letting the model report them
# cost no false alarm on the development sets (models/DETECTOR.md).
_PRICE_TALK = re.compile("价|便宜|贵")
_PRICE_SUPERLATIVE = re.compile("低|便宜|实惠|优惠|底价|划算|low")
_REGISTRABLE = frozenset({"medical_claim", "health_food_claim"})
# A disease claim in an advertisement for a 保健食品 falls under the article written for health food (广告法 第十八条第一款
# (二): 涉及疾病预防、治疗功能), not the general ban of 第十七条: reported in that category, under its basis.  (Severity
# stays the matched entry's.)
_SPECIFIC_ARTICLE: dict[str, dict[str, str]] = {"保健食品": {"medical_claim": "health_food_claim"}}


def _reported_category(pc: str | None, category: str) -> str:
    """The category a finding of ``category`` is reported in for the product category ``pc``."""
    specific = _SPECIFIC_ARTICLE.get(pc) if pc else None
    return specific.get(category, category) if specific else category


def _price_sentence(text: str, s: int, e: int) -> bool:
    """The sentence of [s, e) talks price."""
    a, b = sentence_bounds(text, s, e)
    return _PRICE_TALK.search(text, a, b) is not None
# Guarantees a disclaimer in the same sentence contradicts (不承诺, 不保证, 有风险).
_HEDGED = frozenset({"education_guarantee", "investment_guarantee", "efficacy_guarantee"})
_HEDGE_REACH = 20  # chars: transcripts without full stops make whole segments one "sentence"
_GUARANTEE_HEDGES = (
    "因人而异", "不代表", "有风险", "需谨慎", "要谨慎", "理性投资", "没法保证", "不能保证", "不敢保证", "不保证", "不承诺",
    "不能承诺", "不是百分百",
)
_TRIM = frozenset(" ,:;!?。、…\n，！？；：")


@lru_cache(maxsize=1)
def _default_detector() -> Detector:
    det = Detector.from_files()
    # Load jieba's dictionary now rather than on the first transcript with a candidate hit (~1 s).
    det.detect("预热：这是最好的")
    return det
