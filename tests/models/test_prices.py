import math

import numpy as np
import orjson
import pytest

from models.prices import QUANTILES, load_seed, observe_price, price_verdict, quantile


def feed(prices, state=None):
    for p in prices:
        state = observe_price(state, p)
    return state


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("dist", ["lognormal", "uniform", "exponential"])
def test_quantiles_close_to_numpy(seed, dist):
    rng = np.random.default_rng(seed)
    xs = {"lognormal": lambda: rng.lognormal(4, 0.8, 4000), "uniform": lambda: rng.uniform(10, 500, 4000),
          "exponential": lambda: rng.exponential(200, 4000)}[dist]()
    st = feed(float(x) for x in xs)
    assert st["n"] == 4000
    for p in QUANTILES:
        exact = float(np.quantile(xs, p))
        assert abs(quantile(st, p) - exact) / exact < 0.03, (p, quantile(st, p), exact)
    assert st["min"] == pytest.approx(xs.min()) and st["max"] == pytest.approx(xs.max())


def test_small_samples_are_exact():
    xs = [5.0, 1.0, 3.0, 9.0]
    st = feed(xs)
    for p in QUANTILES:
        assert quantile(st, p) == pytest.approx(float(np.quantile(xs, p)))
    assert quantile(None, 0.5) is None


def test_state_is_plain_json_and_pure():
    st = feed([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
    snap = orjson.dumps(st)
    st2 = observe_price(st, 1000.0)
    assert orjson.dumps(st) == snap
    assert orjson.loads(orjson.dumps(st2)) == st2


def test_bad_prices_ignored():
    st = feed([10.0] * 3)
    for bad in (float("nan"), float("inf"), -1.0, None):
        assert observe_price(st, bad) == st
    assert price_verdict(feed([100.0] * 50), float("nan")) is None


def test_verdict_needs_enough_observations():
    st = feed([100.0 + i % 7 for i in range(29)])
    assert price_verdict(st, 5.0) is None
    st = observe_price(st, 103.0)
    v = price_verdict(st, 5.0)
    assert v is not None and v["observations"] == 30 and v["source"] == "stream"
    assert v["ratio"] == pytest.approx(5.0 / v["median"], rel=1e-3)
    assert price_verdict(st, 5.0, min_observations=31) is None


def test_verdict_ratio_boundary_strict():
    st = feed([100.0] * 40)
    assert quantile(st, 0.5) == pytest.approx(100.0)
    assert price_verdict(st, 30.0) is None  # exactly ratio * median is fine
    assert price_verdict(st, 29.99)["threshold"] == 0.3
    assert price_verdict(st, 49.0, ratio=0.5) is not None
    assert price_verdict(st, 0.0)["ratio"] == 0.0


def test_seed_used_until_stream_has_enough(tmp_path):
    path = tmp_path / "seed.csv"
    path.write_text("category,median,q1,q3,observations\n手机,3000,1500,5000,500\n厨房电器,200,,,10\n"
                    "食品,0,,,100\n", encoding="utf-8")
    seed = load_seed(path)
    assert set(seed) == {"手机", "小家电"}  # synonyms canonicalised, non-positive median dropped
    assert seed["小家电"]["q1"] is None
    v = price_verdict(feed([10.0] * 3), 500.0, seed=seed["手机"])
    assert v["source"] == "seed" and v["median"] == 3000.0 and math.isclose(v["ratio"], 500 / 3000, rel_tol=1e-3)
    assert price_verdict(None, 10.0, seed=seed["小家电"]) is None  # seed too small
    stream = feed([600.0] * 30)
    assert price_verdict(stream, 500.0, seed=seed["手机"]) is None  # stream wins once it is big enough
