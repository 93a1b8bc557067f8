"""What one run of a simulation costs, run as a reader runs it, in a process of its own.

    python tests/test_snippets/measure.py crash --users 100000

runs `python snippets/crash.py --users 100000 --json` (its output kept in memory, as a
terminal or the page would take it) and prints {"seconds": ..., "peak_mb": ...}: the
seconds from the start of the script to its end, without the interpreter's own start,
and the peak resident memory of the whole process, the interpreter included.

The peak is VmHWM from /proc/self/status: it belongs to this program's own memory map.
getrusage's ru_maxrss would not do, because Linux carries it over from the process that
forked this one (a test run of a few hundred MB would be reported as this run's peak).
"""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import subprocess
import sys
import time
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"


def cost(name: str, *args: str) -> dict:
    """{"seconds", "peak_mb"} of `python snippets/<name>.py <args> --json`, in a new process."""
    process = subprocess.run([sys.executable, __file__, name, *args], capture_output=True, text=True, check=True)
    return json.loads(process.stdout)


def main() -> None:
    name, *args = sys.argv[1:]
    sys.argv = [f"{name}.py", *args, "--json"]
    sys.path.insert(0, str(SNIPPETS))
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")
    seconds = time.perf_counter() - start
    peak_kb = int(next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:")).split()[1])
    print(json.dumps({"seconds": round(seconds, 3), "peak_mb": round(peak_kb * 1024 / 1_000_000, 1)}))  # noqa: T201 - read by the test


if __name__ == "__main__":
    main()
