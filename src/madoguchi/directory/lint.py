"""`madoguchi lint`: the checks that keep the directory true."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import phones
from .load import DataError, Directory, load_directory
from .model import CATEGORY_IDS

STALE_AFTER = dt.timedelta(days=365)


@dataclass
class LintReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    windows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def lint_directory(directory: Directory, today: dt.date | None = None) -> LintReport:
    today = today or dt.date.today()
    report = LintReport(windows=len(directory))
    missing_cats = [c for c in CATEGORY_IDS if c not in directory.categories]
    if missing_cats:
        report.errors.append(f"categories.yaml にないカテゴリ: {', '.join(missing_cats)}")
    for window in directory.windows:
        where = f"{window.id}"
        for phone in window.phones:
            why = phones.problem(phone)
            if why:
                report.errors.append(f"{where}: {why}")
        if not window.sources:
            report.errors.append(f"{where}: 出典 URL がありません")
        ver = window.verified
        if ver.status == "verified" and ver.date is not None:
            if ver.date > today:
                report.errors.append(f"{where}: 確認日 {ver.date} が未来の日付です")
            elif today - ver.date > STALE_AFTER:
                report.stale.append(f"{where}: 最終確認 {ver.date}（12か月以上前）")
        else:
            report.warnings.append(f"{where}: 未確認（{ver.reason}）")
        if not window.phones and not window.channels:
            report.errors.append(f"{where}: 電話も連絡手段（URL など）もありません")
    national = {c for w in directory.windows if w.is_national for c in w.categories}
    for cat in CATEGORY_IDS:
        if cat not in national:
            report.errors.append(f"カテゴリ {cat}: 扱う全国の窓口がありません")
    return report


def lint(root: Path | None = None, today: dt.date | None = None) -> LintReport:
    """Load and check; a loading error becomes the report's single error."""
    try:
        directory = load_directory(root) if root is not None else load_directory()
    except DataError as exc:
        return LintReport(errors=[str(exc)])
    return lint_directory(directory, today)
