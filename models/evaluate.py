"""Precision / recall / F1 of a detector on labelled JSONL rows {"text", "label": 0|1, "category"?}.

Definitions (a prediction for a row = the set of finding categories; positive = at least one finding):
  * overall: row-level P/R/F1 of "has a finding" against label.
  * per category C, recall_any: of the label-1 rows of category C, the share with any finding;
    recall_exact: the share with a finding of category C.
  * per category C, precision: of the rows with a finding of category C, the share that are label 1
    (precision_exact additionally requires the row's category to be C).
Rows are scored with the row's optional "product_category" if present.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from models.plain import read_jsonl


class _Detects(Protocol):
    def detect(self, text: str, product_category: str | None = None) -> list[Any]: ...


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate(detector: _Detects, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Score ``detector`` on labelled rows; see the module docstring for the metric definitions."""
    tp = fp = fn = tn = 0
    cat_pos: dict[str, int] = defaultdict(int)  # label-1 rows per category
    cat_hit_any: dict[str, int] = defaultdict(int)
    cat_hit_exact: dict[str, int] = defaultdict(int)
    pred_rows: dict[str, int] = defaultdict(int)  # rows with a finding of category C
    pred_true: dict[str, int] = defaultdict(int)  # ... that are label 1
    pred_exact: dict[str, int] = defaultdict(int)  # ... that are label 1 of category C
    by_source: dict[str, int] = defaultdict(int)
    errors: list[dict[str, Any]] = []
    n = 0
    for row in rows:
        n += 1
        label = int(row["label"])
        gold = row.get("category") if label else None
        findings = detector.detect(row["text"], row.get("product_category"))
        cats = {f.category for f in findings}
        for f in findings:
            by_source[f.source] += 1
        predicted = bool(findings)
        if label and predicted:
            tp += 1
        elif label:
            fn += 1
        elif predicted:
            fp += 1
        else:
            tn += 1
        if label and gold:
            cat_pos[gold] += 1
            cat_hit_any[gold] += predicted
            cat_hit_exact[gold] += gold in cats
        for c in cats:
            pred_rows[c] += 1
            pred_true[c] += label
            pred_exact[c] += c == gold
        if predicted != bool(label) and len(errors) < 200:
            errors.append(
                {
                    "text": row["text"],
                    "label": label,
                    "category": gold,
                    "found": [(f.category, getattr(f, "rule", ""), getattr(f, "evidence", ""), getattr(f, "score", 1.0))
                              for f in findings],
                }
            )
    per_cat: dict[str, dict[str, Any]] = {}
    for c in sorted(set(cat_pos) | set(pred_rows)):
        pos = cat_pos.get(c, 0)
        pr = pred_rows.get(c, 0)
        per_cat[c] = {
            "support": pos,
            "predicted": pr,
            "recall_any": round(cat_hit_any[c] / pos, 4) if pos else None,
            "recall_exact": round(cat_hit_exact[c] / pos, 4) if pos else None,
            "precision": round(pred_true[c] / pr, 4) if pr else None,
            "precision_exact": round(pred_exact[c] / pr, 4) if pr else None,
        }
    overall = _prf(tp, fp, fn)
    overall["tn"] = tn
    return {"n": n, "overall": overall, "per_category": per_cat, "findings_by_source": dict(by_source),
            "errors": errors}


def format_report(result: dict[str, Any], max_errors: int = 30) -> str:
    """Plain-text table of an ``evaluate`` result (errors listed at the end, at most ``max_errors``; 0 keeps a
    held-out set blind: only its scores are printed)."""
    o = result["overall"]
    lines = [
        f"rows: {result['n']}   tp={o['tp']} fp={o['fp']} fn={o['fn']} tn={o['tn']}",
        f"overall  precision={o['precision']:.4f}  recall={o['recall']:.4f}  f1={o['f1']:.4f}",
        f"findings by source: {result.get('findings_by_source', {})}",
        "",
        f"{'category':<22}{'support':>8}{'recall_any':>12}{'recall_exact':>14}{'predicted':>11}"
        f"{'precision':>11}{'prec_exact':>12}",
    ]

    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.4f}"

    for c, m in result["per_category"].items():
        lines.append(
            f"{c:<22}{m['support']:>8}{fmt(m['recall_any']):>12}{fmt(m['recall_exact']):>14}{m['predicted']:>11}"
            f"{fmt(m['precision']):>11}{fmt(m['precision_exact']):>12}"
        )
    errs = result.get("errors") or []
    if errs and max_errors > 0:
        lines += ["", f"errors ({len(errs)} shown up to {max_errors}):"]
        for e in errs[:max_errors]:
            kind = "FN" if e["label"] else "FP"
            lines.append(f"  {kind} [{e['category'] or '-'}] {e['text']}  -> {e['found']}")
    return "\n".join(lines)


def group_holdout(corpus_dir: Path, seed: int = 0) -> dict[str, Any]:
    """Harsher check than the shipped split: hold out whole template generators (every sentence a held-out
    template produced) plus the usual fifth of hand-written lines, retrain the classifier on the rest and
    evaluate the full detector on the held-out rows."""
    import hashlib

    from models.classifier import ClaimClassifier, fit
    from models.detector import Detector
    from models.lexicon import Lexicon

    rows = read_jsonl(corpus_dir / "train.jsonl") + read_jsonl(corpus_dir / "test.jsonl")

    def held(r: dict[str, Any]) -> bool:
        key = r["text"] if r.get("src", "hand") == "hand" else r["src"]
        return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") % 5 == 0

    train_rows = [r for r in rows if not held(r)]
    test_rows = [r for r in rows if held(r)]
    state = fit(train_rows, seed=seed)
    state.pop("_sklearn")
    det = Detector(Lexicon.load(), ClaimClassifier(state))
    return evaluate(det, test_rows)


def main(argv: list[str] | None = None) -> None:
    from models.detector import Detector

    corpus = Path(__file__).parent / "data" / "corpus"
    ap = argparse.ArgumentParser(description="Evaluate the detector on labelled JSONL.")
    ap.add_argument("file", type=Path, nargs="?", default=corpus / "test.jsonl")
    ap.add_argument("--group-holdout", action="store_true",
                    help="retrain without a fifth of the template generators and evaluate on those")
    args = ap.parse_args(argv)
    if args.group_holdout:
        print(format_report(group_holdout(corpus)))
        return
    print(format_report(evaluate(Detector.default(), read_jsonl(args.file))))


if __name__ == "__main__":
    main()
