"""Triage quality on the labelled sets the project ships (data/corpus/README.md).

The floors sit a little under today's figures, so a change that makes triage worse fails here.
Issue 3's targets: a right window in the top 3 for ≥ 95 %, every emergency flagged, first
category ≥ 90 %. At the end of 2026-11-24 the first category was 87.5 % on the corpus's own
held-out split (it moves by two or three items as training data is added), 94.3 % on the
independent dev set and 92.8 % on the independent blind set (see the README).
"""

from __future__ import annotations

import pytest

from madoguchi.routing.evaluate import evaluate

FIRST_CATEGORY_FLOOR = {"test": 0.87, "dev": 0.93, "blind": 0.92}


@pytest.mark.parametrize("split", ["test", "dev", "blind"])
def test_quality_on_each_labelled_set(split: str) -> None:
    report = evaluate(split=split)
    assert report.cases >= 200
    assert report.emergency_recall == 1.0, report.emergency_misses
    assert report.top3_window_accuracy >= 0.95, report.summary()
    assert report.first_category_accuracy >= FIRST_CATEGORY_FLOOR[split], report.summary()
    assert report.false_urgent_rate <= 0.16, report.summary()
