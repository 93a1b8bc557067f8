"""Running the simulations of snippets/ when the site builds, once per set of inputs.

Three parts of the site need a snippet's output: a ```runnable block shows what
`python snippets/crash.py --servers 5` prints, a ```live block replays its `--json`
result, and a figure in the prose quotes a value of that result. Each run is exactly
what a reader types in a terminal, from the project root.

A run's output is kept in memory for the build and on disk in build/cache/snippets/,
keyed by a hash of its inputs: the snippet and the snippets it imports, its options and
the interpreter. Editing a page runs nothing again; editing a snippet reruns only the
runs that depend on it. Runs are independent processes: prefetch() starts the runs a build
will need side by side (machinery/prefetch.py finds them), and each is then read from there.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from machinery import cache
from machinery.fence import Build, FenceError

# The same interpreter settings for the build's CPython and the reader's Pyodide: string
# hashing does not change from run to run.
PYTHON_ENV = {"PYTHONHASHSEED": "0"}
# CPython writes no __pycache__ into snippets/ (which `mkdocs serve` watches: a new file
# there would trigger another rebuild), and prints UTF-8 at once.
BUILD_ONLY_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
# Seconds a snippet may run (here and in the reader's browser), unless its block says more.
DEFAULT_TIME_LIMIT = 30.0


class SnippetError(FenceError):
    """A snippet is missing, failed or printed something other than what was asked."""


def snippets_dir() -> Path:
    return Build.root / "snippets"


@dataclass(frozen=True)
class SnippetRun:
    """`python snippets/<file> <args>`, stopped after time_limit seconds."""

    file: str
    args: tuple[str, ...] = ()
    time_limit: float = field(default=DEFAULT_TIME_LIMIT, compare=False)

    def __post_init__(self) -> None:
        name = self.file
        if not name.endswith(".py") or "/" in name or "\\" in name or "\n" in name or name.startswith("."):
            raise SnippetError(f"expected one file name from snippets/, like crash.py, not {name!r}")
        if not (snippets_dir() / name).is_file():
            known = ", ".join(path.name for path in sorted(snippets_dir().glob("*.py")))
            raise SnippetError(f"there is no file snippets/{name} (there are: {known})")

    @property
    def command(self) -> list[str]:
        return [sys.executable, f"snippets/{self.file}", *self.args]

    @property
    def shown(self) -> str:
        return " ".join(["python", f"snippets/{self.file}", *self.args])


@dataclass(frozen=True)
class Finished:
    returncode: int
    output: str  # stdout and stderr, interleaved as a terminal shows them


_finished: dict[str, Finished] = {}  # by cache key: the runs of this process
_running: dict[str, Future[Finished]] = {}  # by cache key: runs prefetch() started
_lock = threading.Lock()


def printed(run: SnippetRun) -> str:
    """What the run prints; SnippetError (with its traceback) if it fails."""
    finished = execute(run)
    if finished.returncode != 0:
        raise SnippetError(failure(run, finished))
    return finished.output


def result(run: SnippetRun) -> dict:
    """The run's --json result, parsed."""
    output = printed(as_json(run))
    try:
        value = json.loads(output)
    except json.JSONDecodeError:
        last_line = (output.strip().splitlines() or ["nothing"])[-1]
        raise SnippetError(f"`{as_json(run).shown}` did not print JSON; its last line: {last_line}") from None
    if not isinstance(value, dict):
        raise SnippetError(f"`{as_json(run).shown}` printed JSON that is not an object")
    return value


def as_json(run: SnippetRun) -> SnippetRun:
    """The same run with --json: what result() runs."""
    return SnippetRun(run.file, (*run.args, "--json"), run.time_limit)


