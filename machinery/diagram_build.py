"""Render the architecture diagrams drawn by the scripts in diagrams/.

Three ways in:

* the ```diagram fence registered in mkdocs.yml (`fence_validator`, `fence_format`):
  a page writes the script's file name as the body, and gets a <figure> with the
  SVG inlined, e.g.

      ```diagram servers="2-6" default="3"
      stateless.py
      ```

* the command line, `python -m machinery.diagram_build --out build/diagrams`
  (`make diagrams`), which writes every diagram as SVG and PNG;
* the tests, through `render_figure`, `render_standalone` and `load_script`.

A diagram script defines ALT (its text alternative, may contain `{servers}`),
CAPTION (the visible caption) and `draw(...)`, which builds the picture on a
`_style.canvas` and returns it. If `draw` takes `servers`, the fence can render
several server counts into one figure.

The `diagrams` library hands Graphviz absolute paths to its icon files and lets
Graphviz link them from the SVG, so here every icon is embedded once as a
<symbol> and drawn with <use>; comments and <title>s are dropped and the fixed
size removed, which leaves an SVG that is self-contained and byte-identical on
every build with the same Graphviz. Links are written as `xlink:href`, not `href`:
on load, Material's instant navigation rewrites every element matching `[href]`
with `element.href = ...`, which throws on SVG elements (their `href` is read-only).

dot measures text with its built-in font metrics rather than the machine's
fonts (see `dot_environment`), so the layout does not depend on which fonts
happen to be installed.

Rendered figures are cached in build/cache/diagrams/, keyed by a hash of the
script, the shared helpers (diagrams/_*.py), the fence options, this file, the
`diagrams` version and `dot -V`. Nothing else is written but a temporary folder
for dot's plugin list: scripts only describe a graph, piped through dot in memory.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import functools
import hashlib
import html
import inspect
import os
import re
import runpy
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

ROOT = Path(__file__).resolve().parent.parent
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

DOT_MISSING = "Graphviz's `dot` was not found on PATH: install it with `apt-get install graphviz` (or `brew install graphviz`)"
FENCE_OPTIONS = ("servers", "default")
MAX_SERVERS = 12
SCRIPT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class DiagramError(SuperFencesException, PluginError):
    """A diagram could not be drawn; the message names the script and line.

    Superfences re-raises only its own exception type (any other error from a
    fence quietly turns the fence into a code block), and MkDocs prints a
    BuildError as one line and aborts the build.
    """


# Where things are. The environment variables let tests point a throwaway
# MkDocs project at a copy of the scripts and at its own cache.

def diagrams_dir() -> Path:
    return Path(os.environ.get("SITE_DIAGRAMS_DIR") or ROOT / "diagrams").resolve()


def cache_dir() -> Path:
    return Path(os.environ.get("SITE_DIAGRAMS_CACHE") or ROOT / "build" / "cache" / "diagrams")


def shown(path: Path) -> str:
    """A script's path as people read it: `diagrams/stateful.py`."""
    return f"{path.parent.name}/{path.name}"


def script_files(folder: Path | None = None) -> list[Path]:
    """Every diagram script; files starting with `_` are shared helpers."""
    folder = folder or diagrams_dir()
    return sorted(path for path in folder.glob("*.py") if not path.name.startswith("_"))


def helper_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("_*.py"))


def script_path(file_name: str) -> Path:
    folder = diagrams_dir()
    if not SCRIPT_NAME.fullmatch(file_name) or file_name.startswith("_"):
        raise DiagramError(f"diagram fence: the body must be the file name of a script in {folder.name}/, got {file_name!r}")
    path = folder / file_name
    if not path.is_file():
        known = ", ".join(p.name for p in script_files(folder))
        raise DiagramError(f"diagram fence: {shown(path)} does not exist (there are: {known})")
    return path


# Graphviz

@functools.cache
def dot_version() -> str:
    """What decides dot's output, for the cache key: its version and how it measures text."""
    if shutil.which("dot") is None:
        raise DiagramError(DOT_MISSING)
    result = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    metrics = "built-in font metrics" if "GVBINDIR" in dot_environment() else "system fonts"
    return f"{(result.stderr or result.stdout).strip()}; {metrics}"


