"""The inlined diagrams in Debian's Chromium: legible in light and dark, on a desktop and a phone.

One page holds every script's figure for every server count three ways: alone in the
column, as the views of a live block (a result hands each picture the widest note on
every node that keeps room for one), and side by side as the home page compares designs.
Each (scheme, width) is one page load; the page measures every picture at once.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator

import pytest

from machinery.diagram import scripts
from tests.conftest import serve_folder
from tests.test_diagrams.ids import DIAGRAMS, SERVER_COUNTS

from .helpers import build_project, compare_block, decode_png, live_block, noted_nodes, project_env, write_project

SCRIPTS = scripts.script_files(DIAGRAMS)
SCHEMES = ["default", "slate"]  # Material's light and dark palettes
WIDTHS = [1280, 390]  # a desktop and a phone
# The smallest text a picture may shrink to on a phone, in CSS pixels.
MIN_TEXT_PX = 10
# The home page compares these designs side by side, drawn narrow for it.
COMPARED = ["compact_stateful", "compact_stateless"]
# Two boxes closer than this (CSS pixels) touch; nearer on one line, texts read as one.
TOUCHING = 0.5
SAME_LINE_GAP = 2.0


@pytest.fixture(scope="module")
def note() -> str:
    """The widest note a picture keeps room for (diagrams/_style.py)."""
    return re.search(r'^NOTE_ROOM = "([^"]+)"', (DIAGRAMS / "_style.py").read_text(encoding="utf-8"), re.MULTILINE).group(1)


@pytest.fixture(scope="module")
def figures() -> dict[str, str]:
    from machinery.diagram import figure

    return {path.stem: figure.render_figure(path, tuple(SERVER_COUNTS), 3) for path in SCRIPTS}


@pytest.fixture(scope="module")
def diagram_page(tmp_path_factory: pytest.TempPathFactory, figures: dict[str, str], note: str) -> Iterator[str]:
    """The page of every figure, built cold and served from 127.0.0.1."""
    from machinery.diagram import figure

    compared = {key: figure.render_figure(DIAGRAMS / f"{key}.py", (3,), 3) for key in COMPARED}
    markdown = "\n\n".join([
        "# Every diagram\n\nSome text.",
        *figures.values(),
        '<div class="test-live">', live_block(figures, note), "</div>",
        '<div class="test-compare">', compare_block(compared, note), "</div>",
    ]) + "\n"
    folder = tmp_path_factory.mktemp("diagram-site")
    project = write_project(folder / "project", markdown)
    result = build_project(project, project_env(DIAGRAMS, folder / "cache"))
    assert result.returncode == 0, result.stderr
    server, url = serve_folder(project / "site")
    yield url
    server.shutdown()


def open_page(browser, url: str, scheme: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(url)
    page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
    page.wait_for_selector(".live[data-mounted]", state="attached")
    page.evaluate("document.fonts.ready")
    return page


# Runs in the page: every picture, as it is drawn, in CSS pixels.
MEASURE = """async ([text, notes, counts]) => {
  const box = (element) => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  // Where the edges run, as points a couple of pixels apart.
  const points = (path) => {
    const matrix = path.getScreenCTM();
    const length = path.getTotalLength();
    return Array.from({ length: Math.ceil(length / 2) + 1 }, (_, index) => {
      const point = path.getPointAtLength(Math.min(index * 2, length));
      return [matrix.a * point.x + matrix.c * point.y + matrix.e, matrix.b * point.x + matrix.d * point.y + matrix.f];
    });
  };
  const measure = (svg, where) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const figure = svg.closest("figure");
    const texts = [...svg.querySelectorAll("text")].filter((text) => text.textContent.trim() && text.getClientRects().length);
    return {
      where,
      width: figure.getBoundingClientRect().width,
      column: figure.parentElement.getBoundingClientRect().width,
      texts: texts.map((text) => ({ text: text.textContent, box: box(text), px: parseFloat(getComputedStyle(text).fontSize) * scale })),
      crossed: [...svg.querySelectorAll(".edge path")].flatMap((path) => {
        const run = points(path);
        const through = ([left, top, right, bottom]) =>
          run.some(([x, y]) => x > left + 1 && x < right - 1 && y > top + 1 && y < bottom - 1);
        return texts.filter((text) => through(box(text))).map((text) => [path.parentElement.id, text.textContent]);
      }),
      clusters: [...svg.querySelectorAll("g.cluster")].map((cluster) => ({
        id: cluster.id, box: box(cluster.querySelector(":scope > path, :scope > polygon")),
        labels: [...cluster.querySelectorAll(":scope > text")].filter((text) => text.textContent.trim()).map(box),
      })),
      icons: [...svg.querySelectorAll("use.icon")].map((icon) => ({ id: icon.parentElement.id, box: box(icon) })),
      notes: [...svg.querySelectorAll(".live-note")].filter((note) => note.style.display !== "none")
        .map((note) => ({ id: note.parentElement.id, box: box(note.querySelector("rect")) })),
    };
  };
  // As live.js shows a hidden variant: its picture comes out of its <template> (mount.js).
  const unpack = (variant) => { const inert = variant.querySelector(":scope > template"); if (inert) inert.replaceWith(inert.content); };
  const pictures = [];
  for (const figure of document.querySelectorAll(".md-typeset > figure.diagram")) {
    const variants = [...figure.querySelectorAll(".diagram-variant")];
    for (const shown of variants) {
      for (const variant of variants) variant.hidden = variant !== shown;
      unpack(shown);
      pictures.push(measure(shown.querySelector("svg"), `${figure.dataset.diagram} alone, ${shown.dataset.servers} servers`));
    }
  }
  const live = document.querySelector(".test-live .live");
  for (const [view, byCount] of Object.entries(notes)) {
    live.querySelector(`.live__views input[value="${view}"]`).click();
    for (const count of counts) {
      const nodes = Object.fromEntries(byCount[count].map((id) => [id, { status: "up", note: text, traffic: 0.5 }]));
      const snapshot = { minute: 0, nodes, counters: {}, events: [] };
      const result = { parameters: {}, designs: Object.fromEntries(Object.keys(notes)
        .map((key) => [key, { label: key, diagram_servers: Number(count), timeline: [snapshot] }])) };
      live.querySelector(".runnable").dispatchEvent(new CustomEvent("runnable:result", { detail: { result } }));
      // live.js shows a run's result once its pictures are in (fetched the first time one needs them).
      const drawn = `.live__view[data-live-view="${view}"]:not([hidden]) .diagram-variant[data-servers="${count}"]:not([hidden]) svg`;
      for (let tries = 0; tries < 250 && !live.querySelector(drawn); tries++) await new Promise((later) => setTimeout(later, 20));
      const svg = live.querySelector(drawn);
      pictures.push(measure(svg, `${view} in a live block, ${count} servers`));
    }
  }
  for (const view of document.querySelectorAll(".test-compare .live-compare__view")) {
    pictures.push(measure(view.querySelector(".diagram-variant:not([hidden]) svg"), `${view.dataset.liveView} compared`));
  }
  return { pictures, scrollWidth: document.documentElement.scrollWidth };
}"""


def intersection(a: list[float], b: list[float]) -> tuple[float, float]:
    return min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])


def overlaps(a: list[float], b: list[float]) -> bool:
    across, down = intersection(a, b)
    return across > TOUCHING and down > TOUCHING


def run_together(a: list[float], b: list[float]) -> bool:
    """Two texts on one line with (almost) no space between them read as one."""
    across, down = intersection(a, b)
    return down > 0.5 * min(a[3] - a[1], b[3] - b[1]) and across > -SAME_LINE_GAP


def inside(inner: list[float], outer: list[float]) -> bool:
    return all(inner[index] >= outer[index] - TOUCHING for index in (0, 1)) and all(
        inner[index] <= outer[index] + TOUCHING for index in (2, 3))


def text_problems(picture: dict) -> Iterator[str]:
    for first, second in itertools.combinations(picture["texts"], 2):
        if overlaps(first["box"], second["box"]) or run_together(first["box"], second["box"]):
            yield f"{first['text']!r} and {second['text']!r} collide"
    for text in picture["texts"]:
        if text["px"] < MIN_TEXT_PX - 0.05:
            yield f"{text['text']!r} is drawn at {text['px']:.1f} px"
    for edge, text in picture["crossed"]:
        yield f"{edge} runs through {text!r}"


def box_problems(picture: dict) -> Iterator[str]:
    if picture["width"] > picture["column"] + TOUCHING:
        yield f"{picture['width']:.0f} px wide in a {picture['column']:.0f} px column"
    for cluster in picture["clusters"]:
        if not all(inside(label, cluster["box"]) for label in cluster["labels"]):
            yield f"the title of {cluster['id']} spills out of its box"
    for note, icon in itertools.product(picture["notes"], picture["icons"]):
        if overlaps(note["box"], icon["box"]):
            yield f"the note on {note['id']} covers the icon of {icon['id']}"


def problems(picture: dict) -> list[str]:
    return [f"{picture['where']}: {problem}" for check in (text_problems, box_problems) for problem in check(picture)]


@pytest.fixture(scope="module")
def measured(browser, diagram_page: str, figures: dict[str, str], note: str) -> dict[tuple[str, int], dict]:
    notes = {key: noted_nodes(html) for key, html in figures.items()}
    found = {}
    for scheme, width in itertools.product(SCHEMES, WIDTHS):
        page = open_page(browser, diagram_page, scheme, width)
        for block in page.locator(".live, .live-compare").all():  # each draws once near (deferred.py)
            block.scroll_into_view_if_needed()
            page.wait_for_function("(block) => block.dataset.liveMinute !== undefined", arg=block.element_handle())
        found[scheme, width] = page.evaluate(MEASURE, [note, notes, [str(count) for count in SERVER_COUNTS]])
        page.context.close()
    return found


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_picture_is_legible(measured: dict, scheme: str, width: int) -> None:
    page = measured[scheme, width]
    contexts = Counter(picture["where"].split(",")[0].split(" ", 1)[1] for picture in page["pictures"])
    assert contexts == {"alone": len(SCRIPTS) * len(SERVER_COUNTS), "in a live block": len(SCRIPTS) * len(SERVER_COUNTS),
                        "compared": len(COMPARED)}, "every picture was measured"
    assert all(picture["texts"] for picture in page["pictures"]), "every picture was drawn"
    assert sum(len(picture["notes"]) for picture in page["pictures"]) > len(SCRIPTS) * len(SERVER_COUNTS), "notes were drawn"
    assert page["scrollWidth"] <= width, "the page itself must not scroll sideways"
    found = [problem for picture in page["pictures"] for problem in problems(picture)]
    assert not found, "\n".join(found[:40])


def test_the_checks_see_a_collision() -> None:
    """What the checks above would report, on shapes made to fail each of them."""
    label = {"text": "Web tier", "box": [10, 10, 60, 26], "px": 12}
    picture = {
        "where": "made up", "width": 400, "column": 358,
        "texts": [label, {"text": "client 1", "box": [61, 10, 100, 26], "px": 7}],
        "clusters": [{"id": "web-tier", "box": [0, 0, 50, 40], "labels": [label["box"]]}],
        "icons": [{"id": "web-1", "box": [0, 30, 24, 54]}],
        "notes": [{"id": "web-1", "box": [10, 50, 90, 66]}],
        "crossed": [["edge-lb-web-1", "Web tier"]],
    }
    assert len(problems(picture)) == 6


# Icons: drawn, in the palette's colour, in light and dark

def icon_share(icon, region: dict | None = None) -> float:
    """Share of the pixels in an icon's box (or `region`) that the icon paints: photographed with and without it."""
    icon.scroll_into_view_if_needed()
    region = region or icon.bounding_box()
    with_icon = decode_png(icon.page.screenshot(clip=region))
    icon.evaluate("element => element.style.visibility = 'hidden'")
    without_icon = decode_png(icon.page.screenshot(clip=region))
    icon.evaluate("element => element.style.visibility = ''")
    changed = sum(1 for before, after in zip(with_icon, without_icon, strict=True) if before != after)
    return changed / len(with_icon)


