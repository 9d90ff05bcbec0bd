"""`madoguchi triage`, `--batch` and `ask`, run as real subprocesses."""

from __future__ import annotations

import json


def test_readable_answer(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("triage", "インスタで勝手に写真を載せられた", "--at", "2026-11-25T10:00+09:00")
    assert out.returncode == 0, out.stderr
    assert "おすすめの相談先" in out.stdout
    assert "まずやること" in out.stdout
    assert "写真・動画の無断掲載" in out.stdout


def test_urgent_answer_puts_emergency_first(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("triage", "死にたい")
    assert out.returncode == 0
    assert out.stdout.index("今すぐ連絡を") < out.stdout.index("おすすめの相談先")
    assert "119" in out.stdout.split("おすすめの相談先")[0]


def test_json_answer_with_options(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli(
        "triage",
        "ネットで悪口を書かれて消してほしい",
        "--prefecture",
        "佐賀",
        "--audience",
        "parent",
        "--want",
        "delete",
        "--at",
        "2026-11-25T10:00+09:00",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["prefecture"] == {"code": "41", "name": "佐賀県"}
    assert data["audience"] == "parent" and data["want"] == "delete"
    assert data["recommendations"][0]["reason"]


def test_batch_keeps_order_and_survives_bad_lines(run_cli) -> None:  # type: ignore[no-untyped-def]
    lines = [
        json.dumps({"text": "殺すって言われた"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"text": "迷惑メールが届く", "prefecture": "41"}, ensure_ascii=False),
        json.dumps({"text": "悪口", "prefecture": "アトランティス"}, ensure_ascii=False),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"prefecture": "saga"}),
        json.dumps({"text": "インスタで写真を載せられた", "audience": "child"}, ensure_ascii=False),
    ]
    out = run_cli("triage", "--batch", input="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == len(lines)
    assert results[0]["urgent"] is True
    assert results[1]["error"]["line"] == 2
    assert results[2]["prefecture"]["code"] == "41"
    assert "都道府県" in results[3]["error"]["message"]
    assert "error" in results[4] and "error" in results[5] and "error" in results[6]
    assert results[7]["audience"] == "child"


def test_batch_survives_binary_garbage(run_cli) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    data = b'{"text": "\xff\xfe"}\n\x00\x01\x02\n{"text": "\xe6\x82\xaa\xe5\x8f\xa3"}\n'
    out = subprocess.run(
        [sys.executable, "-m", "madoguchi", "triage", "--batch"],
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(rows) == 3
    assert "error" in rows[0] and "error" in rows[1]
    assert rows[2]["categories"][0]["id"] == "defamation"


def test_errors_are_clear(run_cli) -> None:  # type: ignore[no-untyped-def]
    for args in [
        ("triage",),
        ("triage", ""),
        ("triage", "悪口", "--prefecture", "火星"),
        ("triage", "悪口", "--want", "revenge"),
        ("triage", "x", "--batch"),
    ]:
        out = run_cli(*args)
        assert out.returncode == 2, args
        assert "Traceback" not in out.stderr + out.stdout
        assert "エラー" in out.stderr


def test_ask_runs_the_guided_questions(run_cli) -> None:  # type: ignore[no-untyped-def]
    # danger: no (2) → categories: なりすまし (5) → platform: X (1) → audience: 子ども (1)
    # → prefecture: 佐賀 → want: delete (1)
    answers = "2\n5\n1\n1\n佐賀\n1\n"
    out = run_cli("ask", "--json", "--at", "2026-11-25T10:00+09:00", input=answers)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout[out.stdout.index("{") :])
    assert data["categories"][0]["id"] == "impersonation"
    assert data["prefecture"]["code"] == "41"
    assert data["recommendations"][0]["id"] == "x-help-report"


def test_ask_reasks_on_a_bad_answer_and_danger_ends_early(run_cli) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("ask", "--json", input="9\nabc\n1\n")
    assert out.returncode == 0, out.stderr
    assert "一覧の番号で答えてください" in out.stdout
    data = json.loads(out.stdout[out.stdout.index("{") :])
    assert data["urgent"] is True
