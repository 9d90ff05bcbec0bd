"""The encrypted case store: SQLite for rows, sealed files for attachments.

Layout of the data folder (MADOGUCHI_HOME, else the user's data directory):

    cases.db            SQLite; every row's content is an AES-256-GCM ciphertext
    blobs/<id>.bin      one sealed attachment each (written temp + fsync + os.replace)

In the clear on disk: random ids, which case an item or blob belongs to, version
numbers, ciphertext sizes and the KDF parameters with their salt. Everything a
person typed or captured (titles, texts, names, URLs, file names, images, hashes)
is sealed, with associated data binding each ciphertext to its table, case, id
and version, so rows cannot be swapped or moved without the open failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .crypto import Sealer, SealError, aad, derive_key, kdf_params_for_new_store
from .errors import CaseError, CorruptStoreError, NotFoundError, PassphraseError
from .importing import NewFile
from .model import Attachment, Case, EvidenceItem, TimelineEvent, now, platform_of

FORMAT = 1
DB_NAME = "cases.db"
BLOB_DIR = "blobs"
BLOB_MAGIC = b"MDGB\x01"
KEY_CHECK = b"madoguchi key check v1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, case_id TEXT NOT NULL,
  version INTEGER NOT NULL, body BLOB NOT NULL, UNIQUE (id, version));
CREATE INDEX IF NOT EXISTS items_case ON items (case_id);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, case_id TEXT NOT NULL,
  body BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS events_case ON events (case_id);
CREATE TABLE IF NOT EXISTS blobs (
  id TEXT PRIMARY KEY, case_id TEXT NOT NULL, size INTEGER NOT NULL, digest TEXT NOT NULL);
"""

M = TypeVar("M", bound=BaseModel)


