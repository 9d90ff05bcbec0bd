"""Sealing with AES-256-GCM and a key derived from the passphrase with argon2id.

Every ciphertext carries associated data naming what it is (table, row id, case id,
version), so a sealed row moved to another place no longer opens.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_LEN = 12
KEY_LEN = 32
SALT_LEN = 16

# The real default (t=3, 64 MiB, p=2, about 0.1-0.3 s); tests set MADOGUCHI_KDF=fast.
DEFAULT_KDF = {"alg": "argon2id", "t": 3, "m": 64 * 1024, "p": 2}
FAST_KDF = {"alg": "argon2id", "t": 1, "m": 8, "p": 1}


class SealError(Exception):
    """A ciphertext failed to open: wrong key, tampered, truncated or moved."""


def kdf_params_for_new_store() -> dict[str, Any]:
    """Parameters for a new store: the real default unless MADOGUCHI_KDF=fast (tests only)."""
    params = dict(FAST_KDF if os.environ.get("MADOGUCHI_KDF") == "fast" else DEFAULT_KDF)
    params["salt"] = secrets.token_bytes(SALT_LEN).hex()
    return params


def derive_key(passphrase: str, params: dict[str, Any]) -> bytes:
    if params.get("alg") != "argon2id":
        raise SealError(f"unknown kdf {params.get('alg')!r}")
    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=bytes.fromhex(str(params["salt"])),
        time_cost=int(params["t"]),
        memory_cost=int(params["m"]),
        parallelism=int(params["p"]),
        hash_len=KEY_LEN,
        type=Type.ID,
    )


@dataclass(frozen=True)
class Sealer:
    """Seals and opens bytes with one key; the key lives only in this object."""

    key: bytes

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_LEN)
        return nonce + AESGCM(self.key).encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        if len(sealed) < NONCE_LEN + 16:
            raise SealError("too short")
        try:
            return AESGCM(self.key).decrypt(sealed[:NONCE_LEN], sealed[NONCE_LEN:], aad)
        except InvalidTag:
            raise SealError("authentication failed") from None

    def __repr__(self) -> str:  # never print the key
        return "Sealer(<key hidden>)"


def aad(*parts: str | int) -> bytes:
    """Associated data: 'madoguchi:v1:' followed by the parts joined with ':'."""
    return ("madoguchi:v1:" + ":".join(str(p) for p in parts)).encode("utf-8")
