"""The encrypted store: round trips, no plaintext on disk, wrong passphrase, tampering."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from case_helpers import (
    PASSPHRASE,
    SECRET_FILE,
    SECRET_NAME,
    SECRET_TEXT,
    SECRET_URL,
    assert_no_plaintext,
    needles_for,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.cases import (
    CaseStore,
    CorruptStoreError,
    ImportRejectedError,
    NotFoundError,
    PassphraseError,
    Person,
    check_bytes,
    read_import,
)
from madoguchi.cases.backup import restore_backup
from madoguchi.cases.model import JST

JPEG = b"\xff\xd8\xff\xe0" + b"JPEGDATA" * 10
PDF = b"%PDF-1.4\n" + b"PDFDATA" * 10


def _fill(store: CaseStore) -> tuple[str, str]:
    case = store.create_case("件名 " + SECRET_NAME, situation=SECRET_TEXT)
    case.people.append(Person(name=SECRET_NAME, account="@secretacct", url=SECRET_URL))
    store.update_case(case)
    item = store.add_evidence(
        case.id,
        url=SECRET_URL,
        text=SECRET_TEXT,
        files=[check_bytes(SECRET_FILE, "スクショ.png"), check_bytes(JPEG, "b.jpg")],
        seen_at=dt.datetime(2026, 11, 1, 21, 5, tzinfo=JST),
        notes="メモ " + SECRET_NAME,
    )
    store.add_event(case.id, "通報した " + SECRET_NAME, dt.datetime(2026, 11, 2, 9, 0))
    return case.id, item.id


def test_round_trip_with_attachments(store: CaseStore, home: Path) -> None:
    case_id, item_id = _fill(store)
    store.close()
    with CaseStore.open(home, PASSPHRASE, create=False) as again:
        case = again.get_case(case_id)
        assert case.situation == SECRET_TEXT
        assert case.people[0].url == SECRET_URL
        [item] = again.evidence(case_id)
        assert item.id == item_id and item.url == SECRET_URL and item.text == SECRET_TEXT
        assert item.platform == "X（旧Twitter）"
        assert [f.media_type for f in item.files] == ["image/png", "image/jpeg"]
        assert again.read_attachment(case_id, item.files[0]) == SECRET_FILE
        assert again.read_attachment(case_id, item.files[1]) == JPEG
        import hashlib

        assert item.files[0].sha256 == hashlib.sha256(SECRET_FILE).hexdigest()
        texts = [e.text for e in again.timeline(case_id)]
        assert any(SECRET_NAME in t for t in texts)
        assert again.verify().ok


def test_edit_keeps_earlier_version(store: CaseStore) -> None:
    case_id, item_id = _fill(store)
    edited = store.edit_evidence(case_id, item_id, text="直した文", notes="第2版")
    assert edited.version == 2
    versions = store.history(case_id, item_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].text == SECRET_TEXT and versions[1].text == "直した文"
    assert versions[1].files == versions[0].files  # files carried over, never rewritten
    [latest] = store.evidence(case_id)
    assert latest.version == 2


def test_no_plaintext_on_disk(store: CaseStore, home: Path) -> None:
    _fill(store)
    needles = [
        *needles_for(SECRET_NAME, SECRET_TEXT, SECRET_URL, "スクショ.png"),
        SECRET_FILE[8:40],
    ]
    # While open: the WAL holds the latest pages.
    assert (home / "cases.db-wal").exists()
    assert_no_plaintext(home, needles)
    store.close()
    assert_no_plaintext(home, needles)


def test_wrong_passphrase(store: CaseStore, home: Path) -> None:
    _fill(store)
    store.close()
    with pytest.raises(PassphraseError, match="パスフレーズが違います"):
        CaseStore.open(home, "wrong", create=False)


def test_missing_store_and_unknown_ids(home: Path, store: CaseStore) -> None:
    with pytest.raises(NotFoundError):
        CaseStore.open(home / "nowhere", PASSPHRASE, create=False)
    with pytest.raises(NotFoundError, match="ケースが見つかりません"):
        store.get_case("nope")


def _tamper_body(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    (seq, body) = conn.execute(f"SELECT seq, body FROM {table} ORDER BY seq LIMIT 1").fetchone()
    body = bytearray(body)
    body[20] ^= 0x01
    conn.execute(f"UPDATE {table} SET body = ? WHERE seq = ?", (bytes(body), seq))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("table", ["cases", "items", "events"])
def test_tampered_row_detected(store: CaseStore, home: Path, table: str) -> None:
    case_id, _ = _fill(store)
    store.close()
    _tamper_body(home / "cases.db", table)
    with CaseStore.open(home, PASSPHRASE) as s, pytest.raises(CorruptStoreError, match="改ざん"):
        s.get_case(case_id)
        s.evidence(case_id)
        s.timeline(case_id)


def test_swapped_rows_detected(store: CaseStore, home: Path) -> None:
    """A ciphertext moved to another row (another case) does not open there."""
    a, _ = _fill(store)
    b = store.create_case("別のケース").id
    store.close()
    conn = sqlite3.connect(home / "cases.db")
    body_a = conn.execute("SELECT body FROM cases WHERE id = ?", (a,)).fetchone()[0]
    conn.execute("UPDATE cases SET body = ? WHERE id = ?", (body_a, b))
    conn.commit()
    conn.close()
    with CaseStore.open(home, PASSPHRASE) as s:
        assert s.get_case(a).id == a
        with pytest.raises(CorruptStoreError):
            s.get_case(b)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "swap"])
def test_tampered_attachment_detected(store: CaseStore, home: Path, damage: str) -> None:
    case_id, _ = _fill(store)
    [item] = store.evidence(case_id)
    png, jpg = item.files
    path = home / "blobs" / f"{png.blob_id}.bin"
    data = path.read_bytes()
    if damage == "flip":
        path.write_bytes(data[:-5] + bytes([data[-5] ^ 0x80]) + data[-4:])
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "delete":
        path.unlink()
    else:  # put the other attachment's sealed file in its place
        other = (home / "blobs" / f"{jpg.blob_id}.bin").read_bytes()
        path.write_bytes(other)
    with pytest.raises(CorruptStoreError):
        store.read_attachment(case_id, png)
    assert store.read_attachment(case_id, jpg) == JPEG
    report = store.verify()
    assert not report.ok and len(report.problems) == 1


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip-middle"])
def test_damaged_database_file_detected(store: CaseStore, home: Path, damage: str) -> None:
    case_id, _ = _fill(store)
    for i in range(30):  # enough rows for several pages
        store.add_evidence(case_id, text=f"{SECRET_TEXT} {i}" * 20)
    store.close()
    db = home / "cases.db"
    data = db.read_bytes()
    if damage == "truncate":
        db.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        db.write_bytes(b"not a database at all" * 100)
    else:
        mid = len(data) // 2
        db.write_bytes(
            data[:mid] + bytes(b ^ 0xFF for b in data[mid : mid + 64]) + data[mid + 64 :]
        )
    with pytest.raises(CorruptStoreError), CaseStore.open(home, PASSPHRASE, create=False) as s:
        for c in s.list_cases():
            s.evidence(c.id)
            s.timeline(c.id)


def test_backup_and_restore(store: CaseStore, home: Path, tmp_path: Path) -> None:
    case_id, _ = _fill(store)
    out = tmp_path / "backup.mdg"
    store.backup(out)
    assert_no_plaintext(tmp_path, [*needles_for(SECRET_NAME, SECRET_URL), SECRET_FILE[8:40]])
    target = tmp_path / "restored"
    restore_backup(out, target, PASSPHRASE)
    with CaseStore.open(target, PASSPHRASE, create=False) as s:
        [item] = s.evidence(case_id)
        assert s.read_attachment(case_id, item.files[0]) == SECRET_FILE
        assert s.verify().ok
    # Restoring over an existing store needs --force and keeps the old one aside.
    from madoguchi.cases import CaseError

    with pytest.raises(CaseError, match="--force"):
        restore_backup(out, target, PASSPHRASE)
    aside = restore_backup(out, target, PASSPHRASE, force=True)
    assert (aside / "cases.db").exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "wrong-pass", "not-backup"])
def test_damaged_backup_rejected(store: CaseStore, tmp_path: Path, damage: str) -> None:
    case_id, _ = _fill(store)
    for _ in range(3):  # more than one chunk
        store.add_evidence(case_id, files=[check_bytes(b"%PDF-" + bytes(700_000), "x.pdf")])
    out = tmp_path / "backup.mdg"
    store.backup(out)
    data = out.read_bytes()
    passphrase = PASSPHRASE
    if damage == "truncate":
        out.write_bytes(data[: len(data) - 1000])
    elif damage == "flip":
        out.write_bytes(data[:5000] + bytes([data[5000] ^ 1]) + data[5001:])
    elif damage == "wrong-pass":
        passphrase = "wrong"
    else:
        out.write_bytes(b"hello")
    target = tmp_path / "restored"
    with pytest.raises((CorruptStoreError, PassphraseError)):
        restore_backup(out, target, passphrase)
    assert not (target / "cases.db").exists()


def test_import_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_bytes(SECRET_FILE, "a.png").media_type == "image/png"
    assert check_bytes(JPEG, "a.jpg").media_type == "image/jpeg"
    assert check_bytes(PDF, "a.pdf").media_type == "application/pdf"
    assert check_bytes("トーク履歴\n".encode(), "line.txt").media_type == "text/plain"
    assert check_bytes("トーク履歴\n".encode("cp932"), "sjis.txt").media_type == "text/plain"
    with pytest.raises(ImportRejectedError, match="追加できません"):
        check_bytes(b"\x00\x01\x02ELF" * 10, "a.png")  # the name does not matter, the bytes do
    with pytest.raises(ImportRejectedError, match="追加できません"):
        check_bytes(b"GIF89a\x00\x00", "a.gif")
    with pytest.raises(ImportRejectedError, match="空です"):
        check_bytes(b"", "a.txt")
    monkeypatch.setenv("MADOGUCHI_MAX_IMPORT_MB", "1")
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1024 * 1024))
    with pytest.raises(ImportRejectedError, match="大きすぎます"):
        read_import(big)
    with pytest.raises(ImportRejectedError, match="見つかりません"):
        read_import(tmp_path / "missing.png")


def test_empty_evidence_rejected(store: CaseStore) -> None:
    from madoguchi.cases import CaseError

    case = store.create_case("t")
    with pytest.raises(CaseError, match="空"):
        store.add_evidence(case.id)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=st.text(min_size=1).filter(str.strip), text=st.text(), url=st.text(), note=st.text())
def test_any_unicode_round_trips(
    store: CaseStore, title: str, text: str, url: str, note: str
) -> None:
    # Whitespace alone is no evidence and no event (test_empty_evidence_rejected): stand-ins.
    body = text if text.strip() else "x"
    event = note if note.strip() else "y"
    case = store.create_case(title, situation=text)
    item = store.add_evidence(case.id, url=url, text=body, notes=note)
    ev = store.add_event(case.id, event)
    got = store.get_case(case.id)
    assert got.title == title.strip() and got.situation == text
    [back] = store.evidence(case.id)
    assert (back.url, back.text, back.notes) == (item.url, body, note)
    assert back.url == url.strip()
    assert any(e.id == ev.id and e.text == event.strip() for e in store.timeline(case.id))