def default_home() -> Path:
    """MADOGUCHI_HOME, else platformdirs' user data directory for madoguchi."""
    env = os.environ.get("MADOGUCHI_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("madoguchi", appauthor=False))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes | Iterator[bytes]) -> None:
    """Write a file whole or not at all: temp file in the same folder, fsync, os.replace."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for chunk in data:
                    fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def new_id(nbytes: int = 8) -> str:
    return secrets.token_hex(nbytes)


@dataclass
class VerifyReport:
    """What `CaseStore.verify()` found."""

    cases: int = 0
    items: int = 0
    events: int = 0
    blobs: int = 0
    problems: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # sealed files no row refers to

    @property
    def ok(self) -> bool:
        return not self.problems


class CaseStore:
    """An unlocked case store. Open with `CaseStore.open(home, passphrase)`; close when done."""

    def __init__(self, home: Path, conn: sqlite3.Connection, sealer: Sealer, kdf: dict[str, Any]):
        self.home = home
        self._conn = conn
        self._sealer = sealer
        self._kdf = kdf

    # ------------------------------------------------------------------ opening
    @classmethod
    def exists(cls, home: Path | None = None) -> bool:
        return ((home or default_home()) / DB_NAME).exists()

    @classmethod
    def open(cls, home: Path | None, passphrase: str, *, create: bool = True) -> CaseStore:
        home = Path(home) if home is not None else default_home()
        if not passphrase:
            raise PassphraseError("パスフレーズが空です。")
        db_path = home / DB_NAME
        if not db_path.exists():
            if not create:
                raise NotFoundError(
                    f"ケースファイルがまだありません: {home}（`madoguchi case new` で作れます）"
                )
            home.mkdir(parents=True, exist_ok=True, mode=0o700)
        elif db_path.stat().st_size == 0 and not create:
            raise CorruptStoreError(f"ケースファイルが空です（壊れています）: {db_path}")
        (home / BLOB_DIR).mkdir(exist_ok=True, mode=0o700)
        conn = cls._connect(db_path)
        try:
            kdf, sealer = cls._init_meta(conn, create, passphrase)
            return cls(home, conn, sealer, kdf)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open_with_key(cls, home: Path, sealer: Sealer) -> CaseStore:
        """Open with a key derived earlier (the web session), checking it again."""
        db_path = Path(home) / DB_NAME
        if not db_path.exists():
            raise NotFoundError("ケースファイルがありません。")
        conn = cls._connect(db_path)
        try:
            kdf = dict(json.loads(cls._meta(conn, "kdf") or "{}"))
            check = cls._meta(conn, "check")
            try:
                ok = sealer.open(bytes.fromhex(check), aad("meta", "check")) == KEY_CHECK
            except (SealError, ValueError):
                ok = False
            if not ok:
                raise PassphraseError("鍵が合いません。もう一度パスフレーズを入れてください。")
            return cls(Path(home), conn, sealer, kdf)
        except BaseException:
            conn.close()
            raise

    @property
    def sealer(self) -> Sealer:
        return self._sealer

    @staticmethod
    def _connect(db_path: Path) -> sqlite3.Connection:
        try:
            fresh = not db_path.exists()
            conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
            if fresh:
                with contextlib.suppress(OSError):
                    os.chmod(db_path, 0o600)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA secure_delete = ON")
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                conn.close()
                raise CorruptStoreError(
                    f"ケースファイルが壊れています: {db_path}（整合性検査: {row[0] if row else '結果なし'}）。"
                    "バックアップから `madoguchi case restore` で戻してください。"
                )
            conn.executescript(SCHEMA)
            return conn
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(
                f"ケースファイルを開けません（壊れているか、ケースファイルではありません）: {db_path}（{exc}）"
            ) from None

    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str) -> str:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return "" if row is None else str(row[0])

    @classmethod
    def _init_meta(
        cls, conn: sqlite3.Connection, create: bool, passphrase: str
    ) -> tuple[dict[str, Any], Sealer]:
        if not cls._meta(conn, "kdf"):
            if not create:
                raise CorruptStoreError("ケースファイルに鍵の設定がありません（壊れています）。")
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
                    raise CorruptStoreError(
                        "ケースファイルの鍵の設定が消えています（壊れているか改ざん）。"
                    )
                if not cls._meta(conn, "kdf"):  # nobody else created it meanwhile
                    kdf = kdf_params_for_new_store()
                    sealer = Sealer(derive_key(passphrase, kdf))
                    check = sealer.seal(KEY_CHECK, aad("meta", "check")).hex()
                    conn.execute("DELETE FROM meta")
                    conn.executemany(
                        "INSERT INTO meta VALUES (?, ?)",
                        [("format", str(FORMAT)), ("kdf", json.dumps(kdf)), ("check", check)],
                    )
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        if cls._meta(conn, "format") != str(FORMAT):
            raise CorruptStoreError("このケースファイルの形式には対応していません。")
        try:
            kdf = dict(json.loads(cls._meta(conn, "kdf")))
            sealer = Sealer(derive_key(passphrase, kdf))
        except (SealError, KeyError, ValueError, TypeError):
            raise CorruptStoreError(
                "ケースファイルの鍵の設定が読めません（壊れています）。"
            ) from None
        check = cls._meta(conn, "check")
        if not check:
            raise CorruptStoreError("ケースファイルの鍵の確認値がありません（壊れています）。")
        try:
            ok = sealer.open(bytes.fromhex(check), aad("meta", "check")) == KEY_CHECK
        except (SealError, ValueError):
            ok = False
        if not ok:
            raise PassphraseError(
                "パスフレーズが違います。MADOGUCHI_PASSPHRASE（または入力したパスフレーズ）を"
                "確かめてください。"
            )
        return kdf, sealer

    # ------------------------------------------------------------------ basics
    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.home / DB_NAME

    @property
    def blob_dir(self) -> Path:
        return self.home / BLOB_DIR

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"ケースファイルに書き込めません: {exc}") from None
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._conn.execute(sql, params).fetchall())
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(
                f"ケースファイルが壊れています（読み出しに失敗: {exc}）。"
            ) from None

    def _seal_model(self, model: BaseModel, *where: str | int) -> bytes:
        return self._sealer.seal(model.model_dump_json().encode("utf-8"), aad(*where))

    def _open_model(self, cls: type[M], body: bytes, *where: str | int) -> M:
        try:
            plain = self._sealer.open(bytes(body), aad(*where))
        except SealError:
            label = ":".join(str(w) for w in where)
            raise CorruptStoreError(
                f"ケースファイルの一部が改ざんされたか壊れています（{label}）。"
                "内容は読み出していません。バックアップから戻すことを検討してください。"
            ) from None
        try:
            return cls.model_validate_json(plain)
        except ValidationError:
            raise CorruptStoreError(f"ケースファイルの形式が読めません（{where[0]}）。") from None

    # ------------------------------------------------------------------ cases
    def create_case(
        self,
        title: str,
        situation: str = "",
        triage: dict[str, Any] | None = None,
        prefecture: str | None = None,
    ) -> Case:
        title = title.strip()
        if not title:
            raise CaseError("ケースの題名（--title）を入れてください。")
        with self._tx() as conn:
            while True:
                case_id = new_id(4)
                if not conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
                    break
            case = Case(
                id=case_id, title=title, situation=situation, triage=triage, prefecture=prefecture
            )
            conn.execute(
                "INSERT INTO cases (id, body) VALUES (?, ?)",
                (case_id, self._seal_model(case, "cases", case_id)),
            )
            if situation.strip():
                self._insert_event(
                    conn,
                    TimelineEvent(
                        id=new_id(),
                        case_id=case_id,
                        at=case.created_at,
                        text="ケースを作成（状況を記録）",
                        kind="note",
                    ),
                )
        return case

    def list_cases(self) -> list[Case]:
        rows = self._query("SELECT id, body FROM cases ORDER BY seq")
        return [self._open_model(Case, body, "cases", cid) for cid, body in rows]

    def get_case(self, case_id: str) -> Case:
        case_id = case_id.strip()
        rows = self._query("SELECT body FROM cases WHERE id = ?", (case_id,))
        if not rows:
            raise NotFoundError(
                f"ケースが見つかりません: {case_id!r}（`madoguchi case list` で確認）"
            )
        case = self._open_model(Case, rows[0][0], "cases", case_id)
        if case.id != case_id:
            raise CorruptStoreError(f"ケース {case_id} の中身が別のケースのものです（改ざん）。")
        return case

    def update_case(self, case: Case) -> Case:
        self.get_case(case.id)
        case = case.model_copy(update={"updated_at": now()})
        with self._tx() as conn:
            conn.execute(
                "UPDATE cases SET body = ? WHERE id = ?",
                (self._seal_model(case, "cases", case.id), case.id),
            )
        return case

    # ------------------------------------------------------------------ evidence
    def _write_blob(self, case_id: str, data: bytes) -> tuple[str, int, str]:
        blob_id = new_id(16)
        sealed = BLOB_MAGIC + self._sealer.seal(data, aad("blob", case_id, blob_id))
        atomic_write(self.blob_dir / f"{blob_id}.bin", sealed)
        return blob_id, len(sealed), hashlib.sha256(sealed).hexdigest()

    def add_evidence(
        self,
        case_id: str,
        *,
        url: str = "",
        text: str = "",
        files: list[NewFile] | None = None,
        platform: str = "",
        seen_at: dt.datetime | None = None,
        captured_at: dt.datetime | None = None,
        notes: str = "",
        source: str = "manual",
        event_text: str | None = None,
    ) -> EvidenceItem:
        """Seal the files, then record the item and a timeline entry in one transaction."""
        self.get_case(case_id)
        files = files or []
        if not (url.strip() or text.strip() or files or notes.strip()):
            raise CaseError("証拠が空です: --url、--text、--file のどれかを指定してください。")
        written: list[tuple[str, int, str]] = []
        attachments: list[Attachment] = []
        try:
            for f in files:
                blob_id, size, digest = self._write_blob(case_id, f.data)
                written.append((blob_id, size, digest))
                attachments.append(
                    Attachment(
                        blob_id=blob_id,
                        filename=f.filename,
                        media_type=f.media_type,
                        size=len(f.data),
                        sha256=hashlib.sha256(f.data).hexdigest(),
                        role=f.role,
                    )
                )
            item = EvidenceItem(
                id=new_id(),
                case_id=case_id,
                version=1,
                url=url.strip(),
                platform=platform.strip() or platform_of(url),
                text=text,
                files=attachments,
                seen_at=seen_at,
                captured_at=captured_at,
                notes=notes,
                source=source,
            )
            with self._tx() as conn:
                for blob_id, size, digest in written:
                    conn.execute(
                        "INSERT INTO blobs (id, case_id, size, digest) VALUES (?, ?, ?, ?)",
                        (blob_id, case_id, size, digest),
                    )
                self._insert_item(conn, item)
                where = item.platform or ("URL" if item.url else "")
                label = event_text or (
                    "ページを保存（スクリーンショット・PDF）"
                    if source == "capture"
                    else "証拠を記録"
                )
                self._insert_event(
                    conn,
                    TimelineEvent(
                        id=new_id(),
                        case_id=case_id,
                        at=seen_at or captured_at or item.recorded_at,
                        text=f"{label}{'（' + where + '）' if where else ''}",
                        kind="evidence",
                        evidence_id=item.id,
                    ),
                )
        except BaseException:
            for blob_id, _, _ in written:
                with contextlib.suppress(OSError):
                    (self.blob_dir / f"{blob_id}.bin").unlink()
            raise
        return item

    def _insert_item(self, conn: sqlite3.Connection, item: EvidenceItem) -> None:
        conn.execute(
            "INSERT INTO items (id, case_id, version, body) VALUES (?, ?, ?, ?)",
            (
                item.id,
                item.case_id,
                item.version,
                self._seal_model(item, "items", item.case_id, item.id, item.version),
            ),
        )

    def edit_evidence(self, case_id: str, item_id: str, **changes: Any) -> EvidenceItem:
        """Write a new version of an item with `changes`; the earlier version stays."""
        allowed = {"url", "platform", "text", "seen_at", "notes"}
        unknown = set(changes) - allowed
        if unknown:
            raise CaseError(f"変更できない項目です: {', '.join(sorted(unknown))}")
        current = self.get_evidence(case_id, item_id)
        updated = current.model_copy(
            update={
                **{k: v for k, v in changes.items() if v is not None},
                "version": current.version + 1,
                "recorded_at": now(),
            }
        )
        with self._tx() as conn:
            self._insert_item(conn, updated)
            self._insert_event(
                conn,
                TimelineEvent(
                    id=new_id(),
                    case_id=case_id,
                    at=updated.recorded_at,
                    text=f"証拠の記録を修正（第{updated.version}版、以前の版も保存）",
                    kind="note",
                    evidence_id=item_id,
                ),
            )
        return updated

    def _items(self, case_id: str) -> list[EvidenceItem]:
        rows = self._query(
            "SELECT id, case_id, version, body FROM items WHERE case_id = ? ORDER BY seq",
            (case_id,),
        )
        out = []
        for iid, cid, version, body in rows:
            item = self._open_model(EvidenceItem, body, "items", cid, iid, version)
            if (item.id, item.case_id, item.version) != (iid, cid, version):
                raise CorruptStoreError(f"証拠 {iid} の中身が別の行のものです（改ざん）。")
            out.append(item)
        return out

    def evidence(self, case_id: str) -> list[EvidenceItem]:
        """The latest version of every item of a case, in the order they were first added."""
        self.get_case(case_id)
        latest: dict[str, EvidenceItem] = {}  # keeps first-insertion order (rows by seq)
        for item in self._items(case_id):
            if item.id not in latest or item.version > latest[item.id].version:
                latest[item.id] = item
        return list(latest.values())

    def history(self, case_id: str, item_id: str) -> list[EvidenceItem]:
        """Every version of one item, oldest first."""
        versions = [i for i in self._items(case_id) if i.id == item_id]
        if not versions:
            raise NotFoundError(f"証拠が見つかりません: {item_id!r}")
        return sorted(versions, key=lambda i: i.version)

    def get_evidence(self, case_id: str, item_id: str) -> EvidenceItem:
        return self.history(case_id, item_id)[-1]

    def read_attachment(self, case_id: str, att: Attachment) -> bytes:
        """The plaintext of an attachment, after its GCM tag and SHA-256 both check out."""
        rows = self._query("SELECT case_id, size, digest FROM blobs WHERE id = ?", (att.blob_id,))
        if not rows or rows[0][0] != case_id:
            raise NotFoundError(f"添付ファイルの記録がありません: {att.filename}")
        path = self.blob_dir / f"{att.blob_id}.bin"
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            raise CorruptStoreError(
                f"添付ファイルがありません（消えています）: {att.filename}"
            ) from None
        if len(sealed) != rows[0][1]:
            raise CorruptStoreError(
                f"添付ファイルの大きさが記録と違います（途中で切れているか改ざん）: {att.filename}"
            )
        if not sealed.startswith(BLOB_MAGIC):
            raise CorruptStoreError(f"添付ファイルの形式が違います（改ざん）: {att.filename}")
        try:
            data = self._sealer.open(sealed[len(BLOB_MAGIC) :], aad("blob", case_id, att.blob_id))
        except SealError:
            raise CorruptStoreError(
                f"添付ファイルが改ざんされたか壊れています: {att.filename}（読み出していません）"
            ) from None
        if hashlib.sha256(data).hexdigest() != att.sha256:
            raise CorruptStoreError(f"添付ファイルのハッシュが記録と違います: {att.filename}")
        return data

    # ------------------------------------------------------------------ timeline
    def _insert_event(self, conn: sqlite3.Connection, event: TimelineEvent) -> None:
        conn.execute(
            "INSERT INTO events (id, case_id, body) VALUES (?, ?, ?)",
            (event.id, event.case_id, self._seal_model(event, "events", event.case_id, event.id)),
        )

    def add_event(
        self, case_id: str, text: str, at: dt.datetime | None = None, kind: str = "incident"
    ) -> TimelineEvent:
        self.get_case(case_id)
        if not text.strip():
            raise CaseError("出来事の内容が空です。")
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=now().tzinfo)
        event = TimelineEvent(
            id=new_id(),
            case_id=case_id,
            at=at or now(),
            text=text.strip(),
            kind=kind,
        )
        with self._tx() as conn:
            self._insert_event(conn, event)
        return event

    def timeline(self, case_id: str) -> list[TimelineEvent]:
        """Every event of a case, sorted by when it happened."""
        self.get_case(case_id)
        rows = self._query(
            "SELECT id, case_id, body FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
        )
        events = []
        for eid, cid, body in rows:
            ev = self._open_model(TimelineEvent, body, "events", cid, eid)
            if (ev.id, ev.case_id) != (eid, cid):
                raise CorruptStoreError(f"出来事 {eid} の中身が別の行のものです（改ざん）。")
            events.append(ev)
        return sorted(events, key=lambda e: (e.at, e.recorded_at))

    # ------------------------------------------------------------------ checks
    def verify(self, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
        """Open every row and every attachment; report (never raise) what fails."""
        report = VerifyReport()
        for case in self._safe(report, self.list_cases) or []:
            report.cases += 1
            items = self._safe(report, lambda c=case: self._items(c.id)) or []  # type: ignore[misc]
            report.items += len(items)
            report.events += len(self._safe(report, lambda c=case: self.timeline(c.id)) or [])  # type: ignore[misc]
            unique = {a.blob_id: a for i in items for a in i.files}  # versions share files
            atts = [(case.id, a) for a in unique.values()]
            for n, (cid, att) in enumerate(atts):
                self._safe(report, lambda cid=cid, att=att: self.read_attachment(cid, att))  # type: ignore[misc]
                report.blobs += 1
                if progress:
                    progress(n + 1, len(atts))
        known = {r[0] for r in self._query("SELECT id FROM blobs")}
        for p in self.blob_dir.glob("*.bin"):
            if p.stem not in known:
                report.orphans.append(p.name)
        return report

    @staticmethod
    def _safe(report: VerifyReport, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except CaseError as exc:
            report.problems.append(str(exc))
            return None

    # ------------------------------------------------------------------ backup
    def backup(self, out: Path) -> int:
        """Write an encrypted backup of the whole store to `out`; returns its size."""
        from .backup import write_backup

        try:
            db_bytes = self._conn.serialize()
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"ケースファイルを読めません: {exc}") from None
        blobs = sorted(r[0] for r in self._query("SELECT id FROM blobs"))
        return write_backup(out, self._sealer, self._kdf, db_bytes, self.blob_dir, blobs)
