"""Web throughput and latency: POST /api/v1/triage next to GET /healthz of the same app.

    .venv/bin/python bench/bench_web.py [--workers 2] [--connections 64] [--threads 2]
                                         [--duration 10] [--warmup 3] [--json out.json]

Starts `madoguchi serve --workers 2` on 127.0.0.1 and a free port, then loads it from a second
process (Debian's `wrk`, a Lua script for the POST body, `--latency`) on the loopback only.
Each endpoint gets a warm-up and then a timed run, in the same server. Prints requests/s and
p50/p99 for both and the ratio triage / healthz.

Targets (issue 4, 2-core machine): triage ≥ 1,500 req/s with 2 workers, p99 ≤ 50 ms at 64
connections, triage ≥ 60 % of healthz. wrk runs on the same two cores as the server, so the
figures include the load generator's own share of the CPU. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# A realistic situation, ~60 characters, as a parent would type it on a phone.
TEXT = "娘の写真がインスタに勝手に載せられて、学校名まで書かれています。知らない人からDMも来ていて怖いです。消してもらえますか"
BODY = {"text": TEXT, "prefecture": "佐賀県", "audience": "parent"}

LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    "JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, \\"non2xx\\": %d, "
    .. "\\"p50_us\\": %d, \\"p90_us\\": %d, \\"p99_us\\": %d, \\"max_us\\": %d}\\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_scripts(folder: Path) -> tuple[Path, Path]:
    body = json.dumps(BODY, ensure_ascii=False)
    post = folder / "triage.lua"
    post.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {_lua_string(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n' + LUA_DONE,
        encoding="utf-8",
    )
    get = folder / "get.lua"
    get.write_text(LUA_DONE, encoding="utf-8")
    return post, get


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MADOGUCHI_HOME": tempfile.mkdtemp(prefix="madoguchi-bench-")}
    cmd = [sys.executable, "-m", "madoguchi", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                "server exited: " + (proc.stderr.read().decode() if proc.stderr else "")
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start in 90 s")


def check_triage(base: str) -> dict:
    """One real request first: the load must measure real answers, not errors."""
    req = urllib.request.Request(
        base + "/api/v1/triage",
        data=json.dumps(BODY, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200, r.status
        answer = json.loads(r.read())
    assert answer["recommendations"], "triage returned no recommendations"
    return answer


def run_wrk(url: str, script: Path, args: argparse.Namespace, duration: float) -> dict:
    cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    cmd += ["-d", f"{duration:g}s", "--timeout", "5s", "--latency", "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True)
    found = re.search(r"^JSON (\{.*\})$", out.stdout, re.M)
    if not found:
        raise RuntimeError("wrk printed no summary:\n" + out.stdout + out.stderr)
    stats = json.loads(found.group(1))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["raw"] = out.stdout
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("-v", "--verbose", action="store_true", help="print wrk's own output")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return 2

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"server: madoguchi serve --workers {args.workers} on {base}; cores: {os.cpu_count()}")
    print(f"load:   wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s (loopback)")
    print(f"body:   {len(TEXT)} characters of Japanese text, prefecture and audience")
    proc = start_server(port, args.workers)
    results: dict[str, dict] = {}
    try:
        answer = check_triage(base)
        top = answer["recommendations"][0]["id"]
        print(f"check:  triage answers 200, first window {top}, urgent={answer['urgent']}")
        with tempfile.TemporaryDirectory() as tmp:
            post, get = write_scripts(Path(tmp))
            targets = {
                "healthz": (base + "/healthz", get),
                "triage": (base + "/api/v1/triage", post),
            }
            for name, (url, script) in targets.items():
                run_wrk(url, script, args, args.warmup)  # warm-up, discarded
                results[name] = run_wrk(url, script, args, args.duration)
                if args.verbose:
                    print(results[name]["raw"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()

    print()
    print(f"{'endpoint':<22}{'req/s':>10}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in results.items():
        label = "GET /healthz" if name == "healthz" else "POST /api/v1/triage"
        errors = r["errors"] + r["non2xx"]
        print(
            f"{label:<22}{r['rps']:>10,.0f}{r['p50_us'] / 1000:>9.1f}"
            f"{r['p90_us'] / 1000:>9.1f}{r['p99_us'] / 1000:>9.1f}{errors:>8}"
        )
    tri, hz = results["triage"], results["healthz"]
    ratio = tri["rps"] / hz["rps"]
    print(f"\ntriage / healthz throughput: {ratio:.0%}")
    checks = [
        (f"triage ≥ 1,500 req/s with {args.workers} workers", tri["rps"] >= 1500),
        (f"triage p99 ≤ 50 ms at {args.connections} connections", tri["p99_us"] <= 50_000),
        ("triage ≥ 60 % of healthz", ratio >= 0.60),
        ("no errors", tri["errors"] + tri["non2xx"] + hz["errors"] + hz["non2xx"] == 0),
    ]
    for text, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {text}")
    if args.json:
        figures = {k: {f: v for f, v in r.items() if f != "raw"} for k, r in results.items()} | {
            "ratio": ratio,
            "workers": args.workers,
            "connections": args.connections,
        }
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
