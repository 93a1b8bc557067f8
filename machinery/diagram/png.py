"""PNG files of the diagrams (`make diagrams`): the standalone SVG, drawn by librsvg.

Graphviz could draw a PNG itself, but not with these icons (it has no loader for SVG
images here), and it would be a second drawing that may differ from the SVG. rsvg-convert
draws the very SVG a reader gets, its text through Pango with the same fontconfig
configuration as Graphviz, so in the diagram font.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from machinery.diagram import font
from machinery.diagram.scripts import DiagramError, shown

RSVG_MISSING = (
    "librsvg's `rsvg-convert` was not found on PATH: install it with `apt-get install librsvg2-bin` "
    "(or `brew install librsvg`)"
)
# Two pixels to a unit of the picture: sharp on high-density screens and in print.
ZOOM = "2"


def png_from_svg(svg: str, origin: Path) -> bytes:
    try:
        result = subprocess.run(
            ["rsvg-convert", "--format=png", f"--zoom={ZOOM}", "--background-color=white"],
            input=svg.encode(), capture_output=True, check=False, env=font.environment(),
        )
    except FileNotFoundError as error:
        raise DiagramError(RSVG_MISSING) from error
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise DiagramError(f"{shown(origin)}: rsvg-convert failed: {message[-1]}")
    return result.stdout
