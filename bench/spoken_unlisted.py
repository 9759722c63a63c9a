"""Precision/recall/F1 of ``models.selection.spoken_unlisted`` on models/data/spoken_pairs.jsonl.

    .venv/bin/python bench/spoken_unlisted.py [--pairs PATH] [--no-errors]

Each row is one transcript segment with the host's declared brands; the bench builds a selection list
with one product per declared brand (brand field = the brand, neutral title) and runs
``spoken_unlisted(text, list)``.  Positive (label 1) = the host offers / sells / announces a product of a
brand that is not on the list (see the label policy in ``LABEL_POLICY``).

Split: deterministic by text, ``blake2b(text) mod 2`` -> 0 = dev, 1 = test.  The rule has no fitted
parameter, so both halves are held-out figures; two are reported to show the spread.

Scores per split:

* ``row``: the row is predicted positive when ``spoken_unlisted`` returns any hit.
* ``strict``: a positive row only counts as a true positive when a hit names the labelled brand
  (canonical form); a hit on another word of a positive row counts as a false negative, not a TP.
* ``oracle dictionary``: the same rule with ``known_brands`` = every labelled brand of the file, i.e. the
  recall the context logic would reach if the brand dictionary were complete.  Diagnostic only: it uses
  the labels.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from hashlib import blake2b
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import fuzzy  # noqa: E402
from models.plain import read_jsonl  # noqa: E402
from models.selection import spoken_unlisted  # noqa: E402

PAIRS = Path(__file__).resolve().parents[1] / "models" / "data" / "spoken_pairs.jsonl"
LABEL_POLICY = """\
label 1: the host offers viewers a product of a brand that is not on the declared list: sells it, puts up
  a link, announces it as the next / an extra item, gives it away with a purchase, or says yes to an
  audience request for it.  The brand may be named (any spelling, abbreviation, ASR typo) or implied by
  an unmistakable product line (iPhone, Mate60, 神仙水, PS5).
label 0: the brand is on the list (also via alias / sub-brand); brand words used as ordinary words;
  comparisons and benchmarks (比X好用, X平替, 对标X, 从X换成我们家, X要卖四千); compatibility and
  components (适配iPhone, 支持华为快充, 骁龙); generic category words; platforms, payment, logistics;
  celebrities and other hosts; negated or not-for-sale mentions (今天不卖X, 我穿的是X不卖); audience
  questions the host declines, or only answers about compatibility / comparison; announcements of
  another session (that session has its own list)."""


def split_of(text: str) -> str:
    return "dev" if int(blake2b(text.encode(), digest_size=8).hexdigest(), 16) % 2 == 0 else "test"


def load(path: Path) -> list[dict]:
    rows = read_jsonl(path)
    for row in rows:
        row["split"] = split_of(row["text"])
    return rows


def selection_list(declared: list[str]) -> dict:
    return {"version": 1, "valid_from_ms": None, "valid_to_ms": None,
            "products": [{"product_id": f"p{i}", "title": "直播间专享款", "brand": b, "category": None}
                         for i, b in enumerate(declared)]}


def _canon(brand: str | None) -> str | None:
    """Canonical brand family (sub-brands folded: 红米 -> 小米)."""
    c = fuzzy.canonical_brand(brand) if brand else None
    return fuzzy._PARENT.get(c, c) if c else None


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(rows: list[dict], known_brands: list[str] | None = None) -> list[dict]:
    out = []
    for row in rows:
        hits = spoken_unlisted(row["text"], selection_list(row["declared_brands"]), known_brands)
        brands = {_canon(h["brand"]) for h in hits}
        out.append({**row, "hits": hits, "pred": int(bool(hits)),
                    "right_brand": bool(row["label"]) and _canon(row["brand"]) in brands})
    return out


def scores(res: list[dict], strict: bool) -> dict:
    tp = fp = fn = tn = 0
    for r in res:
        if r["label"]:
            if r["pred"] and (r["right_brand"] or not strict):
                tp += 1
            else:
                fn += 1
        elif r["pred"]:
            fp += 1
        else:
            tn += 1
    p, rec, f1 = prf(tp, fp, fn)
    return {"n": len(res), "pos": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn, "P": p, "R": rec, "F1": f1}


def _line(name: str, s: dict) -> str:
    return (f"{name:<28} n={s['n']:>3} pos={s['pos']:>3}  TP={s['tp']:>3} FP={s['fp']:>3} FN={s['fn']:>3} "
            f"TN={s['tn']:>3}   P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--no-errors", action="store_true", help="do not list the errors")
    args = ap.parse_args(argv)
    rows = load(args.pairs)
    res = evaluate(rows)
    oracle = evaluate(rows, sorted({r["brand"] for r in rows if r["brand"]}))
    print(f"{args.pairs}: {len(rows)} rows, {sum(r['label'] for r in rows)} positive")
    for split in ("dev", "test", "all"):
        part = [r for r in res if split in ("all", r["split"])]
        opart = [r for r in oracle if split in ("all", r["split"])]
        print(f"--- {split}")
        print(_line("row (any hit)", scores(part, strict=False)))
        print(_line("strict (right brand)", scores(part, strict=True)))
        print(_line("oracle dictionary, strict", scores(opart, strict=True)))
    dict_brands = set(fuzzy.BRANDS)
    missing = Counter(_canon(r["brand"]) for r in res
                      if r["label"] and _canon(r["brand"]) not in dict_brands and not r["right_brand"])
    print(f"\npositives missed whose brand is not in fuzzy.BRANDS: {sum(missing.values())} "
          f"({len(missing)} brands)")
    if not args.no_errors:
        print("\nerrors (split, kind, text, declared, labelled brand, hits, note):")
        for r in sorted(res, key=lambda r: (r["split"], -r["label"], r["note"])):
            got = ", ".join(f"{h['brand']}<{h['alias']}>" for h in r["hits"]) or "-"
            if r["label"] and not r["right_brand"]:
                kind = "FN" if not r["pred"] else "FN(wrong brand)"
            elif not r["label"] and r["pred"]:
                kind = "FP"
            else:
                continue
            print(f"  {r['split']:<4} {kind:<15} {r['text']}  | list={r['declared_brands']} "
                  f"brand={r['brand']} hits={got} | {r['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
