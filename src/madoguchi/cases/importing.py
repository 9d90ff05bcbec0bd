"""Checking files before they enter a case: PNG, JPEG, PDF or text, by their bytes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportRejectedError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # 25 MB: a long screenshot or a message export fits


def max_import_bytes() -> int:
    """The size limit, overridable with MADOGUCHI_MAX_IMPORT_MB."""
    raw = os.environ.get("MADOGUCHI_MAX_IMPORT_MB")
    if raw:
        try:
            return max(1, int(float(raw) * 1024 * 1024))
        except ValueError:
            pass
    return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class NewFile:
    """A file ready to be sealed into a case (kept in memory only)."""

    filename: str
    data: bytes
    media_type: str
    role: str = "import"


TEXT_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".csv": "text/csv"}


def sniff(data: bytes, filename: str = "") -> str | None:
    """The media type from the magic bytes (PNG, JPEG, PDF) or a text check; None if neither."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if _is_text(data):
        return TEXT_SUFFIXES.get(Path(filename).suffix.lower(), "text/plain")
    return None


def _is_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte order mark
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in data:
            return False
        for encoding in ("utf-8-sig", "cp932"):  # LINE exports are UTF-8; old files Shift_JIS
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= max(2, len(text) // 1000)


def check_bytes(data: bytes, filename: str, limit: int | None = None) -> NewFile:
    """Accept PNG/JPEG/PDF/text under the size limit, or raise with a clear message."""
    limit = max_import_bytes() if limit is None else limit
    name = Path(filename).name or "file"
    if len(data) > limit:
        raise ImportRejectedError(
            f"ファイルが大きすぎます: {name}（{len(data) / 1048576:.1f} MB、上限 {limit / 1048576:.0f} MB）"
        )
    if not data:
        raise ImportRejectedError(f"ファイルが空です: {name}")
    media_type = sniff(data, name)
    if media_type is None:
        raise ImportRejectedError(
            f"この種類のファイルは追加できません: {name}"
            "（追加できるのは PNG・JPEG・PDF・テキストです。動画などはスクリーンショットにしてください）"
        )
    return NewFile(filename=name, data=data, media_type=media_type)


def read_import(path: str | Path, limit: int | None = None) -> NewFile:
    """Read a file from disk for import (never more than the limit plus one byte)."""
    p = Path(path)
    limit = max_import_bytes() if limit is None else limit
    if not p.is_file():
        raise ImportRejectedError(f"ファイルが見つかりません: {p}")
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ImportRejectedError(f"ファイルを読めません: {p}（{exc.strerror}）") from None
    return check_bytes(data, p.name, limit)
