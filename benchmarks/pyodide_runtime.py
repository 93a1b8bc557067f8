"""What running Python in the page costs a reader, measured in headless Chromium.

Builds the site, serves it from 127.0.0.1 like a static host, and prints, each against a
baseline measured in the same run:

- the bytes a first Run downloads (each response gzipped, as a host serves it) against
  stock Pyodide's (the npm package's runtime, standard library and lock file). Goal: at
  most 4.5 MiB;
- from opening a page and clicking Run at once to the first line of output, against a bare
  Pyodide load (stock Pyodide in a module worker, nothing else). Goal: at most 1.2x;
- a warm Run, click to first output (goal: at most 100 ms), and Stop then Run (Stop throws
  the interpreter away where the page cannot interrupt it, as on GitHub Pages; a spare
  takes its place), click to first output, against the warm Run;
- the longest main-thread task while Python runs for 5 s, printing all along (goal < 50 ms);
- bytes a page with runnable code and one without transfer before any Run.

A report, not a test: it prints and never fails.

    .venv/bin/python benchmarks/pyodide_runtime.py [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402 - after the project root is importable

from benchmarks.support.building import build, nav_paths  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402

MIB = 1024 * 1024
BYTES_GOAL_MIB = 4.5
OPEN_TO_OUTPUT_GOAL = 1.2
WARM_GOAL_MS = 100
LONG_TASK_GOAL_MS = 50
# Stock Pyodide, copied into the built site for the baseline.
STOCK_FOLDER = "bench-stock-pyodide/"
STOCK_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# How long a run goes on before Stop: long enough for the spare interpreter to have loaded.
SPARE_LOADED_MS = 8000
# A block as a reader meets it: not folded inside a live block.
BLOCK = ".runnable:not(.live .runnable)"

# Runs in the page: a worker that only loads stock Pyodide, timed from its creation.
BARE_LOAD = """async (folder) => {
  const indexURL = new URL(folder, location.origin + "/").href;
  const source = `const { loadPyodide } = await import("${indexURL}pyodide.mjs");
    await loadPyodide({ indexURL: "${indexURL}" }); postMessage("ready");`;
  const start = performance.now();
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
  await new Promise((resolve) => (worker.onmessage = resolve));
  worker.terminate();
  return performance.now() - start;
}"""
# Runs in the page: click a block's button and time its first output and the end of the run.
TIMED_CLICK = """([block, button]) => new Promise((resolve) => {
  const start = performance.now();
  const times = { clickedAt: start };  // since the page's navigation started
  const observer = new MutationObserver(() => {
    if (!times.firstOutput && block.querySelector(".runnable__live code")?.textContent) times.firstOutput = performance.now() - start;
    if (["done", "error", "stopped"].includes(block.dataset.state)) {
      times.done = performance.now() - start;
      observer.disconnect();
      resolve(times);
    }
  });
  observer.observe(block, { subtree: true, childList: true, characterData: true, attributes: true });
  block.querySelector(button).click();
})"""
ENDLESS_RUN = "while True:\n    pass\n"
FIVE_SECOND_RUN = """import time
end = time.time() + 5
n = 0
while time.time() < end:
    n += 1
    if n % 20000 == 0:
        print(n)
