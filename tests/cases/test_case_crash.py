"""A write killed mid-way (SIGKILL during a loop of adds) loses nothing already committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from case_helpers import PASSPHRASE

from madoguchi.cases import CaseStore

WRITER = r"""
import os, sys
from pathlib import Path
from madoguchi.cases import CaseStore, check_bytes
store = CaseStore.open(Path(sys.argv[1]), sys.argv[2])
case_id = sys.argv[3]
i = 0
while True:
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(200_000)
    item = store.add_evidence(case_id, text=f"投稿 {i}", files=[check_bytes(data, f"{i}.png")])
    sys.stdout.write(item.id + "\n")
    sys.stdout.flush()
    i += 1
"""


def test_sigkill_during_adds_loses_nothing_committed(home: Path) -> None:
    with CaseStore.open(home, PASSPHRASE) as store:
        case_id = store.create_case("kill test").id
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home), PASSPHRASE, case_id],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    committed: list[str] = []
    deadline = time.monotonic() + 120
    while len(committed) < 25 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(line.strip())
    time.sleep(0.013)  # land somewhere inside the next add
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Lines the writer printed before it died (each printed only after its commit).
    committed += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    assert len(committed) >= 25

    with CaseStore.open(home, PASSPHRASE, create=False) as store:
        ids = [i.id for i in store.evidence(case_id)]
        assert set(committed) <= set(ids)  # everything acknowledged is there
        assert len(ids) - len(committed) <= 1  # at most the add in flight, whole
        report = store.verify()
        assert report.ok, report.problems
        assert len(report.orphans) <= 1  # a sealed blob of the interrupted add, at most
        # The store still takes writes.
        store.add_evidence(case_id, text="after the crash")
    # No temp file left in the clear; a leftover .tmp would be sealed bytes only.
    for p in (home / "blobs").iterdir():
        assert p.read_bytes()[:5] == b"MDGB\x01" or p.name.endswith(".tmp")
