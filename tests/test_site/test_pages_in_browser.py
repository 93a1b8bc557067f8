"""Every page in a real browser: no request leaves 127.0.0.1, and axe-core finds no serious issue."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def visit(page: object, url: str) -> None:
    page.goto(url, wait_until="networkidle")  # type: ignore[attr-defined]


def test_no_page_requests_anything_outside_127_0_0_1_or_throws(page: object, site_url: str, nav_pages: list[tuple[str, str]]) -> None:
    for _, path in nav_pages:
        visit(page, site_url + path)
    visit(page, site_url + "no-such-page/")  # the 404 page is served for unknown paths on Pages
    assert len(page.request_log.urls) > len(nav_pages)  # type: ignore[attr-defined]
    assert page.request_log.external() == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]


def serious_violations(page: object) -> list[str]:
    page.add_script_tag(path=str(AXE_SCRIPT))  # type: ignore[attr-defined]
    violations = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['targets']}" for v in violations if v["impact"] in SERIOUS]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page(
    browser: object, site_url: str, nav_pages: list[tuple[str, str]], color_scheme: str
) -> None:
    context = browser.new_context(color_scheme=color_scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    found = {}
    for _, path in nav_pages:
        visit(page, site_url + path)
        expected_scheme = "slate" if color_scheme == "dark" else "default"
        assert page.get_attribute("body", "data-md-color-scheme") == expected_scheme
        if violations := serious_violations(page):
            found[path] = violations
    context.close()
    assert found == {}
