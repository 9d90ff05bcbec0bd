"""Cross-validated triage quality on the training data: the whole pipeline, not only the model.

    .venv/bin/python bench/cv_triage.py [--folds 5] [--misses]

Each fold trains the model on the other folds and runs `triage()` (lexicon, model, urgency,
ranking) on its own fold, so the figure says how the system does on wording it was not
fitted on. Use this, not the held-out split, to compare changes. Prints figures only.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from madoguchi.routing.evaluate import EvalReport, evaluate
from madoguchi.understanding import classifier


def cross_validate(folds: int, seed: int = 13) -> EvalReport:
    examples = [e for e in classifier.load_corpus() if e.split == "train"]
    random.Random(seed).shuffle(examples)
    total = EvalReport()
    real = classifier.get_model
    try:
        for k in range(folds):
            held = examples[k::folds]
            held_ids = {e.id for e in held}
            model = classifier.train([e for e in examples if e.id not in held_ids])
            classifier.get_model = lambda model=model: model  # type: ignore[assignment]
            part = evaluate(held)
            for name, value in vars(part).items():
                current = getattr(total, name)
                if isinstance(value, int):
                    setattr(total, name, current + value)
                elif isinstance(value, list):
                    current.extend(value)
                elif isinstance(value, Counter):
                    current.update(value)
    finally:
        classifier.get_model = real  # type: ignore[assignment]
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    report = cross_validate(args.folds)
    print(f"{args.folds}-fold CV on train:", report.summary())
    if args.misses:
        print(report.misses_report(15))


if __name__ == "__main__":
    main()
