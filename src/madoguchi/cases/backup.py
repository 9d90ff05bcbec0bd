"""Encrypted backups: one file, chunked AES-256-GCM with the store's key (STREAM-style).

    MDGBACKUP1\\n | u32 header length | header JSON (format, kdf params with salt)
    then chunks:  u32 length | nonce + ciphertext of up to 1 MiB
    chunk AAD:    madoguchi:v1:backup:<sha256 of header>:<index>:<final 0|1>

The plaintext inside is a list of entries (u16 name length, name, u64 size, data):
`cases.db` (the serialised database: its rows are sealed already) and every
`blobs/<id>.bin`. A reordered, dropped, truncated or altered chunk fails to open.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .crypto import Sealer, SealError, aad, derive_key
from .errors import CaseError, CorruptStoreError, PassphraseError

MAGIC = b"MDGBACKUP1\n"
CHUNK = 1024 * 1024


def _entries(db_bytes: bytes, blob_dir: Path, blobs: list[str]) -> Iterator[bytes]:
    def entry(name: str, size: int) -> bytes:
        raw = name.encode("utf-8")
        return struct.pack(">H", len(raw)) + raw + struct.pack(">Q", size)

    yield entry("cases.db", len(db_bytes))
    yield db_bytes
    for blob_id in blobs:
        path = blob_dir / f"{blob_id}.bin"
        try:
            size = path.stat().st_size
            yield entry(f"blobs/{blob_id}.bin", size)
            with path.open("rb") as fh:
                left = size
                while left:
                    data = fh.read(min(CHUNK, left))
                    if not data:
                        raise CorruptStoreError(
                            f"添付ファイルの読み出し中に大きさが変わりました: {blob_id}"
                        )
                    left -= len(data)
                    yield data
        except FileNotFoundError:
            raise CorruptStoreError(
                f"添付ファイルが一つ見つかりません（{blob_id}）。バックアップを中止しました。"
            ) from None


def _rechunk(parts: Iterator[bytes]) -> Iterator[bytes]:
    buf = bytearray()
    for part in parts:
        buf += part
        while len(buf) >= CHUNK:
            yield bytes(buf[:CHUNK])
            del buf[:CHUNK]
    yield bytes(buf)


def write_backup(
    out: Path,
    sealer: Sealer,
    kdf: dict[str, Any],
    db_bytes: bytes,
    blob_dir: Path,
    blobs: list[str],
) -> int:
    """Stream the store into `out` atomically (temp + fsync + os.replace)."""
    from .store import atomic_write

    header = json.dumps({"format": 1, "kdf": kdf}, sort_keys=True).encode("utf-8")
    hh = hashlib.sha256(header).hexdigest()

    def stream() -> Iterator[bytes]:
        yield MAGIC + struct.pack(">I", len(header)) + header
        chunks = _rechunk(_entries(db_bytes, blob_dir, blobs))
        prev = next(chunks)
        index = 0
        for nxt in chunks:
            sealed = sealer.seal(prev, aad("backup", hh, index, 0))
            yield struct.pack(">I", len(sealed)) + sealed
            prev, index = nxt, index + 1
        sealed = sealer.seal(prev, aad("backup", hh, index, 1))
        yield struct.pack(">I", len(sealed)) + sealed

    out = Path(out)
    if out.parent and not out.parent.exists():
        raise CaseError(f"保存先のフォルダがありません: {out.parent}")
    atomic_write(out, stream())
    return out.stat().st_size


def _read_exact(fh: BinaryIO, n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise CorruptStoreError("バックアップが途中で切れています（不完全なファイル）。")
    return data


def _plain_chunks(fh: BinaryIO, sealer: Sealer, hh: str) -> Iterator[bytes]:
    index = 0
    while True:
        head = fh.read(4)
        if not head:
            raise CorruptStoreError("バックアップが途中で切れています（最後の部分がありません）。")
        if len(head) < 4:
            raise CorruptStoreError("バックアップが途中で切れています（不完全なファイル）。")
        (length,) = struct.unpack(">I", head)
        if length > CHUNK + 64:
            raise CorruptStoreError("バックアップの形式が壊れています。")
        sealed = _read_exact(fh, length)
        for final in (0, 1):
            try:
                plain = sealer.open(sealed, aad("backup", hh, index, final))
                break
            except SealError:
                continue
        else:
            if index == 0:
                raise PassphraseError(
                    "バックアップを開けません: パスフレーズが違うか、ファイルが壊れています。"
                )
            raise CorruptStoreError(
                f"バックアップの {index + 1} 番目の部分が改ざんされたか壊れています。"
            )
        yield plain
        if final:
            if fh.read(1):
                raise CorruptStoreError("バックアップの最後に余分なデータがあります（改ざん）。")
            return
        index += 1


class _Reader:
    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buf = bytearray()
        self.eof = False

    def read(self, n: int) -> bytes:
        while len(self._buf) < n and not self.eof:
            try:
                self._buf += next(self._chunks)
            except StopIteration:
                self.eof = True
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def at_end(self) -> bool:
        return not self.read_peek()

    def read_peek(self) -> bytes:
        data = self.read(1)
        self._buf[0:0] = data
        return data


def restore_backup(backup: Path, home: Path, passphrase: str, *, force: bool = False) -> Path:
    """Check the whole backup, write it next to the store, then move it into place.

    Returns the folder where an existing store was moved aside (force) or `home`.
    """
    from .store import BLOB_DIR, DB_NAME, CaseStore

    backup = Path(backup)
    if not backup.is_file():
        raise CaseError(f"バックアップファイルが見つかりません: {backup}")
    home = Path(home)
    if (home / DB_NAME).exists() and not force:
        raise CaseError(
            f"ここには既にケースファイルがあります: {home}。"
            "上書きするには --force を付けてください（今のファイルは別のフォルダに残します）。"
        )
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = home / f".restore-{secrets.token_hex(6)}"
    staging.mkdir(mode=0o700)
    (staging / BLOB_DIR).mkdir()
    try:
        with backup.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                raise CorruptStoreError("madoguchi のバックアップファイルではありません。")
            (hlen,) = struct.unpack(">I", _read_exact(fh, 4))
            if hlen > 65536:
                raise CorruptStoreError("バックアップの形式が壊れています。")
            header_raw = _read_exact(fh, hlen)
            try:
                header = json.loads(header_raw)
                sealer = Sealer(derive_key(passphrase, header["kdf"]))
            except (ValueError, KeyError, TypeError, SealError):
                raise CorruptStoreError("バックアップの形式が壊れています。") from None
            reader = _Reader(_plain_chunks(fh, sealer, hashlib.sha256(header_raw).hexdigest()))
            names: list[str] = []
            while not reader.at_end():
                (nlen,) = struct.unpack(">H", _must(reader.read(2), 2))
                name = _must(reader.read(nlen), nlen).decode("utf-8")
                (size,) = struct.unpack(">Q", _must(reader.read(8), 8))
                if name != DB_NAME and not (
                    name.startswith(f"{BLOB_DIR}/")
                    and "/" not in name[len(BLOB_DIR) + 1 :]
                    and ".." not in name
                ):
                    raise CorruptStoreError("バックアップに想定外のファイル名があります。")
                target = staging / name
                with open(target, "xb") as out:
                    left = size
                    while left:
                        data = _must(reader.read(min(CHUNK, left)), min(CHUNK, left))
                        out.write(data)
                        left -= len(data)
                    out.flush()
                    os.fsync(out.fileno())
                names.append(name)
        if DB_NAME not in names:
            raise CorruptStoreError("バックアップにデータベースが入っていません。")
        with CaseStore.open(staging, passphrase, create=False) as check:
            report = check.verify()
        if not report.ok:
            raise CorruptStoreError("バックアップの中身の検査に失敗しました: " + report.problems[0])
        moved_aside = home
        if (home / DB_NAME).exists():
            moved_aside = home / f"before-restore-{secrets.token_hex(4)}"
            moved_aside.mkdir(mode=0o700)
            for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", BLOB_DIR):
                if (home / name).exists():
                    os.replace(home / name, moved_aside / name)
        os.replace(staging / BLOB_DIR, home / BLOB_DIR)
        os.replace(staging / DB_NAME, home / DB_NAME)
        fd = os.open(home, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return moved_aside
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)


def _must(data: bytes, n: int) -> bytes:
    if len(data) != n:
        raise CorruptStoreError("バックアップの中身が途中で切れています。")
    return data
