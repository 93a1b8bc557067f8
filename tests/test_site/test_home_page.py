"""The home page opens with the demo: a crash, stateful and shared store side by side."""

from __future__ import annotations

import pytest

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_crash_demo_is_in_the_first_viewport_and_its_button_changes_the_counters(page, site_url: str, viewport: str) -> None:
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_url)
    demo = page.locator(".live-compare")
    button = demo.get_by_role("button")
    box = demo.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"the demo ends at {box['y'] + box['height']:.0f} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert demo.locator(".live-compare__view").count() == 2
    before = demo.locator(".live__counters").all_text_contents()
    assert all("Sessionslost0" in counters.replace(" ", "") for counters in before), before
    button.click()
    page.wait_for_function("(demo) => demo.querySelector('button').textContent.startsWith('Back')", arg=demo.element_handle())
    stateful, shared_store = demo.locator(".live__counters").all_text_contents()
    assert "Sessionslost0" not in stateful.replace(" ", "") and "Sessionslost0" in shared_store.replace(" ", "")
    assert demo.locator('[data-live-view="stateful"] [id="web-2"]').get_attribute("data-live-status") == "down"
    button.click()
    assert demo.locator(".live__counters").all_text_contents() == before
    assert page.errors == []
