"""Every snippet run the pages will ask for, started side by side before they render.

Pages ask for snippet runs one after another as MkDocs renders them: a ```runnable block
shows what its snippet prints, a ```live block also wants its --json result, and a figure
in the prose quotes a result. Each run is a process of its own, so the on_pre_build hook
reads every page first, finds the runs they will ask for, and starts them all at once
(snippet_runs.prefetch); the fences then find each output ready, or nearly.

Reading a page here is only a forecast: a block it cannot read is left to its fence, which
runs it and reports any mistake in the page, as usual.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import textwrap
from pathlib import Path

from machinery import figures, snippet_runs
from machinery.fence import FenceError
from machinery.live import spec
from machinery.runnable import RunnableBlock
from machinery.snippet_runs import SnippetRun

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<name>runnable|live)\b(?P<header>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
# An option of a fence's header, as SuperFences reads it: name="value" or name='value'.
OPTION = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
# What reading a block that has a mistake raises: its fence will report the mistake.
UNREADABLE = (FenceError, ValueError, TypeError, KeyError)


def start(docs_dir: Path) -> None:
    """Start the runs of every page of docs_dir (on_pre_build hook)."""
    snippet_runs.prefetch([run for page in sorted(docs_dir.rglob("*.md")) for run in runs_of_page(page.read_text(encoding="utf-8"))])


def runs_of_page(markdown: str) -> list[SnippetRun]:
    found: list[SnippetRun] = []
    for block in FENCE.finditer(markdown):
        options = {name: first or second for name, first, second in OPTION.findall(block["header"])}
        with contextlib.suppress(*UNREADABLE):
            found += runs_of_fence(block["name"], options, textwrap.dedent(block["body"]))
    for figure in figures.FIGURE.finditer(markdown):
        with contextlib.suppress(*UNREADABLE):
            found += figure_runs(figure["source"], figure["options"])
    return found


def runs_of_fence(name: str, options: dict[str, str], body: str) -> list[SnippetRun]:
    if name == "runnable":
        return [RunnableBlock.from_options(body, options).run]
    live = spec.parse(body)
    # As spec.LiveBlock.from_source reads it: a runnable block, whose output and --json result it shows.
    block = RunnableBlock.from_options(str(live["snippet"]), {key: str(live[key]) for key in ("args", "time_limit") if key in live})
    return [block.run, snippet_runs.as_json(block.run)]


def figure_runs(source: str, options: str) -> list[SnippetRun]:
    """As figures.figure_text reads a figure: a data file needs no run."""
    if not source.endswith(".py"):
        return []
    return [snippet_runs.as_json(SnippetRun(source, tuple(shlex.split(options))))]
