"""The diagrams' icons: Material Design Icons, the set Material for MkDocs ships (Apache-2.0).

One family of flat, one-colour glyphs on a 24-unit grid. Each is drawn with
`fill="currentColor"`, so the page's CSS gives every icon the palette's colour, in light
and dark alike, and the standalone SVG gives it the colour of its node's label.

A script names an icon by file in its node's label (`<IMG SRC="server.svg"/>`, see
diagrams/_style.py). Graphviz then needs the file to lay the node out, but reads the size
of an SVG only when it starts with an XML declaration, which these files lack: it gets a
copy of each that has one, in a private folder passed as its `imagepath`. The picture
itself uses each icon as a <symbol> (svg.py), so no file is ever linked.
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import material

from machinery.diagram.scripts import DiagramError, shown

MATERIAL_ICONS = Path(material.__file__).resolve().parent / "templates" / ".icons" / "material"
SVG_NS = "http://www.w3.org/2000/svg"
ICON_IN_LABEL = re.compile(r'<IMG SRC="([^"]+)"')
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def source(file_name: str, origin: Path) -> Path:
    path = MATERIAL_ICONS / file_name
    if path.parent != MATERIAL_ICONS or not path.is_file():
        raise DiagramError(f"{shown(origin)}: there is no icon {file_name!r} in Material Design Icons ({MATERIAL_ICONS})")
    return path


def symbol_id(file_name: str) -> str:
    """server.svg -> icon-server: the same icon has the same id in every figure of a page."""
    return "icon-" + Path(file_name).stem


@functools.cache
def graphviz_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="diagram-icons-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def folder_for_graphviz(dot_sources: list[str], origin: Path) -> Path:
    """The folder of icons, as Graphviz can read them, that these graphs name."""
    folder = graphviz_folder()
    for file_name in sorted({name for dot in dot_sources for name in ICON_IN_LABEL.findall(dot)}):
        copy = folder / file_name
        if not copy.exists():
            copy.write_text(XML_DECLARATION + source(file_name, origin).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def symbol(file_name: str, origin: Path) -> ET.Element:
    """<symbol id="icon-server" viewBox="0 0 24 24" fill="currentColor"> with the icon's shapes."""
    icon = ET.fromstring(source(file_name, origin).read_text(encoding="utf-8"))  # noqa: S314 - a file of an installed package
    element = ET.Element(f"{{{SVG_NS}}}symbol", {"id": symbol_id(file_name), "viewBox": icon.get("viewBox", "0 0 24 24"),
                                                 "fill": "currentColor"})
    element.extend(icon)
    return element