@functools.cache
def dot_environment() -> dict[str, str]:
    """Run dot with only its layout and core (SVG) plugins, when that can be arranged.

    With all its plugins dot measures text through Pango and whatever fonts the
    machine has, so the same Graphviz lays a picture out differently from one
    machine to the next, and loading the fonts takes most of each run (about
    6 of 9 ms). Without the text-layout plugin dot uses its built-in font
    metrics. Graphviz finds plugins in GVBINDIR: a private folder that links the
    two plugins it needs, with the configuration `dot -c` writes for them.
    Where this cannot be set up, dot runs as installed.
    """
    probe = subprocess.run(["dot", "-v", "-Tcanon"], input="digraph {}", capture_output=True, text=True, check=False)
    found = re.search(r'libdir = "([^"]+)"', probe.stderr)
    if not found:
        return dict(os.environ)
    plugins = [path for pattern in ("*gvplugin_core*", "*gvplugin_dot_layout*") for path in Path(found.group(1)).glob(pattern)]
    folder = Path(tempfile.mkdtemp(prefix="diagram-dot-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    environment = {**os.environ, "GVBINDIR": str(folder)}
    try:
        for plugin in plugins:
            (folder / plugin.name).symlink_to(plugin)
        configured = subprocess.run(["dot", "-c"], env=environment, capture_output=True, check=False)
    except OSError:
        return dict(os.environ)
    if configured.returncode != 0 or not any(folder.glob("config*")):
        return dict(os.environ)
    return environment


def run_dot(source: str, output_format: str, origin: Path) -> bytes:
    """Lay out and draw one graph.

    One process per graph: dot can draw several graphs from one input, but then
    the layout of each depends on the graphs before it, run to run.
    """
    dot_version()
    try:
        result = subprocess.run(
            ["dot", f"-T{output_format}"], input=source.encode(), capture_output=True, check=False,
            # PNG needs the cairo plugin, so only SVG runs with the reduced set.
            env=dot_environment() if output_format == "svg" else None,
        )
    except FileNotFoundError as error:
        raise DiagramError(DOT_MISSING) from error
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise DiagramError(f"{shown(origin)}: Graphviz failed: {message[-1]}")
    return result.stdout


def run_dot_all(sources: list[str], origin: Path) -> list[str]:
    """SVG for each graph; the dot processes run side by side (most of their time is start-up)."""
    if len(sources) == 1:
        return [run_dot(sources[0], "svg", origin).decode()]
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        return [output.decode() for output in pool.map(lambda source: run_dot(source, "svg", origin), sources)]


# Running a script

@dataclass(frozen=True)
class Script:
    path: Path
    alt: str
    caption: str
    draw: Callable[..., object]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def servers_parameter(self) -> inspect.Parameter | None:
        return inspect.signature(self.draw).parameters.get("servers")

    @property
    def default_servers(self) -> int | None:
        parameter = self.servers_parameter
        if parameter is None or parameter.default is inspect.Parameter.empty:
            return None
        return int(parameter.default)


@contextmanager
def script_imports(folder: Path) -> Iterator[None]:
    """Let a script `import _style` from its own folder, as `python diagrams/x.py` would.

    The helpers are dropped from sys.modules before and after, so a rebuild in a
    long-running `mkdocs serve` sees their current source, and no bytecode is
    written (rendering must leave no file in the project).
    """
    helpers = [path.stem for path in helper_files(folder)]
    saved_flag = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(folder))
    for name in helpers:
        sys.modules.pop(name, None)
    try:
        yield
    finally:
        for name in helpers:
            sys.modules.pop(name, None)
        sys.path.remove(str(folder))
        sys.dont_write_bytecode = saved_flag


def describe_failure(error: BaseException, path: Path, servers: int | None = None) -> str:
    """`diagrams/broken.py, line 12: ZeroDivisionError: division by zero`."""
    folder = path.parent
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).parent == folder]
    if isinstance(error, SyntaxError) and error.filename:
        location = f"{shown(Path(error.filename))}, line {error.lineno}"
        detail = error.msg
    else:
        detail = str(error)
        location = shown(path)
        if frames:
            innermost = frames[-1]
            location = f"{shown(Path(innermost.filename))}, line {innermost.lineno}"
            in_script = [frame for frame in frames if Path(frame.filename) == path]
            if Path(innermost.filename) != path and in_script:
                location += f" (called from {shown(path)}, line {in_script[-1].lineno})"
    variant = f" (servers={servers})" if servers is not None else ""
    return f"{location}{variant}: {type(error).__name__}: {detail}"


