"""The simulations of snippets/, as the lab uses them: the same users, and the prediction.

The lab runs a simulation exactly as a reader would, `python snippets/crash.py ... --json`
from the project folder, with every parameter spelled out, and records that command next
to the measured figures. It also imports the simulation, to give its real users the very
login times and carts the simulated users have (its `arrivals` function and the shared
`steady_sessions`), and to learn which parameters the simulation takes.
"""

from __future__ import annotations

import importlib
import inspect
import json
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from lab import LabError

PROJECT = Path(__file__).resolve().parent.parent
SNIPPETS = PROJECT / "snippets"


def snippet(name: str) -> ModuleType:
    """Import snippets/<name>.py as `python snippets/<name>.py` would (with `import sessionlab`)."""
    if str(SNIPPETS) not in sys.path:
        sys.path.append(str(SNIPPETS))
    return importlib.import_module(name)


def defaults(name: str) -> dict:
    """The simulation's parameters, with their default values: those of simulate()."""
    return {key: parameter.default for key, parameter in inspect.signature(snippet(name).simulate).parameters.items()}


def takes(name: str, parameter: str) -> bool:
    """Whether the simulation has this parameter (it may be newer than the lab, or older)."""
    return parameter in defaults(name)


def option(name: str, value: object) -> list[str]:
    """The command-line form sessionlab.main understands: --crash-at 30, --retry / --no-retry."""
    flag = "--" + name.replace("_", "-")
    if isinstance(value, bool):
        return [flag if value else "--no-" + flag.removeprefix("--")]
    return [flag, str(value)]


def command(name: str, parameters: dict) -> list[str]:
    """`python snippets/<name>.py` with every parameter given, and --json."""
    options = [part for key, value in parameters.items() for part in option(key, value)]
    return ["python", f"snippets/{name}.py", *options, "--json"]


def predict(name: str, parameters: dict) -> dict:
    """Run the simulation with these parameters; returns its parameters and each design's totals."""
    argv = command(name, parameters)
    done = subprocess.run([sys.executable, *argv[1:]], cwd=PROJECT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LabError(f"{shlex.join(argv)} failed:\n{done.stderr.strip()}")
    result = json.loads(done.stdout)
    return {
        "command": shlex.join(argv),
        "parameters": result["parameters"],
        "designs": {key: {"label": design["label"], "totals": design["totals"]}
                    for key, design in result["designs"].items()},
    }
