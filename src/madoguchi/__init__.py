"""madoguchi (窓口): from a person's SNS or internet trouble to the right window, fast.

`madoguchi.triage()` is imported lazily so that loading the directory or the CLI's
help never pays for the language models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .routing.triage import TriageResult, triage

__all__ = ["TriageResult", "__version__", "triage"]


def __getattr__(name: str) -> Any:
    if name in {"triage", "TriageResult"}:
        from .routing import triage as _triage_module

        return getattr(_triage_module, name)
    raise AttributeError(f"module 'madoguchi' has no attribute {name!r}")
