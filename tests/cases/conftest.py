"""Fixtures for the case file: a temporary store with cheap argon2, a local web server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from case_helpers import PASSPHRASE


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_KDF", "fast")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    monkeypatch.setenv("MADOGUCHI_HOME", str(h))
    monkeypatch.setenv("MADOGUCHI_PASSPHRASE", PASSPHRASE)
    return h


@pytest.fixture
def store(home: Path) -> Iterator[object]:
    from madoguchi.cases import CaseStore

    s = CaseStore.open(home, PASSPHRASE)
    yield s
    s.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A real http.server on 127.0.0.1 serving a small Japanese page."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "post.html").write_text(
        "<!doctype html><html lang=ja><head><meta charset=utf-8><title>テスト投稿</title></head>"
        "<body><h1>掲示板 PAGEMARKER123</h1>"
        + "".join(f"<p>書き込み {i}: ひどい悪口の例です。</p>" for i in range(80))
        + "</body></html>",
        encoding="utf-8",
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: object, **kw: object) -> None:
            super().__init__(*a, directory=str(root), **kw)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
