"""The reader's standard library: what the site's Python imports at once, the rest on demand.

Pyodide's python_stdlib.zip (2.4 MiB, already deflated) was 40% of what a first Run
downloads, and the site's own code imports a few of its modules. At build time
stdlib_imports.mjs starts Pyodide under Node, with the whole library, as the page's worker
starts it, runs every snippet as a reader does, and lists the files Python imported.
They make the core zip, which the worker hands to loadPyodide as its standard library;
every other file goes into the rest, which on_demand.py fetches the first time a reader's
code imports a module only it holds (`import statistics`). The few modules the runs import
beyond Pyodide's start-up (argparse, say) the worker imports ahead of the first run, so a
fresh interpreter (the spare that Stop swaps in) answers as fast as a warm one.

The zips and the module lists are cached in build/cache/stdlib/, keyed by a hash of all
they depend on: Pyodide's zip, the runner, the on-demand finder, the snippets, the
discovery script and this file. A cut that is not cached is made in a thread while the
pages render. A failure (no Node, a crash) is a warning, as for every fence; the site then
ships the whole library as its core, which works, only heavier.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import shutil
import subprocess
import threading
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from machinery import REPO, cache, fence, snippet_runs

HERE = Path(__file__).resolve().parent
DISCOVERY = HERE / "stdlib_imports.mjs"
RUNNER = HERE / "python_runner.py"
ON_DEMAND = HERE / "on_demand.py"
# What a reader runs besides the snippets as they are: the mistakes of someone editing
# them. Their tracebacks and hints import modules of their own.
READER_MISTAKES = (
    "raise ValueError('a mistake')\n",
    "print(undefined_name)\n",
    "def broken(:\n    pass\n",
    "import a_module_that_does_not_exist\n",
    "import sys\nsys.exit('bye')\n",
    "input()\n",
)
# Discovery runs every snippet a few times in Pyodide under Node: a few seconds. A snippet
# that never ends (a mistake its own build run reports) must not hold the build for long.
DISCOVERY_TIME_LIMIT = 60


def full_stdlib() -> Path:
    return REPO / "node_modules" / "pyodide" / "python_stdlib.zip"


@dataclass(frozen=True)
class Stdlib:
    core: bytes  # the zip loadPyodide gets as its standard library
    rest: dict[str, bytes]  # top-level module -> zip of its files the core lacks, fetched on demand
    rest_modules: tuple[str, ...]  # dotted names of the modules only the rest holds
    warm_imports: tuple[str, ...] = ()  # core modules to import ahead of the first run


# The cut for the inputs of the latest build, made or being made in a thread of its own.
_cut: dict[str, Future[Stdlib]] = {}
_lock = threading.Lock()


def prepare() -> None:
    """Start cutting in the background (on_pre_build hook): a cut that is not in the cache
    takes seconds of Node, which then run while the pages render."""
    if not full_stdlib().is_file():
        return  # runtime.py says Pyodide is missing
    key = cache_key()
    with _lock:
        if key not in _cut:
            _cut.clear()  # under `mkdocs serve` the inputs change: keep only the latest cut
            _cut[key] = thread().submit(cut, key)


def stdlib() -> Stdlib:
    """The core and the rest for this build (waits for the cut prepare() started)."""
    prepare()
    with _lock:
        making = _cut[cache_key()]
    return making.result()


@functools.cache
def thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="stdlib-cut")


def cut(key: str) -> Stdlib:
    """From the cache, or made now (and cached)."""
    folder = cache.cache_dir("stdlib") / key
    cached = read_cached(folder)
    if cached:
        return cached
    try:
        imported = discover_imports()
    except fence.FenceError as problem:
        fence.log.warning(f"the standard library for the page's Python could not be cut down, so the whole of it ships: {problem}")
        return Stdlib(core=full_stdlib().read_bytes(), rest={}, rest_modules=())
    made = dataclasses.replace(split(full_stdlib().read_bytes(), imported.files), warm_imports=imported.warm)
    write_cached(folder, made)
    return made


def cache_key() -> str:
    digest = hashlib.sha256()
    for path in (full_stdlib(), RUNNER, ON_DEMAND, DISCOVERY, Path(__file__), *snippet_files()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(json.dumps(snippet_runs.PYTHON_ENV).encode())
    return digest.hexdigest()


def snippet_files() -> list[Path]:
    return sorted(snippet_runs.snippets_dir().glob("*.py"))


def discovery_request() -> dict:
    """What stdlib_imports.mjs runs: the page's start-up, then the snippets and the mistakes."""
    files = {path.name: path.read_text(encoding="utf-8") for path in snippet_files()}
    runs = [{"code": code, "filename": name, "args": args} for name, code in files.items() for args in ([], ["--json"], ["--help"])]
    runs += [{"code": code, "filename": "mistake.py", "args": []} for code in READER_MISTAKES]
    return {
        "env": snippet_runs.PYTHON_ENV,
        "runner": RUNNER.read_text(encoding="utf-8"),
        "on_demand": ON_DEMAND.read_text(encoding="utf-8"),
        "files": files,
        "runs": runs,
    }


