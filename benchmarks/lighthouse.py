"""Lighthouse on every page: this site against a plain Material build of the same docs.

The baseline is built in the same run (tests/site_variants.py: the same pages, no hooks,
no fences, no theme overrides). Both sites are served from 127.0.0.1 gzipped, as GitHub
Pages serves them, and each page is audited alternately on the two, mobile (Lighthouse's
default: simulated slow 4G and a 4x slower CPU) and desktop, the median of --runs runs.

Goals: mobile performance >= 90 on every page, desktop >= 98, total blocking time on
mobile <= 200 ms. A report, not a test: it prints and never fails.

Lighthouse counts blocking time from the first contentful paint (FCP) on: a page that
paints sooner has more of its start-up counted. So the table shows the mobile FCP beside it.
(Lighthouse's definition: https://developer.chrome.com/docs/lighthouse/performance/lighthouse-total-blocking-time/)

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--pages glossary/ stateful/]

The first run installs Lighthouse into build/lighthouse/ (benchmarks/support/lighthouse_cli.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support.building import build, nav_paths  # noqa: E402 - after the project root is importable
from benchmarks.support.lighthouse_cli import Audit, audit, cli  # noqa: E402
from benchmarks.support.serving import serve_gzipped  # noqa: E402
from tests.site_variants import plain_project  # noqa: E402

FORM_FACTORS = ("mobile", "desktop")
GOALS = {"mobile": 90, "desktop": 98}
BLOCKING_GOAL_MS = 200


def median_audit(audits: list[Audit]) -> Audit:
    return Audit(
        score=statistics.median(a.score for a in audits),
        blocking_ms=statistics.median(a.blocking_ms for a in audits),
        first_paint_ms=statistics.median(a.first_paint_ms for a in audits),
        dom_elements=round(statistics.median(a.dom_elements for a in audits)),
        transfer_bytes=round(statistics.median(a.transfer_bytes for a in audits)),
    )


def measure(urls: dict[str, str], pages: list[str], runs: int) -> dict[tuple[str, str, str], Audit]:
    """(site, page, form factor) -> median audit; the sites take turns so a busy moment hits both."""
    results: dict[tuple[str, str, str], list[Audit]] = {}
    for page in pages:
        for form_factor in FORM_FACTORS:
            for _ in range(runs):
                for site, url in urls.items():
                    results.setdefault((site, page, form_factor), []).append(audit(url + page, form_factor))
            print(f"  audited /{page} ({form_factor})", file=sys.stderr)
    return {key: median_audit(audits) for key, audits in results.items()}


def report(results: dict[tuple[str, str, str], Audit], pages: list[str], runs: int) -> None:
    print(f"Lighthouse 12.2.3, performance, median of {runs}; each figure: plain Material build -> this site (ratio)")
    header = (f"{'page':<22} {'mobile':>14} {'desktop':>14} {'TBT mobile ms':>20} {'FCP mobile ms':>20} "
              f"{'DOM elements':>22} {'transfer KiB':>22}")
    print(header)
    print("-" * len(header))
    misses = []
    for page in pages:
        plain, ours = results["plain", page, "mobile"], results["ours", page, "mobile"]
        plain_desktop, ours_desktop = results["plain", page, "desktop"], results["ours", page, "desktop"]
        print(f"{'/' + page:<22} {plain.score:5.0f} -> {ours.score:4.0f} {plain_desktop.score:5.0f} -> {ours_desktop.score:4.0f} "
              f"{plain.blocking_ms:6.0f} -> {ours.blocking_ms:5.0f} {ratio(ours.blocking_ms, plain.blocking_ms)} "
              f"{plain.first_paint_ms:6.0f} -> {ours.first_paint_ms:5.0f} {ratio(ours.first_paint_ms, plain.first_paint_ms)} "
              f"{plain.dom_elements:6} -> {ours.dom_elements:5} {ratio(ours.dom_elements, plain.dom_elements)} "
              f"{plain.transfer_bytes / 1024:6.0f} -> {ours.transfer_bytes / 1024:5.0f} {ratio(ours.transfer_bytes, plain.transfer_bytes)}")
        if ours.score < GOALS["mobile"]:
            misses.append(f"/{page} mobile {ours.score:.0f} < {GOALS['mobile']}")
        if ours_desktop.score < GOALS["desktop"]:
            misses.append(f"/{page} desktop {ours_desktop.score:.0f} < {GOALS['desktop']}")
        if ours.blocking_ms > BLOCKING_GOAL_MS:
            misses.append(f"/{page} TBT {ours.blocking_ms:.0f} ms > {BLOCKING_GOAL_MS} ms")
    worst = {form: min(results["ours", page, form].score for page in pages) for form in FORM_FACTORS}
    worst_plain = {form: min(results["plain", page, form].score for page in pages) for form in FORM_FACTORS}
    print(f"Lowest score, mobile: {worst['mobile']:.0f} (plain {worst_plain['mobile']:.0f}, goal >= {GOALS['mobile']}); "
          f"desktop: {worst['desktop']:.0f} (plain {worst_plain['desktop']:.0f}, goal >= {GOALS['desktop']}); "
          f"highest TBT mobile: {max(results['ours', page, 'mobile'].blocking_ms for page in pages):.0f} ms "
          f"(plain {max(results['plain', page, 'mobile'].blocking_ms for page in pages):.0f} ms, goal <= {BLOCKING_GOAL_MS} ms)")
    print("Goals met on every page." if not misses else "Goals missed: " + "; ".join(misses))


def ratio(ours: float, plain: float) -> str:
    return f"({ours / plain:4.2f}x)" if plain else "(  - )"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="audits per page, site and form factor (default 3)")
    parser.add_argument("--pages", nargs="*", help="URL paths to audit, e.g. stateful/ (default: every page)")
    options = parser.parse_args()
    cli()  # install before the clock matters
    with tempfile.TemporaryDirectory() as scratch:
        sites = {"plain": Path(scratch, "plain-site"), "ours": Path(scratch, "site")}
        build(plain_project(Path(scratch, "plain")), sites["plain"])
        build(ROOT, sites["ours"])
        pages = options.pages or nav_paths(sites["ours"])
        servers = {name: serve_gzipped(site) for name, site in sites.items()}
        results = measure({name: url for name, (_, url) in servers.items()}, pages, options.runs)
        for server, _ in servers.values():
            server.shutdown()
    report(results, pages, options.runs)


if __name__ == "__main__":
    main()
