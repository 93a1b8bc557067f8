"""Code blocks a keyboard can reach before Material has set them up.

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
"""

from __future__ import annotations

import re

# The <code> of a block: Pygments' <pre><span></span><code>, and the plain one the ```runnable
# fence shows until its editor loads. A <code> that already says where it stands in the tab
# order is left alone.
BLOCK_CODE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?<code)(?![^>]*\stabindex=)(?=[\s>])")


def focusable_code(page_html: str) -> str:
    return BLOCK_CODE.sub(r'\1 tabindex="0"', page_html)
