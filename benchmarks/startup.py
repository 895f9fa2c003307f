"""Start-up cost: ``safetykit --help`` in English and in Spanish against a bare ``python -c pass``.

Runs them in turn (interleaved, so machine noise hits all alike), prints the medians and their
ratios. Target: ratio <= 8 in both languages, which holds only while heavy libraries are imported
inside the commands that need them and the Spanish catalogue is read only when Spanish is spoken.
Usage: python benchmarks/startup.py [--runs N]
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
    env = {**os.environ, "SAFETYKIT_HOME": "/nonexistent-benchmark-home", "SAFETYKIT_REGION": "US"}
    env.pop("SAFETYKIT_LANG", None)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "safetykit --help": [*safetykit_command(), "--lang", "en", "--help"],
        "safetykit --help (es)": [*safetykit_command(), "--lang", "es", "--help"],
    }
    for command in commands.values():
        timed(command, env)  # warm the file cache once
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(timed(command, env))
    medians = {name: statistics.median(found) for name, found in times.items()}
    bare = medians["python -c pass"]
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"runs: {args.runs} each, interleaved")
    for name, median in medians.items():
        ratio = "" if name == "python -c pass" else f"  ratio {median / bare:.2f} (target <= 8)"
        print(f"{name + ' median:':<30}{median * 1000:7.1f} ms{ratio}")


if __name__ == "__main__":
    main()
