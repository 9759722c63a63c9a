"""Per-category price reference with streaming quantiles, and the "too cheap to be genuine" verdict.

State is plain JSON (a faust table value keyed by ``fuzzy.canonical_category(card["category"])``)::

    {"n": 123, "min": 9.9, "max": 5999.0, "init": [..first 5 prices..],
     "p2": {"0.25": {"q": [5 heights], "n": [5 positions], "np": [5 desired positions]},
            "0.5": {...}, "0.75": {...}}}

The quartiles and median are estimated with the P-squared algorithm (Jain & Chlamtac, 1985): five
markers per quantile, O(1) memory and time per observation, no stored sample.  Until five prices
have been seen the estimate is the exact (linearly interpolated, numpy's default) quantile.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from models import fuzzy

QUANTILES = (0.25, 0.5, 0.75)


def _exact_quantile(values: list[float], p: float) -> float:
    """numpy.quantile(values, p) with the default 'linear' method."""
    xs = sorted(values)
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def _p2_init(first5: list[float], p: float) -> dict[str, list[float]]:
    q = sorted(first5)
    return {"q": q, "n": [1, 2, 3, 4, 5], "np": [1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5]}


def _p2_add(m: dict[str, list[float]], p: float, x: float) -> dict[str, list[float]]:
    q, n, npos = list(m["q"]), list(m["n"]), list(m["np"])
    dn = (0.0, p / 2, p, (1 + p) / 2, 1.0)
    if x < q[0]:
        q[0], k = x, 0
    elif x >= q[4]:
        q[4], k = x, 3
    else:
        k = next(i for i in range(4) if q[i] <= x < q[i + 1])
    for i in range(k + 1, 5):
        n[i] += 1
    for i in range(5):
        npos[i] += dn[i]
    for i in (1, 2, 3):
        d = npos[i] - n[i]
        if (d >= 1 and n[i + 1] - n[i] > 1) or (d <= -1 and n[i - 1] - n[i] < -1):
            s = 1 if d > 0 else -1
            # piecewise-parabolic prediction; fall back to linear when it would break monotonicity
            qp = q[i] + s / (n[i + 1] - n[i - 1]) * (
                (n[i] - n[i - 1] + s) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
                + (n[i + 1] - n[i] - s) * (q[i] - q[i - 1]) / (n[i] - n[i - 1])
            )
            if not q[i - 1] < qp < q[i + 1]:
                qp = q[i] + s * (q[i + s] - q[i]) / (n[i + s] - n[i])
            q[i] = qp
            n[i] += s
    return {"q": q, "n": n, "np": npos}


def observe_price(state: dict | None, price: float) -> dict:
    """Add one observed price to a category's state (pure).  Non-finite or negative prices are
    ignored (state returned unchanged): they are data errors, not market prices."""
    if price is None or not isinstance(price, int | float) or not math.isfinite(price) or price < 0:
        return state if state is not None else {"n": 0, "min": None, "max": None, "init": [], "p2": {}}
    x = float(price)
    st: dict[str, Any] = {"n": 0, "min": None, "max": None, "init": [], "p2": {}} if state is None else state
    out: dict[str, Any] = {
        "n": st["n"] + 1,
        "min": x if st["min"] is None else min(st["min"], x),
        "max": x if st["max"] is None else max(st["max"], x),
        "init": list(st["init"]),
        "p2": dict(st["p2"]),
    }
    if out["n"] <= 5:
        out["init"].append(x)
        if out["n"] == 5:
            out["p2"] = {str(p): _p2_init(out["init"], p) for p in QUANTILES}
    else:
        out["p2"] = {str(p): _p2_add(st["p2"][str(p)], p, x) for p in QUANTILES}
    return out


def quantile(state: dict | None, p: float) -> float | None:
    """Estimate of the ``p`` quantile (p in QUANTILES), None before any observation."""
    if not state or state.get("n", 0) == 0:
        return None
    if state["n"] < 5:
        return _exact_quantile(state["init"], p)
    return float(state["p2"][str(p)]["q"][2])


def load_seed(path: str | Path) -> dict[str, dict]:
    """Seeded reference prices per canonical category from a CSV with header
    ``category,median,q1,q3,observations`` (q1/q3 optional).  Rows with a non-positive median are
    skipped.  Returns ``{canonical_category: {"median", "q1", "q3", "observations", "source": "seed"}}``."""
    out: dict[str, dict] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cat = fuzzy.canonical_category(row.get("category"))
            try:
                median = float(row["median"])
            except (KeyError, TypeError, ValueError):
                continue
            if cat is None or not median > 0:
                continue
            out[cat] = {
                "median": median,
                "q1": float(row["q1"]) if row.get("q1") else None,
                "q3": float(row["q3"]) if row.get("q3") else None,
                "observations": int(row.get("observations") or 0),
                "source": "seed",
            }
    return out


def price_verdict(state: dict | None, price: float, *, min_observations: int = 30, ratio: float = 0.3,
                  seed: dict | None = None) -> dict | None:
    """Flag a price below ``ratio`` x the category median.

    The reference is the streaming state when it holds >= ``min_observations`` prices, else
    ``seed`` (one entry of :func:`load_seed`) when that has >= ``min_observations``, else there is
    no verdict (None).  Flagged when ``price < ratio * median`` (strict; ``price == ratio*median``
    is fine).  Call it *before* :func:`observe_price` of the same card so a price is never judged
    against itself.  Returns ``{"price", "median", "q1", "q3", "ratio" (price/median),
    "threshold" (the ratio argument), "observations", "source": "stream"|"seed"}`` or None."""
    if price is None or not isinstance(price, int | float) or not math.isfinite(price) or price < 0:
        return None
    if state and state.get("n", 0) >= min_observations:
        ref = {"median": quantile(state, 0.5), "q1": quantile(state, 0.25), "q3": quantile(state, 0.75),
               "observations": state["n"], "source": "stream"}
    elif seed and seed.get("observations", 0) >= min_observations:
        ref = {k: seed.get(k) for k in ("median", "q1", "q3", "observations")} | {"source": "seed"}
    else:
        return None
    median = ref["median"]
    if not median or median <= 0 or not price < ratio * median:
        return None
    return {"price": float(price), "median": round(float(median), 4),
            "q1": None if ref["q1"] is None else round(float(ref["q1"]), 4),
            "q3": None if ref["q3"] is None else round(float(ref["q3"]), 4),
            "ratio": round(price / median, 4), "threshold": ratio,
            "observations": ref["observations"], "source": ref["source"]}


__all__ = ["QUANTILES", "load_seed", "observe_price", "price_verdict", "quantile"]
