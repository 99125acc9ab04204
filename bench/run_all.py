"""Run every benchmark in turn and print one table of the figures that matter.

    python -m bench.run_all

Each benchmark runs in its own process (as `python -m bench.NAME`), prints its full report,
and the key figures are then collected from those reports.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

BENCHMARKS = ["broadcast", "inbound", "summary", "memory"]

# (benchmark, label, regex on its report, target)
FIGURES = [
    ("broadcast", "broadcast through the outbox (msg/s)", r"through the outbox\s*:\s*([\d.]+)", ""),
    (
        "broadcast",
        "  ratio to bare PTB sends",
        r"ratio outbox / baseline\s*:\s*([\d.]+)",
        ">= 0.80",
    ),
    (
        "broadcast",
        "throttled: achieved / configured",
        r"achieved / configured\s*:\s*([\d.]+)",
        ">= 0.95",
    ),
    (
        "broadcast",
        "throttled: first delivery (ms)",
        r"time to first delivery\s*:\s*([\d.]+)",
        "<= 1000",
    ),
    ("inbound", "inbound tips/s", r"Grannbot /tip\s*:\s*([\d.]+)", ">= 200"),
    ("inbound", "  update → reply p95 (ms)", r"Grannbot /tip[^\n]*\n[^\n]*/\s*([\d.]+) ms", ""),
    (
        "inbound",
        "  ratio to a bare PTB app as shipped",
        r"ratio Grannbot / bare PTB app\s*:\s*([\d.]+)",
        ">= 0.60",
    ),
    (
        "inbound",
        "  ratio to a bare PTB app on our transport",
        r"ratio Grannbot / same transport\s*:\s*([\d.]+)",
        "",
    ),
    (
        "inbound",
        "inbound tips/s at 40 ms round trip",
        r"Grannbot /tip at 40 ms\s*:\s*([\d.]+)",
        ">= 200",
    ),
    (
        "inbound",
        "  residents' /help p95, one user sends 100 at once (ms)",
        r"Grannbot, one user sends \d+ at once\s*:[^\n]*p95\s+([\d.]+) ms",
        "<= 500",
    ),
    (
        "inbound",
        "  residents' /help p95, one user sends 20 a second (ms)",
        r"Grannbot, one user sends \d+, 20 a second\s*:[^\n]*p95\s+([\d.]+) ms",
        "<= 500",
    ),
    (
        "inbound",
        "  residents' /help p95, alert to 5,000 sending (ms)",
        r"Grannbot, alert to \d+ residents sending\s*:[^\n]*p95\s+([\d.]+) ms",
        "<= 500",
    ),
    (
        "summary",
        "summary at 1,000,000 tips (ms)",
        r"compute: median ([\d.]+) ms",
        "<= 500",
    ),
    ("summary", "chart rendering (ms)", r"chart:\s+median ([\d.]+) ms", "<= 1000"),
    (
        "memory",
        "peak RSS, 100,000 participants (MB)",
        r"peak RSS \(VmHWM\)\s*:\s*([\d.]+)",
        "<= 150",
    ),
]


def main() -> int:
    reports: dict[str, str] = {}
    failed = []
    for name in BENCHMARKS:
        print(f"\n##### bench.{name}", flush=True)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", f"bench.{name}"], capture_output=True, text=True, check=False
        )
        print(result.stdout, end="")
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            failed.append(name)
        print(f"(bench.{name} took {time.monotonic() - started:.0f} s)")
        reports[name] = result.stdout
    print("\n| figure | value | target |\n|---|---:|---|")
    for name, label, pattern, target in FIGURES:
        match = re.search(pattern, reports.get(name, ""))
        value = match.group(1) if match else "n/a"
        print(f"| {label} | {value} | {target} |")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
