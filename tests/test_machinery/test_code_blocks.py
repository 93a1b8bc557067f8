"""Code blocks (machinery/code_blocks.py, and `content.lazy` in mkdocs.yml): focusable from the
build on, and set up by Material only as they come into view, in Chromium."""

from __future__ import annotations

from machinery.code_blocks import focusable_code

PAGE = "tokens-vs-sessions/"  # a long page with code blocks far below the fold
# Pygments' blocks. (A ```runnable block's plain one is hidden once its editor loads, and a
# hidden block is never set up.)
BLOCKS = "article .highlight > pre"
COPY_BUTTON = "button[data-md-type=copy]"  # what Material's set-up adds to a block (content.code.copy)


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
        # Material answers a size change on its next frame: wait for two.
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        code = block.locator(":scope > code")
        scrolls = code.evaluate("(code) => code.scrollWidth > code.clientWidth")
        assert (code.get_attribute("tabindex") == "0") == scrolls, code.inner_text()[:60]
        kinds.add(scrolls)
    assert kinds == {True, False}, "the page has blocks of both kinds at this width"
    assert page.errors == []
