"""Saga (41): the prefecture's own windows, one test file per prefecture as in python-holidays."""

from __future__ import annotations

from madoguchi.directory import find_windows, load_directory

CODE = "41"


def test_saga_windows_are_in_saga() -> None:
    directory = load_directory()
    saga = [w for w in directory.windows if w.region.code == CODE]
    assert len(saga) >= 5
    assert all(w.region.name == "佐賀県" for w in saga)
    assert all(w.id.startswith("saga-") for w in saga)


def test_every_saga_window_has_a_source_and_a_verification_state() -> None:
    for window in load_directory().windows:
        if window.region.code == CODE:
            assert window.sources
            if window.verified.status == "unverified":
                assert window.verified.reason


def test_prefecture_filter_keeps_national_and_saga_only() -> None:
    directory = load_directory()
    for name in ["佐賀", "佐賀県", "saga", "Saga", "41", "４１"]:
        found = find_windows(directory, prefecture=name)
        assert {w.region.code for w in found} == {"national", CODE}


def test_saga_police_replaces_the_national_9110_locally() -> None:
    directory = load_directory()
    local = directory.get("saga-police-soudan-dial")
    national = directory.get("keisatsu-soudan-9110")
    assert local is not None and national is not None
    assert local.local_role == national.local_role == "police_consultation"


def test_nakuna_100ban_is_for_children_and_parents_in_saga() -> None:
    window = load_directory().get("saga-nakuna-100ban")
    assert window is not None
    assert {a.value for a in window.audiences} >= {"child", "parent"}
    assert window.fee.value == "free_for_residents"
    assert any(c.type.value == "line" for c in window.channels) or any(
        "LINE" in n for n in window.notes
    )
