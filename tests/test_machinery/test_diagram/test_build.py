"""The ```diagram fence in real MkDocs builds, and `python -m machinery.diagram`: outputs, errors, no stray files."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from machinery.diagram import figure, graphviz, scripts
from machinery.diagram import png as png_files
from tests.conftest import ROOT
from tests.test_diagrams.ids import DIAGRAMS

from .helpers import build_project, fence, project_env, write_project

SCRIPT_NAMES = [path.stem for path in scripts.script_files(DIAGRAMS)]
BROKEN_SCRIPT = '''"""A diagram whose script raises."""

import _style as s

CAPTION = "Broken."
ALT = "Nothing, it raises."


def draw(servers: int = 3):
    with s.canvas("broken") as diagram:
        s.load_balancer()
        raise RuntimeError("the script is broken")
    return diagram
'''


def copy_diagrams(destination: Path) -> Path:
    shutil.copytree(DIAGRAMS, destination, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def path_without_dot(tmp_path: Path) -> str:
    """PATH with every folder that holds `dot` left out."""
    folders = [folder for folder in os.environ["PATH"].split(os.pathsep) if not (Path(folder) / "dot").exists()]
    return os.pathsep.join(folders or [str(tmp_path)])


def run_cli(*arguments: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "machinery.diagram", *arguments],
        cwd=cwd, env=env or {**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=False,
    )


def test_mkdocs_yml_registers_the_fence() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert "name: diagram" in config
    assert "machinery.diagram.fence_format" in config
    assert "- diagrams" in config.split("watch:")[1].split("\n\n")[0], "mkdocs serve must watch diagrams/"


def test_build_inlines_every_diagram_and_leaves_no_files_behind(tmp_path: Path) -> None:
    """A cold build renders every figure; the project (here a copy) and the working folder stay clean."""
    diagrams = copy_diagrams(tmp_path / "diagrams")
    before = sorted(path.name for path in diagrams.iterdir())
    project = write_project(tmp_path / "project", "# All\n\n" + "\n".join(fence(f"{name}.py") for name in SCRIPT_NAMES))
    env = project_env(diagrams, tmp_path / "cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # prove no bytecode lands in diagrams/ either
    result = build_project(project, env)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "index.html").read_text()
    assert page.count('<figure class="diagram"') == len(SCRIPT_NAMES)
    assert page.count('class="diagram-variant"') == len(SCRIPT_NAMES)
    assert "site-packages" not in page
    search_index = (project / "site" / "search" / "search_index.json").read_text()
    assert "Load balancer" not in search_index, "diagram labels belong in the picture, not in search results"
    assert scripts.load_script(DIAGRAMS / "stateless.py").caption.split(",")[0] in search_index
    assert sorted(path.name for path in diagrams.iterdir()) == before, "rendering wrote into diagrams/"
    assert sorted(path.name for path in project.iterdir()) == ["docs", "mkdocs.yml", "site"]
    assert len(list((tmp_path / "cache").glob("*.html"))) == len(SCRIPT_NAMES)


def test_broken_script_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    diagrams = copy_diagrams(tmp_path / "diagrams")
    (diagrams / "broken.py").write_text(BROKEN_SCRIPT)
    project = write_project(tmp_path / "project", "# Broken\n\n" + fence("broken.py"))
    result = build_project(project, project_env(diagrams, tmp_path / "cache"))
    assert result.returncode != 0
    assert "docs/index.md: diagram fence: diagrams/broken.py, line 12 (servers=3): RuntimeError: the script is broken" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "cache").glob("broken-*")), "a failure must not be cached"


def test_unknown_script_fails_the_build(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", "# Typo\n\n" + fence("statefull.py"))
    result = build_project(project, project_env(DIAGRAMS, tmp_path / "cache"))
    assert result.returncode != 0
    assert "diagrams/statefull.py does not exist" in result.stderr


def test_missing_dot_fails_the_build_with_one_clear_line(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", "# No Graphviz\n\n" + fence("stateful.py"))
    env = project_env(DIAGRAMS, tmp_path / "cache", PATH=path_without_dot(tmp_path))
    result = build_project(project, env)
    assert result.returncode != 0
    assert graphviz.DOT_MISSING in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_help() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "--out" in result.stdout and "--servers" in result.stdout


def test_cli_writes_svg_and_png_for_every_script(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--out", str(out), "--servers", "2-3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in SCRIPT_NAMES:
        for suffix in ("", "-servers-2", "-servers-3"):
            svg = out / f"{name}{suffix}.svg"
            png = out / f"{name}{suffix}.png"
            assert svg.read_text().startswith("<svg ")
            assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"], "the CLI wrote outside --out"
    # Another process renders the same bytes.
    script = scripts.load_script(DIAGRAMS / "stateless.py")
    assert (out / "stateless.svg").read_text() == figure.render_standalone(script)
    # The PNG is that SVG, drawn at twice its size.
    view_box = re.search(r'viewBox="([^"]+)"', (out / "stateless.svg").read_text()).group(1).split()
    width, height = struct.unpack(">II", (out / "stateless.png").read_bytes()[16:24])
    assert (width, height) == tuple(round(float(size) * int(png_files.ZOOM)) for size in view_box[2:])


def test_cli_without_dot_prints_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": path_without_dot(tmp_path)}
    result = run_cli("--out", str(tmp_path / "out"), env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == graphviz.DOT_MISSING


def test_cli_names_a_broken_script(tmp_path: Path) -> None:
    diagrams = copy_diagrams(tmp_path / "diagrams")
    (diagrams / "broken.py").write_text(BROKEN_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SITE_DIAGRAMS_DIR": str(diagrams)}
    result = run_cli("--out", str(tmp_path / "out"), "broken.py", env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == "diagrams/broken.py, line 12 (servers=3): RuntimeError: the script is broken"
