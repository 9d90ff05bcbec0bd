"""Capture a page as windows ask for it: a full-page screenshot and a PDF with the URL
and the capture time printed on every page, with the SHA-256 of each.

Headless Chromium (Debian's) through Playwright. The browser context is Playwright's
default off-the-record one (cache and storage in memory), and both files come back as
bytes: nothing of the page is written to disk before it is sealed into the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import CaptureError
from .model import now

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disk-cache-size=1",
]


@dataclass(frozen=True)
class Capture:
    url: str
    final_url: str
    title: str
    captured_at: dt.datetime
    screenshot: bytes  # PNG, full page
    pdf: bytes  # A4, URL and time in the header/footer of every page

    @property
    def screenshot_sha256(self) -> str:
        return hashlib.sha256(self.screenshot).hexdigest()

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise CaptureError(f"保存できるのは http:// か https:// の URL だけです: {url!r}")
    return url


def _stamp(url: str, when: dt.datetime) -> tuple[str, str]:
    style = (
        "font-family:'IPAexGothic','IPAゴシック',sans-serif;font-size:8px;width:100%;"
        "padding:0 10mm;color:#333;white-space:nowrap;overflow:hidden;text-overflow:ellipsis"
    )
    stamp = when.strftime("%Y年%m月%d日 %H:%M:%S") + "（日本時間）"
    header = f'<div style="{style}">URL: {html.escape(url)}</div>'
    footer = (
        f'<div style="{style}">取得日時: {stamp}　madoguchi で保存　'
        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
    )
    return header, footer


def capture_page(
    url: str,
    *,
    timeout_s: float = 45.0,
    progress: Callable[[str], None] | None = None,
) -> Capture:
    """Open `url` in headless Chromium and return the screenshot and PDF, in memory.

    The browser runs on a thread of its own: Playwright's sync API refuses a thread that
    already has an asyncio loop running (a web handler, another Playwright session).
    """
    url = check_url(url)
    say = progress or (lambda _msg: None)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="madoguchi-capture") as pool:
        return pool.submit(_capture, url, timeout_s, say).result()


def _capture(url: str, timeout_s: float, say: Callable[[str], None]) -> Capture:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        raise CaptureError("playwright が入っていません。") from None
    executable = os.environ.get("MADOGUCHI_CHROMIUM", CHROMIUM)
    if not os.path.exists(executable):
        raise CaptureError(f"Chromium が見つかりません: {executable}（apt install chromium）")
    timeout_ms = timeout_s * 1000
    try:
        with sync_playwright() as pw:
            say("ブラウザを起動しています")
            browser = pw.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            try:
                context = browser.new_context(
                    viewport={"width": 1280, "height": 900},
                    locale="ja-JP",
                    timezone_id="Asia/Tokyo",
                    accept_downloads=False,
                    service_workers="block",
                )
                page = context.new_page()
                page.set_default_timeout(timeout_ms)
                say("ページを開いています")
                try:
                    response = page.goto(url, wait_until="load", timeout=timeout_ms)
                except PlaywrightError as exc:
                    raise CaptureError(
                        f"ページを開けませんでした: {url}（{_short(exc)}）。"
                        "ネットにつながっているか、URL が正しいかを確かめてください。"
                    ) from None
                if response is not None and response.status >= 400:
                    say(f"注意: ページの応答が {response.status} でした")
                # let late content settle, but never wait forever
                with contextlib.suppress(PlaywrightError):
                    page.wait_for_load_state("networkidle", timeout=5000)
                captured_at = now()
                title = page.title()
                final_url = page.url
                say("スクリーンショットを撮っています")
                screenshot = page.screenshot(full_page=True, type="png")
                say("PDF を作っています")
                page.emulate_media(media="screen")
                header, footer = _stamp(final_url if final_url != url else url, captured_at)
                if final_url != url:
                    header = header.replace("URL: ", f"URL: {html.escape(url)} → ", 1)
                pdf = page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={"top": "16mm", "bottom": "16mm", "left": "8mm", "right": "8mm"},
                )
                context.close()
            finally:
                browser.close()
    except CaptureError:
        raise
    except PlaywrightError as exc:
        raise CaptureError(f"ページの保存に失敗しました: {_short(exc)}") from None
    return Capture(
        url=url,
        final_url=final_url,
        title=title,
        captured_at=captured_at,
        screenshot=screenshot,
        pdf=pdf,
    )


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
