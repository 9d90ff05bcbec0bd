"""The `madoguchi` command: a thin face over the core API (directory, triage, cases, web)."""

from __future__ import annotations

import os
import sys

import typer

from ..directory.load import DataError
from ..directory.query import InputError
from . import directory as _directory_commands
from ._common import console_err

app = typer.Typer(
    name="madoguchi",
    help="SNS・ネットのトラブルの相談窓口を探す・確かめる（madoguchi 窓口）",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_directory_commands.register(app)


def _register_optional() -> None:
    """Commands from other capabilities register themselves here when present."""
    from importlib import import_module

    for name in ("triage", "serve", "case"):
        try:
            module = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        module.register(app)


_register_optional()


def main() -> None:
    """Entry point: known errors become a clear message and exit code 2, never a traceback."""
    try:
        app()
    except (InputError, DataError) as exc:
        console_err.print(f"[bold red]エラー:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # last resort: a message, not a traceback
        if os.environ.get("MADOGUCHI_DEBUG"):
            raise
        console_err.print(
            f"[bold red]内部エラー:[/] {type(exc).__name__}: {exc}\n"
            "MADOGUCHI_DEBUG=1 を付けて実行すると詳細が表示されます。",
            highlight=False,
        )
        sys.exit(1)
