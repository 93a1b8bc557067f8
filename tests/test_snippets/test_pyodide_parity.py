"""Every simulation prints the same in the reader's browser as in CPython.

The runs go through the Pyodide that the site ships (node_modules/pyodide, under Node) and
through the same python_runner.py as the page's worker, so this is the browser's Python
minus the browser. Reports, JSON and a bad parameter's error must match to the byte.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_snippet
from tests.test_snippets.pyodide import run_in_pyodide

SIMULATIONS = sorted(path.name for path in (ROOT / "snippets").glob("*.py") if path.name != "sessionlab.py")
RUNS = [(name, args) for name in SIMULATIONS for args in ([], ["--json"], ["--seed", "7", "--json"])]


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
    assert browser["output"] == run_snippet(file, *args, merge_output=True).stdout


def test_a_bad_parameter_fails_the_same_way_in_pyodide(pyodide_runs) -> None:
    browser = pyodide_runs[("crash.py", ("--servers", "0"))]
    local = run_snippet("crash.py", "--servers", "0", merge_output=True)
    assert browser["status"] == "error" and local.returncode == 1
    message = "ValueError: SERVERS (--servers) must be at least 2, got 0"
    assert browser["output"].strip().splitlines()[-1] == local.stdout.strip().splitlines()[-1] == message
