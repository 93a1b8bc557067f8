"""Turning Graphviz's SVG into a picture a web page can inline.

The `diagrams` library hands Graphviz absolute paths to its icon files and lets Graphviz
link them from the SVG, so here every icon is embedded once as a <symbol> and drawn with
<use>; comments and <title>s are dropped and the fixed size removed, which leaves an SVG
that is self-contained and byte-identical on every build with the same Graphviz. Links
are written as `xlink:href`, not `href`: on load, Material's instant navigation rewrites
every element matching `[href]` with `element.href = ...`, which throws on SVG elements
(their `href` is read-only).
"""

from __future__ import annotations

import base64
import functools
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

from machinery.diagram.scripts import DiagramError, shown

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@functools.cache
def icon_data(path: Path) -> tuple[str, int, int]:
    """The icon as a data: URI, and its size in pixels."""
    data = path.read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        raise DiagramError(f"icon {path.name} is not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return f"data:image/png;base64,{base64.b64encode(data).decode()}", width, height


class IconSet:
    """The icons a figure uses, each embedded once as a <symbol>.

    A symbol's id names the icon file, so the same icon has the same id in every
    figure, and a page needs it only once (see `share_icons`).
    """

    def __init__(self) -> None:
        self.paths: dict[str, Path] = {}

    def add(self, href: str, origin: Path) -> str:
        path = Path(href)
        if not path.is_absolute() or not path.is_file():
            raise DiagramError(f"{shown(origin)}: icon {href!r} is not a local image file")
        # resources/onprem/compute/server.png -> icon-onprem-compute-server
        symbol_id = "icon-" + "-".join([*path.parent.parts[-2:], path.stem])
        self.paths.setdefault(symbol_id, path)
        return symbol_id

    def defs(self) -> ET.Element:
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        for symbol_id, path in self.paths.items():
            uri, width, height = icon_data(path)
            symbol = ET.SubElement(defs, f"{{{SVG_NS}}}symbol", {
                "id": symbol_id, "viewBox": f"0 0 {width} {height}", "preserveAspectRatio": "xMidYMid meet",
            })
            ET.SubElement(symbol, f"{{{SVG_NS}}}image", {XLINK_HREF: uri, "width": str(width), "height": str(height)})
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


def embed_icons(root: ET.Element, icons: IconSet, origin: Path) -> None:
    """Replace each linked <image> by a plate (lit up in dark mode) and a <use> of its symbol."""
    for parent in list(root.iter()):
        children: list[ET.Element] = []
        for child in parent:
            if child.tag != f"{{{SVG_NS}}}image":
                children.append(child)
                continue
            box = {name: child.get(name, "0").removesuffix("px") for name in ("x", "y", "width", "height")}
            symbol_id = icons.add(child.get(XLINK_HREF) or child.get("href", ""), origin)
            children.append(ET.Element(f"{{{SVG_NS}}}rect", {"class": "icon-plate", **box, "rx": "8", "fill": "none"}))
            children.append(ET.Element(f"{{{SVG_NS}}}use", {"class": "icon", XLINK_HREF: f"#{symbol_id}", **box}))
        parent[:] = children


def clean_svg(raw: str, alt: str, icons: IconSet, origin: Path) -> ET.Element:
    root = ET.fromstring(raw)  # noqa: S314 - dot's own output; the parser drops the comments and the doctype
    drop_titles_and_graph_id(root)
    embed_icons(root, icons, origin)
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
