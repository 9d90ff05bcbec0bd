"""The shipped corpus is well formed: known categories and audiences, unique ids, splits apart."""

from __future__ import annotations

import json
from collections import Counter

from madoguchi.directory import load_directory
from madoguchi.understanding.classifier import corpus_files, load_corpus

SPLITS = {"train", "test", "dev", "blind"}
AUDIENCES = {
    "general",
    "child",
    "parent",
    "teacher",
    "woman",
    "man",
    "elderly",
    "lgbtq",
    "business",
    "foreign_resident",
}
WANTS = {None, "delete", "identify", "punish", "talk", "report"}


def test_every_line_is_a_labelled_situation() -> None:
    categories = set(load_directory().categories)
    for path in corpus_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            where = f"{path.name}:{number}"
            assert row["text"].strip(), where
            assert row["categories"] and set(row["categories"]) <= categories, where
            assert len(set(row["categories"])) == len(row["categories"]), where
            assert isinstance(row["urgent"], bool), where
            assert row["split"] in SPLITS, where
            assert row.get("audience") in AUDIENCES, where
            assert row.get("want") in WANTS, where


def test_ids_are_unique_and_measuring_sets_are_never_trained_on() -> None:
    examples = load_corpus()
    ids = Counter(e.id for e in examples)
    assert not [i for i, n in ids.items() if n > 1]
    texts = {e.text for e in examples if e.split == "train"}
    for e in examples:
        if e.split != "train":
            assert e.text not in texts, e.id


def test_every_category_has_forty_training_situations_and_outside_sets_cover_all() -> None:
    examples = load_corpus()
    categories = set(load_directory().categories)
    train = Counter(e.categories[0] for e in examples if e.split == "train")
    assert set(train) == categories
    assert min(train.values()) >= 40, train
    for split in ("dev", "blind"):
        primaries = Counter(e.categories[0] for e in examples if e.split == split)
        assert set(primaries) == categories, split
