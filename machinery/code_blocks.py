"""Code blocks that cost little until the reader nears them, yet a keyboard can reach.

Material sets up each code block (its copy button, and a check whether it scrolls sideways)
only when the block comes into view: the `content.lazy` feature in mkdocs.yml. Setting up
every block at start-up was a long task on the long pages, inside Material's
DOMContentLoaded handler. (`mountCodeBlock` in Material 9.8.1,
https://github.com/squidfunk/mkdocs-material/blob/9.8.1/src/templates/assets/javascripts/components/content/code/_/index.ts)

That check is also what makes a block that scrolls focusable: on a device with hover, Material
gives its <code> tabindex="0" so that a keyboard can scroll it, and otherwise takes the
attribute away. With lazy set-up, a block below the fold would not be focusable until the
reader had scrolled to it, and a reader moving by Tab alone would pass it by. That fails
WCAG 2.1.1, https://www.w3.org/TR/WCAG22/#keyboard, and axe-core's rule
scrollable-region-focusable, https://dequeuniversity.com/rules/axe/4.10/scrollable-region-focusable.
So the build makes every block focusable, and Material takes tabindex away from a block
that fits once it comes into view.

The browser, too, styles and lays out a highlighted block only as it nears the viewport
(`content-visibility: auto` in material.css): a long page has hundreds of Pygments spans,
and styling them all was part of the long tasks of Material's start-up. A skipped
block needs its height to hold its place. A highlighted line never wraps (Material scrolls the
block sideways instead), so the height follows from the number of lines, which the build
writes on each block as `--code-lines`. A ```runnable block's plain code and output are left
out: the editor replaces the one, and a run rewrites the other.
"""

from __future__ import annotations

import re

# The <code> of a block: Pygments' <pre><span></span><code>, and the plain one the ```runnable
# fence shows until its editor loads. A <code> that already says where it stands in the tab
# order is left alone.
BLOCK_CODE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?<code)(?![^>]*\stabindex=)(?=[\s>])")


# A block Pygments highlighted: its empty <span> comes first, and its <code> holds one line
# per newline. (The highlighted text has no "<" of its own: Pygments escapes it.)
HIGHLIGHTED_BLOCK = re.compile(r"<pre(?![^>]*\sstyle=)(?=[\s>])([^>]*)>(<span></span><code[^>]*>)([^<]*(?:<(?!/code>)[^<]*)*)</code>")


def prepare_blocks(page_html: str) -> str:
    return sized_code(focusable_code(page_html))


def focusable_code(page_html: str) -> str:
    return BLOCK_CODE.sub(r'\1 tabindex="0"', page_html)


def sized_code(page_html: str) -> str:
    def with_lines(block: re.Match[str]) -> str:
        attributes, opening, code = block.groups()
        lines = code.count("\n")
        return f'<pre{attributes} style="--code-lines:{lines}">{opening}{code}</code>'

    return HIGHLIGHTED_BLOCK.sub(with_lines, page_html)
