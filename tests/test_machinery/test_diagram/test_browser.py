"""The inlined diagrams in Debian's Chromium: icons really paint, in light and dark, on a phone too."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from machinery.diagram import scripts
from tests.conftest import serve_folder
from tests.test_diagrams.ids import DIAGRAMS

from .helpers import build_project, decode_png, every_variant, project_env, write_project

SCRIPTS = scripts.script_files(DIAGRAMS)
SCHEMES = ["default", "slate"]  # Material's light and dark palettes


@pytest.fixture(scope="module")
def diagram_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A page holding every diagram, each with servers 2-6, built cold and served from 127.0.0.1."""
    folder = tmp_path_factory.mktemp("diagram-site")
    project = write_project(folder / "project", "# Every diagram\n\nSome text.\n\n" + every_variant(SCRIPTS))
    result = build_project(project, project_env(DIAGRAMS, folder / "cache"))
    assert result.returncode == 0, result.stderr
    server, url = serve_folder(project / "site")
    yield url
    server.shutdown()


def open_page(page, url: str, scheme: str, width: int = 1280) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)


def icon_share(node) -> float:
    """Share of pixels in a node's icon box that the icon itself paints.

    The box (its plate) is photographed with the icon and again with the icon
    hidden: an icon that paints changes many pixels, a broken one none.
    """
    plate, icon = node.locator("rect.icon-plate"), node.locator("use.icon")
    with_icon = decode_png(plate.screenshot())
    icon.evaluate("element => element.style.visibility = 'hidden'")
    without_icon = decode_png(plate.screenshot())
    icon.evaluate("element => element.style.visibility = ''")
    changed = sum(1 for before, after in zip(with_icon, without_icon, strict=True) if before != after)
    return changed / len(with_icon)


def distinct_colours(node) -> int:
    return len(Counter(decode_png(node.locator("rect.icon-plate").screenshot())))


def icon_nodes(page, figure_selector: str = "figure.diagram") -> list:
    """One node per distinct icon in each figure's visible picture."""
    chosen = []
    for figure in page.locator(figure_selector).all():
        seen: set[str] = set()
        for node in figure.locator(".diagram-variant:not([hidden]) g.node:has(use.icon)").all():
            href = node.locator("use.icon").get_attribute("xlink:href")
            if href not in seen:
                seen.add(href)
                chosen.append(node)
    return chosen


def assert_icons_paint(nodes: list, scheme: str) -> None:
    for node in nodes:
        share = icon_share(node)
        name = node.locator("use.icon").get_attribute("xlink:href")
        assert share > 0.1, f"{name} paints only {share:.1%} of its box in {scheme}"
        assert distinct_colours(node) >= 3, f"{name} looks flat in {scheme}"


def luminance(css_colour: str) -> float:
    red, green, blue = (int(part) for part in re.findall(r"[\d.]+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("scheme", SCHEMES)
def test_icons_are_painted(page, diagram_page: str, scheme: str) -> None:
    open_page(page, diagram_page, scheme)
    nodes = icon_nodes(page)
    assert len(nodes) >= 15
    assert_icons_paint(nodes, scheme)
    assert page.request_log.external() == []


def test_pixel_check_sees_a_missing_icon(page, diagram_page: str) -> None:
    """The check above would catch an icon that does not paint (here: its symbol is missing)."""
    open_page(page, diagram_page, "slate")
    node = page.locator("figure.diagram .diagram-variant:not([hidden]) g.node").first
    node.locator("use.icon").evaluate("element => element.setAttributeNS('http://www.w3.org/1999/xlink', 'xlink:href', '#no-such-icon')")
    assert icon_share(node) == 0


@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_lines_and_plates_follow_the_palette(page, diagram_page: str, scheme: str) -> None:
    open_page(page, diagram_page, scheme)
    background = luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    text = luminance(page.locator(".diagram-variant:not([hidden]) text").first.evaluate("e => getComputedStyle(e).fill"))
    line = luminance(page.locator(".diagram-variant:not([hidden]) .edge path").first.evaluate("e => getComputedStyle(e).stroke"))
    assert abs(text - background) > 0.5, "labels must stand out from the page"
    assert abs(line - background) > 0.25, "edges must stand out from the page"
    plate = page.locator(".diagram-variant:not([hidden]) .icon-plate").first.evaluate("e => getComputedStyle(e).fill")
    if scheme == "slate":
        assert luminance(plate) > 0.8, "dark icons need a light plate on a dark page"
    else:
        assert plate in ("transparent", "rgba(0, 0, 0, 0)")


def test_svg_background_is_transparent(page, diagram_page: str) -> None:
    open_page(page, diagram_page, "slate")
    for svg in page.locator(".diagram-variant:not([hidden]) svg.diagram-svg").all():
        assert svg.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
        # Graphviz paints a white page unless told otherwise; nothing may be white here.
        assert svg.locator('[fill="white"], [fill="#ffffff"]').count() == 0


def test_each_figure_has_a_text_alternative_and_caption(page, diagram_page: str) -> None:
    open_page(page, diagram_page, "default")
    for path in SCRIPTS:
        script = scripts.load_script(path)
        figure = page.locator(f'figure[data-diagram="{script.name}"]')
        assert figure.get_by_role("img", name=script.alt.format(servers=3)).count() == 1
        assert figure.locator("figcaption").inner_text() == script.caption
        # Only the default variant is shown.
        assert figure.locator(".diagram-variant:visible").count() == 1
        assert figure.locator(".diagram-variant:visible").get_attribute("data-servers") == "3"
    # The page's one icon sprite takes no room.
    assert page.locator("svg.diagram-icons").count() == 1
    box = page.locator("svg.diagram-icons").bounding_box()
    assert box is None or box["width"] == 0


def test_hidden_variants_paint_when_shown(page, diagram_page: str) -> None:
    """A later feature swaps variants: a shown variant draws its icons from the shared sprite."""
    open_page(page, diagram_page, "slate")
    figure = page.locator('figure[data-diagram="stateless"]')
    figure.evaluate("""figure => {
        figure.querySelector('[data-servers="3"]').hidden = true;
        figure.querySelector('[data-servers="6"]').hidden = false;
    }""")
    visible = figure.locator(".diagram-variant:not([hidden])")
    assert visible.locator("g.node.server").count() == 6
    assert visible.locator("#web-6").is_visible()
    assert_icons_paint(icon_nodes(page, 'figure[data-diagram="stateless"]'), "slate")


def test_phone_width_keeps_text_readable(page, diagram_page: str) -> None:
    open_page(page, diagram_page, "default", width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page itself must not scroll sideways"
    for svg in page.locator(".diagram-variant:not([hidden]) svg.diagram-svg").all():
        natural = float(svg.get_attribute("viewBox").split()[2])
        width = svg.bounding_box()["width"]
        assert 0.7 * natural - 1 <= width <= natural + 1
