"""Triage speed on this machine: warm latency, batch throughput and the CLI's cold start.

    .venv/bin/python bench/bench_triage.py

Targets (issue 3): p50 ≤ 2 ms and p99 ≤ 10 ms warm for 300 characters; batch ≥ 500
cases/s; cold start of one CLI triage ≤ 1.5 s. Prints figures; asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from madoguchi import triage
from madoguchi.understanding.classifier import load_corpus

AT = "2026-11-25T10:00:00+09:00"


def sample_texts(length: int, count: int = 200) -> list[str]:
    """Corpus situations glued together to the wanted length (real words, not filler)."""
    pool = [e.text for e in load_corpus()]
    out = []
    for i in range(count):
        text = ""
        j = i
        while len(text) < length:
            text += pool[j % len(pool)] + "。"
            j += 7
        out.append(text[:length])
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def warm_latency(length: int) -> tuple[float, float]:
    texts = sample_texts(length)
    for text in texts[:20]:
        triage(text, at=AT)
    times = []
    for text in texts:
        start = time.perf_counter()
        triage(text, at=AT)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), percentile(times, 99)


def _batch_seconds(n: int) -> float:
    texts = sample_texts(120, n)
    lines = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts) + "\n"
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "madoguchi", "triage", "--batch"],
        input=lines.encode(),
        capture_output=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    assert out.stdout.count(b"\n") == n
    return elapsed


def batch_throughput(n: int = 1000) -> tuple[float, float]:
    """(cases/s including the process start-up, cases/s once started)."""
    total = _batch_seconds(n)
    startup = _batch_seconds(1)
    return n / total, (n - 1) / max(total - startup, 1e-9)


def cold_start(runs: int = 5) -> tuple[float, float, float]:
    def timed(cmd: list[str]) -> float:
        best = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, env={**os.environ})
            best.append(time.perf_counter() - start)
        return statistics.median(best)

    base = timed([sys.executable, "-c", "pass"])
    one = timed(
        [sys.executable, "-m", "madoguchi", "triage", "インスタで勝手に写真を載せられた", "--json"]
    )
    help_ = timed([sys.executable, "-m", "madoguchi", "--help"])
    return base, one, help_


def main() -> None:
    triage("準備", at=AT)  # load models (and fill the model cache)
    print("triage warm latency (ms)")
    for length in (50, 300, 2000):
        p50, p99 = warm_latency(length)
        print(f"  {length:>5} chars: p50 {p50:6.2f}  p99 {p99:6.2f}")
    total, steady = batch_throughput()
    print(
        f"batch throughput: {total:.0f} cases/s for 1,000 cases including start-up; "
        f"{steady:.0f} cases/s once started"
    )
    base, one, help_ = cold_start()
    print(
        f"cold start: python -c pass {base:.2f} s; madoguchi triage {one:.2f} s; "
        f"madoguchi --help {help_:.2f} s"
    )


if __name__ == "__main__":
    main()
