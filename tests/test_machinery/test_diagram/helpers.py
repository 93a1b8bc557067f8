"""Shared by the renderer's tests: a throwaway MkDocs project that uses the ```diagram
fence, a page of every figure (alone, in a live block and side by side as the home page
compares designs), and a tiny PNG reader for screenshots."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

from machinery import deferred, live
from machinery import fence as fences
from machinery.diagram import figure
from tests.conftest import ROOT
from tests.test_diagrams.ids import SERVER_COUNTS

SVG = "{http://www.w3.org/2000/svg}"

# A throwaway MkDocs project

def mkdocs_config(site_name: str = "diagram test") -> str:
    return f"""site_name: {site_name}
docs_dir: docs
theme:
  name: material
  custom_dir: {ROOT / "machinery" / "theme"}
  font: false
  palette:
    - scheme: default
    - scheme: slate
hooks:
  - {ROOT / "machinery" / "hooks.py"}
markdown_extensions:
  - md_in_html
  - pymdownx.superfences:
      custom_fences:
        - name: diagram
          class: diagram
          validator: !!python/name:machinery.fence.accept_options
          format: !!python/name:machinery.diagram.fence_format
"""


def fence(script: str, options: str = "") -> str:
    return f"```diagram {options}".rstrip() + f"\n{script}\n```\n"


def every_variant(paths: list[Path]) -> str:
    """Markdown holding each script's figure for every server count (3 shown), as a live block has them."""
    return "\n\n".join(figure.render_figure(path, tuple(SERVER_COUNTS), 3) for path in paths) + "\n"


# Live blocks without a simulation: each picture gets the widest note on every node that keeps room for one

def noted_nodes(figure_html: str) -> dict[str, list[str]]:
    """For each server count of a figure, the nodes (and parts) that keep room for a live note."""
    root = ET.fromstring(figure_html)
    return {
        variant.get("data-servers"): [group.get("id") for group in variant.iter(f"{SVG}g")
                                      if group.find(f"{SVG}text[@class='live-note-slot']") is not None]
        for variant in root.iter("div")
    }


def snapshot(nodes: list[str], note: str) -> dict:
    return {"minute": 0, "nodes": {node: {"status": "up", "note": note, "traffic": 0.5} for node in nodes},
            "counters": {}, "events": []}


def result(designs: dict[str, tuple[int, list[str]]], note: str) -> dict:
    """A simulation's result as live.js reads it: each design at one server count, one snapshot."""
    return {
        "parameters": {},
        "designs": {key: {"label": key, "diagram_servers": servers, "timeline": [snapshot(nodes, note)]}
                    for key, (servers, nodes) in designs.items()},
    }


def live_block(figures: dict[str, str], note: str) -> str:
    """A ```live block as live.html draws it, one view per script, with nothing to run: a test
    shows a server count by handing the block a result, as a run does (runnable:result)."""
    first = {key: (3, noted_nodes(html)["3"]) for key, html in figures.items()}
    return fences.render(
        "live/live.html", snippet="test.py", result=deferred.defer(json.dumps(result(first, note)), ".json"), prefix="test",
        views=[(key, key, *live.shown_later(html, hidden=index > 0)) for index, (key, html) in enumerate(figures.items())],
        controls=[], parameters={}, runnable='<div class="runnable"></div>',
    )


def compare_block(figures: dict[str, str], note: str) -> str:
    """Designs side by side, as the home page's ```live block with `compare:` draws them."""
    designs = {key: (3, noted_nodes(html)["3"]) for key, html in figures.items()}
    return fences.render(
        "live/compare.html", snippet="test.py", result=json.dumps(result(designs, note)),
        compare={"start": 0, "counters": [], "button": "Play"},
        views=[(key, key, html) for key, html in figures.items()],
    )


def write_project(folder: Path, markdown: str) -> Path:
    """A project of one page; the files its blocks defer (live_block, compare_block) go in
    its docs/, which the build copies into the site where the fences' own would be."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(mkdocs_config())
    (folder / "docs" / "index.md").write_text(markdown)
    deferred.write_files(str(folder / "docs"))
    return folder


def project_env(diagrams_dir: Path, cache: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_DIAGRAMS_DIR": str(diagrams_dir),
        "SITE_DIAGRAMS_CACHE": str(cache),
        **extra,
    }


def build_project(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder / "site")],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )


# Reading screenshots without an imaging library

def decode_png(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
    assert depth == 8 and interlace == 0 and colour_type in (2, 6), "unexpected PNG format"
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(compressed)
    stride = width * channels
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for row in range(height):
        start = row * (stride + 1)
        line = unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        pixels += [tuple(line[x:x + 3]) for x in range(0, stride, channels)]  # type: ignore[misc]
        previous = line
    return pixels


def unfilter(kind: int, line: bytearray, previous: bytearray, channels: int) -> bytearray:
    for index in range(len(line)):
        left = line[index - channels] if index >= channels else 0
        up = previous[index]
        up_left = previous[index - channels] if index >= channels else 0
        if kind == 1:
            line[index] = (line[index] + left) & 0xFF
        elif kind == 2:
            line[index] = (line[index] + up) & 0xFF
        elif kind == 3:
            line[index] = (line[index] + (left + up) // 2) & 0xFF
        elif kind == 4:
            estimate = left + up - up_left
            distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
            predictor = (left, up, up_left)[distances.index(min(distances))]
            line[index] = (line[index] + predictor) & 0xFF
    return line