def load_script(path: Path) -> Script:
    with script_imports(path.parent):
        try:
            namespace = runpy.run_path(str(path), run_name=f"_diagram_script_{path.stem}")
        except Exception as error:
            raise DiagramError(describe_failure(error, path)) from error
    alt, caption, draw = namespace.get("ALT"), namespace.get("CAPTION"), namespace.get("draw")
    if not (isinstance(alt, str) and isinstance(caption, str) and callable(draw)):
        raise DiagramError(f"{shown(path)}: a diagram script defines ALT and CAPTION strings and a draw() function")
    return Script(path, alt.strip(), caption.strip(), draw)


def draw_graph(script: Script, servers: int | None) -> object:
    """Run the script's draw() and return its Graphviz graph (nothing is rendered yet)."""
    from diagrams import Diagram

    arguments = {} if servers is None else {"servers": servers}
    with script_imports(script.path.parent):
        try:
            canvas = script.draw(**arguments)
        except Exception as error:
            raise DiagramError(describe_failure(error, script.path, servers)) from error
    # A plain Diagram has already written files into the working directory.
    if not isinstance(canvas, Diagram) or type(canvas) is Diagram:
        raise DiagramError(f"{shown(script.path)}: draw() must return the `_style.canvas(...)` it drew on")
    return canvas.dot


# Making the SVG self-contained

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
    root = ET.fromstring(raw)  # the parser drops the comments and the doctype
    drop_titles_and_graph_id(root)
    embed_icons(root, icons, origin)
    view_box = root.get("viewBox", "0 0 0 0")
    width = float(view_box.split()[2])
    root.attrib.clear()
    # No width/height: CSS scales the picture to the column, never above its
    # natural size (--diagram-width) and, on phones, not below 70% of it.
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


# Whole pictures

def render_variants(script: Script, counts: list[int | None], icons: IconSet) -> list[ET.Element]:
    graphs = [draw_graph(script, servers) for servers in counts]
    raw_svgs = run_dot_all([graph.source for graph in graphs], script.path)
    return [
        clean_svg(raw, script.alt.format(servers=servers), icons, script.path)
        for raw, servers in zip(raw_svgs, counts, strict=True)
    ]


def render_standalone(script: Script, servers: int | None = None) -> str:
    """One SVG file that carries its own icons (what `make diagrams` writes)."""
    servers = servers if servers is not None else script.default_servers
    icons = IconSet()
    (root,) = render_variants(script, [servers], icons)
    root.insert(0, icons.defs())
    return serialize(root) + "\n"


def render_png(script: Script, servers: int | None = None) -> bytes:
    graph = draw_graph(script, servers if servers is not None else script.default_servers)
    graph.graph_attr["bgcolor"] = "white"
    return run_dot(graph.source, "png", script.path)


def plan_variants(script: Script, servers: tuple[int, ...] | None, default: int | None) -> tuple[list[int | None], int | None]:
    """Which server counts to draw, and which one shows first."""
    takes_servers = script.servers_parameter is not None
    if (servers or default) and not takes_servers:
        raise DiagramError(f"{shown(script.path)}: draw() takes no `servers`, so the fence cannot set servers/default")
    if not takes_servers:
        return [None], None
    counts = list(servers or [default if default is not None else script.default_servers])
    if None in counts:
        raise DiagramError(f"{shown(script.path)}: draw(servers) has no default, so the fence must set servers")
    if default is None:
        default = script.default_servers if script.default_servers in counts else counts[0]
    if default not in counts:
        raise DiagramError(f"{shown(script.path)}: default={default} is not among servers={counts}")
    return counts, default


def render_figure(path: Path, servers: tuple[int, ...] | None = None, default: int | None = None) -> str:
    """The <figure> a page shows: icons once, one SVG per server count, a caption."""
    script = load_script(path)
    counts, default = plan_variants(script, servers, default)
    icons = IconSet()
    pictures = render_variants(script, counts, icons)
    default_attr = f' data-servers-default="{default}"' if default is not None else ""
    parts = [f'<figure class="diagram" data-diagram="{script.name}"{default_attr}>', sprite(icons.defs())]
    for count, picture in zip(counts, pictures, strict=True):
        count_attr = f' data-servers="{count}"' if count is not None else ""
        hidden = ' hidden=""' if count != default else ""
        # The labels are not text to search for (the caption is); Material's search skips this.
        parts.append(f'<div class="diagram-variant"{count_attr}{hidden} data-search-exclude="">{serialize(picture)}</div>')
    parts.append(f"<figcaption>{html.escape(script.caption)}</figcaption>")
    parts.append("</figure>")
    return "\n".join(parts)


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
    if len(sprites) < 2:
        return page_html
    symbols: dict[str, str] = {}
    for found in sprites:
        for symbol in SYMBOL.finditer(found):
            symbols.setdefault(symbol.group(1), symbol.group(0))
    shared = sprite(ET.fromstring(f'<defs xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">{"".join(symbols.values())}</defs>'))
    return shared + SPRITE.sub("", page_html)


