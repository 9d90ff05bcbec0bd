"""`madoguchi case …`: the encrypted case file from the command line.

The passphrase comes from MADOGUCHI_PASSPHRASE or, on a terminal, a prompt; the data
folder from MADOGUCHI_HOME, else the user's data directory.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..cases.errors import CaseError, PassphraseError
from ..cases.model import JST, Person
from ..cases.store import CaseStore, default_home
from ._common import console, console_err, parse_at, print_json

case_app = typer.Typer(
    help="ケースファイル（証拠・経過・書類）を暗号化して手元に保存します。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CaseId = Annotated[str, typer.Argument(metavar="CASE_ID", help="ケースの id（case list で確認）")]
AsJson = Annotated[bool, typer.Option("--json", help="JSON で出力")]


def register(app: typer.Typer) -> None:
    app.add_typer(case_app, name="case")


# ---------------------------------------------------------------------- helpers
def get_passphrase(confirm: bool = False) -> str:
    """MADOGUCHI_PASSPHRASE, else a prompt on a terminal, else a clear error."""
    env = os.environ.get("MADOGUCHI_PASSPHRASE")
    if env is not None:
        if not env:
            raise PassphraseError("MADOGUCHI_PASSPHRASE が空です。")
        return env
    if sys.stdin.isatty():
        value: str = typer.prompt(
            "ケースファイルのパスフレーズ", hide_input=True, confirmation_prompt=confirm
        )
        return value
    raise PassphraseError(
        "パスフレーズがありません: 環境変数 MADOGUCHI_PASSPHRASE を設定するか、"
        "端末から実行して入力してください。"
    )


@contextmanager
def open_store(create: bool = False) -> Iterator[CaseStore]:
    home = default_home()
    is_new = not CaseStore.exists(home)
    if is_new and not create:
        raise CaseError(
            f"ケースファイルがまだありません（{home}）。`madoguchi case new --title …` で作れます。"
        )
    store = CaseStore.open(home, get_passphrase(confirm=is_new), create=create)
    try:
        yield store
    finally:
        store.close()


def _when(value: str | None) -> dt.datetime | None:
    when = parse_at(value)
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=JST)
    return when


def _fmt(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(JST).strftime("%Y-%m-%d %H:%M")


@contextmanager
def _spinner(label: str) -> Iterator[Any]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console_err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def say(msg: str) -> None:
            progress.update(task, description=msg)

        yield say


# ---------------------------------------------------------------------- commands
@case_app.command()
def new(
    title: Annotated[str, typer.Option("--title", help="ケースの題名（例: Xでの誹謗中傷）")],
    text: Annotated[
        str | None, typer.Option("--text", help="何が起きているか（状況の文章）")
    ] = None,
    prefecture: Annotated[
        str | None, typer.Option(help="住んでいる都道府県（窓口の案内に使います）")
    ] = None,
    no_triage: Annotated[
        bool, typer.Option("--no-triage", help="状況を読み取って窓口を案内する処理を省く")
    ] = False,
) -> None:
    """新しいケースを作ります。最後の行にケースの id を出力します。"""
    triage_result: dict[str, Any] | None = None
    if text and text.strip() and not no_triage:
        import madoguchi

        with _spinner("状況を読み取っています"):
            triage_result = madoguchi.triage(text, prefecture=prefecture).model_dump(mode="json")
    with open_store(create=True) as store:
        case = store.create_case(
            title, situation=text or "", triage=triage_result, prefecture=prefecture
        )
    if triage_result:
        labels = "、".join(c["label"] for c in triage_result.get("categories", []))
        if labels:
            console_err.print(f"困りごとの種類: {labels}")
        if triage_result.get("urgent"):
            console_err.print("[bold red]危険が迫っているときは 110 番へ。[/]")
    console_err.print(f"ケースを作りました: {case.title}")
    sys.stdout.write(case.id + "\n")


@case_app.command("list")
def list_cases(as_json: AsJson = False) -> None:
    """ケースの一覧を表示します。"""
    with open_store() as store:
        cases = store.list_cases()
        counts = {c.id: len(store.evidence(c.id)) for c in cases}
    if as_json:
        print_json(
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "created_at": c.created_at.isoformat(),
                    "updated_at": c.updated_at.isoformat(),
                    "evidence": counts[c.id],
                }
                for c in cases
            ]
        )
        return
    table = Table(title=f"ケース {len(cases)} 件")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("題名")
    table.add_column("証拠", justify="right")
    table.add_column("更新")
    for c in cases:
        table.add_row(c.id, c.title, str(counts[c.id]), _fmt(c.updated_at))
    console.print(table)


@case_app.command()
def show(
    case_id: CaseId,
    as_json: AsJson = False,
    history: Annotated[bool, typer.Option("--history", help="証拠の以前の版も出力")] = False,
) -> None:
    """ケースの中身（状況・証拠・経過）を表示します。"""
    with open_store() as store:
        case = store.get_case(case_id)
        items = store.evidence(case_id)
        events = store.timeline(case_id)
        versions = {i.id: store.history(case_id, i.id) for i in items} if history else {}
    if as_json:
        data: dict[str, Any] = {
            "case": case.model_dump(mode="json"),
            "evidence": [i.model_dump(mode="json") for i in items],
            "timeline": [e.model_dump(mode="json") for e in events],
        }
        if history:
            data["history"] = {
                k: [v.model_dump(mode="json") for v in vs] for k, vs in versions.items()
            }
        print_json(data)
        return
    console.print(f"[bold]{case.title}[/]  [dim]({case.id})[/]")
    if case.situation:
        console.print(f"状況: {case.situation}")
    if case.triage:
        labels = "、".join(c["label"] for c in case.triage.get("categories", []))
        if labels:
            console.print(f"困りごとの種類: {labels}")
    table = Table(title=f"証拠 {len(items)} 件")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("URL・内容")
    table.add_column("ファイル (SHA-256)")
    table.add_column("見た／保存")
    for i in items:
        files = "\n".join(f"{f.filename} {f.sha256[:16]}…" for f in i.files) or "—"
        body = "\n".join(x for x in (i.url, i.text[:80], i.notes[:80]) if x)
        when = "\n".join(x for x in (_fmt(i.seen_at), _fmt(i.captured_at)) if x)
        label = f"{i.id}" + (f" (第{i.version}版)" if i.version > 1 else "")
        table.add_row(label, body, files, when or _fmt(i.recorded_at))
    console.print(table)
    for item_id, vs in versions.items():
        for v in vs[:-1]:
            console.print(
                f"[dim]{item_id} 第{v.version}版 ({_fmt(v.recorded_at)}): {v.text[:60]}[/]"
            )


@case_app.command()
def add(
    case_id: CaseId,
    url: Annotated[str | None, typer.Option("--url", help="投稿やページの URL")] = None,
    text: Annotated[str | None, typer.Option("--text", help="投稿の文章（コピーしたもの）")] = None,
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", help="スクリーンショットなど（PNG・JPEG・PDF・テキスト）。複数可"),
    ] = None,
    platform: Annotated[str | None, typer.Option(help="サービス名（URL から自動判定）")] = None,
    seen_at: Annotated[
        str | None, typer.Option("--seen-at", help="見た日時（ISO 8601、例 2026-11-20T21:05）")
    ] = None,
    notes: Annotated[str | None, typer.Option(help="メモ")] = None,
    item: Annotated[
        str | None,
        typer.Option("--item", help="この証拠 id の記録を直す（新しい版を作り、以前の版も残す）"),
    ] = None,
) -> None:
    """証拠を一つ追加します（--item を付けると、既存の証拠の新しい版を作ります）。"""
    from ..cases.importing import read_import

    files = [read_import(p) for p in (file or [])]
    with open_store() as store:
        if item:
            if files:
                raise CaseError(
                    "--item と --file は一緒に使えません（ファイルは新しい証拠として追加）。"
                )
            changes = {"url": url, "text": text, "platform": platform, "notes": notes}
            changes["seen_at"] = _when(seen_at)  # type: ignore[assignment]
            result = store.edit_evidence(case_id, item, **changes)
        else:
            result = store.add_evidence(
                case_id,
                url=url or "",
                text=text or "",
                files=files,
                platform=platform or "",
                seen_at=_when(seen_at),
                notes=notes or "",
                source="import" if files else "manual",
            )
    for f in result.files:
        console_err.print(f"{f.filename}  SHA-256 {f.sha256}")
    console_err.print(
        f"証拠を記録しました（第{result.version}版）" if item else "証拠を記録しました"
    )
    sys.stdout.write(result.id + "\n")


@case_app.command()
def capture(
    case_id: CaseId,
    url: Annotated[str, typer.Argument(help="保存するページの URL")],
    seen_at: Annotated[str | None, typer.Option("--seen-at", help="最初に見た日時")] = None,
    notes: Annotated[str | None, typer.Option(help="メモ")] = None,
    text: Annotated[str | None, typer.Option("--text", help="投稿の文章（コピーしたもの）")] = None,
) -> None:
    """ページを開いて、全体のスクリーンショットと URL・日時入りの PDF を保存します。"""
    from ..cases.capture import capture_page, check_url
    from ..cases.importing import NewFile

    check_url(url)
    with open_store() as store:
        store.get_case(case_id)
        with _spinner("ページを保存しています") as say:
            cap = capture_page(url, progress=say)
            say("暗号化して保存しています")
            stamp = cap.captured_at.strftime("%Y%m%d-%H%M%S")
            files = [
                NewFile(f"capture-{stamp}.png", cap.screenshot, "image/png", "screenshot"),
                NewFile(f"capture-{stamp}.pdf", cap.pdf, "application/pdf", "page_pdf"),
            ]
            note = f"ページの題名: {cap.title}" if cap.title else ""
            if cap.final_url != cap.url:
                note += f"\n転送先: {cap.final_url}"
            if notes:
                note = f"{notes}\n{note}".strip()
            result = store.add_evidence(
                case_id,
                url=cap.url,
                text=text or "",
                files=files,
                seen_at=_when(seen_at),
                captured_at=cap.captured_at,
                notes=note.strip(),
                source="capture",
            )
    console_err.print(f"保存日時: {_fmt(cap.captured_at)}")
    console_err.print(f"スクリーンショット SHA-256 {cap.screenshot_sha256}")
    console_err.print(f"PDF             SHA-256 {cap.pdf_sha256}")
    sys.stdout.write(result.id + "\n")


@case_app.command()
def timeline(
    case_id: CaseId,
    add_text: Annotated[
        str | None, typer.Option("--add", help="出来事を書き足す（例: Xに報告した）")
    ] = None,
    at: Annotated[str | None, typer.Option(help="その日時（ISO 8601。省略すると今）")] = None,
    kind: Annotated[
        str, typer.Option(help="incident（被害）/ action（したこと）/ note")
    ] = "incident",
    as_json: AsJson = False,
) -> None:
    """経過（いつ何があったか）を表示します。--add で書き足せます。"""
    if kind not in {"incident", "action", "note"}:
        raise CaseError(f"--kind は incident, action, note のどれかです: {kind!r}")
    with open_store() as store:
        if add_text:
            store.add_event(case_id, add_text, _when(at), kind)
        events = store.timeline(case_id)
    if as_json:
        print_json([e.model_dump(mode="json") for e in events])
        return
    table = Table(title="経過")
    table.add_column("日時", no_wrap=True)
    table.add_column("出来事")
    for e in events:
        table.add_row(_fmt(e.at), e.text)
    console.print(table)


@case_app.command("set")
def set_fields(
    case_id: CaseId,
    title: Annotated[str | None, typer.Option(help="題名")] = None,
    wants: Annotated[str | None, typer.Option(help="希望すること")] = None,
    tried: Annotated[
        list[str] | None, typer.Option("--tried", help="これまでにしたこと（複数可、追加）")
    ] = None,
    operator: Annotated[
        str | None, typer.Option("--operator", help="削除依頼の宛先（サイト運営者の名称）")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="関係する人の名前・アカウント（追加）")
    ] = None,
    person_url: Annotated[str | None, typer.Option("--person-url", help="その人の URL")] = None,
    person_role: Annotated[str | None, typer.Option("--person-role", help="関係")] = None,
    name: Annotated[str | None, typer.Option("--name", help="依頼者の氏名（削除依頼用）")] = None,
    address: Annotated[str | None, typer.Option(help="依頼者の住所（削除依頼用）")] = None,
    phone: Annotated[str | None, typer.Option(help="依頼者の電話（削除依頼用）")] = None,
    email: Annotated[str | None, typer.Option(help="依頼者のメール（削除依頼用）")] = None,
) -> None:
    """ケースの題名・希望・したこと・関係者・依頼者を書き込みます。"""
    with open_store() as store:
        case = store.get_case(case_id)
        if title:
            case.title = title
        if wants is not None:
            case.wants = wants
        case.tried.extend(tried or [])
        if operator is not None:
            case.site_operator = operator
        if person or person_url:
            case.people.append(
                Person(name=person or "", url=person_url or "", role=person_role or "")
            )
        for key, value in (
            ("name", name),
            ("address", address),
            ("phone", phone),
            ("email", email),
        ):
            if value is not None:
                setattr(case.requester, key, value)
        store.update_case(case)
    console_err.print("ケースを更新しました")


@case_app.command()
def export(
    case_id: CaseId,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="memo（相談メモ）/ deletion-request（削除依頼）/ report（通報用テキスト）",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="書き出すファイル（.pdf か .txt）")],
    platform: Annotated[
        str | None, typer.Option(help="このサービスの証拠だけにする（削除依頼を宛先ごとに）")
    ] = None,
) -> None:
    """書類を PDF かテキストで書き出します（形式は --out の拡張子で決まります）。"""
    from ..documents.export import export_document, normalise_kind

    normalise_kind(format)
    with open_store() as store, _spinner("書類を作っています"):
        path = export_document(store, case_id, format, out, platform)
    console_err.print(
        f"書き出しました: {path}\n[dim]注意: 書き出した書類は暗号化されていません。"
        "使い終わったら削除してください。[/]"
    )


@case_app.command()
def backup(
    out: Annotated[Path, typer.Option("--out", help="バックアップファイル（暗号化されます）")],
) -> None:
    """すべてのケースを暗号化したバックアップファイルに書き出します。"""
    with open_store() as store, _spinner("バックアップしています"):
        size = store.backup(out)
    console_err.print(
        f"バックアップしました: {out}（{size / 1048576:.1f} MB、同じパスフレーズで開けます）"
    )


@case_app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="バックアップファイル")],
    force: Annotated[
        bool, typer.Option("--force", help="今のケースファイルを脇に移して置き換える")
    ] = False,
) -> None:
    """バックアップからケースファイルを戻します（中身をすべて検査してから置き換えます）。"""
    from ..cases.backup import restore_backup

    home = default_home()
    with _spinner("バックアップを検査して戻しています"):
        aside = restore_backup(file, home, get_passphrase(), force=force)
    console_err.print(f"戻しました: {home}")
    if aside != home:
        console_err.print(f"以前のケースファイルはここに移しました: {aside}")


@case_app.command()
def verify() -> None:
    """すべての記録と添付ファイルを開いて、改ざん・破損がないかを確かめます。"""
    with (
        open_store() as store,
        Progress(
            TextColumn("添付ファイルを検査"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            console=console_err,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("verify", total=None)
        report = store.verify(lambda n, total: progress.update(task, completed=n, total=total))
    console_err.print(
        f"ケース {report.cases}・証拠 {report.items} 版・出来事 {report.events}・添付 {report.blobs}"
    )
    for name in report.orphans:
        console_err.print(
            f"[dim]どの記録にも属さない暗号化ファイル（書き込み中断の名残り）: {name}[/]"
        )
    if not report.ok:
        for problem in report.problems:
            console_err.print(f"[bold red]問題:[/] {problem}")
        raise typer.Exit(3)
    console_err.print("問題は見つかりませんでした。")
