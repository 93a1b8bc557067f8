"""The ```runnable fence and the files that make it run in the reader's browser.

A page embeds a file from snippets/ with

    ```runnable args="--servers 5" time_limit="60"
    crash.py
    ```

Both options are optional: `args` is the command line after the file name (split like a
shell does), `time_limit` the seconds a reader's run may take (default: `time_limit` under
`extra: runnable:` in mkdocs.yml, else 30).

The page gets the file's code, highlighted, and under it what `python snippets/crash.py
--servers 5` printed when the site was built, so the result is there without JavaScript and
search indexes it. runnable.js (machinery/overrides/assets/) turns the block into an editor
with Run, Stop and Reset that runs Python (Pyodide) in a Web Worker. `add_runtime_files`,
called from the on_files hook, puts what that needs into the site: Pyodide, the editor
bundle, every snippet, the worker's Python runner and a small settings file.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

from markdown_exec import ExecutionError, MarkdownConverter, base_format, code_block, markdown_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.runnable")

# The part of the npm `pyodide` package a browser needs to run Python with the standard library.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
EDITOR_BUNDLE = Path("build/vendor/editor.js")
EDITOR_SOURCE = Path("machinery/editor.js")
ASSETS = Path("machinery/overrides/assets")
# Where the files land in the built site. The browser finds them relative to
# assets/runnable.js, so pages at any depth share them.
SITE_PYODIDE = "assets/pyodide/"
SITE_EDITOR = "assets/vendor/editor.js"
SITE_SNIPPETS = "snippets/"
SITE_SETTINGS = "assets/runnable.json"
SITE_RUNNER = "assets/python_runner.py"

FENCE_OPTIONS = {"args", "time_limit"}
SETUP_HINT = "run `make setup`"
# The same interpreter settings for the build's CPython and the reader's Pyodide: string
# hashing does not change from run to run, and CPython writes no __pycache__ into snippets/
# (which `mkdocs serve` watches: a new file there would trigger another rebuild).
PYTHON_ENV = {"PYTHONHASHSEED": "0"}
BUILD_ONLY_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}


@dataclass
class Settings:
    """`extra: runnable:` of mkdocs.yml, plus where the project is."""

    root: Path = Path.cwd()
    pyodide_url: str = ""  # empty: the copy of Pyodide inside the site
    time_limit: float = 30.0
    page: str = "a page"  # the page being rendered, for messages (on_page_markdown hook)


settings = Settings()


def configure(config) -> None:
    """Read the settings (on_config hook) and share the Markdown setup with markdown-exec."""
    options = dict(config.extra.get("runnable") or {})
    unknown = sorted(set(options) - {"pyodide_url", "time_limit"})
    if unknown:
        raise PluginError(f"extra.runnable in mkdocs.yml: unknown setting(s) {', '.join(unknown)}")
    pyodide_url = str(options.get("pyodide_url") or "")
    settings.root = Path(config.config_file_path).resolve().parent
    settings.pyodide_url = pyodide_url if not pyodide_url or pyodide_url.endswith("/") else pyodide_url + "/"
    try:
        settings.time_limit = positive_seconds(options.get("time_limit", 30), "extra.runnable.time_limit in mkdocs.yml")
    except ValueError as problem:
        raise PluginError(str(problem)) from None
    share_markdown_setup(config)


def share_markdown_setup(config) -> None:
    """Give markdown-exec the page's Markdown setup, minus per-line anchors.

    markdown-exec renders blocks with a fresh copy of that setup; without this it would
    rebuild it from the page's extension instances, which misses some of their settings
    (its own MkDocs plugin does the same). Each fresh copy numbers code blocks from 0, so
    line anchors would repeat the ids __codelineno-0-N in every block of a page.
    """
    extension_configs = dict(config.mdx_configs)
    highlight = extension_configs.get("pymdownx.highlight")
    if highlight is not None:
        extension_configs["pymdownx.highlight"] = {**highlight, "anchor_linenums": False}
    markdown_config.save(config.markdown_extensions, extension_configs)


def positive_seconds(value: object, where: str) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = 0.0
    if not seconds > 0:
        raise ValueError(f"{where}: the time limit must be a positive number of seconds, not {value!r}")
    return seconds


# ---------------------------------------------------------------------------------------
# The fence


@dataclass(frozen=True)
class RunnableBlock:
    file: str
    args: tuple[str, ...]
    time_limit: float

    @classmethod
    def from_fence(cls, source: str, options: dict[str, str]) -> RunnableBlock:
        file = source.strip()
        if not file or "\n" in file or "/" in file or "\\" in file or not file.endswith(".py"):
            raise ValueError(f"the block must hold one file name from snippets/, like crash.py, not {file!r}")
        unknown = sorted(set(options) - FENCE_OPTIONS)
        if unknown:
            known = ", ".join(sorted(FENCE_OPTIONS))
            raise ValueError(f"snippets/{file}: unknown option(s) {', '.join(unknown)} (known: {known})")
        if not (settings.root / "snippets" / file).is_file():
            raise ValueError(f"there is no file snippets/{file}")
        time_limit = positive_seconds(options.get("time_limit", settings.time_limit), f"snippets/{file}")
        return cls(file, tuple(shlex.split(options.get("args", ""))), time_limit)

    @property
    def path(self) -> Path:
        return settings.root / "snippets" / self.file

    @property
    def command(self) -> list[str]:
        """How the build runs the snippet: exactly `python snippets/<file> <args>`."""
        return [sys.executable, f"snippets/{self.file}", *self.args]


def fence_validator(language, inputs, options, attrs, md) -> bool:
    """Accept every header option; fence_format reports unknown ones by name.

    Returning False would make SuperFences render the block as plain code, silently.
    """
    options.update(inputs)
    return True


def fence_format(source, language, css_class, options, md, **kwargs) -> str:
    try:
        block = RunnableBlock.from_fence(source, options)
    except ValueError as problem:
        return broken_block("runnable", problem)
    return block_html(block, md, css_class)


def broken_block(kind: str, problem: Exception) -> str:
    """A warning, so `mkdocs build --strict` fails while `mkdocs serve` keeps going."""
    log.warning(f"{kind} block in {settings.page}: {problem}")
    return f'<div class="admonition failure"><p class="admonition-title">Broken {kind} block</p><p>{escape(str(problem))}</p></div>'


def block_html(block: RunnableBlock, md, css_class: str = "runnable") -> str:
    """The file's code and what it printed; runnable.js adds the editor and buttons."""
    code = block.path.read_text(encoding="utf-8")
    return (
        f'<div class="{escape(css_class)}" data-runnable-file="{escape(block.file)}"'
        f' data-runnable-args="{escape(json.dumps(block.args))}" data-runnable-time-limit="{block.time_limit:g}">'
        f'<div class="runnable__code">{highlighted_source(block, code, md)}</div>'
        f'<div class="runnable__output">{build_output(block, code, md)}</div>'
        "</div>"
    )


