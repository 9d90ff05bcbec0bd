"""Real Chromium (Debian's, via Playwright) against a real `madoguchi serve` on a free port.

The browser tests FAIL when Chromium or Playwright is missing and the environment variable CI is
set; elsewhere they are skipped with the reason. Never run `playwright install`: the browser is
Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from screenshots import CHROMIUM, CHROMIUM_ARGS, new_context

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _missing(what: str) -> None:
    """Fail under CI (the tests must run there); skip with the reason elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI is set: the browser tests must not be skipped)", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        _missing(f"playwright (Python) is not installed: {exc}")
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:  # the binary is there but does not start
            _missing(f"Chromium did not start: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def axe_source() -> str:
    if not AXE_JS.is_file():
        _missing(f"axe-core not found at {AXE_JS} (npm install)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe_page(browser: Any, axe_source: str) -> Iterator[Any]:
    """A context that bypasses the page's CSP (script-src 'self') so axe-core can be injected.

    Only this context bypasses CSP; every other test sees the app's real policy.
    """
    context = new_context(browser, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()
