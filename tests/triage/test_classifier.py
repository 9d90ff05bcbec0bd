"""The classifier's own scorer gives what scikit-learn gives, without importing it at load."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from madoguchi.understanding import classifier
from madoguchi.understanding.text import analyse, features


@pytest.fixture(scope="module")
def fitted() -> tuple[list[str], tuple[object, object, object]]:
    examples = [e for e in classifier.load_corpus() if e.split == "train"][::4]
    docs = [features(analyse(e.text)) for e in classifier.load_corpus() if e.split == "test"]
    return docs, classifier.fit_sklearn(examples)


def test_char_ngrams_are_scikit_learns(fitted) -> None:  # type: ignore[no-untyped-def]
    docs, (vectorizer, _, _) = fitted
    analyzer = vectorizer.transformer_list[0][1][-1].build_analyzer()
    texts = [classifier._chars(d) for d in docs] + ["", "a", "ab  CD\te", "ｗ", "  x  "]
    for text in texts:
        assert classifier.char_wb_ngrams(text, *classifier.CHAR_NGRAMS) == analyzer(text)


def test_predictions_are_scikit_learns(fitted) -> None:  # type: ignore[no-untyped-def]
    docs, (vectorizer, categories, urgent) = fitted
    model = classifier.Model.from_fitted(vectorizer, categories, urgent)
    x = vectorizer.transform(docs)
    expected = categories.predict_proba(x)
    expected_urgent = urgent.predict_proba(x)[:, 1]
    for i, doc in enumerate(docs):
        probabilities, urgency = model.predict(doc)
        got = np.array([probabilities[label] for label in categories.classes_])
        # The model keeps its weights as float32: equal to about six digits.
        np.testing.assert_allclose(got, expected[i], atol=1e-5)
        assert urgency == pytest.approx(expected_urgent[i], abs=1e-5)


def test_term_keys_tell_apart_strings_with_the_same_stored_bytes() -> None:
    # Python hashes a string's stored bytes: 「整」 (U+6574, two bytes) and "te" collide.
    assert hash("整") == hash("te")
    keys = classifier._term_keys(["整", "te", "t", "e"], 4)
    assert len(set(keys.tolist())) == 4


def test_the_key_search_finds_what_the_dictionary_finds() -> None:
    model = classifier.get_model()
    for e in classifier.load_corpus()[::40]:
        doc = features(analyse(e.text))
        for vocabulary, terms in (
            (
                model.chars,
                classifier.char_wb_ngrams(classifier._chars(doc), *classifier.CHAR_NGRAMS),
            ),
            (model.words, [*classifier._words(doc), "未知の語です", "整", "te"]),
        ):
            assert vocabulary._sorted_keys is not None
            rows, counts = vocabulary.count(terms)
            known = [
                vocabulary.index[t] + vocabulary.offset for t in terms if t in vocabulary.index
            ]
            want_rows, want_counts = np.unique(np.array(known, dtype=np.intp), return_counts=True)
            np.testing.assert_array_equal(rows, want_rows)
            np.testing.assert_array_equal(counts, want_counts)


def test_a_triage_from_the_cached_model_does_not_import_scikit_learn() -> None:
    classifier.get_model()  # the cache exists (trained now if it did not)
    code = (
        "import sys; from madoguchi import triage; triage('Xで晒された'); "
        "print('sklearn' in sys.modules, 'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
