import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from models.fuzzy import (
    brands_conflict,
    brands_of,
    canonical_brand,
    canonical_category,
    categories_conflict,
    category_group,
    model_numbers,
    models_compatible,
    normalise_text,
)
from models.selection import DEFAULT_THRESHOLD, ProductMatcher, load_pairs

ROOT = Path(__file__).resolve().parents[2]


def test_normalise_strips_marketing_noise_and_folds():
    assert normalise_text("【直播专享】限时秒杀 歐萊雅面霜 包邮！！🔥") == "欧莱雅面霜"
    assert normalise_text("ＸＩＡＯＭＩ 14") == "小米 14"
    assert normalise_text("L'Oréal Paris 小黑瓶") == "欧莱雅 paris 小黑瓶"


@pytest.mark.parametrize(
    ("name", "canon"),
    [("L'Oréal", "欧莱雅"), ("oulaiya", "欧莱雅"), ("LOREAL", "欧莱雅"), ("歐萊雅", "欧莱雅"), ("Xiaomi", "小米"),
     ("MI", "小米"), ("米家", "小米"), ("huawei", "华为"), ("Midea", "美的"), ("某某牌", "某某牌"), ("", None)],
)
def test_canonical_brand(name, canon):
    assert canonical_brand(name) == canon


def test_brand_detection_in_titles_respects_word_boundaries():
    assert brands_of(None, "Redmi Note 13") == {"红米", "小米"}  # sub-brand brings its family
    assert brands_of(None, "mini 风扇") == set()  # "mi" inside "mini" is no brand
    assert brands_of(None, "苹果醋 饮料") == set()  # 苹果 as a word is fruit, only Apple/iPhone count
    assert brands_of("Apple/苹果", "") == {"苹果"}
    assert brands_of(None, "小米14 手机") == {"小米"}


@pytest.mark.parametrize(
    ("title", "brands"),
    [("超美的连衣裙", set()), ("美的电饭煲", {"美的"}), ("美的 MB-FB40S701", {"美的"}), ("小米粥 500g", set()),
     ("苹果15 Pro", {"苹果"}), ("好孩子儿童安全座椅", {"好孩子"}), ("做个好孩子 绘本", set())],
)
def test_ambiguous_brand_words_need_product_context(title, brands):
    assert brands_of(None, title) == brands
    assert brands_of("美的", title) >= {"美的"}  # a brand field always counts


def test_brand_conflict():
    assert brands_conflict({"小米"}, {"华为"})
    assert not brands_conflict({"小米", "红米"}, {"红米"})
    assert not brands_conflict(set(), {"华为"})
    assert not brands_conflict({"某某"}, {"某某旗舰店"})


@pytest.mark.parametrize(
    ("title", "models"),
    [
        ("vivo X200 Pro 5G 16+512", {"x200"}),
        ("Xiaomi 14 Ultra 16GB+512GB", {"14"}),
        ("Apple iPhone 15 Pro Max 256GB", {"15"}),
        ("美的电饭煲MB-FB40S701 4L", {"mbfb40s701"}),
        ("红米Note13Pro", {"note13"}),
        ("华为 FreeBuds Pro 3", {"pro3"}),
        ("索尼WH-1000XM5", {"wh1000xm5"}),
        ("格力KFR-35GW 1.5匹", {"kfr35"}),
        ("蒙牛特仑苏250ml*12盒", set()),
        ("2024新款 3件套 750g 5G 4K", set()),
        ("小米手环8 NFC版", {"8"}),
    ],
)
def test_model_numbers(title, models):
    assert model_numbers(title) == models


def test_models_compatible():
    assert not models_compatible({"x200"}, {"x300"})
    assert models_compatible({"15"}, {"iphone15"})
    assert models_compatible({"x200", "x300"}, {"x300"})
    assert models_compatible(set(), {"x300"})
    assert not models_compatible({"14"}, {"15"})


def test_categories():
    assert canonical_category("厨房电器") == "小家电"
    assert canonical_category("電動車") == "电动自行车"
    assert canonical_category("家用电器/厨房电器") == "小家电"
    assert canonical_category("宠物用品") == "宠物用品"
    assert category_group("小家电") == category_group("家用电器") == "家电"
    assert categories_conflict("手机", "食品")
    assert not categories_conflict("手机", "数码")
    assert not categories_conflict("宠物用品", "食品")  # unknown category never conflicts


def test_labelled_pairs_dataset_shape():
    rows = load_pairs()
    assert len(rows) >= 300
    kinds = Counter(r["kind"] for r in rows)
    assert {"positive", "model_mismatch", "same_brand_other_product", "other_brand_same_type"} <= set(kinds)
    groups = {}
    for r in rows:  # a product group never straddles the split
        groups.setdefault(r["group"], set()).add(r["split"])
    assert all(len(s) == 1 for s in groups.values())
    assert 0.15 < sum(r["split"] == "test" for r in rows) / len(rows) < 0.45


def _bench():
    spec = importlib.util.spec_from_file_location("fuzzy_bench", ROOT / "bench" / "fuzzy_match.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_shipped_threshold_is_the_train_calibration_and_holds_on_test():
    bench = _bench()
    rows = load_pairs()
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    fn = bench.build_methods(train)["combined = blend+model bonus+vetoes [shipped]"]
    assert bench.calibrate([fn(r) for r in train], [r["label"] for r in train]) == DEFAULT_THRESHOLD
    p, r, f1 = bench.prf([fn(x) for x in test], [x["label"] for x in test], DEFAULT_THRESHOLD)
    assert p >= 0.85 and r >= 0.9 and f1 >= 0.9


def test_matcher_agrees_with_bench_scores():
    m = ProductMatcher()
    rows = [r for r in load_pairs() if r["split"] == "test"]
    wrong = 0
    for r in rows:
        got = m.match({"product_id": "none", **r["card"]}, [r["declared"]])
        wrong += got.listed != bool(r["label"])
    assert wrong / len(rows) <= 0.1
