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
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from .text import analyse, features

MODEL_VERSION = "5"
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


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's `analyzer="char_wb"`.

    The same steps (lower-case, whitespace runs to one space, each word padded with a
    space); `test_classifier` checks it against scikit-learn on the whole corpus.
    """
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(max(size - n + 1, 1))]
            if size <= n:  # a short word counts once, as in scikit-learn
                break
    return grams


_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)


def _term_keys(terms: Iterable[str], count: int) -> np.ndarray:
    """A 64-bit key per term: Python's string hash, mixed with the length.

    The hash reads a string's stored bytes, so 「整」 (one 2-byte character) and "te" (two
    1-byte ones) share it; their lengths differ, and the mix tells them apart.
    """
    hashes = np.fromiter(map(hash, terms), dtype=np.int64, count=count).view(np.uint64)
    lengths = np.fromiter(map(len, terms), dtype=np.uint64, count=count)
    return hashes ^ (lengths * _LENGTH_MIX)


@dataclass(frozen=True)
class _Vocabulary:
    """One fitted TF-IDF part: term → its row in the model's table."""

    index: dict[str, int]
    offset: int  # the part's first row in `Model.table`

    def __getstate__(self) -> dict[str, Any]:
        # String hashes differ from process to process: the sorted keys are never pickled.
        return {"index": self.index, "offset": self.offset}

    @functools.cached_property
    def _sorted_keys(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(term keys ascending, their rows), or None if two terms share a key.

        A binary search over 8-byte keys (half a megabyte) replaces a thousand dictionary
        look-ups that each compare against a term stored somewhere in memory: 25 % faster
        for 300 characters. An unknown term whose key equals a known one's would count as
        that term; with 64-bit keys the chance is about one in ten billion per text.
        """
        keys = _term_keys(list(self.index), len(self.index))
        rows = np.fromiter(self.index.values(), dtype=np.intp, count=len(self.index))
        order = np.argsort(keys)
        keys, rows = keys[order], rows[order]
        if keys.size > 1 and bool(np.any(keys[1:] == keys[:-1])):
            return None
        return keys, rows

    def count(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(table rows, counts) of the known terms."""
        lookup = self._sorted_keys
        if lookup is None or not lookup[0].size or not terms:
            # map() keeps the per-term loop in C: a thousand look-ups for 300 characters.
            found = np.fromiter(map(self.index.get, terms, repeat(-1)), dtype=np.intp)
            found = found[found >= 0]
        else:
            keys, rows = lookup
            wanted = _term_keys(terms, len(terms))
            at = np.searchsorted(keys, wanted)
            at[at == keys.size] = 0
            found = rows[at[keys[at] == wanted]]
        rows_found, counts = np.unique(found, return_counts=True)
        return rows_found + self.offset, counts


CHAR_NGRAMS = (1, 3)


def fit_sklearn(examples: list[Example]) -> tuple[Any, Any, Any]:
    """Fit with scikit-learn: (feature union, category model, urgency model or None).

    One softmax over categories, trained on the primary label at full weight and on
    secondary labels at a third: a ranking with room for several troubles in one text.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    docs = [features(analyse(e.text)) for e in examples]
    rows, labels, weights = [], [], []
    for i, example in enumerate(examples):
        for rank, category in enumerate(example.categories):
            rows.append(i)
            labels.append(category)
            weights.append(1.0 if rank == 0 else SECONDARY_WEIGHT)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=3
    )
    vectorizer = FeatureUnion(
        [
            ("chars", make_pipeline(FunctionTransformer(_list_chars), chars)),
            ("words", TfidfVectorizer(analyzer=_words, sublinear_tf=True, min_df=1)),
        ]
    )
    x = vectorizer.fit_transform(docs)
    categories = LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced")
    categories.fit(x[rows], labels, sample_weight=weights)
    urgent_y = [e.urgent for e in examples]
    urgent = None
    if len(set(urgent_y)) > 1:
        urgent = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        urgent.fit(x, urgent_y)
    return vectorizer, categories, urgent


class Model:
    """Multi-label category probabilities and an urgency probability for a text.

    Holds only the fitted numbers (vocabularies, idf, coefficients), not scikit-learn
    objects: loading it from the cache imports numpy alone, which keeps the CLI's cold
    start short (scikit-learn's import costs about 0.5 s here).
    """

    def __init__(self, examples: list[Example]) -> None:
        self._adopt(*fit_sklearn(examples))

    @classmethod
    def from_fitted(cls, vectorizer: Any, categories: Any, urgent: Any) -> Model:
        """The numbers of models `fit_sklearn` returned (tests compare the two)."""
        model = cls.__new__(cls)
        model._adopt(vectorizer, categories, urgent)
        return model

    def _adopt(self, vectorizer: Any, categories: Any, urgent: Any) -> None:
        chars = vectorizer.transformer_list[0][1][-1]
        words = vectorizer.transformer_list[1][1]
        self.chars = _Vocabulary(dict(chars.vocabulary_), 0)
        self.words = _Vocabulary(dict(words.vocabulary_), len(chars.vocabulary_))
        self.labels: list[str] = [str(c) for c in categories.classes_]
        self.has_urgent = urgent is not None
        # One row per term: its weight for each category, for urgency, and its idf. A text
        # gathers a thousand rows; kept side by side (float32), they cost a cache line or
        # two each instead of 24 scattered reads that Sudachi's dictionary then evicts.
        n_terms = len(chars.vocabulary_) + len(words.vocabulary_)
        self.table = np.zeros((n_terms, len(self.labels) + 2), dtype=np.float32)
        self.table[:, : len(self.labels)] = np.asarray(categories.coef_).T
        if urgent is not None:
            self.table[:, self.URGENT] = np.asarray(urgent.coef_[0])
        self.table[:, self.IDF] = np.concatenate([chars.idf_, words.idf_])
        self.intercept = np.asarray(categories.intercept_, dtype=float)
        self.urgent_intercept = float(urgent.intercept_[0]) if urgent is not None else 0.0

    URGENT = -2  # the table's column of urgency weights
    IDF = -1  # the table's column of idf

    def predict(self, doc: str) -> tuple[dict[str, float], float]:
        """(probability per category, probability that it is urgent) for a features() doc:
        softmax / sigmoid of x·coefᵀ + b, what scikit-learn's predict_proba computes."""
        sums = self._part(*self.chars.count(char_wb_ngrams(_chars(doc), *CHAR_NGRAMS)))
        sums += self._part(*self.words.count(_words(doc)))
        scores = sums[: len(self.labels)] + self.intercept
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        urgent = 0.0
        if self.has_urgent:
            urgent = 1.0 / (1.0 + math.exp(-(float(sums[self.URGENT]) + self.urgent_intercept)))
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}, urgent

    def _part(self, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """One TF-IDF part's contribution x·coefᵀ (sublinear tf, l2-normalised)."""
        if not rows.size:
            return np.zeros(self.table.shape[1])
        block = self.table[rows].astype(float)
        weights = (1.0 + np.log(counts)) * block[:, self.IDF]
        weights /= np.sqrt(weights @ weights)
        return weights @ block

    def word_evidence(self, doc: str, category: str, limit: int = 3) -> list[str]:
        """The person's own words that pushed the model towards `category` most."""
        if category not in self.labels:
            return []
        column = self.labels.index(category)
        scored = {}
        for word in _words(doc):
            row = self.words.index.get(word)
            if row is not None and len(word) > 1:
                weight = float(self.table[self.words.offset + row, column])
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
    from importlib.metadata import version  # not `import sklearn`: that alone costs 0.5 s

    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"{MODEL_VERSION}|{version('scikit-learn')}|{version('numpy')}".encode())
    for module in ("text.py", "classifier.py"):  # how texts become numbers
        digest.update((resources.files("madoguchi.understanding") / module).read_bytes())
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
