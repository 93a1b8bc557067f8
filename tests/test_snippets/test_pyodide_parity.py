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


BAD = [("crash.py", ["--servers", "0"]), ("crash.py", ["--crash-at", "20"]),
       ("memory.py", ["--runtime-factor", "nan"])]


@pytest.fixture(scope="module")
def pyodide_runs() -> dict[tuple[str, tuple[str, ...]], dict]:
    _, results = run_in_pyodide([*RUNS, *BAD])
    return {(result["file"], tuple(result["args"])): result for result in results}


def test_there_are_seven_simulations() -> None:
    assert len(SIMULATIONS) == 7


@pytest.mark.parametrize(("file", "args"), RUNS, ids=[f"{f} {' '.join(a)}" for f, a in RUNS])
def test_pyodide_prints_exactly_what_cpython_prints(pyodide_runs, file: str, args: list[str]) -> None:
    browser = pyodide_runs[(file, tuple(args))]
    assert browser["status"] == "done", browser["output"][-500:]
    assert browser["output"] == run_snippet(file, *args, merge_output=True).stdout


@pytest.mark.parametrize(("file", "args"), BAD, ids=[f"{f} {' '.join(a)}" for f, a in BAD])
def test_a_bad_parameter_fails_the_same_way_in_pyodide(pyodide_runs, file: str, args: list[str]) -> None:
    browser = pyodide_runs[(file, tuple(args))]
    local = run_snippet(file, *args, merge_output=True)
    assert (browser["status"], browser["exit_code"], local.returncode) == ("error", 2, 2)
    assert browser["output"] == local.stdout
    usage, error = local.stdout.splitlines()  # argparse's two lines, no traceback
    assert usage == f"usage: {file} [options]"
    assert error.startswith(f"{file}: error: --")
