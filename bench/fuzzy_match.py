"""Precision/recall/F1 of each card<->declaration matching method on models/data/card_pairs.jsonl.

    .venv/bin/python bench/fuzzy_match.py [--pairs PATH] [--errors]

Split: deterministic by product group (blake2b(group) mod 10 < 7 -> train, else test; see
``models.selection.load_pairs``), so a declared product and all its cards sit on one side.  For every
method the threshold maximising F1 on train (grid 0.00..1.00 step 0.01; ties -> middle of the tied
run) is chosen, then precision/recall/F1 are reported on train and on test at that threshold.
"Positive" = the card IS the declared product (listed); a false negative is a spurious
unlisted_product alert, a false positive a missed one.  A vetoed pair scores 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from hashlib import blake2b
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import fuzzy  # noqa: E402
from models.selection import DEFAULT_THRESHOLD, PAIRS_PATH, load_pairs  # noqa: E402


def _raw(item: dict) -> str:
    return f"{item.get('brand') or ''} {item.get('title') or ''}".strip()


def build_methods(train: list[dict]) -> dict[str, Callable[[dict], float]]:
    corpus = sorted({fuzzy.product_text(r["card"]) for r in train} | {fuzzy.product_text(r["declared"]) for r in train})
    tfidf = fuzzy.TfidfScorer(corpus)
    tfidf_raw = fuzzy.TfidfScorer(sorted({_raw(r["card"]) for r in train} | {_raw(r["declared"]) for r in train}))
    cache: dict[str, dict] = {}

    def feats(r: dict) -> dict:
        if r["id"] not in cache:
            f = fuzzy.pair_features(r["card"], r["declared"])
            f["tfidf"] = tfidf.score(f["card_text"], f["declared_text"])
            f["wratio"] = fuzzy.score_wratio(f["card_text"], f["declared_text"])
            f["veto"] = fuzzy.veto_reason(f)
            cache[r["id"]] = f
        return cache[r["id"]]

    def vetoed(score: Callable[[dict], float]) -> Callable[[dict], float]:
        return lambda r: 0.0 if feats(r)["veto"] else score(r)

    blend = lambda r: fuzzy.combine(feats(r)["tfidf"], feats(r)["token_set"],  # noqa: E731
                                    category_conflict=feats(r)["category_conflict"])
    shipped = lambda r: fuzzy.combine(feats(r)["tfidf"], feats(r)["token_set"],  # noqa: E731
                                      category_conflict=feats(r)["category_conflict"],
                                      model_agree=feats(r)["model_agree"])
    return {
        "wratio_raw (no normalisation)": lambda r: fuzz.WRatio(_raw(r["card"]), _raw(r["declared"])) / 100,
        "token_set_raw (no normalisation)": lambda r: fuzz.token_set_ratio(_raw(r["card"]), _raw(r["declared"])) / 100,
        "tfidf_char13_raw (no normalisation)": lambda r: tfidf_raw.score(_raw(r["card"]), _raw(r["declared"])),
        "rapidfuzz token_set": lambda r: feats(r)["token_set"],
        "rapidfuzz WRatio": lambda r: feats(r)["wratio"],
        "tfidf char 1-3 cosine": lambda r: feats(r)["tfidf"],
        "token_set + vetoes": vetoed(lambda r: feats(r)["token_set"]),
        "WRatio + vetoes": vetoed(lambda r: feats(r)["wratio"]),
        "tfidf + vetoes": vetoed(lambda r: feats(r)["tfidf"]),
        "blend (tfidf+token_set)/2, no veto": blend,
        "blend + vetoes": vetoed(blend),
        "combined = blend+model bonus+vetoes [shipped]": vetoed(shipped),
    }


def prf(scores: list[float], labels: list[int], thr: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= thr and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= thr and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < thr and y)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def calibrate(scores: list[float], labels: list[int]) -> float:
    grid = [i / 100 for i in range(1, 101)]
    f1s = [prf(scores, labels, t)[2] for t in grid]
    best = max(f1s)
    # the middle of the longest run of tied best thresholds: robust to the grid edge
    runs: list[list[float]] = []
    for t, f in zip(grid, f1s, strict=True):
        if abs(f - best) < 1e-12:
            if runs and abs(runs[-1][-1] - (t - 0.01)) < 1e-9:
                runs[-1].append(t)
            else:
                runs.append([t])
    run = max(runs, key=len)
    return round(run[len(run) // 2], 2)


def cv_fold(group: str, k: int) -> int:
    """Grouped k-fold assignment, salted so it is independent of the train/test split."""
    return int(blake2b(f"cv:{group}".encode(), digest_size=8).hexdigest(), 16) % k


def cross_validate(rows: list[dict], k: int) -> dict[str, tuple[float, float, float, float, float]]:
    """Grouped k-fold over ALL pairs: per fold, fit IDF + calibrate on the other folds, score the held-out
    fold; returns pooled (P, R, F1) over the held-out predictions plus min/max threshold chosen."""
    pooled: dict[str, list[int]] = {}
    thrs: dict[str, list[float]] = {}
    for fold in range(k):
        tr = [r for r in rows if cv_fold(r["group"], k) != fold]
        te = [r for r in rows if cv_fold(r["group"], k) == fold]
        for name, fn in build_methods(tr).items():
            thr = calibrate([fn(r) for r in tr], [r["label"] for r in tr])
            thrs.setdefault(name, []).append(thr)
            c = pooled.setdefault(name, [0, 0, 0])
            for r in te:
                hit = fn(r) >= thr
                c[0] += hit and r["label"]
                c[1] += hit and not r["label"]
                c[2] += (not hit) and r["label"]
    out = {}
    for name, (tp, fp, fn_) in pooled.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn_) if tp + fn_ else 1.0
        out[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, min(thrs[name]), max(thrs[name]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", default=str(PAIRS_PATH))
    ap.add_argument("--errors", action="store_true", help="print the shipped method's test-split errors")
    ap.add_argument("--cv", type=int, default=5, metavar="K", help="grouped K-fold cross-validation (0: skip)")
    args = ap.parse_args(argv)
    rows = load_pairs(args.pairs)
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    kinds = Counter(r["kind"] for r in rows)
    print(f"pairs={len(rows)} train={len(train)} (pos {sum(r['label'] for r in train)}) "
          f"test={len(test)} (pos {sum(r['label'] for r in test)}) kinds={dict(kinds)}")
    t0 = time.perf_counter()
    methods = build_methods(train)
    header = f"{'method':46s} {'thr':>5s} | {'train P':>7s} {'R':>6s} {'F1':>6s} | {'test P':>7s} {'R':>6s} {'F1':>6s}"
    print(header)
    print("-" * len(header))
    chosen = {}
    for name, fn in methods.items():
        tr_s = [fn(r) for r in train]
        te_s = [fn(r) for r in test]
        thr = calibrate(tr_s, [r["label"] for r in train])
        chosen[name] = thr
        p1, r1, f1 = prf(tr_s, [r["label"] for r in train], thr)
        p2, r2, f2 = prf(te_s, [r["label"] for r in test], thr)
        print(f"{name:46s} {thr:5.2f} | {p1:7.3f} {r1:6.3f} {f1:6.3f} | {p2:7.3f} {r2:6.3f} {f2:6.3f}")
    shipped = "combined = blend+model bonus+vetoes [shipped]"
    print(f"\nshipped ProductMatcher threshold (models.selection.DEFAULT_THRESHOLD) = {DEFAULT_THRESHOLD}; "
          f"calibrated on train = {chosen[shipped]}")
    fn = methods[shipped]
    errs = [r for r in test if (fn(r) >= DEFAULT_THRESHOLD) != bool(r["label"])]
    by_kind = Counter(r["kind"] for r in errs)
    print(f"shipped method, test errors at {DEFAULT_THRESHOLD}: {len(errs)}/{len(test)} by kind {dict(by_kind)}")
    if args.errors:
        for r in errs:
            print(f"  [{r['kind']}] {fn(r):.3f}  card={r['card']['title']!r}  declared={r['declared']['title']!r}")
    if args.cv:
        print(f"\ngrouped {args.cv}-fold cross-validation over all {len(rows)} pairs (pooled held-out predictions)")
        print(f"{'method':46s} {'thr range':>10s} | {'P':>6s} {'R':>6s} {'F1':>6s}")
        for name, (p, r, f1, lo, hi) in cross_validate(rows, args.cv).items():
            print(f"{name:46s} {lo:4.2f}-{hi:4.2f}  | {p:6.3f} {r:6.3f} {f1:6.3f}")
    print(f"({time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
