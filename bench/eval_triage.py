"""Triage quality on the corpus's held-out split (split "test"), and a cross-validated figure.

    .venv/bin/python bench/eval_triage.py [--split test|dev|blind|all] [--misses] [--file F ...]

Splits: `test` is the corpus's own held-out part; `dev` and `blind` were written by independent
sessions that never saw the corpus (see data/corpus/README.md); `all` prints the three, then
the three together.

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
        reports = [(", ".join(p.name for p in args.file), evaluate(load_corpus(args.file)))]
    else:
        splits = ["test", "dev", "blind"] if args.split == "all" else [args.split]
        reports = [(f"{split} split", evaluate(split=split)) for split in splits]
    for name, report in reports:
        print(f"{name}:", report.summary())
        if args.misses:
            print(report.misses_report(), end="\n\n")
    if len(reports) > 1:
        together = [e for s in ("test", "dev", "blind") for e in load_corpus() if e.split == s]
        print("all three held-out splits together:", evaluate(together).summary())


if __name__ == "__main__":
    main()
