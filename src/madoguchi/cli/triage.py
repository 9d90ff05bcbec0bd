"""`madoguchi triage` and `madoguchi ask`: the triage core, in the terminal."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel

from ..directory.query import InputError
from ._common import console, parse_at, print_json

MAX_BATCH_LINE = 1_000_000


def _print_window(index: int | None, rec: Any) -> None:
    head = f"{index}. " if index is not None else "・"
    badge = "" if rec.verified.get("status") == "verified" else " [yellow]（未確認）[/]"
    console.print(f"{head}[bold]{escape(rec.name)}[/]  [cyan]{rec.kind_label}[/]{badge}")
    console.print(f"   {escape(rec.reason)}")
    for phone in rec.phones:
        label = f"（{escape(phone.label)}）" if phone.label else ""
        console.print(f"   ☎ {phone.number}{label}  {phone.fee_text or ''}")
    for url in rec.urls[:2]:
        console.print(f"   🔗 {escape(url)}")
    console.print(
        f"   {rec.status_text}" + (f" ／ {escape(rec.hours_text)}" if rec.hours_text else "")
    )


def print_result(result: Any) -> None:
    """The readable Japanese answer: emergency first, then windows, steps, what was found."""
    if result.urgent:
        lines = "\n".join(
            f"{escape(n.label)}: {escape(n.message)}" for n in result.emergency_reasons
        )
        console.print(Panel(lines, title="[bold]今すぐ連絡を[/]", border_style="red"))
        for rec in result.emergency:
            _print_window(None, rec)
        console.print()
    if result.categories:
        found = "、".join(
            f"{c.label}（{'・'.join(escape(e) for e in c.evidence[:3])}）"
            if c.evidence
            else c.label
            for c in result.categories
        )
        console.print(f"[bold]読み取ったトラブル:[/] {found}")
    console.print("\n[bold]おすすめの相談先[/]")
    for i, rec in enumerate(result.recommendations, 1):
        _print_window(i, rec)
    console.print("\n[bold]まずやること[/]")
    for i, step in enumerate(result.steps, 1):
        console.print(
            f"{i}. [bold]{escape(step.title)}[/]\n   {escape(step.detail.splitlines()[0])}"
        )
    for notice in result.notices:
        console.print(f"\n[yellow]※ {escape(notice)}[/]")


def _batch(want: str | None, at: str | None) -> None:
    """JSON lines in, one JSON result (or error object) per line out, in order."""
    from .. import triage

    for number, raw in enumerate(sys.stdin.buffer, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            _emit_error(number, "UTF-8 として読めない行です")
            continue
        if not line.strip():
            _emit_error(number, "空の行です")
            continue
        if len(line) > MAX_BATCH_LINE:
            _emit_error(number, "行が長すぎます")
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            _emit_error(number, f"JSON として読めません: {exc.msg}")
            continue
        if not isinstance(item, dict):
            _emit_error(number, '各行は JSON オブジェクト {"text": …} にしてください')
            continue
        try:
            result = triage(
                item.get("text"),
                answers=item.get("answers"),
                prefecture=item.get("prefecture"),
                audience=item.get("audience"),
                want=item.get("want", want),
                at=item.get("at", at),
            )
        except (InputError, TypeError, ValueError) as exc:
            _emit_error(number, str(exc))
            continue
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False) + "\n")
        sys.stdout.flush()


def _emit_error(line: int, message: str) -> None:
    sys.stdout.write(
        json.dumps({"error": {"line": line, "message": message}}, ensure_ascii=False) + "\n"
    )
    sys.stdout.flush()


def triage_command(
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="何があったか（日本語で）")
    ] = None,
    prefecture: Annotated[
        str | None, typer.Option(help="お住まいの都道府県（佐賀, saga, 41）")
    ] = None,
    audience: Annotated[
        str | None, typer.Option(help="あなたは: child, parent, teacher, woman …")
    ] = None,
    want: Annotated[
        str | None, typer.Option(help="どうしたいか: delete, identify, punish, talk, report")
    ] = None,
    at: Annotated[str | None, typer.Option(help="この日時で受付中かを判断（ISO 8601）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
    batch: Annotated[
        bool,
        typer.Option("--batch", help="標準入力の JSON Lines を一行ずつ判定して JSON Lines で出力"),
    ] = False,
) -> None:
    """状況の文章から、トラブルの種類・緊急かどうか・相談先・まずやることを示します。"""
    if batch:
        if text is not None:
            raise InputError(
                "--batch のときは TEXT を付けず、標準入力から JSON Lines を渡してください"
            )
        _batch(want, at)
        return
    if text is None:
        raise InputError(
            '何があったかを書いてください。例: madoguchi triage "インスタで勝手に写真を載せられた"'
        )
    from .. import triage

    result = triage(text, prefecture=prefecture, audience=audience, want=want, at=parse_at(at))
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        print_result(result)


def ask_command(
    at: Annotated[str | None, typer.Option(help="この日時で受付中かを判断（ISO 8601）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="結果を JSON で出力")] = False,
) -> None:
    """質問に答えて相談先を探します（ウェブ版と同じ質問です）。"""
    from .. import triage
    from ..directory import load_directory
    from ..directory.query import resolve_prefecture
    from ..routing.questions import END, load_questions

    flow = load_questions()
    directory = load_directory()
    answers: dict[str, Any] = {}
    current = flow.start
    while current != END:
        question = flow.get(current)
        if question is None:
            break
        console.print(f"\n[bold]{question.text}[/]")
        if question.type == "prefecture":
            reply = typer.prompt("都道府県（空欄で飛ばす）", default="", show_default=False)
            if reply.strip():
                try:
                    pref = resolve_prefecture(directory, reply)
                except InputError as exc:
                    console.print(f"[red]{exc}[/]")
                    continue
                if pref is not None:
                    answers[question.id] = pref.code
            current = flow.next_after(question.id, None)
            continue
        for i, choice in enumerate(question.choices, 1):
            console.print(f"  {i}. {choice.label}")
        hint = "番号（複数はカンマ区切り）" if question.type == "multi" else "番号"
        reply = typer.prompt(hint)
        try:
            picked = [
                question.choices[int(x) - 1].value
                for x in reply.replace("、", ",").split(",")
                if x.strip()
            ]
            if not picked or any(
                int(x) < 1 for x in reply.replace("、", ",").split(",") if x.strip()
            ):
                raise ValueError
        except (ValueError, IndexError):
            console.print("[red]一覧の番号で答えてください。[/]")
            continue
        value: str | list[str] = picked if question.type == "multi" else picked[0]
        answers[question.id] = value
        current = flow.next_after(question.id, value)
    result = triage(None, answers=answers, at=parse_at(at))
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        print_result(result)


def register(app: typer.Typer) -> None:
    app.command("triage")(triage_command)
    app.command("ask")(ask_command)
