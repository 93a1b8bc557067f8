"""The diagram scripts of diagrams/: the ids, classes and words each picture must carry, and its shape."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from machinery.diagram import figure, scripts
from tests.conftest import ROOT, run_snippet
from tests.test_diagrams import geometry
from tests.test_diagrams.ids import DIAGRAMS, EXPECTED_IDS, SERVER_COUNTS

SVG = "{http://www.w3.org/2000/svg}"
SCRIPTS = [path.name for path in scripts.script_files(DIAGRAMS)]


def ids_in(svg: ET.Element) -> list[str]:
    return [element.get("id") for element in svg.iter() if element.get("id")]


def test_every_script_has_expected_ids_listed() -> None:
    assert SCRIPTS, "no diagram scripts found"
    assert sorted(SCRIPTS) == sorted(EXPECTED_IDS), "add new scripts to EXPECTED_IDS in ids.py"


def test_no_package_marker_shadows_the_diagrams_library() -> None:
    assert not (DIAGRAMS / "__init__.py").exists()


def test_scripts_are_drawn_with_a_server_count(script: scripts.Script) -> None:
    # The reader may pick 2..6 servers, so every picture of a cluster takes the count.
    assert script.takes_servers
    assert script.default_servers == 3


def test_expected_ids_are_present(script: scripts.Script, variants: dict[int, str]) -> None:
    for count, svg in variants.items():
        ids = ids_in(ET.fromstring(svg))
        missing = EXPECTED_IDS[script.path.name](count) - set(ids)
        assert not missing, f"{script.path.name} servers={count} lacks {sorted(missing)}"
        assert len(ids) == len(set(ids)), "an id is used twice in one SVG"
        assert not [item for item in ids if re.fullmatch(r"(node|edge|clust|graph)\d+", item)], "Graphviz default ids"


def test_nodes_and_edges_carry_classes(variants: dict[int, str]) -> None:
    root = ET.fromstring(next(iter(variants.values())))
    groups = {element.get("id"): element.get("class", "") for element in root.iter(f"{SVG}g")}
    for element_id, classes in groups.items():
        if element_id is None:
            continue
        kind = classes.split()[0]
        assert kind in {"node", "edge", "cluster"}, (element_id, classes)
        assert len(classes.split()) >= 2, f"{element_id} has no class of its own: {classes!r}"
    web = groups.get("web-1") or groups.get("all-to-all-web-1")
    assert web == "node server"


def test_failure_diagram_marks_the_failed_server() -> None:
    svg = figure.render_standalone(scripts.load_script(DIAGRAMS / "sticky_failure.py"))
    groups = {element.get("id"): element.get("class") for element in ET.fromstring(svg).iter(f"{SVG}g")}
    assert groups["web-2"] == "node server down"
    assert groups["sessions-web-2"] == "node sessions lost"
    assert groups["edge-lb-web-2"] == "edge affinity broken"
    assert groups["web-1"] == "node server"


def test_text_alternative_and_caption(script: scripts.Script) -> None:
    assert len(script.caption) > 40 and len(script.alt) > 80
    html = ET.fromstring(figure.render_figure(script.path, (2, 3, 4), 3))
    # The frame of each picture carries its text alternative (svg.framed); the SVG is hidden from the accessibility tree.
    frames = html.findall("div")
    assert [frame.get("role") for frame in frames] == ["img"] * 3
    assert [next(frame.iter(f"{SVG}svg")).get("aria-hidden") for frame in frames] == ["true"] * 3
    labels = [frame.get("aria-label") for frame in frames]
    assert all(label and "{" not in label for label in labels)
    if "{servers}" in script.alt:
        assert len(set(labels)) == 3, "the text alternative should name each variant's server count"
    assert html.findtext("figcaption") == script.caption


def test_each_variant_shows_its_own_number_of_web_servers(script: scripts.Script) -> None:
    html = ET.fromstring(figure.render_figure(script.path, tuple(SERVER_COUNTS), 3))
    for count, wrapper in zip(SERVER_COUNTS, html.findall("div"), strict=True):
        servers = [g for g in wrapper.iter(f"{SVG}g") if g.get("class", "").startswith("node server")]
        assert len({g.get("id").rsplit("-", 1)[-1] for g in servers if "web-" in g.get("id")}) == count


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_runs_without_the_renderer_writing_files(name: str, tmp_path: Path) -> None:
    """A script only describes a graph: drawing it in a fresh folder leaves the folder empty."""
    code = (
        "import runpy, sys; sys.path.insert(0, sys.argv[1]);"
        "canvas = runpy.run_path(sys.argv[1] + '/' + sys.argv[2])['draw']();"
        "print(len(canvas.dot.source))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(DIAGRAMS), name], cwd=tmp_path,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 100
    assert list(tmp_path.iterdir()) == []


# Geometry: edges meet icons, few crossings, room for every note a live block writes

# An arrowhead's tip, or an edge's bare end, touches its icon's cell: the icon plus 2 of
# padding, and Graphviz stops an arrowhead up to a point short.
ICON_REACH = 3.5


def edge_ends(edge_id: str, ids: set[str]) -> tuple[str, str]:
    """edge-web-1-session-store -> ("web-1", "session-store"): the split whose halves are both ids."""
    body = edge_id.removeprefix("edge-")
    for position in (index for index, letter in enumerate(body) if letter == "-"):
        if body[:position] in ids and body[position + 1:] in ids:
            return body[:position], body[position + 1:]
    raise AssertionError(f"{edge_id} does not name two elements of its picture")


def drawn_ends(edge: ET.Element) -> list[tuple[float, float]]:
    """Where an edge visibly starts and ends: at an arrowhead's tip where it has one."""
    line = geometry.bezier_points(edge.find(f"{SVG}path").get("d"))
    ends = [line[0], line[-1]]
    for arrow in edge.iter(f"{SVG}polygon"):
        corners = [(float(x), float(y)) for x, y in geometry.NUMBER_PAIR.findall(arrow.get("points"))]
        which = min(range(2), key=lambda index: min(math.dist(corner, ends[index]) for corner in corners))
        ends[which] = max(corners, key=lambda corner: math.dist(corner, ends[which]))
    return ends


