"""The main pages of the site, reached as a person would, and full-page screenshots of them.

Used by the browser tests (axe-core runs on the same pages) and runnable on its own against a
running server:

    .venv/bin/python tests/browser/screenshots.py http://127.0.0.1:8000 docs/screenshots
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from madoguchi.cases.capture import CHROMIUM_ARGS as CAPTURE_CHROMIUM_ARGS

CHROMIUM = os.environ.get("MADOGUCHI_CHROMIUM", "/usr/bin/chromium")
# The same flags the case capture uses (Debian Chromium, no background networking).
CHROMIUM_ARGS = CAPTURE_CHROMIUM_ARGS
VIEWPORT = {"width": 360, "height": 780}
SITUATION = "インスタで勝手に写真を載せられた"
URGENT_TEXT = "死にたい"


def new_context(browser: Any, **options: Any) -> Any:
    """A phone-sized context (360 x 780, touch) in Japanese."""
    context = browser.new_context(
        viewport=VIEWPORT, locale="ja-JP", has_touch=True, is_mobile=True, **options
    )
    context.set_default_timeout(10_000)
    return context


def _submit(page: Any, base: str, text: str) -> None:
    page.goto(base + "/")
    page.fill("#text", text)
    page.click("button[type=submit]")
    page.wait_for_url("**/result")


def _window(page: Any, base: str) -> None:
    page.goto(base + "/windows?category=unauthorized_image")
    page.locator("ul.wlist li a").first.click()
    page.wait_for_url("**/windows/*")


# name -> how to get there. The result pages come from a POST, as in real use.
MAIN_PAGES: dict[str, Callable[[Any, str], None]] = {
    "home": lambda p, b: p.goto(b + "/"),
    "result": lambda p, b: _submit(p, b, SITUATION),
    "result-urgent": lambda p, b: _submit(p, b, URGENT_TEXT),
    "question": lambda p, b: p.goto(b + "/questions?a.danger=no&q=categories"),
    "windows": lambda p, b: p.goto(b + "/windows"),
    "window": _window,
    "error": lambda p, b: p.goto(b + "/windows/no-such-window"),
    "docs": lambda p, b: p.goto(b + "/docs"),
}


def save_all(browser: Any, base: str, outdir: Path, *, furigana_too: bool = True) -> list[Path]:
    """Full-page PNGs of every main page at 360 px wide; returns the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    context = new_context(browser)
    try:
        page = context.new_page()
        for name, go in MAIN_PAGES.items():
            go(page, base)
            path = outdir / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        if furigana_too:  # the children's mode
            page.goto(base + "/furigana?on=1&next=/")
            path = outdir / "home-furigana.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
    finally:
        context.close()
    return written


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    base = argv[1] if len(argv) > 1 else "http://127.0.0.1:8000"
    outdir = Path(argv[2] if len(argv) > 2 else "docs/screenshots")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in save_all(browser, base, outdir):
            print(path)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
