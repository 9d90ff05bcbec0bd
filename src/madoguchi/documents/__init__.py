"""The papers a window asks for, from a case: 相談メモ, 削除依頼, 通報用テキスト (PDF or text)."""

from __future__ import annotations

from .build import KINDS, DocContext, build_context, render_html, render_pdf, render_text
from .export import export_document

__all__ = [
    "KINDS",
    "DocContext",
    "build_context",
    "export_document",
    "render_html",
    "render_pdf",
    "render_text",
]
