"""Code blocks (machinery/code_blocks.py, and `content.lazy` in mkdocs.yml): focusable from the
build on, set up by Material only as they come into view, and drawn by the browser only as
they near it, in the height the build gave them."""

from __future__ import annotations

import pytest

from machinery.code_blocks import focusable_code, sized_code

PAGE = "tokens-vs-sessions/"  # a long page with code blocks far below the fold
# Pygments' blocks. (A ```runnable block's plain one is hidden once its editor loads, and a
# hidden block is never set up.)
BLOCKS = "article .highlight > pre"
COPY_BUTTON = "button[data-md-type=copy]"  # what Material's set-up adds to a block (content.code.copy)
# Material answers a size change, and the browser a block coming near, on its next frame.
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_a_highlighted_block_becomes_focusable() -> None:
    html = '<div class="highlight"><pre><span></span><code><span class="n">x</span>\n</code></pre></div>'
    assert focusable_code(html) == html.replace("<code>", '<code tabindex="0">')


def test_the_plain_block_a_runnable_fence_shows_becomes_focusable() -> None:
    assert focusable_code("<pre data-search-exclude><code>print(1)\n</code></pre>") == (
        '<pre data-search-exclude><code tabindex="0">print(1)\n</code></pre>'
    )


def test_inline_code_and_a_block_that_says_its_place_are_left_alone() -> None:
    html = '<p>Set <code>Secure</code>.</p><pre><code tabindex="-1">x</code></pre><pre><codex>'
    assert focusable_code(html) == html


def test_a_highlighted_block_holds_its_number_of_lines() -> None:
    html = '<div class="highlight"><pre><span></span><code><span class="k">if</span> a &lt; b:\n    pass\n</code></pre></div>'
    assert sized_code(html) == html.replace("<pre>", '<pre style="--code-lines:2">')


def test_a_runnable_blocks_plain_code_and_a_styled_block_are_left_unsized() -> None:
    """The plain code under a runnable block's editor, and its output, change as the reader runs it."""
    html = '<pre data-search-exclude><code>x = 1\n</code></pre><pre style="color:red"><span></span><code>y\n</code></pre>'
    assert sized_code(html) == html


def test_every_block_is_focusable_before_material_sets_it_up(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site_url + PAGE)
    blocks = page.locator(BLOCKS)
    assert blocks.count() >= 4
    last = blocks.last
    assert last.locator(COPY_BUTTON).count() == 0, "far below the fold: Material has not set it up"
    assert last.locator(":scope > code").get_attribute("tabindex") == "0"
    assert page.errors == []


def test_coming_into_view_a_block_gets_its_copy_button_and_keeps_tabindex_only_if_it_scrolls(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site_url + PAGE)
    kinds = set()
    for block in page.locator(BLOCKS).all():
        block.scroll_into_view_if_needed()
        block.locator(COPY_BUTTON).wait_for(state="attached")
        page.evaluate(TWO_FRAMES)
        code = block.locator(":scope > code")
        scrolls = code.evaluate("(code) => code.scrollWidth > code.clientWidth")
        assert (code.get_attribute("tabindex") == "0") == scrolls, code.inner_text()[:60]
        kinds.add(scrolls)
    assert kinds == {True, False}, "the page has blocks of both kinds at this width"
    assert page.errors == []


SKIPPED = "(code) => !code.checkVisibility({contentVisibilityAuto: true})"  # the browser has not drawn it


@pytest.mark.parametrize("width", [390, 1280])
def test_a_block_is_drawn_only_near_the_viewport_and_in_the_height_it_held(page, site_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    skipped = 0
    for path in (PAGE, "frameworks/"):
        page.goto(site_url + path)
        for block in page.locator("article pre[style*='--code-lines']").all():
            code = block.locator(":scope > code")
            skipped += code.evaluate(SKIPPED)
            held = block.bounding_box()["height"]
            block.scroll_into_view_if_needed()
            page.evaluate(TWO_FRAMES)
            assert not code.evaluate(SKIPPED)
            # Chromium rounds each line box to 1/64 px: a fraction of a pixel over 64 lines.
            assert block.bounding_box()["height"] == pytest.approx(held, abs=1), code.inner_text()[:60]
    assert skipped >= 2, "blocks far below the fold are not drawn at first"
    # A printed page has no viewport to be near: every block is drawn.
    page.goto(site_url + PAGE)
    page.emulate_media(media="print")
    page.evaluate(TWO_FRAMES)
    assert page.locator("article pre[style*='--code-lines'] > code").evaluate_all(f"(codes) => codes.filter({SKIPPED})") == []
    assert page.errors == []
