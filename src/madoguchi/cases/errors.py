"""The case file's errors: each message is Japanese and meant for the person using it."""

from __future__ import annotations

from ..directory.query import InputError


class CaseError(InputError):
    """Anything the user can act on: the CLI prints the message and exits non-zero."""


class PassphraseError(CaseError):
    """Missing or wrong passphrase."""


class CorruptStoreError(CaseError):
    """A row, an attachment or the database file failed its integrity check."""


class NotFoundError(CaseError):
    """An unknown case, evidence item or attachment id."""


class ImportRejectedError(CaseError):
    """A file that is not PNG, JPEG, PDF or text, or that is too large."""


class CaptureError(CaseError):
    """The page could not be opened or captured."""
