"""How much rendering the diagrams adds to a site build.

Builds the site (its docs plus one extra page that shows every diagram script, so every
diagram is rendered even before the pages use them) several
times with an empty diagram cache ("cold") and with a filled one ("warm"), each
build a fresh `mkdocs build` process, and prints the median wall times and their
ratio. The budget is a ratio of 1.5: rendering may add at most 50%.

    .venv/bin/python benchmarks/diagram_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.5
BUILD = (
    "import sys\n"
    "from mkdocs.commands.build import build\n"
    "from mkdocs.config import load_config\n"
    "build(load_config('mkdocs.yml', docs_dir=sys.argv[1], site_dir=sys.argv[2]))\n"
)


def every_diagram_page() -> str:
    scripts = sorted(path.name for path in (ROOT / "diagrams").glob("*.py") if not path.name.startswith("_"))
    fences = [f"```diagram\n{name}\n```\n" for name in scripts]
    return "# Every diagram\n\n" + "\n".join(fences)


def timed_build(docs: Path, site: Path, cache: Path) -> float:
    env = {**os.environ, "SITE_DIAGRAMS_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", BUILD, str(docs), str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds of each kind (default 5)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        docs, site, cache = Path(scratch, "docs"), Path(scratch, "site"), Path(scratch, "cache")
        shutil.copytree(ROOT / "docs", docs)
        (docs / "every-diagram.md").write_text(every_diagram_page())
        timed_build(docs, site, cache)  # warm the file system and Python's imports once
        cold, warm = [], []
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed_build(docs, site, cache))
            warm.append(timed_build(docs, site, cache))
    cold_median, warm_median = statistics.median(cold), statistics.median(warm)
    ratio = cold_median / warm_median
    print(f"diagram build: cold (cache cleared) {cold_median:.3f} s, warm (cache filled) {warm_median:.3f} s, "
          f"ratio {ratio:.2f} (budget {BUDGET:.2f}; medians of {runs} builds each)")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
