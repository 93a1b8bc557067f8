"""The ```runnable fence: a simulation from snippets/ that the reader can edit and run.

    ```runnable args="--servers 5" time_limit="60"
    crash.py
    ```

Both options are optional: `args` is the command line after the file name (split as a
shell does), `time_limit` the seconds a run may take (default: `time_limit` under
`extra: runnable:` in mkdocs.yml, else snippet_runs.DEFAULT_TIME_LIMIT).

The page gets the file's code and, under it, what `python snippets/crash.py --servers 5`
printed when the site was built, so the result is there without JavaScript
(runnable.html). In the browser runnable.js turns the block into an editor with Run, Stop
and Reset, and runs Python (Pyodide) in a Web Worker (python-worker.js, which loads
python_runner.py into Pyodide); runtime.py puts what that needs into the site.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from mkdocs.exceptions import PluginError

from machinery import fence, snippet_runs
from machinery.snippet_runs import SnippetError, SnippetRun

FENCE_OPTIONS = ("args", "time_limit")


class Settings:
    """`extra: runnable:` of mkdocs.yml (read by the on_config hook)."""

    pyodide_url = ""  # empty: the copy of Pyodide inside the site
    time_limit = snippet_runs.DEFAULT_TIME_LIMIT


def configure(config) -> None:  # noqa: ANN001 - MkDocs' config object
    options = dict(config.extra.get("runnable") or {})
    unknown = sorted(set(options) - {"pyodide_url", "time_limit"})
    if unknown:
        raise PluginError(f"extra.runnable in mkdocs.yml: unknown setting(s) {', '.join(unknown)}")
    pyodide_url = str(options.get("pyodide_url") or "")
    Settings.pyodide_url = pyodide_url if not pyodide_url or pyodide_url.endswith("/") else pyodide_url + "/"
    try:
        Settings.time_limit = positive_seconds(options.get("time_limit", snippet_runs.DEFAULT_TIME_LIMIT))
    except SnippetError as problem:
        raise PluginError(f"extra.runnable.time_limit in mkdocs.yml: {problem}") from None


def positive_seconds(value: object) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]  # any text or number; checked below
    except (TypeError, ValueError):
        seconds = 0.0
    if not seconds > 0:
        raise SnippetError(f"the time limit must be a positive number of seconds, not {value!r}")
    return seconds


def read_options(options: dict[str, str]) -> tuple[tuple[str, ...], float]:
    """The fence header's args (split as a shell does) and time limit."""
    unknown = sorted(set(options) - set(FENCE_OPTIONS))
    if unknown:
        raise SnippetError(f"unknown option(s) {', '.join(unknown)} (known: {', '.join(FENCE_OPTIONS)})")
    try:
        args = tuple(shlex.split(options.get("args", "")))
    except ValueError as problem:
        raise SnippetError(f"args cannot be read: {problem}") from None
    return args, positive_seconds(options.get("time_limit", Settings.time_limit))


@dataclass(frozen=True)
class RunnableBlock:
    run: SnippetRun

    @classmethod
    def from_options(cls, file: str, options: dict[str, str]) -> RunnableBlock:
        file = file.strip()
        try:
            args, time_limit = read_options(options)
        except SnippetError as problem:
            raise SnippetError(f"snippets/{file}: {problem}") from None
        return cls(SnippetRun(file, args, time_limit))

    def html(self) -> str:
        """The file's code and what it printed; runnable.js adds the editor and buttons."""
        path = snippet_runs.snippets_dir() / self.run.file
        return fence.render(
            "runnable/runnable.html",
            file=self.run.file,
            args=json.dumps(self.run.args),
            time_limit=f"{self.run.time_limit:g}",
            code=path.read_text(encoding="utf-8"),
            output=snippet_runs.printed(self.run),
        )


@fence.guarded("runnable")
def fence_format(source, language, css_class, options, md, **kwargs) -> str:  # noqa: ANN001, ANN003, ARG001 - SuperFences' signature
    return RunnableBlock.from_options(source, options).html()
