"""The ```diagram fence: an architecture picture drawn by a script in diagrams/.

    ```diagram
    stateless.py
    ```

The body is the script's file name; the page gets a <figure> with the SVG inlined
(figure.html). The package's parts, in the order a figure is made:

- scripts.py  finds a script in diagrams/, runs it, and says where it broke;
- font.py     the diagram font, which Graphviz measures with and the page draws with;
- icons.py    the icons (Material Design Icons), for Graphviz and for the page;
- graphviz.py runs `dot` on the graph the script drew;
- svg.py      makes dot's SVG self-contained (icons embedded once) and stable;
- figure.py   puts the pictures, icons and caption together, and caches the result;
- png.py      draws a standalone SVG as PNG;
- __main__.py `python -m machinery.diagram` writes every diagram as SVG and PNG.

diagram.css paints the pictures in Material's palette, in light and dark; the theme's main.html
declares the font (font.py says why there).
"""

from __future__ import annotations

from machinery import fence
from machinery.diagram import figure, scripts


@fence.guarded("diagram")
def fence_format(source, language, css_class, options, md, **kwargs) -> str:  # noqa: ANN001, ANN003, ARG001 - SuperFences' signature
    if options:
        raise scripts.DiagramError(f"the fence takes no options, got {', '.join(options)}: the body is a script's file name")
    return figure.cached_figure(scripts.script_path(source.strip()))
