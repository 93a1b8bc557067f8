"""Run a scenario design by design, next to its simulation, into one result.

A scenario's result is what lab/results.json keeps under its key (see lab/README.md):
its parameters and settings, the exact commands, when and on what it was recorded,
and per design the measured figures beside the simulation's prediction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import shlex
import subprocess
from collections.abc import Coroutine
from importlib import metadata
from types import ModuleType

from lab import LabError, crash, rolling_deploy, simulation, store_failure
from lab.processes import Supervisor, leave_on_signals, say
from lab.scenario import Settings, time_bound

SCENARIOS: dict[str, ModuleType] = {"crash": crash, "rolling_deploy": rolling_deploy, "store_failure": store_failure}
PACKAGES = ("starlette", "uvicorn", "redis", "PyJWT", "aiohttp")


def parameters(module: ModuleType) -> dict:
    """A scenario's default parameters: its simulation's own, scaled down as it says (SCALED).

    `retry` is not among them: the lab's --retry sets it, for HAProxy and the simulation alike.
    """
    found = simulation.defaults(module.SNIPPET)
    found.pop("retry", None)
    unknown = sorted(set(module.SCALED) - set(found))
    if unknown:
        raise LabError(f"snippets/{module.SNIPPET}.py has no parameter {', '.join(unknown)} any more: "
                       f"update SCALED in {module.__name__}")
    return {**found, **module.SCALED}


def key(name: str, settings: Settings) -> str:
    """The scenario's key in results.json: crash, crash_retry, rolling_deploy..."""
    return name + ("_retry" if settings.retry else "")


def lab_command(name: str, parameters: dict, settings: Settings) -> str:
    """The command that runs this scenario again, every parameter spelled out."""
    options = [part for option, value in parameters.items() for part in simulation.option(option, value)]
    lab_options = [*simulation.option("minute_seconds", settings.minute_seconds),
                   *simulation.option("retry", settings.retry)]
    return shlex.join(["python", "-m", "lab", name, *options, *lab_options])


def simulation_parameters(module: ModuleType, parameters: dict, settings: Settings) -> dict | None:
    """What the simulation is run with: the same parameters, and `retry` where it has one.

    None when the lab retries but the simulation cannot model it (crash.py without `retry`):
    a prediction without retries would be compared with figures that have them.
    """
    if simulation.takes(module.SNIPPET, "retry"):
        return {**parameters, "retry": settings.retry}
    if settings.retry and module.RETRY_CHANGES_PREDICTION:
        return None
    return dict(parameters)


def run(name: str, parameters: dict, settings: Settings, supervisor: Supervisor) -> dict:
    module = SCENARIOS[name]
    module.check(parameters)
    snippet_parameters = simulation_parameters(module, parameters, settings)
    # Run first: a parameter the simulation refuses fails here, before any process starts.
    prediction = simulation.predict(module.SNIPPET, snippet_parameters) if snippet_parameters else None
    designs = {}
    for design_key, design in module.DESIGNS.items():
        say(f"{key(name, settings)}: {design.label}")
        measure = module.measure(supervisor, design_key, parameters, settings)
        measured = asyncio.run(leave_on_signals(within_bound(measure, time_bound(module.minutes(parameters), settings),
                                                             design.label)))
        designs[design_key] = {
            "label": design.label,
            "measured": measured["totals"],
            "predicted": prediction["designs"][design_key]["totals"] if prediction else None,
            "details": measured["details"],
            "timeline": measured["timeline"],
        }
    return {
        "snippet": f"{module.SNIPPET}.py",
        "parameters": parameters,
        "settings": {"minute_seconds": settings.minute_seconds, "retry": settings.retry},
        "command": lab_command(name, parameters, settings),
        "simulation_command": prediction["command"] if prediction else None,
        "simulation_missing": None if prediction else f"snippets/{module.SNIPPET}.py has no `retry` parameter yet",
        "recorded": recorded(),
        "designs": designs,
    }


async def within_bound(coroutine: Coroutine[object, object, dict], seconds: float, label: str) -> dict:
    try:
        async with asyncio.timeout(seconds):
            return await coroutine
    except TimeoutError:
        raise LabError(f"{label} did not finish within its bound of {seconds:.0f} s") from None


def recorded() -> dict:
    """When, and on what software, figures were measured: they depend on both."""
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "haproxy": first_line(["haproxy", "-v"]),
        "redis": first_line(["redis-server", "--version"]),
        "packages": {package: metadata.version(package) for package in PACKAGES},
    }


def first_line(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.splitlines()[0]
