"""Every simulation prints the same in the reader's browser as in CPython.

The runs go through the Pyodide that the site ships (node_modules/pyodide, under Node, with
the site's own cut of the standard library) and through the same python_runner.py and
on_demand.py as the page's worker, so this is the browser's Python minus the browser.
Reports, JSON and a bad parameter's error must match to the byte, and none of it may need
the part of the standard library that is only fetched on demand.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_snippet
from tests.test_snippets.pyodide import run_in_pyodide

SIMULATIONS = sorted(path.name for path in (ROOT / "snippets").glob("*.py") if path.name != "sessionlab.py")
RUNS = [(name, args) for name in SIMULATIONS for args in ([], ["--json"], ["--seed", "7", "--json"])]


BAD = [("crash.py", ["--servers", "0"]), ("crash.py", ["--crash-at", "20"]),
       ("memory.py", ["--runtime-factor", "nan"])]
# A reader's code importing modules no snippet uses: from the rest of the standard library,
# then again with one more, of a package whose __init__ the core holds.
ELSEWHERE_IN_THE_STDLIB = [
    ("reader.py", ["first"], "import statistics\nprint(statistics.median([3, 1, 2]))\n"),
    ("reader.py", ["again"], "import statistics, json.tool\nprint(statistics.mean([1, 2]))\n"),
]


def fetched_from_the_rest(run: dict) -> list[str]:
    """The zips of the rest of the standard library a run had to fetch (snippets come on demand too)."""
    return [url for url in run["fetched"] if url.endswith(".zip")]


@pytest.fixture(scope="module")
def pyodide_runs() -> dict[tuple[str, tuple[str, ...]], dict]:
    _, results = run_in_pyodide([*RUNS, *BAD, *ELSEWHERE_IN_THE_STDLIB])
    return {(result["file"], tuple(result["args"])): result for result in results}


def test_there_are_seven_simulations() -> None:
    assert len(SIMULATIONS) == 7


@pytest.mark.parametrize(("file", "args"), RUNS, ids=[f"{f} {' '.join(a)}" for f, a in RUNS])
def test_pyodide_prints_exactly_what_cpython_prints(pyodide_runs, file: str, args: list[str]) -> None:
    browser = pyodide_runs[(file, tuple(args))]
    assert browser["status"] == "done", browser["output"][-500:]
    assert browser["output"] == run_snippet(file, *args, merge_output=True).stdout
    assert not fetched_from_the_rest(browser), "the core of the standard library lacks a module this snippet imports"


@pytest.mark.parametrize(("file", "args"), BAD, ids=[f"{f} {' '.join(a)}" for f, a in BAD])
def test_a_bad_parameter_fails_the_same_way_in_pyodide(pyodide_runs, file: str, args: list[str]) -> None:
    browser = pyodide_runs[(file, tuple(args))]
    local = run_snippet(file, *args, merge_output=True)
    assert (browser["status"], browser["exit_code"], local.returncode) == ("error", 2, 2)
    assert browser["output"] == local.stdout
    assert not fetched_from_the_rest(browser)
    usage, error = local.stdout.splitlines()  # argparse's two lines, no traceback
    assert usage == f"usage: {file} [options]"
    assert error.startswith(f"{file}: error: --")


def test_the_rest_of_the_standard_library_is_fetched_on_first_import_only(pyodide_runs) -> None:
    first, again = (pyodide_runs[("reader.py", (name,))] for name in ("first", "again"))
    assert (first["status"], first["output"]) == ("done", "2\n")
    assert any(url.endswith("/statistics.zip") for url in first["fetched"]), first["fetched"]
    assert (again["status"], again["output"]) == ("done", "1.5\n"), again["output"]
    assert [url.rsplit("/", 1)[1] for url in again["fetched"]] == ["json.zip"]


def test_a_snippet_is_fetched_when_first_imported_and_then_read_from_the_folder(pyodide_runs) -> None:
    first = pyodide_runs[RUNS[0][0], tuple(RUNS[0][1])]
    assert [url.rsplit("/", 1)[1] for url in first["fetched"]] == ["sessionlab.py"]
    later = [pyodide_runs[file, tuple(args)] for file, args in RUNS[1:]]
    assert all(run["fetched"] == [] for run in later)
