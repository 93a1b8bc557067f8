"""Graphviz's `dot`, run as a process: graphs in, SVG out, in memory."""

from __future__ import annotations

import functools
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from machinery.diagram import font, icons
from machinery.diagram.scripts import DiagramError, shown

DOT_MISSING = "Graphviz's `dot` was not found on PATH: install it with `apt-get install graphviz` (or `brew install graphviz`)"
NO_TEXT_LAYOUT = (
    "Graphviz cannot measure text in the diagram font here (its Pango plugin is missing or "
    "does not find the font): install Debian's graphviz package, which has the plugin"
)


@functools.cache
def dot_version() -> str:
    """What decides dot's output, for the cache key: its version and the font it measures with.

    dot measures text with Pango, which finds fonts through fontconfig: pointed at a
    configuration whose only font is the diagram font (font.environment), dot measures
    every label in the font the page draws it in, and lays a picture out the same way on
    every machine, whatever fonts it has. Checked once: a dot that cannot load that font
    would fall back to estimates, and labels would spill out of their boxes again.
    """
    if shutil.which("dot") is None:
        raise DiagramError(DOT_MISSING)
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    probe = subprocess.run(
        ["dot", "-v", "-Tsvg"], input=f'digraph {{ node [fontname="{font.FAMILY}"]; probe }}',
        env=font.environment(), capture_output=True, text=True, check=False,
    )
    font_folder = str(font.fontconfig_file().parent)
    if not any("resolved to" in line and font_folder in line for line in probe.stderr.splitlines()):
        raise DiagramError(NO_TEXT_LAYOUT)
    return f"{(version.stderr or version.stdout).strip()}; text measured in {font.FAMILY} {font.fingerprint()}"


def run_dot(source: str, icon_folder: Path, origin: Path) -> str:
    """Lay out and draw one graph as SVG.

    One process per graph: dot can draw several graphs from one input, but then
    the layout of each depends on the graphs before it, run to run.
    """
    dot_version()
    try:
        result = subprocess.run(
            ["dot", "-Tsvg", f"-Gimagepath={icon_folder}"], input=source.encode(), capture_output=True, check=False,
            env=font.environment(),
        )
    except FileNotFoundError as error:
        raise DiagramError(DOT_MISSING) from error
    message = result.stderr.decode(errors="replace").strip().splitlines()
    if result.returncode != 0:
        raise DiagramError(f"{shown(origin)}: Graphviz failed: {(message or ['no message'])[-1]}")
    if message:
        # A warning means a picture other than the one described (a label dropped, an icon missing).
        raise DiagramError(f"{shown(origin)}: Graphviz warns: {message[0]}")
    return result.stdout.decode()


def run_dot_all(sources: list[str], origin: Path) -> list[str]:
    """SVG for each graph; the dot processes run side by side (most of their time is start-up)."""
    dot_version()  # once, before the threads: it sets up the font folder they all share
    icon_folder = icons.folder_for_graphviz(sources, origin)
    if len(sources) == 1:
        return [run_dot(sources[0], icon_folder, origin)]
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        return list(pool.map(lambda source: run_dot(source, icon_folder, origin), sources))
