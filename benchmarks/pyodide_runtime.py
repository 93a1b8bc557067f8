"""What the runnable-Python widget costs a reader, measured in headless Chromium.

Builds the site, serves it from 127.0.0.1 like a static host, and prints:

- bare Pyodide load time in a module Web Worker (nothing but loadPyodide) versus the time
  from the first Run click on a page to the first line of output (goal: at most 1.2x).
  Run is clicked as soon as the page shows it, so Python loads in answer to the click
  (or slightly earlier, if the block is near the viewport); the time from opening the
  page to that first output is printed as well;
- a warm re-run (runtime loaded);
- the longest main-thread task while Python runs for 5 s printing all along (goal < 50 ms);
- bytes transferred by a page without runnable code versus one with it, before any Run
  (as served here, uncompressed, and what gzip would make of it).

This is a report, not a test: it prints and never fails.

    .venv/bin/python benchmarks/pyodide_runtime.py
"""

from __future__ import annotations

import gzip
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402 - after the project root is importable

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402

LOAD_RUNS = 3
# Runs in the page: a worker that only loads Pyodide, timed from its creation.
BARE_LOAD = """async () => {
  const indexURL = new URL("assets/pyodide/", location.origin + "/").href;
  const source = `const { loadPyodide } = await import("${indexURL}pyodide.mjs");
    await loadPyodide({ indexURL: "${indexURL}" }); postMessage("ready");`;
  const start = performance.now();
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
  await new Promise((resolve) => (worker.onmessage = resolve));
  worker.terminate();
  return performance.now() - start;
}"""
# Runs in the page: click Run and time the first output and the end of the run.
TIMED_RUN = """(block) => new Promise((resolve) => {
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
  block.querySelector(".runnable__run").click();
})"""
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


def build(project: Path, site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], cwd=project,
                            capture_output=True, text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr}")


def page_with_blocks(site: Path) -> str:
    for html in sorted(site.rglob("index.html")):
        if "data-runnable-file" in html.read_text(encoding="utf-8"):
            path = html.parent.relative_to(site).as_posix()
            return "" if path == "." else path + "/"
    sys.exit("The site has no ```runnable block to measure.")


def page_without_blocks(site: Path) -> str:
    for html in sorted(site.rglob("index.html")):
        path = html.parent.relative_to(site).as_posix()
        if "data-runnable-file" not in html.read_text(encoding="utf-8") and path not in (".", "404", "search"):
            return path + "/"
    return ""


def transferred(browser: Browser, url: str) -> tuple[int, int, list[str]]:
    """Bytes (as served, and gzipped) of everything a fresh visit fetches until the network is idle."""
    context = browser.new_context()
    finished = []
    context.on("requestfinished", finished.append)  # worker requests too
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(1500)  # a preloading worker keeps fetching after networkidle
    page.wait_for_load_state("networkidle")
    raw = zipped = 0
    names = []
    for request in finished:
        response = request.response()
        body = response.body() if response else b""
        raw += request.sizes()["responseHeadersSize"] + len(body)
        zipped += request.sizes()["responseHeadersSize"] + len(gzip.compress(body))
        names.append(urlparse(request.url).path)
    context.close()
    return raw, zipped, names


def load_times(browser: Browser, plain_url: str, runnable_url: str) -> dict[str, list[float]]:
    """Per fresh visit: bare Pyodide load, Run click to first output, page open to first output, warm run."""
    times: dict[str, list[float]] = {"bare": [], "first": [], "opened": [], "warm": []}
    for _ in range(LOAD_RUNS):
        context = browser.new_context()
        page = context.new_page()
        page.goto(plain_url)
        times["bare"].append(page.evaluate(BARE_LOAD))
        context.close()

        context = browser.new_context()
        page = context.new_page()
        page.goto(runnable_url, wait_until="domcontentloaded")
        block = page.locator(".runnable").first
        block.locator(".runnable__run").wait_for()
        run = page.evaluate(TIMED_RUN, block.element_handle())
        times["first"].append(run["firstOutput"])
        times["opened"].append(run["clickedAt"] + run["firstOutput"])
        times["warm"].append(page.evaluate(TIMED_RUN, block.element_handle())["done"])
        context.close()
    return times


def long_tasks_during_a_long_run(browser: Browser, runnable_url: str) -> tuple[float, list[float]]:
    """Seconds a 5 s printing run took, and the main thread's long tasks that started during it."""
    context = browser.new_context()
    page = context.new_page()
    # Long tasks are reported late, so only those that start after the run does count.
    page.add_init_script(WATCH_LONG_TASKS)
    page.goto(runnable_url)
    block = page.locator(".runnable").first
    page.evaluate(TIMED_RUN, block.element_handle())  # the runtime is loaded before the clock starts
    block.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(FIVE_SECOND_RUN)
    started = page.evaluate("performance.now()")
    run = page.evaluate(TIMED_RUN, block.element_handle())
    long_tasks = [duration for start, duration in page.evaluate("window.longTasks") if start >= started]
    context.close()
    return run["done"] / 1000, long_tasks


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        site = Path(workdir) / "site"
        build(ROOT, site)
        runnable_page, plain_page = page_with_blocks(site), page_without_blocks(site)
        server, url = serve_folder(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            times = load_times(browser, url + plain_page, url + runnable_page)
            seconds, long_tasks = long_tasks_during_a_long_run(browser, url + runnable_page)
            plain_bytes = transferred(browser, url + plain_page)
            runnable_bytes = transferred(browser, url + runnable_page)
            browser.close()
        server.shutdown()

    bare_ms, first_ms, opened_ms = (statistics.median(times[key]) for key in ("bare", "first", "opened"))
    print(f"Pages: runnable code on /{runnable_page}, none on /{plain_page}; medians of {LOAD_RUNS} fresh visits")
    print(f"Bare Pyodide load in a module worker:      {bare_ms:7.0f} ms")
    print(f"First Run click to first output:           {first_ms:7.0f} ms  ({first_ms / bare_ms:.2f}x bare load, goal <= 1.20x)")
    print(f"Opening the page to first output:          {opened_ms:7.0f} ms  ({opened_ms / bare_ms:.2f}x bare load)")
    print(f"Warm re-run, click to done:                {statistics.median(times['warm']):7.0f} ms")
    print(f"5 s run printing all along: done after {seconds:.1f} s; "
          f"longest main-thread task {max(long_tasks, default=0):.0f} ms ({len(long_tasks)} over 50 ms; goal < 50 ms)")
    for label, (raw, zipped, names) in (("without runnable code", plain_bytes), ("with runnable code   ", runnable_bytes)):
        print(f"Page {label}: {raw / 1024:8.0f} KiB as served, {zipped / 1024:7.0f} KiB gzipped, {len(names)} requests")
    extra = sorted(set(runnable_bytes[2]) - set(plain_bytes[2]))
    print("Fetched only where there is runnable code:", ", ".join(extra))


if __name__ == "__main__":
    main()
