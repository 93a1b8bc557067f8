"""The theme's start-up script (machinery/theme/main.html), in Chromium.

Material's instant navigation makes every relative URL of a page absolute at start-up by
setting it again, and a stylesheet's <link> set again loads and parses its sheet again,
restyling the whole page. The theme makes the stylesheets' URLs absolute before the body
exists, so each sheet is parsed once, on the first page and on each page navigated to.
"""

from __future__ import annotations

from collections import Counter

from tests.test_machinery.conftest import navigate_instantly


def count_parsed_stylesheets(page) -> Counter:
    """Each linked stylesheet the page parses from now on, by URL."""
    parsed = Counter()
    session = page.context.new_cdp_session(page)
    session.on("CSS.styleSheetAdded", lambda event: None if event["header"]["isInline"] else parsed.update([event["header"]["sourceURL"]]))
    session.send("DOM.enable")
    session.send("CSS.enable")
    return parsed


def linked_stylesheets(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.href)")


def material_has_started(page) -> None:
    """Material rewrites the body's links too: once one of them is absolute, it is done."""
    page.wait_for_function("() => /^http/.test(document.querySelector('a.md-nav__link').getAttribute('href'))")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_each_stylesheet_is_parsed_once_at_start_up(page, site_url: str) -> None:
    parsed = count_parsed_stylesheets(page)
    for address in (site_url, site_url + "tokens-vs-sessions/"):  # the home page, and one a folder down
        parsed.clear()
        page.goto(address)
        material_has_started(page)
        sheets = linked_stylesheets(page)
        assert len(sheets) == 3, "Material's two and the site's"
        assert parsed == Counter(sheets), address
    assert page.errors == []


def test_instant_navigation_to_another_depth_keeps_the_parsed_stylesheets(page, instant_site_url: str) -> None:
    page.goto(instant_site_url)
    material_has_started(page)
    page.evaluate("window.sheetsBefore = [...document.styleSheets]")
    navigate_instantly(page, instant_site_url + "tokens-vs-sessions/")
    material_has_started(page)
    kept = "[...document.styleSheets].filter((sheet) => sheet.href).every((sheet) => window.sheetsBefore.includes(sheet))"
    assert page.evaluate(kept), "the new page links the same files: Material keeps them as they are"
    sheets = linked_stylesheets(page)
    assert all(sheet.startswith(instant_site_url + "assets/") for sheet in sheets)
    assert page.evaluate("document.styleSheets.length") >= len(sheets)
    # Styled: Material's header colour, not the browser's default transparent.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.errors == []
