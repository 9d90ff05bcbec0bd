"""`madoguchi case …` as a user runs it: a real subprocess of .venv/bin/madoguchi."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from case_helpers import (
    PASSPHRASE,
    SECRET_FILE,
    SECRET_TEXT,
    SECRET_URL,
    assert_no_plaintext,
    needles_for,
    run_cli,
)


def _env(home: Path, **extra: str) -> dict[str, str]:
    return {
        "MADOGUCHI_HOME": str(home),
        "MADOGUCHI_PASSPHRASE": PASSPHRASE,
        "MADOGUCHI_KDF": "fast",
        **extra,
    }


def test_cli_round_trip(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _env(home)
    new = run_cli(
        "case",
        "new",
        "--title",
        "Xでの誹謗中傷",
        "--text",
        "Xで悪口を書かれ、名前を晒されています",
        env=env,
        check=True,
    )
    case_id = new.stdout.strip().splitlines()[-1]
    assert len(case_id) == 8
    shot = tmp_path / "shot.png"
    shot.write_bytes(SECRET_FILE)
    log = tmp_path / "talk.txt"
    log.write_text("[LINE] トーク履歴\n", encoding="utf-8")
    add = run_cli(
        "case",
        "add",
        case_id,
        "--url",
        SECRET_URL,
        "--text",
        SECRET_TEXT,
        "--file",
        str(shot),
        "--file",
        str(log),
        "--seen-at",
        "2026-11-18T21:05",
        env=env,
        check=True,
    )
    item_id = add.stdout.strip().splitlines()[-1]
    run_cli(
        "case",
        "timeline",
        case_id,
        "--add",
        "Xに報告した",
        "--at",
        "2026-11-19T10:00",
        "--kind",
        "action",
        env=env,
        check=True,
    )
    run_cli("case", "add", case_id, "--item", item_id, "--notes", "追記", env=env, check=True)

    show = run_cli("case", "show", case_id, "--json", env=env, check=True)
    data = json.loads(show.stdout)
    assert data["case"]["title"] == "Xでの誹謗中傷"
    assert data["case"]["triage"]["categories"]  # the situation was triaged and stored
    [item] = data["evidence"]
    assert item["id"] == item_id and item["version"] == 2 and item["notes"] == "追記"
    assert item["url"] == SECRET_URL and item["text"] == SECRET_TEXT
    assert [f["filename"] for f in item["files"]] == ["shot.png", "talk.txt"]
    assert item["seen_at"].startswith("2026-11-18T21:05:00+09:00")
    assert any(e["text"] == "Xに報告した" for e in data["timeline"])

    for fmt, suffix in [("memo", "pdf"), ("deletion-request", "txt"), ("report", "pdf")]:
        out = tmp_path / f"{fmt}.{suffix}"
        run_cli("case", "export", case_id, "--format", fmt, "--out", str(out), env=env, check=True)
        assert out.stat().st_size > 500
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "memo.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Xでの誹謗中傷" in text and "shot.png" in text

    listing = json.loads(run_cli("case", "list", "--json", env=env, check=True).stdout)
    assert listing == [{**listing[0], "id": case_id, "title": "Xでの誹謗中傷", "evidence": 1}]
    assert run_cli("case", "verify", env=env).returncode == 0
    assert_no_plaintext(
        home, [*needles_for(SECRET_TEXT, SECRET_URL, "Xでの誹謗中傷"), SECRET_FILE[8:40]]
    )

    backup = tmp_path / "b.mdg"
    run_cli("case", "backup", "--out", str(backup), env=env, check=True)
    other = tmp_path / "other"
    run_cli("case", "restore", str(backup), env=_env(other), check=True)
    again = json.loads(
        run_cli("case", "show", case_id, "--json", env=_env(other), check=True).stdout
    )
    assert again["evidence"] == data["evidence"]


@pytest.mark.parametrize(
    ("args", "extra", "message"),
    [
        (["case", "list"], {"MADOGUCHI_PASSPHRASE": "wrong"}, "パスフレーズが違います"),
        (["case", "show", "zzzz"], {}, "ケースが見つかりません"),
        (["case", "add", "{id}", "--file", "/bin/sh"], {}, "追加できません"),
        (["case", "add", "{id}", "--file", "/nonexistent.png"], {}, "見つかりません"),
        (["case", "add", "{id}"], {}, "証拠が空です"),
        (["case", "export", "{id}", "--format", "memo", "--out", "x.docx"], {}, "拡張子"),
        (["case", "export", "{id}", "--format", "letter", "--out", "x.txt"], {}, "書類の種類"),
        (["case", "timeline", "{id}", "--add", "x", "--at", "昨日"], {}, "日時が読めません"),
        (["case", "capture", "{id}", "ftp://example.com/"], {}, "http"),
        (["case", "restore", "/nonexistent.mdg", "--force"], {}, "見つかりません"),
    ],
)
def test_cli_errors_are_clear(
    tmp_path: Path, args: list[str], extra: dict[str, str], message: str
) -> None:
    env = _env(tmp_path / "home")
    case_id = run_cli("case", "new", "--title", "t", env=env, check=True).stdout.split()[-1]
    proc = run_cli(*[a.replace("{id}", case_id) for a in args], env={**env, **extra})
    assert proc.returncode != 0
    assert message in proc.stderr.replace("\n", "")
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_without_passphrase_and_tty(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "MADOGUCHI_PASSPHRASE"}
    env.update(MADOGUCHI_HOME=str(tmp_path / "home"), MADOGUCHI_KDF="fast")
    proc = subprocess.run(
        [*_cmd(), "case", "new", "--title", "t"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0
    assert "MADOGUCHI_PASSPHRASE" in proc.stderr and "Traceback" not in proc.stderr


def _cmd() -> list[str]:
    from case_helpers import MADOGUCHI

    return [str(MADOGUCHI)]


@pytest.mark.browser
def test_cli_capture(tmp_path: Path, site: str) -> None:
    env = _env(tmp_path / "home")
    case_id = run_cli("case", "new", "--title", "t", env=env, check=True).stdout.split()[-1]
    proc = run_cli("case", "capture", case_id, f"{site}/post.html", env=env, check=True)
    assert "SHA-256" in proc.stderr
    data = json.loads(run_cli("case", "show", case_id, "--json", env=env, check=True).stdout)
    [item] = data["evidence"]
    assert item["source"] == "capture" and item["captured_at"]
    assert [f["role"] for f in item["files"]] == ["screenshot", "page_pdf"]
    assert "テスト投稿" in item["notes"]
