"""Triage quality on the corpus's held-out split (split "test"), and a cross-validated figure.

    .venv/bin/python bench/eval_triage.py [--misses]

Targets (issue 3): top-3 recommendations contain a right window for ≥ 95 % of held-out cases;
the first category is right for ≥ 90 %; every emergency is flagged. Prints figures only.
"""

from __future__ import annotations

import sys

from madoguchi.routing.evaluate import evaluate


def main() -> None:
    report = evaluate()
    print("held-out split:", report.summary())
    if "--misses" in sys.argv:
        print("\nemergencies missed:")
        print("\n".join(report.emergency_misses) or "  none")
        print("\nfirst category wrong:")
        print("\n".join(report.misses))
        print("\nmost confused (wanted, got):", report.confusion.most_common(10))


if __name__ == "__main__":
    main()
