"""Shared fixtures: a copy of the shipped data to break, and the CLI as a real subprocess."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The base URL of a running `madoguchi serve` on 127.0.0.1; stopped at session end."""
    port = _free_port()
    env = {
        **os.environ,
        "MADOGUCHI_HOME": os.environ.get("MADOGUCHI_HOME", "/tmp/madoguchi-test-home"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "madoguchi", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise RuntimeError(f"server exited: {out}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start in 90 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
