"""What the machinery adds to building the site, and how soon `mkdocs serve` shows an edit.

The baseline, built in the same run: a plain Material build of the same docs without the
fences (tests/site_variants.py). Each build is a fresh `mkdocs build` process; figures are
medians of --runs builds, and ratios to the baseline.

- this site, its caches filled (build/cache/: diagrams, snippet runs, the standard library),
  as every build after the first is. Goal: at most 1.5x the baseline;
- this site from empty caches, as a first build or a clean checkout (the bundle excepted);
- under `mkdocs serve`, from saving an edit of a page to the served page showing it, for
  this site (a copy of it, with the same caches) and the baseline. Goal: within 2 s.

A report, not a test: it prints and never fails.

    .venv/bin/python benchmarks/build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support.building import ENV, build  # noqa: E402 - after the project root is importable
from tests.conftest import copy_project  # noqa: E402
from tests.site_variants import plain_project  # noqa: E402

BUILD_GOAL = 1.5
EDIT_GOAL_SECONDS = 2.0
CACHES = ("diagrams", "snippets", "stdlib")
EDITED_PAGE = "glossary"
EDITS = 3


def median_build(project: Path, site: Path, runs: int, *, empty_caches_in: Path | None = None) -> float:
    """Median seconds of `runs` builds; with empty_caches_in, each from empty caches made there."""
    return statistics.median(build(project, site, empty_caches(empty_caches_in) if empty_caches_in else {}) for _ in range(runs))


def empty_caches(scratch: Path) -> dict[str, str]:
    """Environment variables that point every cache of the build at a new, empty folder."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    return {f"SITE_{kind.upper()}_CACHE": str(folder / kind) for kind in CACHES}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server on 127.0.0.1
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at url contains text."""
    start = time.perf_counter()
    while text not in page_text(url):
        if time.perf_counter() - start > timeout:
            sys.exit(f"{url} did not show {text!r} within {timeout:.0f} s")
        time.sleep(0.05)
    return time.perf_counter() - start


def edit_to_served(project: Path) -> list[float]:
    """Under `mkdocs serve`: seconds from saving an edit of a page to the page showing it, per edit."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{EDITED_PAGE}/"
    page = project / "docs" / f"{EDITED_PAGE}.md"
    original = page.read_text(encoding="utf-8")
    try:
        wait_for(url, "</html>", timeout=300)
        seconds = []
        for edit in range(EDITS):
            marker = f"Edit number {edit} of the benchmark."
            page.write_text(f"{original}\n\n{marker}\n", encoding="utf-8")
            seconds.append(wait_for(url, marker, timeout=60))
            time.sleep(1)  # let the server settle before the next save
        return seconds
    finally:
        server.terminate()
        server.wait()
        page.write_text(original, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds of each kind (default 5)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        plain, site = plain_project(scratch / "plain"), scratch / "site"
        build(plain, site)  # warm the file system and Python's imports once
        build(ROOT, site)  # and fill this site's caches
        plain_seconds = median_build(plain, site, runs)
        warm = median_build(ROOT, site, runs)
        cold = median_build(ROOT, site, runs, empty_caches_in=scratch)
        ours_edits = edit_to_served(copy_project(scratch / "ours"))
        plain_edits = edit_to_served(plain)
    edit, plain_edit = statistics.median(ours_edits), statistics.median(plain_edits)
    print(f"mkdocs build, medians of {runs}; baseline: the same docs without the fences, plain Material")
    print(f"  baseline                     {plain_seconds:6.2f} s")
    print(f"  this site, caches filled     {warm:6.2f} s  ({warm / plain_seconds:.2f}x baseline, goal <= {BUILD_GOAL:.1f}x)")
    print(f"  this site, caches empty      {cold:6.2f} s  ({cold / plain_seconds:.2f}x baseline)")
    print(f"mkdocs serve, saving an edit of {EDITED_PAGE}.md until the page shows it, median of {EDITS} edits")
    print(f"  baseline                     {plain_edit:6.2f} s")
    print(f"  this site                    {edit:6.2f} s  ({edit / plain_edit:.2f}x baseline, goal <= {EDIT_GOAL_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
