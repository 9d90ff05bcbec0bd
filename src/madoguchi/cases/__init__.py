"""The case file: evidence, a timeline and the situation, sealed on the user's own machine."""

from __future__ import annotations

from .errors import (
    CaptureError,
    CaseError,
    CorruptStoreError,
    ImportRejectedError,
    NotFoundError,
    PassphraseError,
)
from .importing import NewFile, check_bytes, read_import
from .model import Attachment, Case, EvidenceItem, Person, Requester, TimelineEvent
from .store import CaseStore, VerifyReport, default_home

__all__ = [
    "Attachment",
    "CaptureError",
    "Case",
    "CaseError",
    "CaseStore",
    "CorruptStoreError",
    "EvidenceItem",
    "ImportRejectedError",
    "NewFile",
    "NotFoundError",
    "PassphraseError",
    "Person",
    "Requester",
    "TimelineEvent",
    "VerifyReport",
    "check_bytes",
    "default_home",
    "read_import",
]
