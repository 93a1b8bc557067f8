"""The ```runnable fence at build time: the page carries the file, CPython's output and the runtime."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from machinery import snippet_runs
from machinery.runnable import RunnableBlock, Settings, runtime, stdlib
from machinery.snippet_runs import SnippetError
from tests.conftest import ROOT, build_site, copy_project

PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]


def test_every_block_shows_its_file_and_what_cpython_printed(built_site: Path, runnable_blocks, expected_output) -> None:
    for block in runnable_blocks:
        html = (built_site / block.page / "index.html").read_text(encoding="utf-8")
        assert f'<span class="filename">{block.file}</span>' in html
        assert block.build_output.rstrip() == expected_output(block.file, block.args).rstrip(), block


def test_the_site_carries_pyodide_the_runner_and_every_snippet(built_site: Path) -> None:
    for name in PYODIDE_FILES:
        assert (built_site / "assets" / "pyodide" / name).read_bytes() == (ROOT / "node_modules" / "pyodide" / name).read_bytes()
    assert sorted(path.name for path in (built_site / "assets" / "pyodide").iterdir()) == sorted(PYODIDE_FILES)
    site = built_site / "assets" / "site"
    settings = json.loads((site / "runnable.json").read_text(encoding="utf-8"))
    snippets = sorted(path.name for path in (ROOT / "snippets").glob("*.py"))
    assert settings["on_demand"]["snippets"] == snippets and snippets
    for name in snippets:
        assert (built_site / "snippets" / name).read_bytes() == (ROOT / "snippets" / name).read_bytes()
    assert (site / settings["pyodide_url"] / "pyodide.mjs").resolve() == (built_site / "assets" / "pyodide" / "pyodide.mjs").resolve()
    assert (site / settings["on_demand"]["snippets_url"]).resolve() == (built_site / "snippets").resolve()
    for path in runtime.PYTHON_FILES:
        assert (site / path.name).read_bytes() == path.read_bytes()
    assert {"python-worker.js", "editor.js", "site.js", "site.css"} <= {path.name for path in site.iterdir()}


def test_the_site_carries_the_standard_library_the_parity_tests_run(built_site: Path) -> None:
    """The very zips tests/test_snippets/pyodide.py hands Pyodide: the core, and the rest by top-level module."""
    site = built_site / "assets" / "site"
    settings = json.loads((site / "runnable.json").read_text(encoding="utf-8"))
    library = stdlib.stdlib()
    assert (site / settings["stdlib_url"]).read_bytes() == library.core
    rest = site / settings["on_demand"]["rest_url"]
    assert {path.stem: path.read_bytes() for path in rest.glob("*.zip")} == library.rest
    assert settings["on_demand"]["rest_modules"] == list(library.rest_modules)
    assert settings["warm_imports"] == list(library.warm_imports)
    assert "argparse" in library.warm_imports and not set(library.warm_imports) & set(library.rest_modules)
    assert settings["lock_file"]["packages"] == {}
    assert len(library.core) < len(stdlib.full_stdlib().read_bytes()) / 2


def test_a_cdn_setting_leaves_pyodide_out_of_the_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Settings, "pyodide_url", "https://cdn.example/pyodide/")
    assert not [path for path, _ in runtime.runtime_sources() if path.startswith("assets/pyodide/")]
    assert runtime.worker_settings(stdlib.Stdlib(core=b"", rest={}, rest_modules=()))["pyodide_url"] == "https://cdn.example/pyodide/"


def add_block(project: Path, header: str, body: str) -> None:
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n```runnable{header}\n{body}\n```\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("snippet", "header", "complaint"),
    [
        ("raise RuntimeError('the simulation broke')\n", "", "the simulation broke"),
        ("print('fine')\n", ' servers="5"', "unknown option(s) servers"),
        ("print('fine')\n", ' time_limit="soon"', "the time limit must be a positive number of seconds, not 'soon'"),
        (None, "", "there is no file snippets/broken_demo.py"),
    ],
)
def test_a_broken_block_fails_the_build_and_names_the_file(tmp_path: Path, snippet, header: str, complaint: str) -> None:
    project = copy_project(tmp_path / "project")
    if snippet is not None:
        (project / "snippets" / "broken_demo.py").write_text(snippet, encoding="utf-8")
    add_block(project, header, "broken_demo.py")
    result = build_site(tmp_path / "out", project)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "snippets/broken_demo.py" in log or "broken_demo.py" in log
    assert complaint in log


@pytest.mark.parametrize("missing", ["node_modules"])
def test_a_missing_runtime_fails_the_build_with_one_clear_line(tmp_path: Path, missing: str) -> None:
    project = copy_project(tmp_path / "project")
    (project / missing).unlink()
    result = build_site(tmp_path / "out", project)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("ERROR")]
    assert result.returncode != 0
    assert len(errors) == 1 and "run `make setup`" in errors[0], errors


def test_fence_options_set_args_and_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "crash.py").write_text("print('hi')\n", encoding="utf-8")
    monkeypatch.setattr(snippet_runs.Build, "root", tmp_path)
    block = RunnableBlock.from_options("crash.py\n", {"args": "--servers 5 --label 'two words'", "time_limit": "60"})
    assert block.run.args == ("--servers", "5", "--label", "two words")
    assert block.run.time_limit == 60
    assert block.run.command[1:] == ["snippets/crash.py", "--servers", "5", "--label", "two words"]
    assert RunnableBlock.from_options("crash.py", {}).run.time_limit == Settings.time_limit
    for source, options in (("crash.py", {"time_limit": "soon"}), ("../crash.py", {}), ("a.py\nb.py", {}), ("crash.py", {"args": "'open"})):
        with pytest.raises(SnippetError):
            RunnableBlock.from_options(source, options)
