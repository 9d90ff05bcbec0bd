"""The case pages: mounted in a small FastAPI app of our own, on a 127.0.0.1 Host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from case_helpers import PASSPHRASE, SECRET_FILE, SECRET_TEXT, assert_no_plaintext, needles_for
from fastapi import FastAPI
from fastapi.testclient import TestClient

from madoguchi.cases import web


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(web.router)
    web.forget_all_sessions()
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        yield c
    web.forget_all_sessions()


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html
    return m.group(1)


def _unlock(client: TestClient, passphrase: str = PASSPHRASE, first: bool = True) -> str:
    page = client.get("/cases/")
    assert page.status_code == 200 and "パスフレーズ" in page.text
    data = {"csrf": _csrf(page.text), "passphrase": passphrase}
    if first:
        data["confirm"] = passphrase
    r = client.post("/cases/unlock", data=data, follow_redirects=False)
    return str(r.status_code)


def test_unlock_add_export(client: TestClient, home: Path) -> None:
    assert _unlock(client) == "303"
    cookie = client.cookies.get(web.COOKIE)
    assert cookie
    listing = client.get("/cases/")
    assert "ケース一覧" in listing.text
    csrf = _csrf(listing.text)

    r = client.post(
        "/cases/new",
        data={"csrf": csrf, "title": "ウェブのケース", "text": SECRET_TEXT},
        follow_redirects=False,
    )
    assert r.status_code == 303
    case_url = r.headers["location"]
    r = client.post(
        f"{case_url}/evidence",
        data={
            "csrf": csrf,
            "url": "https://x.com/a/status/1",
            "text": SECRET_TEXT,
            "seen_at": "2026-11-18T21:05",
        },
        files={"file": ("shot.png", SECRET_FILE, "image/png")},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "error" not in r.headers["location"]
    page = client.get(case_url)
    assert "shot.png" in page.text and SECRET_TEXT in page.text
    assert page.headers["cache-control"] == "no-store"

    pdf = client.get(f"{case_url}/export", params={"kind": "memo", "fmt": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    txt = client.get(f"{case_url}/export", params={"kind": "deletion-request", "fmt": "txt"})
    assert "侵害情報の通知書 兼 送信防止措置依頼書" in txt.text and SECRET_TEXT in txt.text

    # A rejected upload comes back as a clear message on the page.
    r = client.post(
        f"{case_url}/evidence",
        data={"csrf": csrf},
        files={"file": ("a.exe", b"MZ\x00\x00" * 10, "application/octet-stream")},
    )
    assert "追加できません" in r.text

    assert_no_plaintext(home, [*needles_for(SECRET_TEXT, "ウェブのケース"), SECRET_FILE[8:40]])

    # Lock: the key is forgotten; the pages ask for the passphrase again.
    client.post("/cases/lock", data={"csrf": csrf})
    assert "パスフレーズ" in client.get("/cases/").text
    assert client.get(case_url, follow_redirects=False).status_code == 303


def test_cookie_flags_and_csrf(client: TestClient) -> None:
    page = client.get("/cases/")
    r = client.post(
        "/cases/unlock",
        data={"csrf": _csrf(page.text), "passphrase": PASSPHRASE, "confirm": PASSPHRASE},
        follow_redirects=False,
    )
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie
    # A form without the session's CSRF token is refused.
    r = client.post("/cases/new", data={"csrf": "forged", "title": "x"})
    assert r.status_code == 403
    # The unlock form needs its own token too.
    fresh = TestClient(client.app, base_url="http://127.0.0.1:8000")
    assert fresh.post("/cases/unlock", data={"passphrase": PASSPHRASE}).status_code == 403


def test_wrong_passphrase_and_foreign_host(client: TestClient) -> None:
    assert _unlock(client) == "303"
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    assert _unlock(other, "wrong", first=False) == "401"
    evil = TestClient(client.app, base_url="http://evil.example")
    assert evil.get("/cases/").status_code == 403


def test_session_expires(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _unlock(client) == "303"
    monkeypatch.setattr(web, "IDLE_SECONDS", -1)
    # The next request refreshes with a negative idle time: the session is gone after it.
    client.get("/cases/")
    assert "パスフレーズ" in client.get("/cases/").text