def test_edges_start_and_end_at_icons(script: scripts.Script, variants: dict[int, str]) -> None:
    for count, svg in variants.items():
        root = ET.fromstring(svg)
        icons = geometry.icon_boxes(root)
        ids = set(ids_in(root))
        for edge in (group for group in root.iter(f"{SVG}g") if group.get("class", "").startswith("edge")):
            for node_id, end in zip(edge_ends(edge.get("id"), ids), drawn_ends(edge), strict=True):
                if node_id in icons:  # otherwise a group: the edge meets its border
                    gap = icons[node_id].distance(end)
                    assert gap <= ICON_REACH, f"{script.name} servers={count}: {edge.get('id')} ends {gap:.1f} from {node_id}'s icon"


def test_the_practice_diagram_has_at_most_two_crossings() -> None:
    script = scripts.load_script(DIAGRAMS / "practice.py")
    for count in SERVER_COUNTS:
        found = geometry.crossings(geometry.edge_lines(ET.fromstring(figure.render_standalone(script, count))))
        assert len(found) <= 2, f"servers={count}: {found}"


def test_the_crossing_count_sees_a_crossing() -> None:
    lines = {"a": [(0.0, 0.0), (10.0, 10.0)], "b": [(0.0, 10.0), (10.0, 0.0)], "c": [(0.0, 0.0), (0.0, 20.0)]}
    assert geometry.crossings(lines) == [("a", "b")]


def live_blocks() -> list[dict]:
    """The ```live blocks of the site's pages, as YAML (figures in the prose stand in as 0)."""
    found = []
    for page in sorted((ROOT / "docs").glob("**/*.md")):
        bodies = re.findall(r"^```live\n(.*?)^```", page.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)
        found.extend(yaml.safe_load(re.sub(r"\{\{.*?\}\}", "0", body)) for body in bodies)
    return found


def test_every_node_a_live_block_writes_a_note_on_keeps_room_for_it() -> None:
    blocks = live_blocks()
    assert blocks, "no ```live block in docs/"
    for block in blocks:
        process = run_snippet(block["snippet"], *shlex.split(block.get("args", "")), "--json")
        result = json.loads(process.stdout)
        for view, script_name in block["views"].items():
            design = result["designs"][view]
            noted = {node for snapshot in design["timeline"] for node, state in snapshot["nodes"].items() if state["note"]}
            root = ET.fromstring(figure.render_standalone(scripts.load_script(DIAGRAMS / script_name), design["diagram_servers"]))
            for group in root.iter(f"{SVG}g"):
                if group.get("id") in noted:
                    assert group.find(f"{SVG}text[@class='live-note-slot']") is not None, (block["snippet"], view, group.get("id"))
