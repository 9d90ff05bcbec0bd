"""`madoguchi serve`: the web app and JSON API on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console_err

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def app_factory() -> object:
    """For uvicorn's --factory with several workers: the public app (no case pages)."""
    from ..web import create_app

    return create_app(local=False)


def local_app_factory() -> object:
    """The app with the private case pages, for a server bound to the loopback only."""
    from ..web import create_app

    return create_app(local=True)


def serve(
    host: Annotated[str, typer.Option(help="待ち受けるアドレス")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="ポート番号", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="ワーカー数", min=1, max=64)] = 1,
    access_log: Annotated[
        bool,
        typer.Option("--access-log/--no-access-log", help="アクセスログ（本文やクエリは含めない）"),
    ] = False,
) -> None:
    """ウェブ版（ページと JSON API）を起動します。127.0.0.1 のときだけケースの画面も使えます。"""
    import uvicorn

    local = host in LOCAL_HOSTS
    target = "madoguchi.cli.serve:local_app_factory" if local else "madoguchi.cli.serve:app_factory"
    console_err.print(
        f"madoguchi: http://{'[' + host + ']' if ':' in host else host}:{port}/ で起動します"
    )
    if not local:
        console_err.print(
            "ケースの画面は 127.0.0.1 で起動したときだけ使えます（公開用の起動では出しません）。"
        )
    # Warm the language models once before forking, so the first request is fast.
    from .. import triage

    triage("起動確認")
    uvicorn.run(
        target,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="warning",
        server_header=False,
        date_header=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
