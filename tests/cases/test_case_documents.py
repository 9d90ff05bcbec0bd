"""The three documents: PDF text extracted back with pdftotext, Japanese rendered, .txt."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from case_helpers import SECRET_FILE
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.cases import CaseError, CaseStore, Person, check_bytes
from madoguchi.cases.model import JST, Case, EvidenceItem
from madoguchi.documents import build_context, render_text
from madoguchi.documents.export import export_document

TRIAGE = {
    "categories": [{"id": "defamation", "label": "誹謗中傷・名誉毀損", "score": 0.9}],
    "urgent": False,
    "recommendations": [
        {
            "id": "minna-no-jinken-110",
            "name": "みんなの人権110番",
            "phones": [{"number": "0570-003-110"}],
        }
    ],
}
POST_URL = "https://x.com/akui_acct/status/111"
POST_TEXT = "佐賀の鈴木一郎は泥棒だ"


@pytest.fixture
def filled(store: CaseStore) -> tuple[CaseStore, str, str]:
    case = store.create_case(
        "Xでの誹謗中傷", situation="Xで名前を出されて悪口を書かれ続けています。", triage=TRIAGE
    )
    case.people.append(Person(name="不明", account="@akui_acct", role="投稿者"))
    case.wants = "投稿を削除してほしい"
    case.tried = ["Xの報告フォームから報告した"]
    case.requester.name = "鈴木一郎"
    case.site_operator = "X Corp."
    store.update_case(case)
    item = store.add_evidence(
        case.id,
        url=POST_URL,
        text=POST_TEXT,
        files=[check_bytes(SECRET_FILE, "screenshot.png")],
        seen_at=dt.datetime(2026, 11, 18, 21, 5, tzinfo=JST),
        notes="毎日書かれている",
    )
    store.add_evidence(case.id, url="https://www.instagram.com/p/xyz/", text="消えろ")
    store.add_event(case.id, "最初の投稿に気づいた", dt.datetime(2026, 11, 18, 21, 5))
    return store, case.id, item.files[0].sha256


def pdftext(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


EXPECTED = {
    "memo": [
        "相談メモ",
        "何があったか",
        "Xで名前を出されて悪口を書かれ続けています。",
        "希望すること",
        "投稿を削除してほしい",
        "Xの報告フォームから報告した",
        "@akui_acct",
        "2026年11月18日21:05",
        "最初の投稿に気づいた",
        "みんなの人権110番",
        "0570-003-110",
    ],
    "deletion-request": [
        "侵害情報の通知書兼送信防止措置依頼書",
        "X Corp.御中",
        "権利を侵害されたと主張する者",
        "鈴木一郎",
        "掲載されている場所",
        "掲載されている情報",
        "侵害されたとする権利",
        "名誉権（名誉毀損）",
        "権利が侵害されたとする理由",
        "毎日書かれている",
        "以上",
    ],
    "report": [
        "通報用テキスト",
        "誹謗中傷ホットライン",
        "X（旧Twitter）ヘルプセンター",
        "Instagram",
        "チェックリスト",
        "削除をお願いします",
    ],
}


@pytest.mark.parametrize("kind", ["memo", "deletion-request", "report"])
def test_pdf_text_matches_case(
    filled: tuple[CaseStore, str, str], tmp_path: Path, kind: str
) -> None:
    store, case_id, sha = filled
    out = export_document(store, case_id, kind, tmp_path / f"{kind}.pdf")
    assert out.read_bytes().startswith(b"%PDF-")
    text = squash(pdftext(out))
    for needle in [*EXPECTED[kind], POST_URL, POST_TEXT]:
        assert squash(needle) in text, (kind, needle)
    if kind != "report":
        assert sha in text  # the evidence hash is printed
    # Fonts: only IPAex, embedded (no tofu from a missing CJK font).
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("IPAex" in r and " yes " in r for r in rows), fonts


@pytest.mark.parametrize("kind", ["memo", "deletion-request", "report"])
def test_txt_matches_case(filled: tuple[CaseStore, str, str], tmp_path: Path, kind: str) -> None:
    store, case_id, sha = filled
    out = export_document(store, case_id, kind, tmp_path / f"{kind}.txt")
    text = out.read_text(encoding="utf-8")
    for needle in [*EXPECTED[kind], POST_URL, POST_TEXT]:
        assert squash(needle) in squash(text), (kind, needle)
    if kind != "report":
        assert sha in text


def test_japanese_renders(filled: tuple[CaseStore, str, str], tmp_path: Path) -> None:
    """Render page 1 to PNG: a page full of dark glyph pixels, not empty boxes or blanks."""
    from PIL import Image

    store, case_id, _ = filled
    pdf = export_document(store, case_id, "deletion-request", tmp_path / "d.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    [png] = tmp_path.glob("p*.png")
    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 2500


def test_platform_filter_and_bad_inputs(filled: tuple[CaseStore, str, str], tmp_path: Path) -> None:
    store, case_id, _ = filled
    out = export_document(
        store, case_id, "deletion-request", tmp_path / "x.txt", platform="instagram"
    )
    text = out.read_text(encoding="utf-8")
    assert "instagram.com/p/xyz" in text and POST_URL not in text
    with pytest.raises(CaseError, match="拡張子"):
        export_document(store, case_id, "memo", tmp_path / "x.docx")
    with pytest.raises(CaseError, match="種類"):
        export_document(store, case_id, "letter", tmp_path / "x.txt")


def test_empty_case_still_gives_forms(store: CaseStore, tmp_path: Path) -> None:
    case = store.create_case("まだ何もない")
    for kind in ["memo", "deletion-request", "report"]:
        text = export_document(store, case.id, kind, tmp_path / f"{kind}.txt").read_text()
        assert "（" in text  # placeholders for the user to fill
    out = export_document(store, case.id, "deletion-request", tmp_path / "e.pdf")
    assert "掲載されている場所" in pdftext(out)


@settings(max_examples=60, deadline=None)
@given(title=st.text(min_size=1).filter(str.strip), text=st.text(), url=st.text())
def test_any_unicode_renders_as_text(title: str, text: str, url: str) -> None:
    case = Case(id="c1", title=title.strip(), situation=text)
    item = EvidenceItem(id="i1", case_id="c1", url=url or "u", text=text)
    ctx = build_context(case, [item], [])
    for kind in ["memo", "deletion-request", "report"]:
        out = render_text(kind, ctx)
        printable = "".join(
            ch
            for ch in text
            if ch in "\n\t"
            or (ord(ch) >= 32 and ord(ch) != 127 and not 0xD800 <= ord(ch) <= 0xDFFF)
        )
        if kind != "report" and printable.strip():
            assert printable.strip() in out or printable[:200] in out


@settings(max_examples=5, deadline=None)
@given(text=st.text(min_size=1, max_size=80).filter(str.strip))
def test_any_unicode_makes_a_pdf(text: str) -> None:
    from madoguchi.documents import render_pdf

    case = Case(id="c1", title=text.strip(), situation=text)
    ctx = build_context(
        case, [EvidenceItem(id="i1", case_id="c1", url="https://e.jp/", text=text)], []
    )
    assert render_pdf("memo", ctx).startswith(b"%PDF-")
