"""Measuring triage on labelled situations (the corpus's held-out split)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..understanding.classifier import Example, load_corpus
from .triage import triage

# A fixed weekday morning, so that opening hours do not move the figures.
EVAL_AT = dt.datetime.fromisoformat("2026-11-25T10:00:00+09:00")


@dataclass
class EvalReport:
    cases: int = 0
    first_category_right: int = 0
    any_category_right: int = 0
    top3_window_right: int = 0
    urgent_cases: int = 0
    urgent_flagged: int = 0
    calm_cases: int = 0
    calm_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    emergency_misses: list[str] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def first_category_accuracy(self) -> float:
        return self._rate(self.first_category_right, self.cases)

    @property
    def top3_window_accuracy(self) -> float:
        return self._rate(self.top3_window_right, self.cases)

    @property
    def emergency_recall(self) -> float:
        return self._rate(self.urgent_flagged, self.urgent_cases)

    @property
    def false_urgent_rate(self) -> float:
        return self._rate(self.calm_flagged, self.calm_cases)

    def summary(self) -> str:
        return (
            f"cases {self.cases}: first category {self.first_category_accuracy:.1%}, "
            f"any category {self._rate(self.any_category_right, self.cases):.1%}, "
            f"top-3 windows right {self.top3_window_accuracy:.1%}, "
            f"emergency recall {self.emergency_recall:.1%} ({self.urgent_flagged}/{self.urgent_cases}), "
            f"false urgent {self.false_urgent_rate:.1%} ({self.calm_flagged}/{self.calm_cases})"
        )

    def misses_report(self, most_confused: int = 10) -> str:
        """The emergencies missed and the situations whose first category was wrong."""
        return "\n".join(
            [
                "emergencies missed:",
                "\n".join(self.emergency_misses) or "  none",
                "\nfirst category wrong:",
                *self.misses,
                f"\nmost confused (wanted, got): {self.confusion.most_common(most_confused)}",
            ]
        )


def window_right(example: Example, result_windows: list[tuple[str, list[str]]]) -> bool:
    """A right window handles the situation's main category (or one of its labels)."""
    wanted = set(example.categories)
    return any(wanted & set(categories) for _, categories in result_windows[:3])


def evaluate(examples: list[Example] | None = None, split: str = "test") -> EvalReport:
    from ..directory import load_directory

    directory = load_directory()
    if examples is None:
        examples = [e for e in load_corpus() if e.split == split]
    report = EvalReport()
    for example in examples:
        result = triage(example.text, at=EVAL_AT, audience=None)
        report.cases += 1
        got = [c.id for c in result.categories]
        primary = example.categories[0]
        if got and got[0] == primary:
            report.first_category_right += 1
        else:
            report.confusion[(primary, got[0] if got else "-")] += 1
            report.misses.append(
                f"{example.id} want={primary} got={got[:2]} :: {example.text[:60]}"
            )
        if set(got) & set(example.categories):
            report.any_category_right += 1
        # "Top-3 recommendations": the ranked list; the emergency block stands apart above it.
        shown = [
            (r.id, list(w.categories))
            for r in result.recommendations
            if (w := directory.get(r.id)) is not None
        ]
        if window_right(example, shown):
            report.top3_window_right += 1
        if example.urgent:
            report.urgent_cases += 1
            if result.urgent:
                report.urgent_flagged += 1
            else:
                report.emergency_misses.append(f"{example.id} :: {example.text[:80]}")
        else:
            report.calm_cases += 1
            if result.urgent:
                report.calm_flagged += 1
    return report
