"""The diagram font on the built site (machinery/diagram/font.py, machinery/theme/main.html).

Every page declares the font in an inline <style> in its <head>, not in site.css: were
site.css loaded again (Material's instant navigation sets the href of every relative
<link> again at start-up, which main.html forestalls for stylesheets), a reloaded
@font-face would make the browser load the font again and lay out every line of the page
a second time.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from machinery.diagram import font
from tests.test_machinery.conftest import navigate_instantly

FONT_FACE = re.compile(rf'<style>@font-face\{{font-family:"{font.FAMILY}";[^<]*src:url\("([^"]+)"\) format\("woff"\)\}}</style>')
# Runs before the page's own scripts: every font face the page finishes loading, by family.
COUNT_FONT_LOADS = """
window.fontLoads = [];
document.fonts.addEventListener('loadingdone', (event) => window.fontLoads.push(...event.fontfaces.map((face) => face.family)));
"""
# Material's start-up is over once it has rewritten the links (each href then absolute;
# the theme does the stylesheets' itself, so a link of the body's tells), and any font it
# made the page load again has loaded two frames later.
STARTED = """async () => {
  const rewritten = () => /^http/.test(document.querySelector('a.md-nav__link').getAttribute('href'));
  while (!rewritten()) await new Promise((done) => setTimeout(done, 20));
  document.body.getBoundingClientRect();
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  await document.fonts.ready;
  return window.fontLoads;
}"""


def test_every_page_declares_the_font_graphviz_measures_with_and_the_site_serves_that_file(built_site: Path) -> None:
    pages = [*sorted(built_site.rglob("index.html")), built_site / "404.html"]
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        declared = FONT_FACE.findall(head)
        assert len(declared) == 1, f"{page.relative_to(built_site)} declares the diagram font {len(declared)} times"
        served = built_site / urljoin(page.relative_to(built_site).as_posix(), declared[0]).lstrip("/")
        assert served.read_bytes() == font.woff_bytes(), f"{page.relative_to(built_site)} names {declared[0]}"
    css = (built_site / "assets" / "site" / "site.css").read_text(encoding="utf-8")
    assert "@font-face" not in css
    assert re.search(rf'\.diagram-svg text\{{[^}}]*font-family:"?{font.FAMILY}"?,', css), "the labels are drawn in it"


def test_the_font_loads_once_though_material_resets_every_link_at_start_up(page, site_url: str) -> None:
    page.add_init_script(COUNT_FONT_LOADS)
    page.goto(site_url + "tokens-vs-sessions/")  # its first diagram is in the first screens
    assert page.evaluate(STARTED) == ["Noto Sans"]
    assert page.errors == []


def test_after_instant_navigation_to_a_page_at_another_depth_the_diagrams_are_in_their_font(
    page, instant_site_url: str, nav_pages: list[tuple[str, str]]
) -> None:
    """The home page names the font assets/site/…, a page one folder down ../assets/site/…:
    Material swaps the one <style> for the other, and the new one resolves from the new URL."""
    target = "tokens-vs-sessions/"  # a page with diagrams
    assert target in [url for _, url in nav_pages]
    page.goto(instant_site_url)
    page.evaluate("window.notReloaded = true")
    navigate_instantly(page, instant_site_url + target)
    assert page.evaluate("window.notReloaded") is True
    text = page.locator("figure.diagram .diagram-variant:not([hidden]) text").first
    text.scroll_into_view_if_needed()
    page.wait_for_function("() => document.fonts.check('12px \"Noto Sans\"') && document.fonts.status === 'loaded'")
    assert text.evaluate("e => getComputedStyle(e).fontFamily").startswith('"Noto Sans"')
    faces = page.evaluate("[...document.fonts].map((face) => [face.family, face.status])")
    assert faces == [["Noto Sans", "loaded"]], "the home page's face gave way to this page's, and it loaded"
    assert page.errors == []
