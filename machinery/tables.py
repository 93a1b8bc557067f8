"""A holder around each table of a page, so Material's start-up restyles the table alone.

When it starts, Material moves every table without a class into a scrolling wrapper
(`mountDataTable` in components/content/table/index.ts, 9.8.1). In Chromium, moving a child of
the article restyles the whole article, most of a long page, inside Material's
DOMContentLoaded task. The cause is two of Material's sibling rules on the article's children,
`table:not([class]) + *` and `h2 + h3`: with either one left out of its stylesheet the move
still restyles everything, with both left out only the table's neighbours (measured with
Chromium's trace, which counts the elements each restyle touches). With a plain <div> around
each table, the children that change are the holder's.

The holder changes nothing the reader sees. Once Material has wrapped the table, the holder
takes the wrapper's margins (material.css), so the page looks as Material lays it out. Before
that (and without JavaScript), Material spaces the element after a table with `table + *`;
material.css gives the holder's next element the same space while the table is still its
direct child.

The holder also carries the table's number of rows (`--table-rows`): material.css lets the
browser skip a wrapped table far from the viewport, and the rows give the room it holds
until then.
"""

from __future__ import annotations

import re

HOLDER_CLASS = "table-holder"
# A table Material wraps (no class attribute), with its content. Of tables inside tables
# only the innermost is held: the lazy match would otherwise stop at the inner one's end.
DATA_TABLE = re.compile(r"<table(?![^>]*\sclass=)[^>]*>(?:(?!<table[\s>]).)*?</table>", re.DOTALL)


ROW = re.compile(r"<tr[\s>]")


def hold_tables(page_html: str) -> str:
    def held(table: re.Match[str]) -> str:
        rows = len(ROW.findall(table.group(0)))
        return f'<div class="{HOLDER_CLASS}" style="--table-rows:{rows}">{table.group(0)}</div>'

    return DATA_TABLE.sub(held, page_html)
