"""Writing a document for a case to a file: `.pdf` or `.txt` by the suffix, atomically."""

from __future__ import annotations

from pathlib import Path

from ..cases.errors import CaseError
from ..cases.store import CaseStore, atomic_write
from .build import KINDS, build_context, render_pdf, render_text

ALIASES = {
    "memo": "memo",
    "相談メモ": "memo",
    "deletion-request": "deletion-request",
    "deletion": "deletion-request",
    "削除依頼": "deletion-request",
    "report": "report",
    "通報用テキスト": "report",
}


def normalise_kind(kind: str) -> str:
    key = ALIASES.get(kind.strip().lower()) or ALIASES.get(kind.strip())
    if key is None:
        raise CaseError(
            f"書類の種類が分かりません: {kind!r}（memo＝相談メモ、deletion-request＝削除依頼、report＝通報用テキスト）"
        )
    return key


def document_bytes(
    store: CaseStore, case_id: str, kind: str, fmt: str, platform: str | None = None
) -> bytes:
    """The document as bytes: fmt is 'pdf' or 'txt'; `platform` keeps only its items."""
    kind = normalise_kind(kind)
    case = store.get_case(case_id)
    items = store.evidence(case_id)
    if platform:
        key = platform.strip().lower()
        items = [i for i in items if key in i.platform.lower() or key in i.url.lower()]
        if not items:
            raise CaseError(f"{platform!r} の証拠がこのケースにありません。")
    ctx = build_context(case, items, store.timeline(case_id))
    if fmt == "pdf":
        return render_pdf(kind, ctx)
    if fmt == "txt":
        return render_text(kind, ctx).encode("utf-8")
    raise CaseError(f"出力形式が分かりません: {fmt!r}（.pdf か .txt）")


def export_document(
    store: CaseStore, case_id: str, kind: str, out: Path, platform: str | None = None
) -> Path:
    """Write the document; the format comes from the suffix of `out` (.pdf or .txt)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in {".pdf", ".txt"}:
        raise CaseError(f"--out の拡張子は .pdf か .txt にしてください: {out.name}")
    if not out.parent.exists():
        raise CaseError(f"保存先のフォルダがありません: {out.parent}")
    data = document_bytes(store, case_id, kind, suffix[1:], platform)
    atomic_write(out, data)
    return out


__all__ = ["KINDS", "document_bytes", "export_document", "normalise_kind"]
