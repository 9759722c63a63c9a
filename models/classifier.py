"""Sentence classifier for claims no lexicon entry names (吃了三天瘦十斤, 用完皮肤再也不长痘).

Training: scikit-learn TfidfVectorizer (character 1-3 grams of the NORMALISED sentence, sublinear tf) +
multinomial LogisticRegression over "benign" and the claim categories.  The shipped artefact
(models/data/claim_classifier.pkl) is NOT a pickled sklearn object: it holds the vocabulary, idf, and
coefficients as plain lists/arrays, and ``ClaimClassifier`` re-implements the (linear) scoring in a few
numpy operations.  That keeps loading fast and small and makes inference ~10x cheaper than calling
sklearn per sentence; ``tests/models/test_classifier.py`` checks both agree.

Rebuild the shipped model (deterministic for a given corpus and seed):
    python -m models.classifier            # trains on models/data/corpus/train.jsonl
"""

from __future__ import annotations

import argparse
import math
import pickle
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick_rs
import numpy as np
import orjson

from models.normalize import normalize
from models.plain import read_jsonl

DATA = Path(__file__).parent / "data"
DEFAULT_MODEL_PATH = DATA / "claim_classifier.pkl"
DEFAULT_CORPUS_DIR = DATA / "corpus"
MODEL_PATH = DEFAULT_MODEL_PATH  # names used by `livewatch train` (streams/cli.py)
CORPUS_DIR = DEFAULT_CORPUS_DIR
BENIGN = "benign"
NGRAMS = (2, 3)  # character n-grams; single characters added cost (a match per character) and no accuracy
MAX_FEATURES = 15000
LOGREG_C = 16.0  # inverse regularisation, chosen with MAX_FEATURES on the development sets (models/DETECTOR.md)
DEFAULT_THRESHOLD = 0.78  # P(claim) for a window around a cue word; chosen on the development sets (models/DETECTOR.md)
# For a window with a topic word (考研, 黄金, 部队 …) but no cue word: the subject alone is weak evidence of a
# claim, so the model must be surer.  0.8 was chosen on the development sets (models/DETECTOR.md).
DEFAULT_TOPIC_THRESHOLD = 0.8
# N-grams that let a segment with no cue or topic word be scored whole (models/detector.py, WHOLE_THRESHOLD).
STRONG_NGRAMS = 200
CACHE_SIZE = 4096  # windows remembered by p_claim and by category (each)
_WS = re.compile(r"\s\s+")
_LOG1 = [0.0] + [1.0 + math.log(k) for k in range(1, 64)]
_FIRST = itemgetter(0)


def features_text(text: str) -> str:
    """What the model sees: the normalised sentence (so evasions look like the plain claim)."""
    return normalize(text).text


def _ngrams(text: str) -> list[str]:
    # Same as sklearn's analyzer="char" (whitespace runs collapsed, n-grams over the whole string).
    text = _WS.sub(" ", text)
    n = len(text)
    out = []
    for k in range(NGRAMS[0], NGRAMS[1] + 1):
        out.extend(text[i : i + k] for i in range(n - k + 1))
    return out


class Scores(NamedTuple):
    p_claim: float  # what the detector compares with its thresholds: the mean of the next two
    p_binary: float  # binary model: P(claim)
    p_any: float  # category model: 1 - P(benign)
    category: str  # category model: the most likely claim category (benign excluded)