"""
# Runs before the page: collect long tasks (over 50 ms) with their start times.
WATCH_LONG_TASKS = """window.longTasks = [];
new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
  .observe({ type: "longtask" });"""


def pages_with_and_without_blocks(site: Path) -> tuple[str, str]:
    """The first page with a runnable block a reader meets unfolded, and the first page with none."""
    html = {path: (site / path / "index.html").read_text(encoding="utf-8") for path in nav_paths(site)}
    blocks = {path: text.count('class="runnable"') for path, text in html.items()}
    unfolded = [path for path, text in html.items() if blocks[path] > text.count('class="live"')]  # a live block folds one
    return unfolded[0], next(path for path in html if path and not blocks[path])


def add_stock_pyodide(site: Path) -> None:
    (site / STOCK_FOLDER).mkdir()
    for name in STOCK_FILES:
        shutil.copyfile(ROOT / "node_modules" / "pyodide" / name, site / STOCK_FOLDER / name)


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def stock_download_bytes() -> int:
    return sum(gzipped_size((ROOT / "node_modules" / "pyodide" / name).read_bytes()) for name in STOCK_FILES)


def open_page(browser: Browser, url: str, **context: object) -> Page:
    page = browser.new_context(**context).new_page()
    page.goto(url, wait_until="commit")
    return page


def click(page: Page, button: str) -> dict[str, float]:
    return page.evaluate(TIMED_CLICK, [page.locator(BLOCK).first.element_handle(), f".runnable__{button}"])


def replace_code(page: Page, code: str) -> None:
    block = page.locator(BLOCK).first
    block.scroll_into_view_if_needed()
    block.hover()
    block.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(code)


def cold_run_bytes(browser: Browser, url: str) -> tuple[int, list[str]]:
    """Gzipped bytes of everything a first Run fetches (the page's own load excluded)."""
    page = open_page(browser, url)
    page.wait_for_load_state("networkidle")
    fetched = []
    # The worker's requests too. (A lambda: Playwright tags a handler with an attribute, which list.append cannot take.)
    page.context.on("requestfinished", lambda request: fetched.append(request))  # noqa: PLW0108
    click(page, "run")
    total, names = 0, []
    for request in fetched:
        response = request.response()
        if response and response.ok:
            total += gzipped_size(response.body())
            names.append(urlparse(request.url).path)
    page.context.close()
    return total, names


def timings(browser: Browser, base: str, page_path: str, runs: int) -> dict[str, list[float]]:
    """Per fresh visit: bare stock load; open + immediate Run to first output; warm Run; Stop then Run."""
    times: dict[str, list[float]] = {"bare": [], "opened": [], "warm": [], "after_stop": []}
    for _ in range(runs):
        page = open_page(browser, base)
        times["bare"].append(page.evaluate(BARE_LOAD, STOCK_FOLDER))
        page.context.close()

        page = open_page(browser, base + page_path)
        page.locator(BLOCK).first.locator(".runnable__run").wait_for(state="attached")
        cold = click(page, "run")
        times["opened"].append(cold["clickedAt"] + cold["firstOutput"])
        times["warm"].append(click(page, "run")["firstOutput"])
        replace_code(page, ENDLESS_RUN)
        page.locator(BLOCK).first.locator(".runnable__run").click()
        page.wait_for_timeout(SPARE_LOADED_MS)  # a long run: the spare interpreter loads beside it
        click(page, "stop")
        page.locator(BLOCK).first.locator(".runnable__reset").click()
        times["after_stop"].append(click(page, "run")["firstOutput"])
        page.context.close()
    return times


def long_tasks_during_a_long_run(browser: Browser, url: str) -> tuple[float, list[float]]:
    """Seconds a 5 s printing run took, and the main thread's long tasks that started during it."""
    context = browser.new_context()
    page = context.new_page()
    # Long tasks are reported late, so only those that start after the run does count.
    page.add_init_script(WATCH_LONG_TASKS)
    page.goto(url)
    click(page, "run")  # the runtime is loaded before the clock starts
    replace_code(page, FIVE_SECOND_RUN)
    started = page.evaluate("performance.now()")
    run = click(page, "run")
    long_tasks = [duration for start, duration in page.evaluate("window.longTasks") if start >= started]
    context.close()
    return run["done"] / 1000, long_tasks


def page_bytes(browser: Browser, url: str) -> tuple[int, int]:
    """Gzipped bytes and requests of everything a fresh visit fetches until the network is idle."""
    context = browser.new_context()
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))  # noqa: PLW0108 - as above
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    total = sum(gzipped_size(request.response().body()) for request in finished if request.response())
    context.close()
    return total, len(finished)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh visits to time (default 3)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build(ROOT, site)
        add_stock_pyodide(site)
        runnable_page, plain_page = pages_with_and_without_blocks(site)
        server, url = serve_folder(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"Pages: runnable code on /{runnable_page}, none on /{plain_page}; times are medians of {runs} fresh visits")
            report_download(*cold_run_bytes(browser, url + runnable_page))
            report_timings(timings(browser, url, runnable_page, runs))
            report_long_run(*long_tasks_during_a_long_run(browser, url + runnable_page))
            report_weights(page_bytes(browser, url + plain_page), page_bytes(browser, url + runnable_page))
            browser.close()
        server.shutdown()


def report_download(size: int, fetched: list[str]) -> None:
    stock = stock_download_bytes()
    print(f"First Run downloads (gzipped):      {size / MIB:5.2f} MiB  ({size / stock:.2f}x stock Pyodide's {stock / MIB:.2f} MiB; "
          f"goal <= {BYTES_GOAL_MIB} MiB), {len(fetched)} files")
    print(f"  {', '.join(sorted(fetched))}")


def report_timings(times: dict[str, list[float]]) -> None:
    bare, opened, warm, after_stop = (statistics.median(times[key]) for key in ("bare", "opened", "warm", "after_stop"))
    print(f"Bare stock Pyodide load in a worker: {bare:6.0f} ms")
    print(f"Page open + Run at once, to output:  {opened:6.0f} ms  ({opened / bare:.2f}x bare load, goal <= {OPEN_TO_OUTPUT_GOAL}x)")
    print(f"Warm Run, click to first output:     {warm:6.0f} ms  (goal <= {WARM_GOAL_MS} ms)")
    print(f"Stop, then Run, to first output:     {after_stop:6.0f} ms  ({after_stop / warm:.1f}x a warm Run)")


def report_long_run(seconds: float, long_tasks: list[float]) -> None:
    print(f"5 s run printing all along: done after {seconds:.1f} s; longest main-thread task {max(long_tasks, default=0):.0f} ms "
          f"({len(long_tasks)} over 50 ms; goal < {LONG_TASK_GOAL_MS} ms)")


def report_weights(without: tuple[int, int], with_blocks: tuple[int, int]) -> None:
    (plain_bytes, plain_requests), (with_bytes, with_requests) = without, with_blocks
    print(f"Before any Run: a page without runnable code {plain_bytes / 1024:.0f} KiB gzipped in {plain_requests} requests, "
          f"one with {with_bytes / 1024:.0f} KiB in {with_requests} ({with_bytes / plain_bytes:.2f}x)")


if __name__ == "__main__":
    main()
