"""Throughput benchmark of models.detector.Detector.detect (not a test).

Segments of 20-120 characters are assembled from the labelled corpus (benign host speech: 85% ordinary
sentences, 15% hard benign ones; ~5% of segments carry one violating sentence), with all normalisation
steps on, on one core.

    python bench/detector.py [--segments 20000] [--runs 5] [--violating 0.05] [--all-sources]

Prints medians over the runs, the ratio to plain jieba.lcut on the same segments, and the RSS the
detector adds (lexicon + automaton + model, and separately jieba's dictionary).

The detector caches context decisions and classifier scores per window text (host speech repeats).  The
segments here are assembled from a few thousand corpus sentences, so they repeat more than a real
stream may: the caches are emptied before every timed run (only repeats within one run of N segments
help), and the same runs are also timed with the caches off (``--no-cache`` times only that).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# The corpus sources the segments are drawn from, frozen as they were on 2026-11-23 so that the mix (and the
# figures) stay comparable across commits as written training files are added; --all-sources samples the
# whole current corpus instead.
FROZEN_WRITTEN = frozenset(f"written:p{i}" for i in range(1, 9))


def _frozen_source(src: str | None) -> bool:
    return src == "hand" or (src or "").startswith("tpl:") or src in FROZEN_WRITTEN


def make_segments(n: int, violating: float, seed: int = 7, all_sources: bool = False) -> tuple[list[str], int]:
    import orjson

    rows = []
    for name in ("train.jsonl", "test.jsonl"):
        rows += [orjson.loads(x) for x in (ROOT / "models/data/corpus" / name).read_bytes().splitlines() if x]
    if not all_sources:
        rows = [r for r in rows if _frozen_source(r.get("src"))]
    # The benign corpus over-samples hard cases (benign 最/第一/唯一, disclaimers, cue words) on purpose;
    # ordinary host speech is mostly greetings, description, logistics and prices, so those templates
    # (and the hand-written lines) supply 85% of benign sentences and the hard pools the other 15%.
    general_src = {"hand"} | {f"tpl:benign:{i}" for i in range(4)}
    general = [r["text"] for r in rows if not r["label"] and r.get("src") in general_src]
    hard = [r["text"] for r in rows if not r["label"] and r.get("src") not in general_src]
    bad = [r["text"] for r in rows if r["label"]]
    rng = random.Random(seed)

    def benign_sentence() -> str:
        return rng.choice(general) if rng.random() < 0.85 else rng.choice(hard)

    segs = []
    n_bad = 0
    for _ in range(n):
        target = rng.randint(20, 120)
        parts: list[str] = []
        if rng.random() < violating:
            parts.append(rng.choice(bad))
            n_bad += 1
        while sum(map(len, parts)) < target:
            parts.append(benign_sentence())
        rng.shuffle(parts)
        seg = "，".join(parts)
        if len(seg) > 120:
            seg = seg[:120]
        segs.append(seg)
    return segs, n_bad


def bench(fn, segs: list[str], runs: int, before_run=None) -> list[float]:
    rates = []
    for _ in range(runs):
        if before_run is not None:
            before_run()
        t = time.perf_counter()
        for s in segs:
            fn(s)
        rates.append(len(segs) / (time.perf_counter() - t))
    return rates


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--violating", type=float, default=0.05)
    ap.add_argument("--no-cache", action="store_true", help="time the detector with its window caches off only")
    ap.add_argument("--all-sources", action="store_true", help="sample the whole current corpus, not the frozen sources")
    args = ap.parse_args()

    import jieba

    jieba.setLogLevel(60)
    from models import classifier, context, detector, lexicon, normalize  # noqa: F401  (imports only)

    rss0 = rss_mb()
    det = detector.Detector.from_files()
    normalize.normalize("預熱")  # builds the translate table
    rss1 = rss_mb()
    jieba.initialize()
    context.tokens_around("预热一下最好的", 3, 4)
    rss2 = rss_mb()

    segs, n_bad = make_segments(args.segments, args.violating, all_sources=args.all_sources)
    avg_len = sum(map(len, segs)) / len(segs)
    for s in segs[:2000]:  # warm-up
        det.detect(s)
    flagged = sum(1 for s in segs if det.detect(s))

    def fresh_caches() -> None:
        det.set_cache_size(detector.CACHE_SIZE)

    def no_caches() -> None:
        det.set_cache_size(0)

    d_rates = [] if args.no_cache else bench(det.detect, segs, args.runs, fresh_caches)
    u_rates = bench(det.detect, segs, args.runs, no_caches)
    j_rates = bench(lambda s: jieba.lcut(s), segs, args.runs)
    n_rates = bench(normalize.normalize, segs, args.runs)
    u_med, j_med, n_med = (statistics.median(r) for r in (u_rates, j_rates, n_rates))
    print(f"segments: {len(segs)}  avg length {avg_len:.1f} chars  with a violating sentence: {n_bad}"
          f"  flagged by detector: {flagged}")
    if d_rates:
        d_med = statistics.median(d_rates)
        print(f"Detector.detect   median {d_med:,.0f} segments/s   runs: {[round(r) for r in d_rates]}"
              f"   (window caches, emptied before each run)")
    print(f"  caches off      median {u_med:,.0f} segments/s   runs: {[round(r) for r in u_rates]}")
    print(f"normalize() only  median {n_med:,.0f} segments/s")
    print(f"jieba.lcut        median {j_med:,.0f} segments/s   runs: {[round(r) for r in j_rates]}")
    if d_rates:
        print(f"ratio detect / jieba.lcut: {d_med / j_med:.1f}x  (caches off: {u_med / j_med:.1f}x)")
    else:
        print(f"ratio detect (caches off) / jieba.lcut: {u_med / j_med:.1f}x")
    print(f"RSS: +{rss1 - rss0:.1f} MB lexicon+automaton+model+tables, +{rss2 - rss1:.1f} MB jieba dictionary "
          f"(first jieba use), total {rss2:.1f} MB")
    det.set_cache_size(detector.CACHE_SIZE)
    for s in segs:
        det.detect(s)
    print(f"RSS with the window caches filled by one pass: {rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
