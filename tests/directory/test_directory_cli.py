"""The directory commands, run as a user runs them (a real subprocess)."""

from __future__ import annotations

import json


def test_windows_json_shape(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("windows", "--json")
    assert out.returncode == 0, out.stderr
    windows = json.loads(out.stdout)
    assert len(windows) >= 40
    for window in windows:
        for key in [
            "id",
            "name",
            "aliases",
            "kind",
            "region",
            "categories",
            "audiences",
            "phones",
            "urls",
            "hours_text",
            "sources",
            "verified",
        ]:
            assert key in window
        for phone in window["phones"]:
            assert set(phone) >= {"number", "fee"}
    numbers = {p["number"] for w in windows for p in w["phones"]}
    assert {"0570-003-110", "#9110", "188"} <= numbers


def test_windows_table_is_readable_japanese(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("windows", "--category", "defamation")
    assert out.returncode == 0, out.stderr
    assert "みんなの人権110番" in out.stdout
    assert "0570-003-110" in out.stdout


def test_filters_combine(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("windows", "--prefecture", "佐賀県", "--audience", "child", "--json")
    ids = {w["id"] for w in json.loads(out.stdout)}
    assert "saga-nakuna-100ban" in ids and "kodomo-no-jinken-110" in ids
    assert "saga-dv-center-mens-line" not in ids  # a line for men
    out = run_cli("windows", "--group", "report_removal", "--json")
    assert all("report_removal" in w["groups"] for w in json.loads(out.stdout))


def test_open_now_uses_the_given_time(run_cli) -> None:  # type: ignore[no-untyped-def]
    sunday_night = run_cli("windows", "--open-now", "--at", "2026-11-29T23:00+09:00", "--json")
    weekday = run_cli("windows", "--open-now", "--at", "2026-11-25T10:00+09:00", "--json")
    night_ids = {w["id"] for w in json.loads(sunday_night.stdout)}
    day_ids = {w["id"] for w in json.loads(weekday.stdout)}
    assert "minna-no-jinken-110" in day_ids and "minna-no-jinken-110" not in night_ids
    assert "police-110" in night_ids
    assert all(w["open_now"] is True for w in json.loads(sunday_night.stdout))


def test_show_one_window(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("show", "safeline")
    assert out.returncode == 0
    assert "通報窓口（相談はできません）" in out.stdout
    assert "出典" in out.stdout
    data = json.loads(run_cli("show", "minna-no-jinken-110", "--json").stdout)
    assert data["phones"][0]["number"] == "0570-003-110"
    assert data["verified"]["status"] == "verified"


def test_lint_passes_on_shipped_data(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("lint")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "エラー 0 件" in out.stdout


def test_lint_fails_on_broken_data(run_cli, data_copy) -> None:  # type: ignore[no-untyped-def]
    (data_copy / "national.yaml").write_text("- id: x\n", encoding="utf-8")
    out = run_cli("lint", "--data", str(data_copy))
    assert out.returncode == 1
    assert "national.yaml" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_arguments_give_a_clear_error_and_no_traceback(run_cli) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ("show", "no-such-window"),
        ("windows", "--prefecture", "アトランティス"),
        ("windows", "--category", "aliens"),
        ("windows", "--audience", "robot"),
        ("windows", "--at", "yesterday"),
    ]
    for args in cases:
        out = run_cli(*args)
        assert out.returncode == 2, args
        assert "エラー" in out.stderr
        assert "Traceback" not in out.stderr + out.stdout
    out = run_cli("windows", "--no-such-option")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_help_does_not_load_the_language_models(run_cli) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys, runpy; sys.argv=['madoguchi','windows','--json'];\n"
        "import io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: runpy.run_module('madoguchi', run_name='__main__')\n"
        "    except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sklearn','sudachipy','scipy'}))"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("[]"), out.stdout[-300:] + out.stderr[-300:]
