"""Triage quality on the corpus's held-out split (split "test"), and a cross-validated figure.

    .venv/bin/python bench/eval_triage.py [--split test|dev|blind|all] [--misses] [--file F ...]

Splits: `test` is the corpus's own held-out part; `dev` and `blind` were written by independent
sessions that never saw the corpus (see data/corpus/README.md); `all` prints the three.

With --file, every labelled situation in the given JSON-lines files is evaluated instead
(the corpus format: text, categories with the primary first, urgent), e.g. a set written
by people outside the team.

Targets (issue 3): top-3 recommendations contain a right window for ≥ 95 % of held-out cases;
the first category is right for ≥ 90 %; every emergency is flagged. Prints figures only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from madoguchi.routing.evaluate import evaluate
from madoguchi.understanding.classifier import load_corpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--file", type=Path, nargs="*", default=[])
    parser.add_argument("--split", default="test", choices=["test", "dev", "blind", "all"])
    args = parser.parse_args()
    if args.file:
        report = evaluate(load_corpus(args.file))
        print(", ".join(p.name for p in args.file) + ":", report.summary())
    else:
        for split in ["test", "dev", "blind"] if args.split == "all" else [args.split]:
            report = evaluate(split=split)
            print(f"{split} split:", report.summary())
    if args.misses:
        print("\nemergencies missed:")
        print("\n".join(report.emergency_misses) or "  none")
        print("\nfirst category wrong:")
        print("\n".join(report.misses))
        print("\nmost confused (wanted, got):", report.confusion.most_common(10))


if __name__ == "__main__":
    main()