@dataclass(frozen=True)
class Imported:
    files: tuple[str, ...]  # paths inside python_stdlib.zip of every module the site's Python imports
    warm: tuple[str, ...]  # names of those its runs import beyond Pyodide's start-up


def discover_imports() -> Imported:
    """What the site's Python imports, found by stdlib_imports.mjs."""
    if not shutil.which("node"):
        raise fence.FenceError("Node is not installed")
    try:
        process = subprocess.run(["node", str(DISCOVERY)], input=json.dumps(discovery_request()), capture_output=True, text=True,
                                 encoding="utf-8", timeout=DISCOVERY_TIME_LIMIT, check=False, cwd=REPO)
    except subprocess.TimeoutExpired:
        raise fence.FenceError(f"{DISCOVERY.name} ran longer than {DISCOVERY_TIME_LIMIT} s") from None
    if process.returncode != 0:
        last_lines = "\n".join(process.stderr.strip().splitlines()[-5:])
        raise fence.FenceError(f"{DISCOVERY.name} failed:\n{last_lines}")
    found = json.loads(process.stdout.strip().splitlines()[-1])
    return Imported(files=tuple(found["files"]), warm=tuple(found["warm"]))


def split(full: bytes, imported: tuple[str, ...]) -> Stdlib:
    """The core and the rest of the whole library, given the files imported.

    The rest comes in one zip per top-level module, so `import statistics` fetches what
    statistics needs (a few small zips), not the 1.6 MiB of everything else.
    """
    wanted = set(imported)
    core = io.BytesIO()
    rest: dict[str, io.BytesIO] = {}
    rest_zips: dict[str, zipfile.ZipFile] = {}
    rest_modules: list[str] = []
    with zipfile.ZipFile(io.BytesIO(full)) as source, zipfile.ZipFile(core, "w") as core_zip:
        for entry in source.infolist():
            top = entry.filename.split("/")[0].removesuffix(".py")
            if entry.is_dir() or not top.isidentifier():
                continue  # folders, and site-packages/README.txt: nothing to import
            if entry.filename in wanted:
                target = core_zip
            else:
                if top not in rest:
                    rest[top] = io.BytesIO()
                    rest_zips[top] = zipfile.ZipFile(rest[top], "w")
                target = rest_zips[top]
                rest_modules += module_name(entry.filename)
            # A fresh entry of the same name and date: the zips come out the same on every build.
            copy = zipfile.ZipInfo(entry.filename, entry.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(copy, source.read(entry), compresslevel=9)
    for part in rest_zips.values():
        part.close()
    return Stdlib(core=core.getvalue(), rest={top: buffer.getvalue() for top, buffer in rest.items()},
                  rest_modules=tuple(sorted(rest_modules)))


def module_name(path: str) -> list[str]:
    """`email/mime/text.py` -> ["email.mime.text"], `json/__init__.py` -> ["json"], data files -> []."""
    if not path.endswith(".py"):
        return []
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return [".".join(parts)] if all(part.isidentifier() for part in parts) else []


def read_cached(folder: Path) -> Stdlib | None:
    """The cached cut, if complete: modules.json is written last."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        core = (folder / "core.zip").read_bytes()
        rest = {path.stem: path.read_bytes() for path in sorted((folder / "rest").glob("*.zip"))}
        return Stdlib(core=core, rest=rest, rest_modules=tuple(modules["rest"]), warm_imports=tuple(modules["warm"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_cached(folder: Path, made: Stdlib) -> None:
    """Each file atomically, the module list last. A failure only costs time: the next build cuts again."""
    try:
        (folder / "rest").mkdir(parents=True, exist_ok=True)
        cache.write_atomically(folder / "core.zip", made.core)
        for top, data in made.rest.items():
            cache.write_atomically(folder / "rest" / f"{top}.zip", data)
        cache.write_atomically(folder / "modules.json", json.dumps({"rest": made.rest_modules, "warm": made.warm_imports}).encode())
    except OSError:
        pass
