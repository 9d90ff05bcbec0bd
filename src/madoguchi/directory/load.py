"""Loading the YAML data into validated models, with errors that name the file and entry."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .model import Category, Group, Prefecture, Window

DATA_ROOT = Path(str(resources.files("madoguchi") / "data"))

M = TypeVar("M", bound=BaseModel)


class DataError(Exception):
    """The data is broken: the message says which file and which entry, and what is wrong."""


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(entry)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def read_yaml_list(path: Path) -> list[Any]:
    """Read a YAML file whose top level must be a list (possibly empty)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: UTF-8 ではありません ({exc.reason})") from exc
    except OSError as exc:
        raise DataError(f"{path}: 読めません ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: YAML として読めません: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataError(f"{path}: 先頭はリスト（- で始まる項目の並び）でなければなりません")
    return data


def parse_entries(path: Path, model: type[M], entries: Iterable[Any]) -> list[M]:
    """Validate each entry; the first bad one raises DataError naming file, index and id."""
    out: list[M] = []
    for index, entry in enumerate(entries, start=1):
        label = f"項目 {index}"
        if isinstance(entry, dict) and "id" in entry:
            label += f" (id={entry['id']})"
        if not isinstance(entry, dict):
            raise DataError(f"{path}: {label}: 項目はマッピング（key: value）でなければなりません")
        try:
            out.append(model.model_validate(entry))
        except ValidationError as exc:
            raise DataError(f"{path}: {label}: {_describe(exc)}") from exc
    return out


def load_windows(root: Path) -> list[Window]:
    """National windows first, then each prefecture file in code order."""
    windows = parse_entries(root / "national.yaml", Window, read_yaml_list(root / "national.yaml"))
    for window in windows:
        if not window.region.is_national:
            raise DataError(
                f"{root / 'national.yaml'}: id={window.id}: region は national でなければなりません"
            )
    pref_dir = root / "prefectures"
    for path in sorted(pref_dir.glob("*.yaml")) if pref_dir.is_dir() else []:
        code = path.name[:2]
        entries = parse_entries(path, Window, read_yaml_list(path))
        for window in entries:
            if window.region.code != code:
                raise DataError(
                    f"{path}: id={window.id}: region.code {window.region.code!r} が"
                    f"ファイル名の {code!r} と一致しません"
                )
        windows.extend(entries)
    return windows


class Directory:
    """All windows, categories, groups and prefectures, validated and indexed."""

    def __init__(
        self,
        windows: list[Window],
        categories: list[Category],
        groups: list[Group],
        prefectures: list[Prefecture],
        root: Path,
    ) -> None:
        self.root = root
        self.windows: tuple[Window, ...] = tuple(windows)
        self.categories: dict[str, Category] = {c.id: c for c in categories}
        self.groups: dict[str, Group] = {g.id: g for g in groups}
        self.prefectures: tuple[Prefecture, ...] = tuple(prefectures)
        self._by_id: dict[str, Window] = {}
        duplicates = []
        for window in windows:
            if window.id in self._by_id:
                duplicates.append(window.id)
            self._by_id[window.id] = window
        if duplicates:
            raise DataError(f"{root}: id が重複しています: {', '.join(sorted(set(duplicates)))}")

    def get(self, window_id: str) -> Window | None:
        return self._by_id.get(window_id)

    def __iter__(self) -> Any:
        return iter(self.windows)

    def __len__(self) -> int:
        return len(self.windows)


def load_directory(root: Path | None = None) -> Directory:
    """Load and validate the directory; the shipped data is loaded once and cached."""
    if root is None:
        return _default_directory()
    return _load(Path(root))


def _load(root: Path) -> Directory:
    categories = parse_entries(
        root / "categories.yaml", Category, read_yaml_list(root / "categories.yaml")
    )
    groups = parse_entries(root / "groups.yaml", Group, read_yaml_list(root / "groups.yaml"))
    prefectures = parse_entries(
        root / "prefectures.yaml", Prefecture, read_yaml_list(root / "prefectures.yaml")
    )
    windows = load_windows(root)
    known_groups = {g.id for g in groups}
    for window in windows:
        unknown = [g for g in window.groups if g not in known_groups]
        if unknown:
            raise DataError(f"id={window.id}: 未知のグループ: {', '.join(unknown)}")
    return Directory(windows, categories, groups, prefectures, root)


def data_root() -> Path:
    """The shipped data, or the folder named by MADOGUCHI_DATA (for staff checking drafts)."""
    override = os.environ.get("MADOGUCHI_DATA")
    return Path(override) if override else DATA_ROOT


@functools.cache
def _default_directory() -> Directory:
    return _load(data_root())
