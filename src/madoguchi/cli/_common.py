"""What every CLI command shares: consoles, JSON output, time parsing."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from rich.console import Console

from ..directory.query import InputError

console = Console(highlight=False)
console_err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8, not escaped, one document."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def parse_at(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time given with --at; naive times are JST."""
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--at の日時が読めません: {value!r}（例: 2026-12-01T10:00+09:00）"
        ) from None
