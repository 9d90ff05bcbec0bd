"""The statistical layer: TF-IDF (characters + Sudachi words) and logistic regression.

Learned from the corpus the project ships (`data/corpus/*.jsonl`, train split),
so phrasings the lexicon does not know still land. The fitted model is cached in the
user's cache folder under a hash of the corpus and library versions; a changed corpus
retrains by itself. Heavy imports happen here only, never for the CLI's help.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .text import analyse, features

MODEL_VERSION = "3"
SECONDARY_WEIGHT = 0.35


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    categories: tuple[str, ...]
    urgent: bool
    split: str
    audience: str | None = None
    want: str | None = None


def corpus_dir() -> Path:
    return Path(str(resources.files("madoguchi") / "data" / "corpus"))


def corpus_files() -> list[Path]:
    """Every *.jsonl file of the corpus, in name order (situations.jsonl, then more)."""
    return sorted(corpus_dir().glob("*.jsonl"))


def load_corpus(paths: list[Path] | None = None) -> list[Example]:
    out = []
    lines = [
        line
        for path in (paths or corpus_files())
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        out.append(
            Example(
                id=row["id"],
                text=row["text"],
                categories=tuple(row["categories"]),
                urgent=bool(row.get("urgent", False)),
                split=row.get("split", "train"),
                audience=row.get("audience"),
                want=row.get("want"),
            )
        )
    return out


def _words(doc: str) -> list[str]:
    """The Sudachi normal forms: the last line of `features()`."""
    return doc.rsplit("\n", 1)[-1].split()


def _chars(doc: str) -> str:
    return doc.rsplit("\n", 1)[0]


class Model:
    """Multi-label category probabilities and an urgency probability for a text."""

    def __init__(self, examples: list[Example]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.preprocessing import FunctionTransformer

        docs = [features(analyse(e.text)) for e in examples]
        # One softmax over categories, trained on the primary label at full weight and on
        # secondary labels at a third: a ranking with room for several troubles in one text.
        rows, labels, weights = [], [], []
        for i, example in enumerate(examples):
            for rank, category in enumerate(example.categories):
                rows.append(i)
                labels.append(category)
                weights.append(1.0 if rank == 0 else SECONDARY_WEIGHT)
        self.words = TfidfVectorizer(analyzer=_words, sublinear_tf=True, min_df=1)
        self.vectorizer = FeatureUnion(
            [
                (
                    "chars",
                    make_pipeline(
                        FunctionTransformer(_list_chars),
                        TfidfVectorizer(
                            analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2
                        ),
                    ),
                ),
                ("words", self.words),
            ]
        )
        x = self.vectorizer.fit_transform(docs)
        self.categories = LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced")
        self.categories.fit(x[rows], labels, sample_weight=weights)
        self.urgent = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        urgent_y = [e.urgent for e in examples]
        self.has_urgent = len(set(urgent_y)) > 1
        if self.has_urgent:
            self.urgent.fit(x, urgent_y)
        self.labels: list[str] = [str(c) for c in self.categories.classes_]

    def predict(self, doc: str) -> tuple[dict[str, float], float]:
        """(probability per category, probability that it is urgent) for a features() doc.

        Scores the fitted models on the row from `_features` (see there): a single short
        document does not need sklearn's joblib and input checks (4 ms → 0.04 ms).
        """
        cols, vals = self._features(doc)
        # The fitted models' own parameters: softmax / sigmoid of x·coefᵀ + b, which is what
        # predict_proba computes, without sklearn's input checks on every call.
        scores = self.categories.coef_[:, cols] @ vals + self.categories.intercept_
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        urgent = 0.0
        if self.has_urgent:
            logit = float(self.urgent.coef_[0, cols] @ vals + self.urgent.intercept_[0])
            urgent = 1.0 / (1.0 + math.exp(-logit))
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}, urgent

    def _features(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """The TF-IDF row of `doc` as (columns, values), the same as the fitted FeatureUnion.

        Each part uses its fitted vectorizer's own analyzer, vocabulary and idf, with the
        settings it was fitted with (sublinear tf, l2 norm per part); 5× faster than
        `transform`, whose input checks dominate for a single short document.
        """
        cols: list[int] = []
        vals: list[float] = []
        offset = 0
        for vectorizer, text in ((self._char_vectorizer, _chars(doc)), (self.words, doc)):
            counts: dict[int, int] = {}
            vocabulary = vectorizer.vocabulary_
            for token in vectorizer.build_analyzer()(text):
                index = vocabulary.get(token)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if counts:
                idx = np.fromiter(counts, dtype=np.intp, count=len(counts))
                tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
                weights = tf * vectorizer.idf_[idx]
                weights /= np.sqrt(weights @ weights)
                cols.extend((idx + offset).tolist())
                vals.extend(weights.tolist())
            offset += len(vocabulary)
        return np.asarray(cols, dtype=np.intp), np.asarray(vals)

    @property
    def _char_vectorizer(self) -> Any:
        return self.vectorizer.transformer_list[0][1][-1]

    def word_evidence(self, doc: str, category: str, limit: int = 3) -> list[str]:
        """The person's own words that pushed the model towards `category` most."""
        if category not in self.labels:
            return []
        index = self.labels.index(category)
        coef = self.categories.coef_[index]
        n_chars = len(self._char_vectorizer.vocabulary_)
        vocab = self.words.vocabulary_
        scored = {}
        for word in _words(doc):
            col = vocab.get(word)
            if col is not None and len(word) > 1:
                weight = float(coef[n_chars + col])
                if weight > 0.5:
                    scored[word] = weight
        return sorted(scored, key=lambda w: (-scored[w], w))[:limit]


def _list_chars(docs: Any) -> list[str]:
    return [_chars(d) for d in docs]


def _cache_dir() -> Path:
    override = os.environ.get("MADOGUCHI_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("madoguchi"))


def _fingerprint(paths: list[Path]) -> str:
    import sklearn

    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"{MODEL_VERSION}|{sklearn.__version__}".encode())
    digest.update((resources.files("madoguchi.understanding") / "text.py").read_bytes())
    return digest.hexdigest()[:16]


def train(examples: list[Example] | None = None) -> Model:
    """Fit on the train split of the shipped corpus (or on the examples given)."""
    if examples is None:
        examples = [e for e in load_corpus() if e.split == "train"]
    return Model(examples)


@functools.cache
def get_model() -> Model:
    """The model for the shipped corpus: from the cache when it matches, else trained now."""
    cache = _cache_dir() / f"model-{_fingerprint(corpus_files())}.pickle"
    try:
        with cache.open("rb") as fh:
            model = pickle.load(fh)
        if isinstance(model, Model):
            return model
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    model = train()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home still works: the model lives in memory
    return model
