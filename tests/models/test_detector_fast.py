"""The detector's fast paths give the same answers as the plain computations they replace."""

from __future__ import annotations

import random

import orjson
import pytest

from models.classifier import DEFAULT_CORPUS_DIR
from models.context import benign_reason, clause_bounds, decision_window, is_negated
from models.detector import Detector
from models.lexicon import KIND_ENTRY
from models.normalize import CLAUSE_BOUNDARY, _slow, _tables, normalize

BOUNDARIES = sorted(CLAUSE_BOUNDARY) + ["…", "…", "，", "。"]


def _sentences() -> list[str]:
    rows = [orjson.loads(x) for x in (DEFAULT_CORPUS_DIR / "test.jsonl").read_bytes().splitlines() if x.strip()]
    return [r["text"] for r in rows]


def _mixed(n: int, seed: int) -> list[str]:
    """Corpus sentences and fragments joined by every kind of clause boundary (incl. …)."""
    sents = _sentences()
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 4)):
            s = rng.choice(sents)
            if rng.random() < 0.3:
                a = rng.randint(0, len(s) - 1)
                s = s[a : a + rng.randint(1, 12)]
            parts.append(s)
        text = ""
        for p in parts:
            text += p + (rng.choice(BOUNDARIES) if rng.random() < 0.9 else "")
        out.append(text)
    return out


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector.from_files()


def _reference_clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    cs = start
    while cs > 0 and text[cs - 1] not in CLAUSE_BOUNDARY:
        cs -= 1
    ce = end
    while ce < len(text) and text[ce] not in CLAUSE_BOUNDARY:
        ce += 1
    return cs, ce


def test_clause_bounds_matches_the_character_loop() -> None:
    rng = random.Random(1)
    alphabet = list("ab最好吗") + sorted(CLAUSE_BOUNDARY) + [" ", "\r"]
    for _ in range(20000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        s = rng.randint(0, len(t))
        e = rng.randint(s, len(t) + 2)
        assert clause_bounds(t, s, e) == _reference_clause_bounds(t, s, e), (t, s, e)


def test_context_decision_on_its_window_equals_the_full_text(det: Detector) -> None:
    snap = det._snap
    checked = 0
    for text in _mixed(3000, seed=2):
        nt = normalize(text).text
        for idx, s, e in snap.automaton.find_matches_as_indexes(nt, overlapping=True):
            if snap.kinds[idx] != KIND_ENTRY:
                continue
            for ctx in {entry.context for entry in snap.targets[idx]}:
                full = benign_reason(nt, s, e, ctx) is None and not is_negated(nt, s), benign_reason(nt, s, e, ctx)
                a, b = decision_window(nt, s, e, ctx)
                w = nt[a:b]
                part = benign_reason(w, s - a, e - a, ctx) is None and not is_negated(w, s - a), benign_reason(
                    w, s - a, e - a, ctx
                )
                assert full == part, (nt, s, e, ctx, w)
                checked += 1
    assert checked > 1000


def test_normalize_fast_path_equals_the_slow_path() -> None:
    table, *_, seps, _gate, _special_not_latin, _special_not_space = _tables()
    rng = random.Random(3)
    noise = list("*~ ·-　😀①ＡａZUIzuihaodi第1最最顶弟醉决蕞價國們SXLokm") + ["zui", "di", "yi", "ok", "XL", "abc"]
    texts = _mixed(500, seed=4)
    for t in list(texts):
        chars = list(t)
        for _ in range(rng.randint(1, 4)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(noise))
        texts.append("".join(chars))
    for t in texts:
        n = normalize(t)
        if n.starts is not None:
            continue  # took the slow path itself
        ref = _slow(t, n.text, seps)  # same translated base; the slow path must change nothing
        assert ref.text == n.text, t
        assert all(ref.span(i, i + 1) == (i, i + 1) for i in range(len(t))), t


def test_spaces_between_clauses_are_dropped_as_the_slow_path_drops_them() -> None:
    seps = _tables()[5]
    rng = random.Random(8)
    noise = [" ", "  ", " 最", "最 ", "第 ", " 1", "ok ", " 12 ", "第 1"]
    texts = []
    for t in _mixed(800, seed=9):
        chars = list(t)
        for _ in range(rng.randint(1, 5)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(noise))
        texts.append("".join(chars))
    spaced = 0
    for t in texts:
        n = normalize(t)
        base = t.translate(_tables()[0])
        ref = _slow(t, base, seps)
        assert n.text == ref.text, t
        assert [n.span(i, i + 1) for i in range(len(n.text))] == [ref.span(i, i + 1) for i in range(len(ref.text))], t
        spaced += " " in t and normalize_takes_spaces(t)
    assert spaced > 100  # the new path was exercised


def normalize_takes_spaces(t: str) -> bool:
    """Would normalize() answer ``t`` from _drop_spaces?"""
    table, _, _, _, pairs, _, _, _, special_not_space = _tables()
    base = t.translate(table)
    return pairs.search(base) is None and special_not_space.search(base) is None and " " in base


def test_caches_change_nothing() -> None:
    cached, plain = Detector.from_files(), Detector.from_files()
    plain.set_cache_size(0)
    texts = _mixed(1500, seed=5)
    for _ in range(2):  # the second pass is answered from the caches
        for t in texts:
            assert cached.detect(t) == plain.detect(t), t


def test_classifier_scores_are_the_uncached_ones(det: Detector) -> None:
    clf = det._classifier
    assert clf is not None
    for t in _sentences()[:300]:
        w = normalize(t).text
        assert clf.p_binary(w) == clf._p_binary(w) == clf.p_binary(w)
        assert clf._multi(w) == clf._multi_uncached(w) == clf._multi(w)
        p = clf.p_claim(w)
        for threshold in (0.5, 0.78, 0.8, 0.9, p):  # the shortcut answers what the full score would
            assert clf.reaching(w, threshold) == (p if p >= threshold else None)
