"""Building a project into a site for a measurement, and timing it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(project: Path, site: Path, env: dict[str, str] | None = None) -> float:
    """Build `project` into `site` with its own mkdocs.yml; return the wall time in seconds.

    Not strict: a warning (say, a diagram another engineer is changing) should not stop a
    measurement, so warnings are printed and the figures stand beside them.
    """
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], cwd=project,
                            capture_output=True, text=True, check=False, env={**ENV, **(env or {})})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"mkdocs build of {project} failed:\n{result.stdout}\n{result.stderr}")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    if warnings:
        print(f"(the build of {project.name} warned {len(warnings)} time(s); first: {warnings[0]})", file=sys.stderr)
    return elapsed


def nav_paths(site: Path) -> list[str]:
    """URL path of every page of a built site ("" for the home page), 404 and search left out."""
    paths = []
    for html in sorted(site.rglob("index.html")):
        path = html.parent.relative_to(site).as_posix()
        if path not in {"404", "search"}:
            paths.append("" if path == "." else path + "/")
    return paths
