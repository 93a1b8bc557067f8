"""Run snippets in the Pyodide the site ships, under Node (run_in_pyodide.mjs)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from machinery import snippet_runs
from tests.conftest import ROOT

NODE_RUNNER = Path(__file__).with_name("run_in_pyodide.mjs")


def run_in_pyodide(runs: list[tuple[str, list[str]]]) -> tuple[float, list[dict]]:
    """(seconds to load Pyodide, [{file, args, status, exit_code, output, seconds}, ...])."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "snippets").glob("*.py"))}
    request = {"env": snippet_runs.PYTHON_ENV, "files": files, "runs": [{"file": f, "args": a} for f, a in runs]}
    process = subprocess.run(
        ["node", str(NODE_RUNNER)], input=json.dumps(request), capture_output=True, text=True, check=True, cwd=ROOT
    )
    first, *results = (json.loads(line) for line in process.stdout.splitlines())
    return first["load_seconds"], results
