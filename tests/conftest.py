"""Shared fixtures: a copy of the shipped data to break, and the CLI as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from madoguchi.directory.load import DATA_ROOT

MADOGUCHI = [sys.executable, "-m", "madoguchi"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder (YAML only)."""
    target = tmp_path / "data"
    shutil.copytree(DATA_ROOT, target, ignore=shutil.ignore_patterns("corpus", "*.md"))
    return target


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `madoguchi ARGS` in a subprocess, as a user would, and capture its output."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
        full_env.pop("MADOGUCHI_DEBUG", None)
        if env:
            full_env.update(env)
        return subprocess.run(
            [*MADOGUCHI, *args],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=120,
        )

    return run
