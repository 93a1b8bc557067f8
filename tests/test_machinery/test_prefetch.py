"""The snippet runs a build needs are found in the pages and started side by side (machinery/prefetch.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from machinery import prefetch, snippet_runs
from machinery.snippet_runs import SnippetRun

PAGE = """# A page

```runnable args="--servers 5" time_limit="60"
main.py
```

A figure: {{ main.py --fast | servers }}, and one from a data file: {{ lab/results.json | x }}.

!!! note
    ```live
    snippet: main.py
    servers: 2-4
    views: {stateful: stateful.py}
    ```

```runnable args="'unclosed"
main.py
```

```runnable
missing.py
```
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a snippet, a page that asks for it four ways, a private cache and no runs yet."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "main.py").write_text("import sys\nprint(*sys.argv[1:])\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(snippet_runs.Build, "root", tmp_path)
    monkeypatch.setenv("SITE_SNIPPETS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snippet_runs, "_finished", {})
    monkeypatch.setattr(snippet_runs, "_running", {})
    return tmp_path


def test_the_runs_of_a_page_are_those_its_fences_and_figures_ask_for(project: Path) -> None:
    runs = prefetch.runs_of_page(PAGE)
    assert [(run.file, run.args) for run in runs] == [
        ("main.py", ("--servers", "5")),  # the runnable block; the unreadable and missing ones are left to their fences
        ("main.py", ()),  # the live block shows what its snippet prints
        ("main.py", ("--json",)),  # and replays its result
        ("main.py", ("--fast", "--json")),  # the figure
    ]
    assert runs[0].time_limit == 60


def test_each_run_happens_once_in_the_pool_and_the_fences_then_find_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real_run = snippet_runs.run_and_store

    def recorded(run: SnippetRun, key: str) -> snippet_runs.Finished:
        threads.append(threading.current_thread().name)
        return real_run(run, key)

    monkeypatch.setattr(snippet_runs, "run_and_store", recorded)
    prefetch.start(project / "docs")
    prefetch.start(project / "docs")  # the next build under `mkdocs serve`: nothing new to start
    assert snippet_runs.printed(SnippetRun("main.py", ("--servers", "5"))) == "--servers 5\n"
    assert snippet_runs.printed(SnippetRun("main.py", ("--fast", "--json"))) == "--fast --json\n"
    assert len(threads) == 4
    assert all(name.startswith("snippet-run") for name in threads)
