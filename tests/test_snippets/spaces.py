"""What each simulation accepts, for the tests that explore it: the parameter space (from
each snippet's BOUNDS, plus the limits one parameter puts on another), its worst corners,
and a run that checks what every result must satisfy, within the time and memory budget.

The budget is what a reader's run may cost: at most LIMIT_SECONDS and LIMIT_MB in CPython
(the browser is slower). Tests allow MARGIN times the seconds, because the machine is
shared. Memory is the growth of the process's resident memory during the run: Linux keeps
the peak (VmHWM in /proc/self/status) and lets a process reset it, which costs nothing,
where tracemalloc would make every run many times slower.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import json
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import sessionlab as lab
from hypothesis import strategies as st

from tests.test_snippets.conftest import SNIPPETS

SIMULATIONS = sorted(path.stem for path in SNIPPETS.glob("*.py") if path.stem != "sessionlab")
LIMIT_SECONDS = 2.0
LIMIT_MB = 200
MARGIN = 3

Limits = Callable[[dict], tuple[int, int]]

# The limits one parameter puts on another (the explicit checks of each simulate()):
# drawn after the others, within these.
DEPENDENT: dict[str, dict[str, Limits]] = {
    "crash": {
        "login_minutes": lambda p: (1, p["minutes"]),
        "crash_server": lambda p: (1, p["servers"]),
        "crash_at": lambda p: (0, p["minutes"] - 1),
    },
    "memory": {},
    "replication": {
        "crashes": lambda p: (1, p["servers"]),
        "crash_at": lambda p: (1, p["minutes"] - 2),
    },
    "rolling_deploy": {},
    "scale_out": {
        "added_servers": lambda p: (1, lab.DIAGRAM_SERVERS - p["start_servers"]),
        "scale_at": lambda p: (0, p["minutes"] - 1),
    },
    "store_failure": {
        "login_minutes": lambda p: (1, p["minutes"]),
        "store_down_at": lambda p: (0, p["minutes"] - 1),
        "failover_seconds": lambda p: (0, min(3_600, p["store_restart_minutes"] * 60)),
    },
    "token_revocation": {
        "revoked": lambda p: (0, min(1_000, p["users"])),
        "short_token_minutes": lambda p: (1, p["token_minutes"]),
        "minutes": lambda p: (p["login_minutes"] + p["token_minutes"], 480),
    },
}

# The costliest accepted run of each simulation, found by measuring its corners; the bounds
# are chosen so that it fits the budget.
WORST: dict[str, dict] = {
    "crash": {"servers": 12, "users": 100_000, "login_minutes": 240, "crash_server": 12, "crash_at": 0,
              "detect_minutes": 60, "response_ms": 10_000, "retry": False, "minutes": 240},
    "memory": {"servers": 100, "users": 100_000, "login_minutes": 60, "cart_max": 500, "entry_overhead_bytes": 1_000,
               "store_replicas": 5, "requests_per_minute": 60},
    "replication": {"servers": 12, "sessions": 100_000, "crashes": 1, "crash_at": 1, "minutes": 60,
                    "writes_per_minute": 60, "session_bytes": 100_000, "any_node_fetches": True},
    "rolling_deploy": {"servers": 12, "sessions": 20_000, "session_minutes": 60, "deploy_at": 30,
                       "restart_minutes": 10, "after_deploy": 30},
    "scale_out": {"start_servers": 11, "added_servers": 1, "sessions": 100_000, "session_minutes": 120,
                  "capacity": 1, "scale_at": 0, "minutes": 300},
    "store_failure": {"servers": 12, "users": 100_000, "login_minutes": 240, "store_down_at": 0,
                      "store_restart_minutes": 60, "failover_seconds": 3_600, "replication_lag_seconds": 600,
                      "minutes": 240},
    "token_revocation": {"servers": 12, "users": 100_000, "revoked": 1_000, "login_minutes": 120,
                         "token_minutes": 240, "short_token_minutes": 1, "minutes": 480},
}


def module(name: str) -> ModuleType:
    return importlib.import_module(name)


def defaults(name: str) -> dict:
    return {key: parameter.default for key, parameter in inspect.signature(module(name).simulate).parameters.items()}


def flags(name: str) -> list[str]:
    """The on/off parameters: those without bounds."""
    return [key for key in defaults(name) if key not in module(name).BOUNDS]


def limits(name: str, parameter: str, chosen: dict) -> tuple:
    """The range `parameter` may take, given the other parameters already chosen."""
    lowest, highest = module(name).BOUNDS[parameter]
    if parameter in DEPENDENT[name]:
        low, high = DEPENDENT[name][parameter](chosen)
        lowest, highest = max(lowest, low), min(highest, high)
    return lowest, highest


@st.composite
def accepted(draw: st.DrawFn, name: str) -> dict:
    """Any parameters the simulation accepts: each within its bounds, and the ones that
    depend on others within the limits those set."""
    bounds, dependent = module(name).BOUNDS, DEPENDENT[name]
    chosen = {key: draw(st.booleans()) for key in flags(name)}
    for key in [key for key in bounds if key not in dependent] + list(dependent):
        lowest, highest = limits(name, key, chosen)
        if isinstance(lowest, int):
            chosen[key] = draw(st.integers(lowest, highest))
        else:
            chosen[key] = draw(st.floats(lowest, highest, allow_nan=False))
    return chosen


def largest(name: str, parameter: str) -> dict:
    """The defaults, with `parameter` as large as the other defaults allow, and the
    parameters it limits moved as little as they must to stay accepted."""
    chosen = defaults(name)
    chosen[parameter] = limits(name, parameter, chosen)[1]
    for key in DEPENDENT[name]:
        if key != parameter:
            lowest, highest = limits(name, key, chosen)
            chosen[key] = min(max(chosen[key], lowest), highest)
    return chosen


def arguments(parameters: dict) -> list[str]:
    """{"servers": 12, "retry": True} -> ["--servers", "12", "--retry"]."""
    words = []
    for key, value in parameters.items():
        if isinstance(value, bool):
            words.append(lab.option(key) if value else "--no-" + lab.option(key)[2:])
        else:
            words += [lab.option(key), str(value)]
    return words


class Measured:
    """simulate() plus what `python snippets/<name>.py` adds (its report, or --json), timed,
    with the growth of the process's resident memory at its peak."""

    def __init__(self, name: str, parameters: dict) -> None:
        simulation = module(name)
        Path("/proc/self/clear_refs").write_text("5")  # the peak so far is forgotten
        before = resident_kb("VmRSS")
        start = time.perf_counter()
        self.result = simulation.simulate(**parameters)
        self.text = simulation.report(self.result)
        json.dumps(self.result, indent=1)
        self.seconds = time.perf_counter() - start
        self.megabytes = (resident_kb("VmHWM") - before) * 1024 / lab.MB

    def within_budget(self) -> bool:
        return self.seconds < LIMIT_SECONDS * MARGIN and self.megabytes < LIMIT_MB


