"""`madoguchi windows`, `show` and `lint`: browse and check the directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..directory import find_windows, get_window, load_directory, window_detail, window_summary
from ..directory.lint import lint
from ..directory.query import AUDIENCE_LABELS, FEE_LABELS, KIND_LABELS
from ._common import console, console_err, parse_at, print_json


def windows(
    category: Annotated[str | None, typer.Option(help="カテゴリ id（例: defamation）")] = None,
    prefecture: Annotated[
        str | None, typer.Option(help="都道府県（佐賀, 佐賀県, saga, 41）")
    ] = None,
    audience: Annotated[str | None, typer.Option(help="対象（child, parent, woman …）")] = None,
    group: Annotated[str | None, typer.Option(help="グループ id（general_cyber …）")] = None,
    open_now: Annotated[bool, typer.Option("--open-now", help="今受付中の窓口だけ")] = False,
    at: Annotated[str | None, typer.Option(help="この日時で受付中かを判断（ISO 8601）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
) -> None:
    """相談窓口の一覧を表示します。"""
    when = parse_at(at)
    directory = load_directory()
    found = find_windows(
        directory,
        category=category,
        prefecture=prefecture,
        audience=audience,
        group=group,
        open_now=open_now,
        at=when,
    )
    if as_json:
        print_json([window_summary(w, when) for w in found])
        return
    table = Table(title=f"相談窓口 {len(found)} 件", show_lines=True)
    for header in ("名前", "種類", "電話", "受付", "地域", "id"):
        table.add_column(header, overflow="fold", style="dim" if header == "id" else None)
    for w in found:
        s = window_summary(w, when)
        table.add_row(
            w.name,
            KIND_LABELS[w.kind],
            "\n".join(p.number for p in w.phones) or "—",
            s["status_text"],
            w.region.name,
            w.id,
        )
    console.print(table)
    if not found:
        console.print("条件に合う窓口はありません。条件を減らしてみてください。")


def show(
    window_id: Annotated[str, typer.Argument(metavar="ID", help="窓口の id")],
    at: Annotated[str | None, typer.Option(help="この日時で受付中かを判断（ISO 8601）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
) -> None:
    """一つの窓口について、わかっていることをすべて表示します。"""
    when = parse_at(at)
    window = get_window(load_directory(), window_id)
    if as_json:
        print_json(window_detail(window, when))
        return
    s = window_summary(window, when)
    console.print(f"[bold]{window.name}[/]  [dim]({window.id})[/]")
    if window.aliases:
        console.print(f"別名: {'、'.join(window.aliases)}")
    console.print(f"種類: {KIND_LABELS[window.kind]}")
    console.print(f"運営: {window.operator.name}")
    console.print(f"地域: {window.region.name}")
    console.print(window.description)
    for p in window.phones:
        label = f"（{p.label}）" if p.label else ""
        console.print(f"電話: {p.number}{label} — {FEE_LABELS[p.fee.value]}")
    for c in window.channels:
        console.print(f"{c.label or c.type.value}: {c.url or ''}")
    if window.hours:
        console.print(f"受付時間: {window.hours.text}")
    console.print(f"今: {s['status_text']}")
    console.print(f"費用: {window.fee_text or window.fee.value}")
    console.print("対象: " + "、".join(AUDIENCE_LABELS[a] for a in window.audiences))
    for item in window.prepare:
        console.print(f"準備: {item}")
    for note in window.notes:
        console.print(f"注意: {note}")
    for url in window.sources:
        console.print(f"出典: {url}")
    ver = window.verified
    if ver.status == "verified":
        console.print(f"最終確認日: {ver.date}")
    else:
        console.print(f"[yellow]未確認:[/] {ver.reason}")


def lint_command(
    data: Annotated[
        Path | None, typer.Option(help="検査するデータのフォルダ（既定: 同梱データ）")
    ] = None,
) -> None:
    """データを検査します（形式、id の重複、電話番号、出典、確認日、カテゴリの網羅）。"""
    report = lint(data)
    for line in report.errors:
        console_err.print(f"[red]エラー[/] {line}")
    for line in report.warnings:
        console.print(f"[yellow]未確認[/] {line}")
    for line in report.stale:
        console.print(f"[yellow]要再確認[/] {line}")
    summary = (
        f"窓口 {report.windows} 件、エラー {len(report.errors)} 件、"
        f"未確認 {len(report.warnings)} 件、要再確認 {len(report.stale)} 件"
    )
    console.print(summary)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(windows)
    app.command()(show)
    app.command("lint")(lint_command)