def highlighted_source(block: RunnableBlock, code: str, md) -> str:
    return MarkdownConverter(md, update_toc=False).convert(code_block("python", code, title=block.file))


def build_output(block: RunnableBlock, code: str, md) -> str:
    """What CPython prints for the snippet, rendered as a text block by markdown-exec.

    On failure markdown-exec logs a warning naming snippets/<file>, which fails the strict build.
    """
    return base_format(
        language="python",
        run=functools.partial(run_snippet, block),
        code=code,
        md=md,
        result="text",
        id=f"snippets/{block.file}",
        update_toc=False,
    )


def run_snippet(block: RunnableBlock, code: str, returncode: int = 0, **_: object) -> str:
    """markdown-exec's `run` callable: run the file itself, as a reader would in a terminal."""
    try:
        process = run_file(block)
    except subprocess.TimeoutExpired as timeout:
        printed = timeout.output.decode("utf-8", "replace") if isinstance(timeout.output, bytes) else timeout.output or ""
        raise ExecutionError(code_block("text", f"{printed}\n{timed_out(block)}"), None) from timeout
    if process.returncode != returncode:
        raise ExecutionError(code_block("text", process.stdout), process.returncode)
    return process.stdout


def json_result(block: RunnableBlock) -> object:
    """What `python snippets/<file> <args> --json` prints, parsed: the data a live diagram shows.

    Raises ValueError with the snippet's last line of output when it fails.
    """
    try:
        process = run_file(block, "--json")
    except subprocess.TimeoutExpired:
        raise ValueError(timed_out(block)) from None
    last_line = (process.stdout.strip().splitlines() or ["no output"])[-1]
    if process.returncode != 0:
        raise ValueError(f"snippets/{block.file} --json failed: {last_line}")
    try:
        return json.loads(process.stdout)
    except json.JSONDecodeError:
        raise ValueError(f"snippets/{block.file} --json did not print JSON: {last_line}") from None


def run_file(block: RunnableBlock, *extra_args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the project's own snippet
        [*block.command, *extra_args],
        cwd=settings.root,
        env={**os.environ, **PYTHON_ENV, **BUILD_ONLY_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=block.time_limit,
        check=False,
    )


def timed_out(block: RunnableBlock) -> str:
    return f"snippets/{block.file} ran longer than its {block.time_limit:g} s time limit"


# ---------------------------------------------------------------------------------------
# The files the browser needs


def add_runtime_files(files: Files, config) -> Files:
    """Add Pyodide, the editor bundle, the snippets and the worker's settings to the site (on_files)."""
    for site_path, source in runtime_sources():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    files.append(File.generated(config, SITE_SETTINGS, content=json.dumps(worker_settings(), indent=1)))
    return files


def runtime_sources() -> list[tuple[str, Path]]:
    root = settings.root
    sources = [(SITE_EDITOR, require(root / EDITOR_BUNDLE, "the editor bundle"))]
    if root.joinpath(EDITOR_SOURCE).stat().st_mtime > sources[0][1].stat().st_mtime:
        raise PluginError(f"{EDITOR_BUNDLE} is older than {EDITOR_SOURCE}: {SETUP_HINT} to rebuild it")
    if not settings.pyodide_url:
        pyodide = root / "node_modules" / "pyodide"
        sources += [(SITE_PYODIDE + name, require(pyodide / name, "Pyodide")) for name in PYODIDE_FILES]
    sources.append((SITE_RUNNER, root / ASSETS / "python_runner.py"))
    sources += [(SITE_SNIPPETS + path.name, path) for path in snippet_files()]
    return sources


def require(path: Path, what: str) -> Path:
    if not path.is_file():
        raise PluginError(f"{what} is missing ({path.relative_to(settings.root)}): {SETUP_HINT}")
    return path


def snippet_files() -> list[Path]:
    return sorted((settings.root / "snippets").glob("*.py"))


def worker_settings() -> dict[str, object]:
    """assets/runnable.json, read by python-worker.js. URLs are relative to that file."""
    return {
        "pyodide_url": settings.pyodide_url or "pyodide/",
        "snippets_url": "../" + SITE_SNIPPETS,
        "snippets": [path.name for path in snippet_files()],
        "env": PYTHON_ENV,
    }
