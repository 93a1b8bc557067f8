"""Turning Graphviz's SVG into a picture a web page can inline.

Graphviz links each icon from the SVG by file name, so here every icon is embedded once
as a <symbol> (icons.py) and drawn with <use>; comments and <title>s are dropped and the
fixed size removed, which leaves an SVG that is self-contained and byte-identical on every
build with the same Graphviz. Links are written as `xlink:href`, not `href`: on load,
Material's instant navigation rewrites every element matching `[href]` with
`element.href = ...`, which throws on SVG elements (their `href` is read-only).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from machinery.diagram import icons

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"
XLINK_TITLE = f"{{{XLINK_NS}}}title"
# Where diagrams/_style.py keeps room for a live note; machinery/live/live.js writes the note there.
NOTE_SLOT = "live-note-slot"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class IconSet:
    """The icons a figure uses, each embedded once as a <symbol>.

    A symbol's id names the icon file, so the same icon has the same id in every
    figure, and a page needs it only once (see `share_icons`).
    """

    def __init__(self) -> None:
        self.symbols: dict[str, ET.Element] = {}

    def add(self, file_name: str, origin: Path) -> str:
        symbol_id = icons.symbol_id(file_name)
        if symbol_id not in self.symbols:
            self.symbols[symbol_id] = icons.symbol(file_name, origin)
        return symbol_id

    def defs(self) -> ET.Element:
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        defs.extend(self.symbols.values())
        return defs


def drop_titles_and_graph_id(root: ET.Element) -> None:
    """Graphviz titles every element with its node name; the ids already carry that."""
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}title":
                parent.remove(child)
    graph = root.find(f"{{{SVG_NS}}}g")
    if graph is not None and graph.get("id", "").startswith("graph"):
        del graph.attrib["id"]


def resolve_named_cells(element: ET.Element) -> None:
    """Turn the table cells a script named (diagrams/_style.py, `named_cell`) into what they stand for.

    Graphviz writes a named cell as <g id="a_..."><a xlink:href="#<name>" xlink:title="<kind>">
    ...</a></g>. A part of a node becomes <g id="<name>" class="node <kind>">, as addressable
    as a node; the room kept for a live note becomes an empty <text class="live-note-slot">
    where the note's first letter goes. Inner cells first: a part keeps room for a note.
    """
    for position, child in enumerate(list(element)):
        resolve_named_cells(child)
        link = child.find(f"{{{SVG_NS}}}a")
        if link is None or not link.get(XLINK_HREF, "").startswith("#"):
            continue
        kind = link.get(XLINK_TITLE, "")
        if kind == NOTE_SLOT:
            placeholder = link.find(f"{{{SVG_NS}}}text")
            where = {"x": placeholder.get("x", "0"), "y": placeholder.get("y", "0")} if placeholder is not None else {}
            element[position] = ET.Element(f"{{{SVG_NS}}}text", {"class": NOTE_SLOT, **where})
        else:
            child.attrib = {"id": link.get(XLINK_HREF, "")[1:], "class": f"node {kind}"}
            child[:] = list(link)


def label_colour(node: ET.Element) -> str | None:
    label = node.find(f"{{{SVG_NS}}}text")
    return None if label is None else label.get("fill")


def embed_icons(root: ET.Element, icons_used: IconSet, origin: Path) -> None:
    """Replace each linked <image> by a <use> of its symbol, in the colour of its node's label.

    That colour is for the standalone SVG; on the site diagram.css paints icons in the palette.
    """
    for node in list(root.iter(f"{{{SVG_NS}}}g")):
        children: list[ET.Element] = []
        for child in node:
            if child.tag != f"{{{SVG_NS}}}image":
                children.append(child)
                continue
            box = {name: child.get(name, "0").removesuffix("px") for name in ("x", "y", "width", "height")}
            symbol_id = icons_used.add(child.get(XLINK_HREF) or child.get("href", ""), origin)
            colour = label_colour(node)
            children.append(ET.Element(f"{{{SVG_NS}}}use", {
                "class": "icon", XLINK_HREF: f"#{symbol_id}", **box, **({"color": colour} if colour else {}),
            }))
        node[:] = children


def clean_svg(raw: str, alt: str, icons_used: IconSet, origin: Path) -> ET.Element:
    root = ET.fromstring(raw)  # noqa: S314 - dot's own output; the parser drops the comments and the doctype
    drop_titles_and_graph_id(root)
    resolve_named_cells(root)
    embed_icons(root, icons_used, origin)
    view_box = root.get("viewBox", "0 0 0 0")
    width = float(view_box.split()[2])
    root.attrib.clear()
    # No width/height: CSS scales the picture to the column, never above its
    # natural size (--diagram-width).
    root.attrib.update({
        "class": "diagram-svg",
        "viewBox": view_box,
        "role": "img",
        "aria-label": alt,
        "style": f"--diagram-width:{width:g}px",
    })
    return root


def framed(root: ET.Element) -> tuple[str, str, str]:
    """A picture for a page, as (its text alternative, its frame's style, the SVG).

    The frame (figure.html) carries the text alternative, so it stays in the accessibility
    tree while the browser skips drawing a picture far from the viewport (diagram.css); the
    SVG inside is hidden from it. The frame's style gives it the picture's size before the
    picture is drawn: its natural width and its proportions.
    """
    alt = root.attrib.pop("aria-label")
    del root.attrib["role"]
    root.set("aria-hidden", "true")
    _, _, width, height = (float(number) for number in root.get("viewBox", "0 0 0 0").split())
    return alt, f"--diagram-width:{width:g}px;aspect-ratio:{width:g}/{height:g}", serialize(root)


def style(css: str) -> ET.Element:
    element = ET.Element(f"{{{SVG_NS}}}style")
    element.text = css
    return element


def serialize(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode")


def sprite(defs: ET.Element) -> str:
    """An invisible <svg> holding icon symbols; not display:none, which would stop <use> drawing them."""
    element = ET.Element(f"{{{SVG_NS}}}svg", {
        "class": "diagram-icons", "width": "0", "height": "0", "aria-hidden": "true", "focusable": "false",
        "style": "position:absolute",
    })
    element.append(defs)
    return serialize(element)


SPRITE = re.compile(r'<svg[^>]* class="diagram-icons"[^>]*>.*?</svg>', re.DOTALL)
SYMBOL = re.compile(r'<symbol id="([^"]+)".*?</symbol>', re.DOTALL)


def share_icons(page_html: str) -> str:
    """One sprite for a whole page (on_page_content hook): every icon once, first in the page.

    Each figure brings its own sprite, so a page with several figures would carry the same
    icons several times; and a figure may be hidden (a live diagram's other views), which
    would hide its sprite from the figures that use it.
    """
    sprites = SPRITE.findall(page_html)
    if len(sprites) <= 1:
        return page_html
    symbols: dict[str, str] = {}
    for found in sprites:
        for symbol in SYMBOL.finditer(found):
            symbols.setdefault(symbol.group(1), symbol.group(0))
    defs = ET.fromstring(f'<defs xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">{"".join(symbols.values())}</defs>')  # noqa: S314 - our own symbols
    return sprite(defs) + SPRITE.sub("", page_html)
