"""Main-thread blocking while a page starts up: this site against a plain Material build.

Lighthouse (benchmarks/lighthouse.py) simulates its phone, and on a shared machine its
blocking time moves by a hundred milliseconds between runs. This measures the same thing
directly, many times and cheaply: headless Chromium with its CPU slowed 4x (as Lighthouse's
phone), a phone's viewport, and the browser's own long tasks (PerformanceObserver) from the
page's opening until it has idled for LINGER_MS. Blocking time is the sum over long tasks of
their time past 50 ms, as Lighthouse counts it.

Both sites are built in the same run (the plain one by tests/site_variants.py), served
gzipped from 127.0.0.1, and each page is opened on the two alternately, so a busy moment
hits both; the figure is the median of --runs. A report, not a test: it prints and never fails.

    .venv/bin/python benchmarks/start_up.py [--runs 7] [--pages "" operating/]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402 - after the project root is importable

from benchmarks.support.building import build, nav_paths  # noqa: E402
from benchmarks.support.serving import serve_gzipped  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.site_variants import plain_project  # noqa: E402

CPU_SLOWDOWN = 4  # Lighthouse's mobile setting
LINGER_MS = 2500
LONG_TASK_MS = 50
# Runs before the page's scripts: every long task the page has, from its first moment.
WATCH = """
window.longTasks = [];
new PerformanceObserver((list) => { for (const task of list.getEntries()) window.longTasks.push(task.duration); })
  .observe({ type: "longtask", buffered: true });
"""


def blocking_ms(browser: Browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True)
    page = context.new_page()
    page.add_init_script(WATCH)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url, wait_until="load")
    page.wait_for_timeout(LINGER_MS)
    tasks = page.evaluate("window.longTasks")
    context.close()
    return sum(max(0.0, duration - LONG_TASK_MS) for duration in tasks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="loads per page and site (default 7)")
    parser.add_argument("--pages", nargs="*", help="URL paths, e.g. operating/ (default: every page)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sites = {"plain": Path(scratch, "plain-site"), "ours": Path(scratch, "site")}
        build(plain_project(Path(scratch, "plain")), sites["plain"])
        build(ROOT, sites["ours"])
        pages = options.pages if options.pages is not None else nav_paths(sites["ours"])
        servers = {name: serve_gzipped(site) for name, site in sites.items()}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"Blocking time at start-up (ms, median of {options.runs}; Chromium, CPU {CPU_SLOWDOWN}x slower, "
                  "a phone's viewport): plain Material build -> this site (ratio)")
            ratios = []
            for page in pages:
                times: dict[str, list[float]] = {"plain": [], "ours": []}
                for _ in range(options.runs):
                    for name, (_, url) in servers.items():
                        times[name].append(blocking_ms(browser, url + page))
                plain, ours = (statistics.median(times[name]) for name in ("plain", "ours"))
                ratios.append(ours / plain if plain else 1.0)
                print(f"  /{page:<22} {plain:6.0f} -> {ours:6.0f} ({ratios[-1]:4.2f}x)")
            browser.close()
        for server, _ in servers.values():
            server.shutdown()
    print(f"Median ratio over the pages: {statistics.median(ratios):.2f}x; highest: {max(ratios):.2f}x")


if __name__ == "__main__":
    main()
