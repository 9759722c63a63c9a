"""The claim classifier: reproducible training, fast scoring equal to sklearn, unseen claims."""

from __future__ import annotations

import numpy as np
import pytest

from models.classifier import DEFAULT_CORPUS_DIR, ClaimClassifier, features_text, fit, read_jsonl


@pytest.fixture(scope="module")
def shipped() -> ClaimClassifier:
    return ClaimClassifier.load()


@pytest.fixture(scope="module")
def small_fit() -> dict:
    rows = read_jsonl(DEFAULT_CORPUS_DIR / "train.jsonl")[::6]
    return fit(rows, seed=0)


def test_fast_scoring_matches_sklearn(small_fit: dict) -> None:
    vec, clf, bclf = small_fit["_sklearn"]
    state = {k: v for k, v in small_fit.items() if k != "_sklearn"}
    model = ClaimClassifier(state)
    for text in ["吃了三天瘦了十斤", "欢迎来到直播间", "用完皮肤再也不长痘", "这个 价格  很划算", "zz"]:
        t = features_text(text)
        x = vec.transform([t])
        want_bin = bclf.predict_proba(x)[0][1]
        want = clf.predict_proba(x)[0]
        benign = list(clf.classes_).index("benign")
        scores = model.scores(t)
        assert scores.p_binary == pytest.approx(want_bin, abs=1e-4)
        assert scores.p_any == pytest.approx(1 - want[benign], abs=1e-4)
        assert scores.p_claim == pytest.approx((want_bin + 1 - want[benign]) / 2, abs=1e-4)
        claims = [c for c in clf.classes_ if c != "benign"]
        assert scores.category == claims[int(np.argmax(np.delete(want, benign)))]
        assert np.allclose(model.proba(t), want, atol=1e-4)
        assert np.allclose(model.proba(t), model.proba_reference(t), atol=1e-9)


def test_training_is_reproducible(small_fit: dict) -> None:
    rows = read_jsonl(DEFAULT_CORPUS_DIR / "train.jsonl")[::6]
    again = fit(rows, seed=0)
    assert again["vocab"] == small_fit["vocab"]
    assert np.array_equal(again["coef"], small_fit["coef"])


@pytest.mark.parametrize(
    "text",
    [
        "这个茶喝了半个月，血压就稳稳降下来了",
        "抹了两天，脸上的斑淡得几乎看不见了",
        "孩子吃了这个，个子一年窜了十厘米",
        "这个贴片贴一晚，第二天膝盖就不疼了",
    ],
)
def test_flags_unseen_efficacy_claims(shipped: ClaimClassifier, text: str) -> None:
    (cat, p), = shipped.predict([features_text(text)])
    assert p >= shipped.threshold, (text, p)
    assert cat != "benign"


@pytest.mark.parametrize(
    "text", ["欢迎新来的宝宝点个关注", "这件卫衣是加绒的，冬天穿很暖和", "今天下单明天发货，全国包邮", "效果因人而异，理性消费"]
)
def test_benign_speech_scores_low(shipped: ClaimClassifier, text: str) -> None:
    (_, p), = shipped.predict([features_text(text)])
    assert p < shipped.threshold, (text, p)
