"""The ```runnable fence at build time: the page carries the file, CPython's output and the runtime."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from machinery import runnable
from tests.conftest import ROOT, build_site, copy_project

PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]


def test_every_block_shows_its_file_and_what_cpython_printed(built_site: Path, runnable_blocks, expected_output) -> None:
    for block in runnable_blocks:
        html = (built_site / block.page / "index.html").read_text(encoding="utf-8")
        assert f'<span class="filename">{block.file}</span>' in html
        assert block.build_output.rstrip() == expected_output(block.file, block.args).rstrip(), block


def test_the_site_carries_pyodide_the_editor_and_every_snippet(built_site: Path) -> None:
    for name in PYODIDE_FILES:
        assert (built_site / "assets" / "pyodide" / name).read_bytes() == (ROOT / "node_modules" / "pyodide" / name).read_bytes()
    assert (built_site / "assets" / "vendor" / "editor.js").read_bytes() == (ROOT / "build" / "vendor" / "editor.js").read_bytes()
    settings = json.loads((built_site / "assets" / "runnable.json").read_text(encoding="utf-8"))
    snippets = sorted(path.name for path in (ROOT / "snippets").glob("*.py"))
    assert settings["snippets"] == snippets and snippets
    for name in snippets:
        assert (built_site / "snippets" / name).read_bytes() == (ROOT / "snippets" / name).read_bytes()
    assert settings["pyodide_url"] == "pyodide/"
    assert (built_site / "assets" / "python_runner.py").is_file()
    assert (built_site / "assets" / "python-worker.js").is_file()


def test_a_cdn_setting_leaves_pyodide_out_of_the_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runnable, "settings", runnable.Settings(root=ROOT, pyodide_url="https://cdn.example/pyodide/"))
    assert not [path for path, _ in runnable.runtime_sources() if path.startswith("assets/pyodide/")]
    assert runnable.worker_settings()["pyodide_url"] == "https://cdn.example/pyodide/"


def add_block(project: Path, header: str, body: str) -> None:
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n```runnable{header}\n{body}\n```\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("snippet", "header", "complaint"),
    [
        ("raise RuntimeError('the simulation broke')\n", "", "the simulation broke"),
        ("print('fine')\n", ' servers="5"', "unknown option(s) servers"),
        (None, "", "there is no file snippets/broken_demo.py"),
    ],
)
def test_a_broken_block_fails_the_build_and_names_the_file(tmp_path: Path, snippet, header: str, complaint: str) -> None:
    project = copy_project(tmp_path / "project")
    if snippet is not None:
        (project / "snippets" / "broken_demo.py").write_text(snippet, encoding="utf-8")
    add_block(project, header, "broken_demo.py")
    result = build_site(tmp_path / "out", "--config-file", str(project / "mkdocs.yml"))
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "snippets/broken_demo.py" in log or "broken_demo.py" in log
    assert complaint in log


@pytest.mark.parametrize("missing", ["node_modules", "build"])
def test_a_missing_runtime_fails_the_build_with_one_clear_line(tmp_path: Path, missing: str) -> None:
    project = copy_project(tmp_path / "project")
    (project / missing).unlink()
    result = build_site(tmp_path / "out", "--config-file", str(project / "mkdocs.yml"))
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("ERROR")]
    assert result.returncode != 0
    assert len(errors) == 1 and "run `make setup`" in errors[0], errors


def test_fence_options_set_args_and_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "crash.py").write_text("print('hi')\n", encoding="utf-8")
    monkeypatch.setattr(runnable, "settings", runnable.Settings(root=tmp_path, time_limit=30))
    block = runnable.RunnableBlock.from_fence("crash.py\n", {"args": "--servers 5 --label 'two words'", "time_limit": "60"})
    assert block.args == ("--servers", "5", "--label", "two words")
    assert block.time_limit == 60
    assert block.command[1:] == ["snippets/crash.py", "--servers", "5", "--label", "two words"]
    assert runnable.RunnableBlock.from_fence("crash.py", {}).time_limit == 30
    for source, options in (("crash.py", {"time_limit": "soon"}), ("../crash.py", {}), ("a.py\nb.py", {})):
        with pytest.raises(ValueError):
            runnable.RunnableBlock.from_fence(source, options)
