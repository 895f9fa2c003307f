"""Start-up cost: ``safetykit --help`` against a bare ``python -c pass``.

Runs the two in turn (interleaved, so machine noise hits both alike), prints the medians and their
ratio. Target: ratio <= 8, which holds only while heavy libraries are imported inside the commands
that need them. Usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def safetykit_command() -> list[str]:
    script = Path(sys.executable).with_name("safetykit")
    if script.exists():
        return [str(script)]
    found = shutil.which("safetykit")
    return [found] if found else [sys.executable, "-m", "safetykit"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "SAFETYKIT_HOME": "/nonexistent-benchmark-home"}
    tool = [*safetykit_command(), "--help"]
    bare = [sys.executable, "-c", "pass"]
    timed(tool, env)  # warm the file cache once
    timed(bare, env)
    tool_times, bare_times = [], []
    for _ in range(args.runs):
        tool_times.append(timed(tool, env))
        bare_times.append(timed(bare, env))
    tool_median = statistics.median(tool_times)
    bare_median = statistics.median(bare_times)
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"runs: {args.runs} each, interleaved")
    print(f"safetykit --help median: {tool_median * 1000:.1f} ms")
    print(f"python -c pass median:   {bare_median * 1000:.1f} ms")
    print(f"ratio: {tool_median / bare_median:.2f} (target <= 8)")


if __name__ == "__main__":
    main()
