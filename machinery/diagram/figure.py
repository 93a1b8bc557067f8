"""Whole figures: a script's pictures (one per server count), their icons and caption, cached.

Rendered figures are cached in build/cache/diagrams/, keyed by a hash of everything that
shapes them: the script, the shared helpers (diagrams/_*.py), the server counts, every
module and template of this package, the versions of `diagrams` and of Material (its icons),
`dot -V` and the diagram font. Nothing else is
written: scripts only describe a graph, which is piped through dot in memory.
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from pathlib import Path

from machinery import cache, fence
from machinery.diagram import font, graphviz, png, svg
from machinery.diagram.scripts import DiagramError, Script, draw_graph, helper_files, load_script, shown

PACKAGE = Path(__file__).resolve().parent
MAX_SERVERS = 12


def server_range(text: str) -> tuple[int, ...]:
    """`3` -> (3,), `2-6` -> (2, 3, 4, 5, 6): the server counts to draw."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", text)
    if not match:
        raise DiagramError(f"servers {text!r} is not a count or a range such as 2-6")
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    if not 1 <= low <= high <= MAX_SERVERS:
        raise DiagramError(f"servers {text!r} must lie within 1-{MAX_SERVERS}")
    return tuple(range(low, high + 1))


def render_variants(script: Script, counts: list[int | None], icons: svg.IconSet) -> list:
    graphs = [draw_graph(script, servers) for servers in counts]
    raw_svgs = graphviz.run_dot_all([graph.source for graph in graphs], script.path)
    return [
        svg.clean_svg(raw, script.alt.format(servers=servers), icons, script.path)
        for raw, servers in zip(raw_svgs, counts, strict=True)
    ]


def render_standalone(script: Script, servers: int | None = None) -> str:
    """One SVG file that carries its own icons and font (what `make diagrams` writes)."""
    servers = servers if servers is not None else script.default_servers
    icons = svg.IconSet()
    (root,) = render_variants(script, [servers], icons)
    root.insert(0, icons.defs())
    root.insert(0, svg.style(font.font_face_css()))
    return svg.serialize(root) + "\n"


def render_png(script: Script, servers: int | None = None) -> bytes:
    """The standalone SVG as a PNG image, on white."""
    return png.png_from_svg(render_standalone(script, servers), script.path)


def server_counts(script: Script, servers: tuple[int, ...], shown_first: int | None) -> tuple[list[int | None], int | None]:
    """Which server counts to draw, and which one shows first.

    A page's ```diagram shows the script's own default; a live diagram asks for a range.
    """
    if not script.takes_servers:
        if servers:
            raise DiagramError(f"{shown(script.path)}: draw() takes no `servers`, so it has one picture, not {len(servers)}")
        return [None], None
    counts = list(servers) or [script.default_servers]
    if None in counts:
        raise DiagramError(f"{shown(script.path)}: draw(servers) needs a default number of servers")
    first = shown_first if shown_first is not None else counts[0]
    if first not in counts:
        raise DiagramError(f"{shown(script.path)}: {first} servers is not among the counts drawn, {counts[0]}-{counts[-1]}")
    return counts, first


def render_figure(path: Path, servers: tuple[int, ...] = (), shown_first: int | None = None) -> str:
    """The <figure> a page shows: icons once, one SVG per server count, a caption."""
    script = load_script(path)
    counts, first = server_counts(script, servers, shown_first)
    icons = svg.IconSet()
    pictures = render_variants(script, counts, icons)
    return fence.render(
        "diagram/figure.html",
        name=script.name,
        caption=script.caption,
        sprite=svg.sprite(icons.defs()),
        variants=[(count, count != first, *svg.framed(picture)) for count, picture in zip(counts, pictures, strict=True)],
    )


def cache_key(path: Path, servers: tuple[int, ...], shown_first: int | None) -> str:
    digest = hashlib.sha256()
    shaping = [*sorted(PACKAGE.glob("*.py")), *sorted(PACKAGE.glob("*.html"))]
    parts = [
        *(source.read_bytes() for source in shaping),
        path.name.encode(),
        path.read_bytes(),
        *(helper.name.encode() + b"\0" + helper.read_bytes() for helper in helper_files(path.parent)),
        repr((servers, shown_first)).encode(),
        version("diagrams").encode(),
        version("mkdocs-material").encode(),  # the icons
        graphviz.dot_version().encode(),
    ]
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


# Figures already rendered in this process: several pages may show the same one.
_figures: dict[str, str] = {}


def cached_figure(path: Path, servers: tuple[int, ...] = (), shown_first: int | None = None) -> str:
    key = cache_key(path, servers, shown_first)
    if key in _figures:
        return _figures[key]
    stored = cache.cache_dir("diagrams") / f"{path.stem}-{key[:32]}.html"
    figure = cache.read(stored)
    if figure is None:
        figure = render_figure(path, servers, shown_first)
        cache.write_quietly(stored, figure)
    _figures[key] = figure
    return figure
