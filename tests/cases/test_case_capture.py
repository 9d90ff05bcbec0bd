"""Capture of a real page served on 127.0.0.1 with headless Chromium."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from case_helpers import PASSPHRASE, assert_no_plaintext

from madoguchi.cases import CaptureError, CaseStore
from madoguchi.cases.capture import capture_page

pytestmark = pytest.mark.browser


def test_capture_local_page(site: str, tmp_path: Path) -> None:
    cap = capture_page(f"{site}/post.html")
    assert cap.screenshot.startswith(b"\x89PNG\r\n\x1a\n")
    assert cap.pdf.startswith(b"%PDF-")
    assert cap.title == "テスト投稿"
    assert cap.screenshot_sha256 == hashlib.sha256(cap.screenshot).hexdigest()
    # The full page is taller than the viewport (80 paragraphs).
    height = int.from_bytes(cap.screenshot[20:24], "big")
    assert height > 900
    # URL and capture time are printed on the PDF, and the page text is there.
    pdf = tmp_path / "cap.pdf"
    pdf.write_bytes(cap.pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert f"URL: {site}/post.html" in text
    assert "取得日時: " + cap.captured_at.strftime("%Y年%m月%d日 %H:%M:%S") in text
    assert "PAGEMARKER123" in text and "ひどい悪口の例です" in text


def test_capture_into_case_stays_sealed(
    site: str, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chromium's profile and any temp files go to a folder we scan afterwards.
    # (short path: Chromium's profile sockets must fit in a Unix socket address)
    scratch = Path(tempfile.mkdtemp(prefix="mdgcap", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(scratch))
    from madoguchi.cases.importing import NewFile

    cap = capture_page(f"{site}/post.html")
    with CaseStore.open(home, PASSPHRASE) as store:
        case_id = store.create_case("capture").id
        item = store.add_evidence(
            case_id,
            url=cap.url,
            files=[
                NewFile("s.png", cap.screenshot, "image/png", "screenshot"),
                NewFile("p.pdf", cap.pdf, "application/pdf", "page_pdf"),
            ],
            captured_at=cap.captured_at,
            source="capture",
        )
        assert store.read_attachment(case_id, item.files[1]) == cap.pdf
        assert item.files[0].sha256 == cap.screenshot_sha256
    needles = [b"PAGEMARKER123", cap.screenshot[100:160], cap.pdf[200:260], site.encode()]
    assert_no_plaintext(home, needles)
    try:
        for p in scratch.rglob("*"):
            if p.is_file():
                assert b"PAGEMARKER123" not in p.read_bytes(), p
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_capture_refuses_bad_urls() -> None:
    with pytest.raises(CaptureError, match="http"):
        capture_page("file:///etc/passwd")
    with pytest.raises(CaptureError, match="開けませんでした"):
        capture_page("http://127.0.0.1:9/nothing", timeout_s=10)
