"""Snippets run at build time once per set of inputs (machinery/snippet_runs.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from machinery import snippet_runs
from machinery.snippet_runs import SnippetError, SnippetRun


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with three snippets (one imports a helper), and a private cache."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "helper.py").write_text("SERVERS = 4\n", encoding="utf-8")
    (snippets / "main.py").write_text("import sys\nimport helper\nprint(helper.SERVERS, *sys.argv[1:])\n", encoding="utf-8")
    (snippets / "other.py").write_text("print('other')\n", encoding="utf-8")
    monkeypatch.setattr(snippet_runs.Build, "root", tmp_path)
    monkeypatch.setenv("SITE_SNIPPETS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snippet_runs, "_finished", {})
    return tmp_path


def test_a_run_prints_what_the_file_prints_and_is_then_read_from_the_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert snippet_runs.printed(SnippetRun("main.py", ("--fast",))) == "4 --fast\n"
    monkeypatch.setattr(snippet_runs, "_finished", {})  # a new build: only the disk cache is left
    monkeypatch.setattr(subprocess, "run", lambda *_, **__: pytest.fail("the cached output was not used"))
    assert snippet_runs.printed(SnippetRun("main.py", ("--fast",))) == "4 --fast\n"


def test_the_key_follows_the_file_what_it_imports_and_the_options(project: Path) -> None:
    run = SnippetRun("main.py")
    key = snippet_runs.cache_key(run)
    assert snippet_runs.cache_key(SnippetRun("main.py", ("--servers", "5"))) != key
    (project / "snippets" / "other.py").write_text("print('edited')\n", encoding="utf-8")
    assert snippet_runs.cache_key(run) == key, "a snippet main.py does not import changes nothing"
    for changed in ("helper.py", "main.py"):
        path = project / "snippets" / changed
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        assert snippet_runs.cache_key(run) != key, changed
        key = snippet_runs.cache_key(run)


def test_a_failure_is_reported_with_its_traceback_and_not_cached(project: Path) -> None:
    (project / "snippets" / "broken.py").write_text("import helper\nhelper.MISSING\n", encoding="utf-8")
    with pytest.raises(SnippetError, match=r"(?s)`python snippets/broken.py` failed \(exit code 1\):\nTraceback.*AttributeError"):
        snippet_runs.printed(SnippetRun("broken.py"))
    assert not list((project / "cache").glob("*.json"))


def test_a_result_must_be_a_json_object(project: Path) -> None:
    with pytest.raises(SnippetError, match="did not print JSON; its last line: other"):
        snippet_runs.result(SnippetRun("other.py"))


@pytest.mark.parametrize("name", ["../main.py", "main", "sub/main.py", "missing.py"])
def test_only_files_of_snippets_can_run(project: Path, name: str) -> None:
    with pytest.raises(SnippetError):
        SnippetRun(name)
