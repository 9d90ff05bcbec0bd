"""Property tests: any text a person can type gives an answer or a clear error, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi import triage
from madoguchi.routing.triage import TriageInputError
from madoguchi.understanding.text import analyse, normalize

JAPANESE = st.text(
    alphabet=st.sampled_from(
        list("あいうえおかきくけこさらされた晒悪口写真死殺消えたい。、！？ 　\nXLINEインスタ😭草w")
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), JAPANESE))
def test_triage_never_crashes(text: str) -> None:
    try:
        result = triage(text, at="2026-11-25T10:00+09:00")
    except TriageInputError as exc:
        assert str(exc)
        return
    assert isinstance(result.urgent, bool)
    assert all(0.0 <= c.score <= 1.0 for c in result.categories)
    if result.urgent:
        assert result.emergency


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_normalise_is_idempotent_and_tokens_point_into_the_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    analysis = analyse(text)
    for token in analysis.tokens:
        if token.surface != "\n":
            assert analysis.text[token.start : token.end] == token.surface


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JAPANESE)
def test_deterministic(text: str) -> None:
    try:
        first = triage(text, at="2026-11-25T10:00+09:00")
    except TriageInputError:
        return
    assert triage(text, at="2026-11-25T10:00+09:00") == first