def most_common_colour(pixels: list) -> tuple:
    return Counter(pixels).most_common(1)[0][0]


def behind(icon) -> tuple:
    """The colour under an icon, photographed without it."""
    icon.evaluate("element => element.style.visibility = 'hidden'")
    colour = most_common_colour(decode_png(icon.page.screenshot(clip=icon.bounding_box())))
    icon.evaluate("element => element.style.visibility = ''")
    return colour


def around(icon, margin: int = 4) -> tuple:
    """The colour of a thin ring just outside an icon's box."""
    box = icon.bounding_box()
    strips = [{"x": box["x"] - margin, "y": box["y"], "width": margin, "height": box["height"]},
              {"x": box["x"] + box["width"], "y": box["y"], "width": margin, "height": box["height"]}]
    return most_common_colour([pixel for strip in strips for pixel in decode_png(icon.page.screenshot(clip=strip))])


def distinct_icons(page) -> list:
    """One <use> per distinct icon among the visible pictures."""
    chosen, seen = [], set()
    for icon in page.locator(".md-typeset > figure.diagram .diagram-variant:not([hidden]) use.icon").all():
        href = icon.get_attribute("xlink:href")
        if href not in seen:
            seen.add(href)
            chosen.append(icon)
    return chosen


def luminance(css_colour: str) -> float:
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("scheme", SCHEMES)
def test_icons_paint_in_the_text_colour(browser, diagram_page: str, scheme: str) -> None:
    page = open_page(browser, diagram_page, scheme, 1280)
    background = luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    icons = distinct_icons(page)
    assert len(icons) >= 10
    for icon in icons:
        name = icon.get_attribute("xlink:href")
        assert icon_share(icon) > 0.1, f"{name} does not paint in {scheme}"
        assert abs(luminance(icon.evaluate("e => getComputedStyle(e).color")) - background) > 0.5, f"{name} is faint in {scheme}"
        assert behind(icon) == around(icon), f"{name} sits on a tile in {scheme}"
    page.context.close()


