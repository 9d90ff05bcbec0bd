"""Helpers shared by the case tests (imported by conftest and the test modules)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MADOGUCHI = ROOT / ".venv" / "bin" / "madoguchi"
if not MADOGUCHI.exists():  # a venv elsewhere: the script next to this interpreter
    MADOGUCHI = Path(sys.executable).with_name("madoguchi")

PASSPHRASE = "correct horse 電池 staple"

# Strings that must never appear on disk in the clear.
SECRET_NAME = "山田花子SECRETNAME"
SECRET_TEXT = "この投稿はSECRETTEXT詐欺師です"
SECRET_URL = "https://x.com/secreturlacct/status/987654321"
SECRET_FILE = b"\x89PNG\r\n\x1a\n" + b"SECRETIMAGEBYTES" * 64


def all_bytes(folder: Path) -> dict[Path, bytes]:
    """Every file under a folder (the DB, its WAL/journal, blobs, temp files)."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_no_plaintext(folder: Path, needles: list[bytes]) -> None:
    files = all_bytes(folder)
    assert files, f"nothing under {folder}"
    for path, data in files.items():
        for needle in needles:
            assert needle not in data, f"{needle[:30]!r} found in clear in {path}"


def needles_for(*texts: str) -> list[bytes]:
    out: list[bytes] = []
    for t in texts:
        out += [t.encode("utf-8"), t.encode("utf-16-le")]
        ascii_part = "".join(ch for ch in t if ch.isascii())
        if len(ascii_part) >= 8:
            out.append(ascii_part.encode())
    return out


def run_cli(
    *args: str, env: dict[str, str] | None = None, check: bool = False
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    full_env.update(env or {})
    proc = subprocess.run(
        [str(MADOGUCHI), *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc
