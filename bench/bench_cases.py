"""Case file benchmark: add 1,000 evidence items with 1 MB attachments, then export.

    .venv/bin/python bench/bench_cases.py [--items 1000] [--mb 1] [--kdf default|fast]

Works in a temporary folder (about 1 GB for the defaults) and removes it at the end.
Prints wall time per phase and peak memory: the process's peak resident set size
(ru_maxrss, which includes WeasyPrint and SQLite) and, with --tracemalloc, the peak of
Python allocations (tracemalloc slows WeasyPrint several times, so times taken with it
are not representative).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--kdf", choices=["default", "fast"], default="default")
    parser.add_argument("--dir", default=None, help="parent folder for the temporary store")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    args = parser.parse_args()
    if args.kdf == "fast":
        os.environ["MADOGUCHI_KDF"] = "fast"
    else:
        os.environ.pop("MADOGUCHI_KDF", None)

    from madoguchi.cases import CaseStore, check_bytes
    from madoguchi.documents.export import export_document

    size = int(args.mb * 1024 * 1024)
    work = Path(tempfile.mkdtemp(prefix="mdg-bench-", dir=args.dir))
    results: list[tuple[str, float, str]] = []
    try:
        if args.tracemalloc:
            tracemalloc.start()
        t0 = time.perf_counter()
        store = CaseStore.open(work / "home", "bench passphrase")
        results.append(("open (new store, argon2id)", time.perf_counter() - t0, args.kdf))
        case = store.create_case("ベンチマーク", situation="Xで誹謗中傷の投稿が続いている。")
        header = b"\x89PNG\r\n\x1a\n"
        t0 = time.perf_counter()
        for i in range(args.items):
            data = header + os.urandom(size - len(header))
            store.add_evidence(
                case.id,
                url=f"https://x.com/someone/status/{10**15 + i}",
                text=f"投稿 {i}: ひどい悪口の例です。" * 3,
                files=[check_bytes(data, f"screenshot-{i:04d}.png")],
                notes="ベンチマーク",
            )
            if (i + 1) % 100 == 0:
                print(f"  {i + 1} items, {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        add_s = time.perf_counter() - t0
        results.append(
            (f"add {args.items} items × {args.mb:g} MB", add_s, f"{args.items / add_s:.0f} items/s")
        )
        disk = sum(p.stat().st_size for p in (work / "home").rglob("*") if p.is_file())
        results.append(("store size on disk", 0.0, f"{disk / 1048576:.0f} MB"))
        store.close()

        t0 = time.perf_counter()
        store = CaseStore.open(work / "home", "bench passphrase", create=False)
        results.append(("reopen (argon2id + quick_check)", time.perf_counter() - t0, ""))
        t0 = time.perf_counter()
        items = store.evidence(case.id)
        results.append((f"read {len(items)} items", time.perf_counter() - t0, ""))
        for kind, suffix in [
            ("memo", "pdf"),
            ("memo", "txt"),
            ("deletion-request", "pdf"),
            ("report", "pdf"),
        ]:
            out = work / f"{kind}.{suffix}"
            t0 = time.perf_counter()
            export_document(store, case.id, kind, out)
            results.append(
                (
                    f"export {kind} .{suffix}",
                    time.perf_counter() - t0,
                    f"{out.stat().st_size / 1024:.0f} KB",
                )
            )
        t0 = time.perf_counter()
        report = store.verify()
        results.append(
            (
                f"verify ({report.blobs} attachments decrypted + hashed)",
                time.perf_counter() - t0,
                "ok" if report.ok else "PROBLEMS",
            )
        )
        t0 = time.perf_counter()
        size_b = store.backup(work / "backup.mdg")
        results.append(("backup", time.perf_counter() - t0, f"{size_b / 1048576:.0f} MB"))
        store.close()
        peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
        tracemalloc.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'phase':<48} {'seconds':>9}  note")
    for name, secs, note in results:
        print(f"{name:<48} {secs:>9.2f}  {note}")
    if args.tracemalloc:
        print(f"peak Python allocations (tracemalloc): {peak / 1048576:.0f} MB")
    print(f"peak resident set size (ru_maxrss):    {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
