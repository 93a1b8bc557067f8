"""Every simulation prints the same in the reader's browser as in CPython.

The runs go through the Pyodide that the site ships (node_modules/pyodide, under Node) and
through the same python_runner.py as the page's worker, so this is the browser's Python
minus the browser. Reports, JSON and a bad parameter's error must match to the byte.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from machinery import runnable
from tests.conftest import ROOT
from tests.test_snippets.pyodide import run_in_pyodide

SIMULATIONS = sorted(path.name for path in (ROOT / "snippets").glob("*.py") if path.name != "sessionlab.py")
RUNS = [(name, args) for name in SIMULATIONS for args in ([], ["--json"], ["--seed", "7", "--json"])]


def cpython(file: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, f"snippets/{file}", *args],
        cwd=ROOT,
        env={**os.environ, **runnable.PYTHON_ENV, **runnable.BUILD_ONLY_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def pyodide_runs() -> dict[tuple[str, tuple[str, ...]], dict]:
    _, results = run_in_pyodide([*RUNS, ("crash.py", ["--servers", "0"])])
    return {(result["file"], tuple(result["args"])): result for result in results}


def test_there_are_seven_simulations() -> None:
    assert len(SIMULATIONS) == 7


@pytest.mark.parametrize(("file", "args"), RUNS, ids=[f"{f} {' '.join(a)}" for f, a in RUNS])
def test_pyodide_prints_exactly_what_cpython_prints(pyodide_runs, file: str, args: list[str]) -> None:
    browser = pyodide_runs[(file, tuple(args))]
    assert browser["status"] == "done", browser["output"][-500:]
    assert browser["output"] == cpython(file, args).stdout


def test_a_bad_parameter_fails_the_same_way_in_pyodide(pyodide_runs) -> None:
    browser = pyodide_runs[("crash.py", ("--servers", "0"))]
    local = cpython("crash.py", ["--servers", "0"])
    assert browser["status"] == "error" and local.returncode == 1
    message = "ValueError: SERVERS (--servers) must be at least 2, got 0"
    assert browser["output"].strip().splitlines()[-1] == local.stdout.strip().splitlines()[-1] == message
