"""Graphviz's `dot`, run as a process: one graph in, SVG or PNG out, in memory."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from machinery.diagram.scripts import DiagramError, shown

DOT_MISSING = "Graphviz's `dot` was not found on PATH: install it with `apt-get install graphviz` (or `brew install graphviz`)"


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