def execute(run: SnippetRun) -> Finished:
    key = cache_key(run)
    with _lock:
        finished, started = _finished.get(key), _running.get(key)
    if finished:
        return finished
    if started:
        try:
            finished = started.result()  # a time-out raises here, as it would below
        finally:
            with _lock:
                _running.pop(key, None)
    else:
        finished = read_cache(key) or run_and_store(run, key)
    with _lock:
        _finished[key] = finished
    return finished


def prefetch(runs: list[SnippetRun]) -> None:
    """Start every run not yet done, side by side, so that execute() finds it done or under way."""
    for run in dict.fromkeys(runs):  # the same run, asked for twice, once
        key = cache_key(run)
        with _lock:
            if key in _finished or key in _running:
                continue
        cached = read_cache(key)
        with _lock:
            if cached:
                _finished[key] = cached
            elif key not in _running:
                _running[key] = pool().submit(run_and_store, run, key)


@functools.cache  # one pool, kept for the builds that follow under `mkdocs serve`
def pool() -> ThreadPoolExecutor:
    """Threads that each wait on one snippet process: as many as there are processors."""
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="snippet-run")


def run_and_store(run: SnippetRun, key: str) -> Finished:
    try:
        process = subprocess.run(
            run.command,
            cwd=Build.root,
            env={**os.environ, **PYTHON_ENV, **BUILD_ONLY_ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            timeout=run.time_limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SnippetError(f"`{run.shown}` ran longer than its {run.time_limit:g} s time limit") from None
    finished = Finished(process.returncode, process.stdout)
    if finished.returncode == 0:
        write_cache(key, finished)
    return finished


def failure(run: SnippetRun, finished: Finished) -> str:
    """The traceback (or last lines) of a failed run, with paths from the project root."""
    lines = finished.output.replace(f"{Build.root}{os.sep}", "").rstrip().splitlines()
    starts = [index for index, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    shown_lines = lines[starts[-1]:] if starts else lines[-10:]
    return f"`{run.shown}` failed (exit code {finished.returncode}):\n" + "\n".join(shown_lines)


# The cache


def cache_key(run: SnippetRun) -> str:
    digest = hashlib.sha256()
    for name in sorted(imported_snippets(run.file)):
        digest.update(name.encode() + b"\0" + (snippets_dir() / name).read_bytes() + b"\0")
    digest.update(json.dumps([run.file, run.args, sys.version, PYTHON_ENV]).encode())
    return digest.hexdigest()


def imported_snippets(file: str) -> set[str]:
    """The file and every file of snippets/ it imports, directly or not."""
    found: set[str] = set()
    waiting = [file]
    while waiting:
        name = waiting.pop()
        if name in found:
            continue
        found.add(name)
        waiting += [f"{module}.py" for module in imported_modules(snippets_dir() / name) if (snippets_dir() / f"{module}.py").is_file()]
    return found


def imported_modules(path: Path) -> frozenset[str]:
    return modules_imported_by(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=256)  # a build asks for the key of one snippet many times
def modules_imported_by(source: str) -> frozenset[str]:
    """The top-level modules a source imports. Parsing takes ~10 ms a snippet, so each
    version of a file is parsed once: the answer is kept in build/cache/snippets/imports/ too."""
    kept = cache.cache_dir("snippets") / "imports" / f"{hashlib.sha256(source.encode()).hexdigest()}.json"
    try:
        return frozenset(json.loads(cache.read(kept) or "null"))
    except (TypeError, ValueError):
        pass
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()  # the run reports it
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    cache.write_quietly(kept, json.dumps(sorted(names)))
    return frozenset(names)


def read_cache(key: str) -> Finished | None:
    try:
        stored = json.loads(cache.read(cache.cache_dir("snippets") / f"{key}.json") or "")
        return Finished(stored["returncode"], stored["output"])
    except (ValueError, KeyError, TypeError):
        return None


def write_cache(key: str, finished: Finished) -> None:
    text = json.dumps({"returncode": finished.returncode, "output": finished.output})
    cache.write_quietly(cache.cache_dir("snippets") / f"{key}.json", text)
