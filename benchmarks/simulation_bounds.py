"""What the costliest run each simulation accepts takes, against its default run.

For every snippet, its worst case (WORST in tests/test_snippets/spaces.py, the corner of
its bounds that costs most) and its default run are measured here, in this process, one
after the other: seconds (the median of a few runs of simulate(), the report and the
JSON a reader's run produces) and megabytes (tracemalloc's peak, in a run of its own,
since tracing slows everything down). The machine may be busy, so the ratio of the two,
measured side by side, says more than either figure; the budget is 2 s and 200 MB.
A report, not a test.

    .venv/bin/python benchmarks/simulation_bounds.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "snippets")]

from tests.test_snippets import spaces  # noqa: E402

REPEATS = 3


def run(name: str, parameters: dict) -> None:
    """What `python snippets/<name>.py` computes: the result, its report, its JSON."""
    simulation = spaces.module(name)
    result = simulation.simulate(**parameters)
    simulation.report(result)
    json.dumps(result, indent=1)


def seconds(name: str, parameters: dict) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run(name, parameters)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def megabytes(name: str, parameters: dict) -> float:
    tracemalloc.start()
    try:
        run(name, parameters)
        return tracemalloc.get_traced_memory()[1] / 1_000_000
    finally:
        tracemalloc.stop()


def main() -> None:
    print(f"Worst accepted run of each simulation against its default run, CPython {sys.version.split()[0]};")
    print(f"seconds: median of {REPEATS}; MB: tracemalloc's peak. Budget: "
          f"{spaces.LIMIT_SECONDS:.0f} s and {spaces.LIMIT_MB} MB.")
    print(f"{'Simulation':<17} {'default':>15} {'worst':>16} {'worst/default':>20}")
    for name in spaces.SIMULATIONS:
        worst = {**spaces.defaults(name), **spaces.WORST[name]}
        default_s, worst_s = seconds(name, {}), seconds(name, worst)
        default_mb, worst_mb = megabytes(name, {}), megabytes(name, worst)
        print(f"{name:<17} {default_s:6.3f} s {default_mb:5.1f} MB {worst_s:6.2f} s {worst_mb:6.1f} MB"
              f" {worst_s / default_s:7.0f}x time {worst_mb / default_mb:5.0f}x MB")


if __name__ == "__main__":
    main()
