"""The simulations are imported exactly as `python snippets/<name>.py` runs them: with
snippets/ first on sys.path, so `import sessionlab` finds the shared helper."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

SNIPPETS = ROOT / "snippets"
sys.path.insert(0, str(SNIPPETS))


def run_snippet(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python snippets/<name> <args>` from the project root, as a reader types it."""
    return subprocess.run(
        [sys.executable, f"snippets/{name}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
