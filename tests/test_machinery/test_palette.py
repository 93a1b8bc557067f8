"""The header's light/dark toggle (machinery/palette.js) on the built site, in Chromium.

It stands in for Material's palette component: the same markup, storage and colours, but
at start-up it leaves the body alone when the palette in use is already the right one,
where Material's component restyled the whole page three times.
"""

from __future__ import annotations

import pytest

from tests.test_machinery.conftest import navigate_instantly

PAGE = "stateful/"
TOGGLE = "form[data-site-palette] label:not([hidden])"
# Runs before the page's scripts: each change to the body's palette attributes, by name.
WATCH_BODY = """
window.paletteChanges = [];
new MutationObserver((records) => {
  for (const record of records) if (record.target === document.body) window.paletteChanges.push(record.attributeName);
}).observe(document, { subtree: true, attributes: true, attributeFilter: [
  'data-md-color-switching', 'data-md-color-scheme', 'data-md-color-primary', 'data-md-color-accent'] });
"""
SCHEMES = {"light": "default", "dark": "slate"}  # the reader's system setting -> Material's scheme


def open_site(browser, url: str, system: str):
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(WATCH_BODY)
    page.goto(url)
    page.wait_for_selector(TOGGLE)
    return page


def scheme(page) -> str:
    return page.get_attribute("body", "data-md-color-scheme")


@pytest.mark.parametrize("system", SCHEMES)
def test_a_first_visit_follows_the_system_and_offers_the_other_scheme(browser, site_url: str, system: str) -> None:
    page = open_site(browser, site_url + PAGE, system)
    assert scheme(page) == SCHEMES[system]
    other = "light" if system == "dark" else "dark"
    assert page.locator(TOGGLE).get_attribute("title") == f"Switch to {other} mode"
    assert page.locator(TOGGLE).count() == 1
    # The browser draws its own parts (the page's scrollbar) in the same scheme: light needs no declaring.
    page.wait_for_function("() => document.querySelector('meta[name=theme-color]')")
    assert page.evaluate("document.querySelector('meta[name=color-scheme]')?.content ?? 'light'") == system
    assert page.errors == []
    page.context.close()


def test_at_start_up_a_page_already_in_the_right_palette_is_not_restyled(browser, site_url: str) -> None:
    page = open_site(browser, site_url + PAGE, "light")
    page.wait_for_function("() => document.querySelector('meta[name=theme-color]')")  # the toggle has done its start-up
    assert page.evaluate("window.paletteChanges") == []
    page.locator(TOGGLE).click()
    page.reload()
    page.wait_for_function("() => document.querySelector('meta[name=theme-color]')")
    # Material's inline script applied the stored palette while the body was still empty; nothing after it.
    assert page.evaluate("window.paletteChanges") == ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"]
    page.context.close()


def test_the_toggle_switches_and_the_choice_outlasts_a_reload_and_navigation(
    browser, instant_site_url: str, nav_pages: list[tuple[str, str]]
) -> None:
    page = open_site(browser, instant_site_url + PAGE, "light")
    light_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator(TOGGLE).click()
    assert scheme(page) == "slate"
    page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")  # set only while it switched
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light_background
    # What the browser colours itself by: its address bar (the header's colour) and its own controls.
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert page.get_attribute("meta[name=theme-color]", "content") == header
    assert page.get_attribute("meta[name=color-scheme]", "content") == "dark"
    page.reload()
    page.wait_for_selector(TOGGLE)
    assert scheme(page) == "slate"
    target = next(url for _, url in nav_pages if url not in {PAGE, ""})
    page.evaluate("window.notReloaded = true")
    navigate_instantly(page, instant_site_url + target)
    assert page.evaluate("window.notReloaded") is True, "instant navigation: the header, and its toggle, stayed"
    assert scheme(page) == "slate"
    page.locator(TOGGLE).click()  # the header stayed, and its toggle still works
    assert scheme(page) == "default"
    assert page.get_attribute("meta[name=color-scheme]", "content") == "light"
    assert page.errors == []
    page.context.close()


def test_enter_on_the_focused_toggle_switches_too(browser, site_url: str) -> None:
    page = open_site(browser, site_url + PAGE, "light")
    page.locator("form[data-site-palette] input").first.focus()  # the light palette's own button
    page.keyboard.press("Enter")
    assert scheme(page) == "slate"
    page.keyboard.press("Enter")
    assert scheme(page) == "default"
    assert page.errors == []
    page.context.close()