class ClaimClassifier:
    """Numpy re-implementation of tf-idf + multinomial logistic regression scoring."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.classes: list[str] = list(state["classes"])
        self.vocab: dict[str, int] = {t: i for i, t in enumerate(state["vocab"])}
        self.idf = np.asarray(state["idf"], dtype=np.float64)
        self.coef = np.asarray(state["coef"], dtype=np.float64)  # (n_features, n_classes)
        self.intercept = np.asarray(state["intercept"], dtype=np.float64)
        self.bin_coef: list[float] = [float(x) for x in state["bin_coef"]]
        self.bin_intercept = float(state["bin_intercept"])
        self._w_idf: list[float] = [float(a) * b for a, b in zip(self.idf, self.bin_coef, strict=True)]
        self._idf2: list[float] = [float(a) * float(a) for a in self.idf]
        self.threshold: float = float(state.get("threshold", DEFAULT_THRESHOLD))
        self.topic_threshold: float = float(state.get("topic_threshold", DEFAULT_TOPIC_THRESHOLD))
        self.meta: dict[str, Any] = dict(state.get("meta", {}))
        self._benign = self._benign_index()
        # Every vocabulary n-gram occurrence in one Rust pass: identical counts to sklearn's char
        # analyzer (all substrings of length 1..3), without a Python loop over n-grams.
        vocab_list = list(state["vocab"])
        self._ac = ahocorasick_rs.AhoCorasick(vocab_list, matchkind=ahocorasick_rs.MatchKind.Standard)
        # Per-instance LRU caches keyed by the window text (the model is immutable, so a cached answer is
        # exactly the computed one).  Host speech repeats a lot (scripts, slogans read out every few
        # minutes); cache_size=0 turns them off (bench/detector.py --no-cache).
        self.set_cache_size(CACHE_SIZE)

    def set_cache_size(self, size: int) -> None:
        """(Re)build the window caches of the two models' answers with ``size`` entries each (0: no cache)."""
        if size > 0:
            self.p_binary = lru_cache(maxsize=size)(self._p_binary)  # type: ignore[method-assign]
            self._multi = lru_cache(maxsize=size)(self._multi_uncached)
        else:
            self.p_binary = self._p_binary  # type: ignore[method-assign]
            self._multi = self._multi_uncached

    def strong_ngrams(self, k: int = STRONG_NGRAMS) -> tuple[str, ...]:
        """The ``k`` n-grams that weigh most towards a claim in the binary model (weight x idf; ties by the
        n-gram, so the list is deterministic)."""
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        ranked = sorted((-w, t) for t, w in zip(vocab, self._w_idf, strict=True) if w > 0)
        return tuple(t for _, t in ranked[:k])

    def _benign_index(self) -> int:
        return self.classes.index(BENIGN)

    @classmethod
    def load(cls, path: Path | str = DEFAULT_MODEL_PATH) -> ClaimClassifier:
        with open(path, "rb") as fh:
            return cls(pickle.load(fh))

    def proba_reference(self, text: str) -> np.ndarray:
        """Slow, obviously-correct scoring (used by tests to check ``proba``)."""
        counts: dict[int, int] = {}
        for g in _ngrams(text):
            i = self.vocab.get(g)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        z = self.intercept.copy()
        if counts:
            vals = {i: (1.0 + math.log(c)) * float(self.idf[i]) for i, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vals.values()))
            for i, v in vals.items():
                z = z + (v / norm) * self.coef[i]
        z = np.exp(z - z.max())
        return z / z.sum()

    def _ids(self, text: str) -> list[int]:
        """Vocabulary index of every n-gram occurrence (sklearn's char analyzer: whitespace runs collapsed)."""
        if "  " in text:
            text = _WS.sub(" ", text)
        return list(map(_FIRST, self._ac.find_matches_as_indexes(text, overlapping=True)))

    def proba(self, text: str) -> np.ndarray:
        """Class probabilities for one already-normalised sentence."""
        return self._proba_ids(self._ids(text))

    def _proba_ids(self, ids: list[int]) -> np.ndarray:
        if not ids:
            z = self.intercept
        else:
            # Sorted distinct indexes and their counts: what np.unique(..., return_counts=True) returns,
            # without its per-call overhead (same arrays, so the same floating-point result).
            counts = Counter(ids)
            order = sorted(counts)
            idx = np.array(order, dtype=np.int64)
            tf = np.array([counts[i] for i in order], dtype=np.int64)
            vals = (1.0 + np.log(tf)) * self.idf[idx]
            vals /= math.sqrt(float(vals @ vals))
            z = vals @ self.coef[idx] + self.intercept
        z = np.exp(z - z.max())
        return z / z.sum()

    def scores(self, text: str) -> Scores:
        """Both models' view of one normalised window (each cached per window text, see ``set_cache_size``)."""
        p_bin = self.p_binary(text)
        p_any, cat = self._multi(text)
        return Scores((p_bin + p_any) / 2, p_bin, p_any, cat)

    def p_claim(self, text: str) -> float:
        """P(claim): the mean of the binary model's P(claim) and the category model's 1 - P(benign).  The two
        models are fitted on the same n-grams but err on different windows; their mean found more claims for as
        many false alarms on the development sets (models/DETECTOR.md)."""
        return self.scores(text).p_claim

    def reaching(self, text: str, threshold: float) -> float | None:
        """``p_claim(text)`` if it reaches ``threshold``, else None.  The mean cannot reach it when the binary P is
        below 2 x threshold - 1, and most windows stop there, before the category model's numpy work (which costs
        several times the binary model's sums)."""
        p_bin = self.p_binary(text)
        if (p_bin + 1.0) / 2 < threshold:  # an upper bound of the mean, in the same float arithmetic
            return None
        p = (p_bin + self._multi(text)[0]) / 2
        return p if p >= threshold else None

    def category(self, text: str) -> str:
        """Most likely claim category (multinomial model, benign excluded)."""
        return self._multi(text)[1]

    def p_binary(self, text: str) -> float:
        """The binary model's P(claim) (cached per window text)."""
        return self._p_binary(text)

    def _p_binary(self, text: str) -> float:
        """Pure Python over the few matched n-grams."""
        if "  " in text:
            text = _WS.sub(" ", text)
        matches = self._ac.find_matches_as_indexes(text, overlapping=True)
        if not matches:
            z = self.bin_intercept
        else:
            # tf-idf value v = (1 + log tf) * idf; most n-grams occur once, so v = idf there.
            wi, i2 = self._w_idf, self._idf2
            ids = list(map(_FIRST, matches))
            if len(set(ids)) == len(ids):
                # Every n-gram once (most clause windows, with 2-3-grams): two C-level sums, no Counter.
                dot, ss = sum(map(wi.__getitem__, ids)), sum(map(i2.__getitem__, ids))
            else:
                ss = dot = 0.0
                for i, k in Counter(ids).items():
                    lk = _LOG1[k] if k < 64 else 1.0 + math.log(k)
                    ss += lk * lk * i2[i]
                    dot += lk * wi[i]
            z = dot / math.sqrt(ss) + self.bin_intercept
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def _multi_uncached(self, text: str) -> tuple[float, str]:
        """The category model: (1 - P(benign), the most likely claim category)."""
        ids = self._ids(text)
        if ids:
            counts = Counter(ids)
            idx = np.fromiter(counts, np.intp, len(counts))
            vals = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * self.idf[idx]
            z = (vals @ self.coef[idx]) / math.sqrt(float(vals @ vals)) + self.intercept
        else:
            z = self.intercept.copy()
        e = np.exp(z - z.max())
        p_any = 1.0 - float(e[self._benign] / e.sum())
        z[self._benign] = -np.inf  # argmax of the logits = argmax of the softmax
        return p_any, self.classes[int(z.argmax())]

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(most likely claim category, P(claim)) per normalised sentence; the category model only runs
        when P(claim) reaches the threshold."""
        out = []
        for t in texts:
            p = self.p_claim(t)
            out.append((self.category(t) if p >= self.threshold else BENIGN, p))
        return out


def _labels(rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    texts, ys = [], []
    for r in rows:
        texts.append(features_text(r["text"]))
        if not r["label"]:
            ys.append(BENIGN)
        elif not r.get("category"):
            raise ValueError(f"positive row without 'category': {r['text']!r}")
        else:
            ys.append(r["category"])
    return texts, ys


def _vectorizer(vocabulary: list[str] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=2, lowercase=False,
                           dtype=np.float64, vocabulary=vocabulary)


def _logreg(seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=LOGREG_C, max_iter=3000, random_state=seed, class_weight="balanced")


def fit(
    rows: list[dict[str, Any]], seed: int = 0, threshold: float = DEFAULT_THRESHOLD, max_features: int = MAX_FEATURES
) -> dict[str, Any]:
    """Fit on labelled rows; returns the exportable state (see ClaimClassifier).

    Two passes: the first fits both models on every 2-3-gram seen twice, the second refits them on the
    ``max_features`` n-grams with the largest weights (|binary coef| + the largest |category coef|): the
    long tail of rare n-grams added no accuracy on the development sets, and the size made no measurable
    difference to the detector's speed (models/DETECTOR.md).
    """
    texts, ys = _labels(rows)
    yb = np.array([y != BENIGN for y in ys], dtype=np.int64)
    vec = _vectorizer()
    x = vec.fit_transform(texts)
    if max_features and x.shape[1] > max_features:
        weight = np.abs(_logreg(seed).fit(x, yb).coef_[0]) + np.abs(_logreg(seed).fit(x, ys).coef_).max(axis=0)
        by_index = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        # Ties broken by the n-gram itself, so the selection does not depend on dict order.
        keep = sorted(range(len(by_index)), key=lambda i: (-weight[i], by_index[i]))[:max_features]
        vec = _vectorizer(sorted(by_index[i] for i in keep))
        x = vec.fit_transform(texts)
    clf = _logreg(seed).fit(x, ys)
    bclf = _logreg(seed).fit(x, yb)
    vocab = [None] * len(vec.vocabulary_)
    for t, i in vec.vocabulary_.items():
        vocab[i] = t
    coef = clf.coef_.T.astype(np.float32)
    return {
        "classes": [str(c) for c in clf.classes_],
        "vocab": vocab,
        "idf": vec.idf_.astype(np.float32),
        "coef": coef,
        "intercept": clf.intercept_.astype(np.float64),
        "bin_coef": bclf.coef_[0].astype(np.float64),
        "bin_intercept": float(bclf.intercept_[0]),
        "threshold": threshold,
        "topic_threshold": DEFAULT_TOPIC_THRESHOLD,
        "meta": {"seed": seed, "n_train": len(texts), "ngram_range": NGRAMS, "C": LOGREG_C, "min_df": 2,
                 "max_features": max_features},
        "_sklearn": (vec, clf, bclf),
    }


def train(corpus_dir: Path, out_path: Path, seed: int = 0) -> dict[str, Any]:
    """Train on corpus_dir/train.jsonl, save to out_path, return metrics on corpus_dir/test.jsonl."""
    corpus_dir, out_path = Path(corpus_dir), Path(out_path)
    train_rows = read_jsonl(corpus_dir / "train.jsonl")
    state = fit(train_rows, seed=seed)
    state.pop("_sklearn")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    model = ClaimClassifier(state)
    metrics: dict[str, Any] = {"n_train": len(train_rows), "out": str(out_path), "bytes": out_path.stat().st_size}
    test_path = corpus_dir / "test.jsonl"
    if test_path.exists():
        test_rows = read_jsonl(test_path)
        texts, ys = _labels(test_rows)
        preds = model.predict(texts)
        tp = sum(1 for y, (_, p) in zip(ys, preds, strict=True) if y != BENIGN and p >= model.threshold)
        fp = sum(1 for y, (_, p) in zip(ys, preds, strict=True) if y == BENIGN and p >= model.threshold)
        fn = sum(1 for y, (_, p) in zip(ys, preds, strict=True) if y != BENIGN and p < model.threshold)
        cat_ok = sum(
            1 for y, (c, p) in zip(ys, preds, strict=True) if y != BENIGN and p >= model.threshold and c == y
        )
        metrics.update(
            n_test=len(test_rows),
            classifier_alone_precision=round(tp / (tp + fp), 4) if tp + fp else 0.0,
            classifier_alone_recall=round(tp / (tp + fn), 4) if tp + fn else 0.0,
            classifier_category_accuracy=round(cat_ok / tp, 4) if tp else 0.0,
        )
    return metrics


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Rebuild the shipped claim classifier.")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS_DIR)
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(orjson.dumps(train(args.corpus, args.out, args.seed), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