def test_the_pixel_check_sees_a_missing_icon(browser, diagram_page: str) -> None:
    page = open_page(browser, diagram_page, "slate", 1280)
    icon = distinct_icons(page)[0]
    icon.scroll_into_view_if_needed()
    region = icon.bounding_box()
    assert icon_share(icon, region) > 0.1
    icon.evaluate("element => element.setAttributeNS('http://www.w3.org/1999/xlink', 'xlink:href', '#no-such-icon')")
    assert icon_share(icon, region) == 0
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_and_lines_follow_the_palette(browser, diagram_page: str, scheme: str) -> None:
    page = open_page(browser, diagram_page, scheme, 1280)
    background = luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    text = page.locator(".diagram-variant:not([hidden]) text").first
    line = page.locator(".diagram-variant:not([hidden]) .edge path").first
    assert abs(luminance(text.evaluate("e => getComputedStyle(e).fill")) - background) > 0.5, "labels must stand out from the page"
    assert abs(luminance(line.evaluate("e => getComputedStyle(e).stroke")) - background) > 0.25, "edges must stand out from the page"
    assert text.evaluate("e => getComputedStyle(e).fontFamily").startswith('"Noto Sans"')
    assert page.evaluate("document.fonts.check('12px \"Noto Sans\"')"), "the diagram font is loaded"
    page.context.close()


