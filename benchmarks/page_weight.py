"""What runnable Python adds to every page: DOM elements and the search index.

Builds this site and, in the same run, its baselines (tests/site_variants.py): the same site
without its ```runnable and ```live blocks, and a plain Material build of the same docs. In
headless Chromium, it counts the DOM's elements after each page has loaded and then at each
step of scrolling through it, where the busiest step counts (an editor is drawn while its
block is near the viewport and rests further away):

- against the same page without its runnable blocks (the page minus its div.runnable, so a
  live block keeps its pictures and controls). Goal: at most 1.5x;
- against the page built without its runnable and live blocks, and the plain build.

Then the search index every page fetches, per word of prose, against the plain build's.
Goal: at most 1.3x. A report, not a test: it prints and never fails (the static checks are
tests/test_machinery/test_runnable/test_page_weight.py).

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402 - after the project root is importable

from benchmarks.support.building import build, nav_paths  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402
from tests.site_variants import plain_project, project_without_blocks, prose_words  # noqa: E402

DOM_GOAL = 1.5
INDEX_GOAL = 1.3
# Runs in the page: every element, and those inside runnable blocks.
COUNT = """() => {
  const all = document.getElementsByTagName("*").length;
  const inBlocks = [...document.querySelectorAll(".runnable")].reduce((sum, block) => sum + 1 + block.getElementsByTagName("*").length, 0);
  return [all, inBlocks];
}"""
# Runs in the page: scroll to the end half a screen at a time, as a reader would, unfolding
# live blocks' code, and COUNT at each step, once the browser is idle (editors load then).
SCROLL_THROUGH = f"""async () => {{
  const count = {COUNT};
  const idle = () => new Promise((resolve) => requestIdleCallback(resolve, {{ timeout: 2000 }}));
  const counts = [];
  for (const details of document.querySelectorAll(".live details")) details.open = true;
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {{
    scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    counts.push(count());
  }}
  return counts;
}}"""


def dom_counts(browser: Browser, url: str) -> dict[str, tuple[int, int]]:
    """{"loaded": (elements, in runnable blocks), "scrolled": the step with the most in blocks} for one page."""
    page = browser.new_page(viewport={"width": 412, "height": 823})
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(2500)  # the browser idles: a block near the top gets its editor
    counts = {"loaded": tuple(page.evaluate(COUNT))}
    steps = page.evaluate(SCROLL_THROUGH)
    # The step where the blocks weigh most (on a page without blocks, the one with most elements).
    counts["scrolled"] = tuple(max(steps, key=lambda step: (step[0] / (step[0] - step[1]), step[0])))
    page.close()
    return counts


def report_dom(browser: Browser, urls: dict[str, str], pages: list[str]) -> None:
    counts = {(site, page): dom_counts(browser, url + page) for page in pages for site, url in urls.items()}
    print("DOM elements (a phone's viewport): this site; without its runnable blocks (ratio, goal <= "
          f"{DOM_GOAL}x); built without runnable and live blocks; plain Material")
    worst = 0.0
    for moment, title in (("loaded", "after loading"), ("scrolled", "scrolling through, at the step with the most in runnable blocks")):
        print(f"  {title}:")
        for page in pages:
            total, in_blocks = counts["ours", page][moment]
            without_blocks, plain = (counts[site, page][moment][0] for site in ("without_blocks", "plain"))
            ratio = total / (total - in_blocks)
            worst = max(worst, ratio)
            print(f"    /{page:<22} {total:6} {total - in_blocks:6} ({ratio:4.2f}x) {without_blocks:6} ({total / without_blocks:4.2f}x) "
                  f"{plain:6} ({total / plain:4.2f}x)")
    print(f"  Highest ratio to the page without its runnable blocks: {worst:.2f}x (goal <= {DOM_GOAL}x)")


def report_index(sites: dict[str, Path], docs: dict[str, Path]) -> None:
    sizes = {name: (sites[name] / "search" / "search_index.json").read_bytes() for name in ("ours", "plain")}
    per_word = {name: len(data) / prose_words(docs[name]) for name, data in sizes.items()}
    print(f"Search index: {len(sizes['ours']) / 1024:.0f} KiB ({len(gzip.compress(sizes['ours'])) / 1024:.0f} KiB gzipped), "
          f"plain {len(sizes['plain']) / 1024:.0f} KiB ({len(gzip.compress(sizes['plain'])) / 1024:.0f} KiB gzipped); "
          f"per word of prose {per_word['ours'] / per_word['plain']:.2f}x plain (goal <= {INDEX_GOAL}x)")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        projects = {"ours": ROOT, "without_blocks": project_without_blocks(scratch / "without"), "plain": plain_project(scratch / "plain")}
        sites = {name: scratch / f"{name}-site" for name in projects}
        for name, project in projects.items():
            build(project, sites[name])
        report_index(sites, {name: project / "docs" for name, project in projects.items()})
        servers = {name: serve_folder(site) for name, site in sites.items()}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            report_dom(browser, {name: url for name, (_, url) in servers.items()}, nav_paths(sites["ours"]))
            browser.close()
        for server, _ in servers.values():
            server.shutdown()


if __name__ == "__main__":
    main()