# Cache

def cache_key(path: Path, options: dict[str, object]) -> str:
    digest = hashlib.sha256()
    parts = [
        Path(__file__).read_bytes(),
        path.name.encode(),
        path.read_bytes(),
        *(helper.name.encode() + b"\0" + helper.read_bytes() for helper in helper_files(path.parent)),
        repr(sorted(options.items())).encode(),
        version("diagrams").encode(),
        dot_version().encode(),
    ]
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


# Figures already rendered in this process: several pages may show the same one.
_figures: dict[str, str] = {}


def cached_figure(path: Path, options: dict[str, object]) -> str:
    key = cache_key(path, options)
    if key in _figures:
        return _figures[key]
    cached = cache_dir() / f"{path.stem}-{key[:32]}.html"
    if cached.is_file():
        figure = cached.read_text(encoding="utf-8")
    else:
        figure = render_figure(path, options.get("servers"), options.get("default"))  # type: ignore[arg-type]
        write_quietly(cached, figure)
    _figures[key] = figure
    return figure


def write_quietly(path: Path, text: str) -> None:
    """Write a cache file atomically; a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


# The ```diagram fence

def parse_servers(value: str) -> tuple[int, ...]:
    """`3` -> (3,), `2-6` -> (2, 3, 4, 5, 6)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", value)
    if not match:
        raise DiagramError(f'diagram fence: servers="{value}" is not a count or a range such as "2-6"')
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    if not 1 <= low <= high <= MAX_SERVERS:
        raise DiagramError(f'diagram fence: servers="{value}" must lie within 1-{MAX_SERVERS}')
    return tuple(range(low, high + 1))


def fence_validator(language, inputs, options, attrs, md) -> bool:  # noqa: ANN001 (superfences' signature)
    """Accept `servers="2-6"` and `default="3"` in the fence header; fail on anything else."""
    for key, value in inputs.items():
        if key == "servers":
            options["servers"] = parse_servers(value)
        elif key == "default":
            if not value.strip().isdigit():
                raise DiagramError(f'diagram fence: default="{value}" is not a server count')
            options["default"] = int(value)
        else:
            raise DiagramError(f"diagram fence: unknown option {key!r} (known: {', '.join(FENCE_OPTIONS)})")
    return True


def fence_format(source, language, css_class, options, md, **kwargs) -> str:  # noqa: ANN001
    return cached_figure(script_path(source.strip()), dict(options))


# Command line

def write_outputs(script: Script, out: Path, servers: int | None, suffix: str) -> list[Path]:
    svg_path = out / f"{script.name}{suffix}.svg"
    png_path = out / f"{script.name}{suffix}.png"
    svg_path.write_text(render_standalone(script, servers), encoding="utf-8")
    png_path.write_bytes(render_png(script, servers))
    return [svg_path, png_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m machinery.diagram_build",
        description="Render the diagram scripts in diagrams/ as self-contained SVG and as PNG.",
    )
    parser.add_argument("scripts", nargs="*", metavar="SCRIPT", help="script file names (default: every script)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "diagrams", help="output folder (default: build/diagrams)")
    parser.add_argument("--servers", metavar="RANGE", help='also write these server counts, e.g. "2-6", as NAME-servers-N.svg/.png')
    arguments = parser.parse_args(argv)
    try:
        extra_counts = parse_servers(arguments.servers) if arguments.servers else ()
        paths = [script_path(name) for name in arguments.scripts] or script_files()
        arguments.out.mkdir(parents=True, exist_ok=True)
        for path in paths:
            script = load_script(path)
            written = write_outputs(script, arguments.out, None, "")
            if script.servers_parameter is not None:
                for count in extra_counts:
                    written += write_outputs(script, arguments.out, count, f"-servers-{count}")
            print(" ".join(str(item) for item in written))
    except DiagramError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
