"""Every benchmark, one after the other: `make bench`. Prints figures; asserts nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ["eval_triage.py", "bench_triage.py", "bench_web.py", "bench_cases.py"]:
    print(f"\n=== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=False)