def resident_kb(field: str) -> int:
    """VmRSS (resident memory now) or VmHWM (its peak), in kilobytes."""
    return int(re.search(rf"^{field}:\s+(\d+) kB$", Path("/proc/self/status").read_text(), re.MULTILINE).group(1))


def checked_run(name: str, parameters: dict) -> dict:
    """Run a simulation as a reader would; check the budget and what every result must
    satisfy, whatever the simulation; return the result."""
    run = Measured(name, parameters)
    assert run.within_budget(), (f"{run.seconds:.2f} s, {run.megabytes:.0f} MB", parameters)
    result = run.result
    assert json.loads(json.dumps(result)) == result
    assert result["parameters"] == parameters
    assert result["bounds"] == lab.ranges(module(name).BOUNDS)
    assert max(map(len, run.text.splitlines())) <= lab.WIDTH
    for design in result["designs"].values():
        check_timeline(design)
    return result


def check_timeline(design: dict) -> None:
    minutes = [snap["minute"] for snap in design["timeline"]]
    assert minutes == list(range(len(minutes)))
    assert minutes
    for snap in design["timeline"]:
        assert all(node["status"] in lab.STATUSES for node in snap["nodes"].values())
        traffic = [node["traffic"] for node in snap["nodes"].values()]
        assert all(0 <= share <= 1 for share in traffic)
        assert all(value >= 0 and not (isinstance(value, float) and math.isnan(value))
                   for value in snap["counters"].values())
        assert all(event["kind"] and event["text"] for event in snap["events"])
    servers = {key for snap in design["timeline"] for key in snap["nodes"] if key.startswith("web-")}
    assert servers == {f"web-{number}" for number in range(1, design["diagram_servers"] + 1)}


def never_fewer(design: dict, *counters: str) -> None:
    """Running totals only grow."""
    for earlier, later in itertools.pairwise(design["timeline"]):
        for counter in counters:
            assert earlier["counters"][counter] <= later["counters"][counter], counter
