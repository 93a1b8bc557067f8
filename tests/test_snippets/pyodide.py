"""Run snippets in the Pyodide the site ships, under Node (run_in_pyodide.mjs).

Pyodide gets the very standard library the site ships (machinery/runnable/stdlib.py, from
the build cache), and the rest of it on demand, as in the reader's browser.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from machinery import snippet_runs
from machinery.fence import Build
from machinery.runnable import stdlib
from tests.conftest import ROOT

NODE_RUNNER = Path(__file__).with_name("run_in_pyodide.mjs")


def run_in_pyodide(runs: list[tuple[str, list[str]] | tuple[str, list[str], str]]) -> tuple[float, list[dict]]:
    """(seconds to load Pyodide, [{file, args, status, exit_code, output, seconds, fetched}, ...]).

    Each run is (file, args), or (file, args, code) to run `code` under that file's name.
    """
    Build.root = ROOT
    library = stdlib.stdlib()
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "snippets").glob("*.py"))}
    with tempfile.TemporaryDirectory() as scratch:
        core, rest = Path(scratch, "core.zip"), Path(scratch, "rest")
        core.write_bytes(library.core)
        rest.mkdir()
        for top, content in library.rest.items():
            (rest / f"{top}.zip").write_bytes(content)
        request = {
            "env": snippet_runs.PYTHON_ENV,
            "files": files,
            "stdlib": {"core": str(core), "rest": f"{rest}/", "rest_modules": list(library.rest_modules),
                       "warm_imports": list(library.warm_imports)},
            "snippets": f"{ROOT / 'snippets'}/",
            "runs": [{"file": run[0], "args": run[1], **({"code": run[2]} if len(run) > 2 else {})} for run in runs],
        }
        process = subprocess.run(
            ["node", str(NODE_RUNNER)], input=json.dumps(request), capture_output=True, text=True, check=True, cwd=ROOT
        )
    first, *results = (json.loads(line) for line in process.stdout.splitlines())
    return first["load_seconds"], results
