"""The holders around tables (machinery/tables.py): what they hold, and in Chromium, that
Material's start-up restyles less with them, that they lay the page out the same, and that
a table the browser draws late moves nothing the reader sees."""

from __future__ import annotations

import json
import re

import pytest

from machinery.tables import HOLDER_CLASS, hold_tables

HELD = re.compile(rf'<div class="{HOLDER_CLASS}" style="--table-rows:\d+">(<table.*?</table>)</div>', re.DOTALL)
PAGE_WITH_TABLES = "operating/"  # seven tables, between long stretches of prose


def test_a_markdown_table_is_held() -> None:
    table = "<table>\n<thead>\n<tr><th>a</th></tr>\n</thead>\n<tbody>\n<tr><td>1</td></tr>\n<tr><td>2</td></tr>\n</tbody>\n</table>"
    held = f'<div class="{HOLDER_CLASS}" style="--table-rows:3">{table}</div>'
    assert hold_tables(f"<p>x</p>\n{table}\n<p>y</p>") == f"<p>x</p>\n{held}\n<p>y</p>"


def test_a_table_with_attributes_but_no_class_is_held() -> None:
    held = hold_tables('<table id="t"><tr><td>1</td></tr></table>')
    assert held.startswith(f'<div class="{HOLDER_CLASS}" style="--table-rows:1"><table id="t">')


def test_a_table_with_a_class_is_left_alone() -> None:
    """Material wraps only tables without a class; Pygments' line-number tables have one."""
    html = '<table class="highlighttable"><tr><td>1</td></tr></table>'
    assert hold_tables(html) == html


def test_of_nested_tables_the_inner_one_is_held() -> None:
    inner = "<table><tr><td>in</td></tr></table>"
    held = hold_tables(f"<table><tr><td>{inner}</td></tr></table>")
    assert held == f'<table><tr><td><div class="{HOLDER_CLASS}" style="--table-rows:1">{inner}</div></td></tr></table>'


def test_every_table_material_wraps_is_held_on_every_page(built_site, nav_pages) -> None:
    held = 0
    for _, path in nav_pages:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        tables = re.findall(r"<table(?![^>]*\sclass=)[^>]*>", html)
        assert len(HELD.findall(html)) == len(tables), path
        held += len(tables)
    assert held > 20, "the pages' Markdown tables"


def serve_without_holders(page, url: str) -> None:
    """The page as it would be built without machinery/tables.py."""

    def strip(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=HELD.sub(r"\1", response.text()))

    page.route(url, strip)


def most_elements_restyled_in_materials_start_up(page, url: str) -> int:
    """The largest style recalculation inside Material's DOMContentLoaded handler, in elements."""
    browser = page.context.browser
    browser.start_tracing(page=page, categories=["devtools.timeline"])
    page.goto(url)
    page.wait_for_function("() => document.querySelector('.md-typeset__scrollwrap') !== null")
    events = json.loads(browser.stop_tracing())["traceEvents"]
    started = [e for e in events if e.get("name") == "EventDispatch" and e["args"]["data"].get("type") == "DOMContentLoaded"]
    start_up = max(started, key=lambda event: event.get("dur", 0))
    within = [
        e for e in events
        if e.get("name") == "UpdateLayoutTree" and (e["pid"], e["tid"]) == (start_up["pid"], start_up["tid"])
        and start_up["ts"] <= e["ts"] <= start_up["ts"] + start_up["dur"]
    ]
    return max((e["args"].get("elementCount", 0) for e in within), default=0)


def test_materials_start_up_restyles_the_tables_not_the_article(page, site_url: str) -> None:
    url = site_url + PAGE_WITH_TABLES
    held = most_elements_restyled_in_materials_start_up(page, url)
    serve_without_holders(page, url)
    unheld = most_elements_restyled_in_materials_start_up(page, url)
    article = page.evaluate("document.querySelectorAll('article *').length")
    assert unheld > article / 2, "without holders, wrapping the tables restyles most of the article"
    assert held < unheld / 2, (held, unheld)
    assert page.errors == []


# Every element the two builds share (the holders are the difference), by its box.
BOXES = """() => [...document.querySelectorAll('article :is(p, h2, h3, li, table, figure, pre)')]
    .map((element) => element.getBoundingClientRect())
    .map((box) => [box.top + scrollY, box.left, box.width, box.height].map(Math.round))"""


ALL_TABLES_WRAPPED = """() => document.querySelectorAll('.md-typeset__scrollwrap').length
    === document.querySelectorAll('article table:not([class])').length"""


# Far from the viewport a table Material has wrapped holds a guess at its height
# (material.css): compare the pages with every table drawn.
DRAW_EVERYTHING = "* { content-visibility: visible !important; }"


def layout_of(page, url: str, javascript: bool) -> list[list[int]]:
    page.goto(url)
    if javascript:  # Material has wrapped every table, and the live block near the top has drawn its result
        page.wait_for_function(ALL_TABLES_WRAPPED)
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => [...document.querySelectorAll('.live__event')].some((event) => event.textContent)")
        page.add_style_tag(content=DRAW_EVERYTHING)
    return page.evaluate(BOXES)


@pytest.mark.parametrize("javascript", [True, False], ids=["started", "without-javascript"])
def test_held_tables_are_laid_out_as_material_lays_them_out(browser, site_url: str, javascript: bool) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    url = site_url + PAGE_WITH_TABLES
    held = layout_of(page, url, javascript)
    serve_without_holders(page, url)
    unheld = layout_of(page, url, javascript)
    context.close()
    assert len(held) > 100
    assert held == unheld


# Runs in the page: scroll up by `step` and report how far the element in the middle of the
# viewport moved, and the tables whose height changed meanwhile.
SCROLL_UP = """async (step) => {
  const tables = [...document.querySelectorAll(".table-holder")];
  const heights = () => tables.map((table) => table.getBoundingClientRect().height);
  const probe = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  const [top, before] = [probe.getBoundingClientRect().top, heights()];
  scrollBy(0, -step);
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done))));
  const after = heights();
  const redrawn = tables.filter((_, i) => after[i] !== before[i]).length;
  return {moved: probe.getBoundingClientRect().top - top, redrawn, atTop: scrollY === 0};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_in_view_moves_as_tables_above_it_are_drawn(browser, site_url: str, width: int) -> None:
    """Arriving by a link at the end of the page, past every table, and reading back up."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + PAGE_WITH_TABLES)
    last_heading = page.evaluate("() => [...document.querySelectorAll('article h2[id]')].at(-1).id")
    page.goto(f"{site_url}{PAGE_WITH_TABLES}#{last_heading}")
    page.wait_for_load_state("networkidle")
    first_row = page.locator(".md-typeset__scrollwrap tr").first
    assert not first_row.evaluate("(row) => row.checkVisibility({contentVisibilityAuto: true})"), "far above: not drawn"
    redrawn, step = 0, 300
    while True:
        scrolled = page.evaluate(SCROLL_UP, step)
        redrawn += scrolled["redrawn"]
        if scrolled["atTop"]:
            break
        assert scrolled["moved"] == pytest.approx(step, abs=1)
    assert redrawn >= 5, "the tables' guessed heights were wrong, so the check could see a jump"
    context.close()
