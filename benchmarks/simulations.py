"""How long each simulation takes in CPython and in the Pyodide the site ships.

Prints, for every snippet with its default parameters, the median time of simulate()
plus the report in CPython (in this process) and in Pyodide (under Node, through the
page's own python_runner.py, after the runtime has loaded), and the crash scenario with
100,000 users against its goal of under 1 s in CPython. A report, not a test.

    .venv/bin/python benchmarks/simulations.py
"""

from __future__ import annotations

import contextlib
import importlib
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "snippets")]

from tests.test_snippets.pyodide import run_in_pyodide  # noqa: E402

REPEATS = 5
SIMULATIONS = sorted(path.stem for path in (ROOT / "snippets").glob("*.py") if path.stem != "sessionlab")
BIG_CRASH = ["--users", "100000"]


def cpython_seconds(name: str, args: list[str]) -> float:
    """Median time of what `python snippets/<name>.py <args>` runs, in this process (no start-up)."""
    module = importlib.import_module(name)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            module.lab.main(module.__doc__, module.simulate, module.report, module.BOUNDS, args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pyodide_seconds() -> tuple[float, dict[tuple[str, tuple[str, ...]], float]]:
    runs = [(f"{name}.py", []) for name in SIMULATIONS] * REPEATS + [("crash.py", BIG_CRASH)] * REPEATS
    load, results = run_in_pyodide(runs)
    times: dict[tuple[str, tuple[str, ...]], list[float]] = {}
    for result in results:
        times.setdefault((result["file"], tuple(result["args"])), []).append(result["seconds"])
    return load, {key: statistics.median(values) for key, values in times.items()}


def main() -> None:
    load, in_pyodide = pyodide_seconds()
    print(f"Medians of {REPEATS} runs, default parameters, simulate() + report; Pyodide loaded once in {load:.1f} s.")
    print(f"{'Simulation':<18} {'CPython':>9} {'Pyodide':>9} {'ratio':>6}")
    for name in SIMULATIONS:
        local, browser = cpython_seconds(name, []), in_pyodide[(f"{name}.py", ())]
        print(f"{name:<18} {local * 1000:7.0f} ms {browser * 1000:7.0f} ms {browser / local:5.1f}x")
    local, browser = cpython_seconds("crash", BIG_CRASH), in_pyodide[("crash.py", tuple(BIG_CRASH))]
    verdict = "meets" if local < 1 else "MISSES"
    print(f"crash, 100,000 users: CPython {local:.2f} s ({verdict} the goal of under 1 s), Pyodide {browser:.2f} s")


if __name__ == "__main__":
    main()
