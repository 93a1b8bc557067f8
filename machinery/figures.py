"""Figures in the prose, computed by the simulations when the site builds.

A page never types a number that a simulation produces. It names the simulation, its
options and a path into its `--json` result, and the build puts the value in:

    Crashing web-2 logged out {{ crash.py | designs.stateful.totals.sessions_lost }} users,
    {{ crash.py | designs.stateful.totals.share_logged_out | .0% }} of them.
    With five servers: {{ crash.py --servers 5 | designs.stateful.totals.sessions_lost }}.

- The source is a file of snippets/ (run with its options and --json) or a JSON data file
  of the project, such as `lab/results.json`, named by its path from the project root.
- The path is dot-separated keys; a whole number (or -1) picks an item of a list.
- The optional last part is a Python format spec (`.0%`, `,.1f`); without it a whole
  number gets thousands separators (2,000) and any other value is shown as it is.

Each (source, options) pair is read or run once per build however often it is quoted
(snippet_runs also caches runs between builds). A mistake (an
unknown file, a failing run, a path that does not exist) is reported with the page and
the figure: a warning, so `mkdocs build --strict` fails, while `mkdocs serve` shows the
mistake in the page and keeps answering.
"""

from __future__ import annotations

import json
import re
import shlex
from html import escape
from pathlib import Path

from machinery import fence, snippet_runs

FIGURE = re.compile(
    r"\{\{\s*(?P<source>[\w./-]+\.(?:py|json))(?P<options>[^|}]*)\|(?P<path>[^|}]+)(?:\|(?P<spec>[^|}]*))?\}\}"
)

# Results of this build, by (source, options): a page may quote one run many times.
_results: dict[tuple[str, tuple[str, ...]], object] = {}


class FigureError(fence.FenceError):
    """A figure could not be computed; the message says which part is wrong."""


def start_build() -> None:
    """Forget the results of the previous build (on_pre_build): a snippet may have changed."""
    _results.clear()


def insert_figures(markdown: str) -> str:
    """Replace every {{ source options | path | spec }} of a page by its value."""

    def replace(match: re.Match[str]) -> str:
        try:
            return figure_text(match)
        except fence.FenceError as problem:
            fence.warn(f"figure `{match.group(0)}`: {problem}")
            return f'<span class="figure-error">{escape(str(problem))}</span>'

    return FIGURE.sub(replace, markdown)


def figure_text(match: re.Match[str]) -> str:
    source, path = match["source"], match["path"].strip()
    try:
        options = tuple(shlex.split(match["options"]))
    except ValueError as problem:
        raise FigureError(f"the options cannot be read: {problem}") from None
    value = lookup(result_of(source, options), path)
    return formatted(value, (match["spec"] or "").strip())


def result_of(source: str, options: tuple[str, ...]) -> object:
    key = (source, options)
    if key not in _results:
        _results[key] = load_data(source, options) if source.endswith(".json") else run_simulation(source, options)
    return _results[key]


def run_simulation(file: str, options: tuple[str, ...]) -> object:
    return snippet_runs.result(snippet_runs.SnippetRun(file, options))


def load_data(source: str, options: tuple[str, ...]) -> object:
    if options:
        raise FigureError(f"{source} is a data file: it takes no options")
    path = fence.Build.root / source
    if not path.is_file() or Path(source).is_absolute() or ".." in Path(source).parts:
        raise FigureError(f"there is no data file {source} in the project")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as problem:
        raise FigureError(f"{source} is not valid JSON: {problem}") from None


def lookup(data: object, path: str) -> object:
    """Follow `designs.stateful.totals.sessions_lost` (or `timeline.-1.minute`) into data."""
    value = data
    walked: list[str] = []
    for key in (part.strip() for part in path.split(".")):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and re.fullmatch(r"-?\d+", key) and -len(value) <= int(key) < len(value):
            value = value[int(key)]
        else:
            raise FigureError(f"{path}: {'.'.join(walked) or 'the result'} has no {key!r} (it has: {contents(value)})")
        walked.append(key)
    if isinstance(value, (dict, list)):
        raise FigureError(f"{path} is not a single value: go one step further")
    return value


def contents(value: object) -> str:
    """What a step of a path could have named, for the message."""
    if isinstance(value, dict):
        return ", ".join(map(str, value))
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return "a single value"


def formatted(value: object, spec: str) -> str:
    if spec:
        try:
            return escape(format(value, spec))
        except (TypeError, ValueError) as problem:
            raise FigureError(f"format {spec!r} does not fit the value {value!r}: {problem}") from None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return escape(str(value))
