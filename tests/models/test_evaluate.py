"""Metric arithmetic of models.evaluate on a stub detector."""

from __future__ import annotations

from dataclasses import dataclass

from models.evaluate import evaluate, format_report


@dataclass
class F:
    category: str
    source: str = "rule"


class Stub:
    """Flags a text with the category named after '#', nothing otherwise."""

    def detect(self, text: str, product_category: str | None = None) -> list[F]:
        return [F(text.split("#", 1)[1])] if "#" in text else []


ROWS = [
    {"text": "a#price_claim", "label": 1, "category": "price_claim"},  # tp, exact
    {"text": "b#absolute_terms", "label": 1, "category": "price_claim"},  # tp, wrong category
    {"text": "c", "label": 1, "category": "price_claim"},  # fn
    {"text": "d#price_claim", "label": 0},  # fp
    {"text": "e", "label": 0},  # tn
]


def test_overall_and_per_category() -> None:
    r = evaluate(Stub(), ROWS)
    o = r["overall"]
    assert (o["tp"], o["fp"], o["fn"], o["tn"]) == (2, 1, 1, 1)
    assert o["precision"] == round(2 / 3, 4) and o["recall"] == round(2 / 3, 4)
    pc = r["per_category"]["price_claim"]
    assert pc["support"] == 3
    assert pc["recall_any"] == round(2 / 3, 4)
    assert pc["recall_exact"] == round(1 / 3, 4)
    assert pc["predicted"] == 2 and pc["precision"] == 0.5 and pc["precision_exact"] == 0.5
    at = r["per_category"]["absolute_terms"]
    assert at["support"] == 0 and at["precision"] == 1.0 and at["precision_exact"] == 0.0


def test_report_mentions_everything() -> None:
    text = format_report(evaluate(Stub(), ROWS))
    assert "precision=0.6667" in text and "price_claim" in text and "FN" in text and "FP" in text


def test_a_blind_report_lists_no_rows() -> None:
    text = format_report(evaluate(Stub(), ROWS), max_errors=0)
    assert "precision=0.6667" in text and "errors" not in text
    assert " FN [" not in text and " FP [" not in text