def test_a_hidden_variant_paints_its_icons_when_shown(browser, diagram_page: str) -> None:
    """A live block swaps variants: a shown variant draws its icons from the page's one sprite."""
    page = open_page(browser, diagram_page, "slate", 1280)
    figure = page.locator('.md-typeset > figure[data-diagram="stateless"]')
    figure.evaluate("""figure => {
        figure.querySelector('[data-servers="3"]').hidden = true;
        const shown = figure.querySelector('[data-servers="6"]');
        shown.hidden = false;
        const inert = shown.querySelector(':scope > template');  // as live.js does (mount.js unpack)
        inert.replaceWith(inert.content);
    }""")
    visible = figure.locator(".diagram-variant:not([hidden])")
    assert visible.locator("g.node.server").count() == 6
    assert all(icon_share(icon) > 0.1 for icon in visible.locator("use.icon").all())
    page.context.close()


def test_svg_background_is_transparent(browser, diagram_page: str) -> None:
    page = open_page(browser, diagram_page, "slate", 1280)
    for svg in page.locator(".diagram-variant:not([hidden]) svg.diagram-svg").all():
        assert svg.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
        # Graphviz paints a white page unless told otherwise; nothing may be white here.
        assert svg.locator('[fill="white"], [fill="#ffffff"]').count() == 0
    page.context.close()


def test_each_figure_has_a_text_alternative_and_caption(page, diagram_page: str) -> None:
    page.goto(diagram_page)
    for path in SCRIPTS:
        script = scripts.load_script(path)
        figure = page.locator(f'.md-typeset > figure[data-diagram="{script.name}"]')
        assert figure.get_by_role("img", name=script.alt.format(servers=3)).count() == 1
        assert figure.locator("figcaption").inner_text() == script.caption
        # Only the default variant is shown.
        assert figure.locator(".diagram-variant:visible").count() == 1
        assert figure.locator(".diagram-variant:visible").get_attribute("data-servers") == "3"
    # The page's one icon sprite takes no room, and nothing came from elsewhere.
    assert page.locator("svg.diagram-icons").count() == 1
    box = page.locator("svg.diagram-icons").bounding_box()
    assert box is None or box["width"] == 0
    assert page.request_log.external() == []


def test_pictures_far_below_the_fold_keep_their_text_alternative_and_size(browser, diagram_page: str) -> None:
    # The browser skips drawing them until the reader nears them (diagram.css): a screen
    # reader must still find each one, and drawing one must not move the page.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(diagram_page)
    tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    images = {node.get("name", {}).get("value") for node in tree
              if node.get("role", {}).get("value") == "image" and not node.get("ignored")}
    alts = {scripts.load_script(path).alt.format(servers=3) for path in SCRIPTS}
    assert alts <= images
    frames = page.locator(".md-typeset > figure.diagram .diagram-variant:not([hidden])")
    last = frames.nth(frames.count() - 1)
    assert last.bounding_box()["y"] > 10 * 844, "the last picture should be far below the fold"
    before = last.bounding_box()["height"]
    last.scroll_into_view_if_needed()
    drawn = last.locator("svg").bounding_box()["height"]
    assert before == pytest.approx(drawn, abs=0.5) and last.bounding_box()["height"] == pytest.approx(drawn, abs=0.5)
    # A printed page has no viewport to be near: every picture is drawn.
    page.emulate_media(media="print")
    assert set(frames.evaluate_all("frames => frames.map(f => getComputedStyle(f).contentVisibility)")) == {"visible"}
    context.close()
