"""The diagram scripts of diagrams/: finding them, running them, and saying where they broke.

A diagram script defines ALT (its text alternative, may contain `{servers}`), CAPTION (the
visible caption) and `draw(...)`, which builds the picture on a `_style.canvas` and
returns it. If `draw` takes `servers`, a figure can hold one picture per server count.
Files starting with `_` are helpers the scripts share.
"""

from __future__ import annotations

import inspect
import os
import re
import runpy
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from machinery.fence import Build, FenceError

SCRIPT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\.py")


class DiagramError(FenceError):
    """A diagram could not be drawn; the message names the script and line."""


def diagrams_dir() -> Path:
    """The project's diagrams/; tests may point a throwaway project at a copy elsewhere."""
    return Path(os.environ.get("SITE_DIAGRAMS_DIR") or Build.root / "diagrams").resolve()


def shown(path: Path) -> str:
    """A script's path as people read it: `diagrams/stateful.py`."""
    return f"{path.parent.name}/{path.name}"


def script_files(folder: Path | None = None) -> list[Path]:
    """Every diagram script; files starting with `_` are shared helpers."""
    folder = folder or diagrams_dir()
    return sorted(path for path in folder.glob("*.py") if not path.name.startswith("_"))


def helper_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("_*.py"))


def script_path(file_name: str) -> Path:
    folder = diagrams_dir()
    if not SCRIPT_NAME.fullmatch(file_name) or file_name.startswith("_"):
        raise DiagramError(f"the body must be the file name of a script in {folder.name}/, got {file_name!r}")
    path = folder / file_name
    if not path.is_file():
        known = ", ".join(p.name for p in script_files(folder))
        raise DiagramError(f"{shown(path)} does not exist (there are: {known})")
    return path


@dataclass(frozen=True)
class Script:
    path: Path
    alt: str
    caption: str
    draw: Callable[..., object]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def takes_servers(self) -> bool:
        return "servers" in inspect.signature(self.draw).parameters

    @property
    def default_servers(self) -> int | None:
        parameter = inspect.signature(self.draw).parameters.get("servers")
        if parameter is None or parameter.default is inspect.Parameter.empty:
            return None
        return int(parameter.default)


@contextmanager
def script_imports(folder: Path) -> Iterator[None]:
    """Let a script `import _style` from its own folder, as `python diagrams/x.py` would.

    The helpers are dropped from sys.modules before and after, so a rebuild in a
    long-running `mkdocs serve` sees their current source, and no bytecode is
    written (rendering must leave no file in the project).
    """
    helpers = [path.stem for path in helper_files(folder)]
    saved_flag = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(folder))
    for name in helpers:
        sys.modules.pop(name, None)
    try:
        yield
    finally:
        for name in helpers:
            sys.modules.pop(name, None)
        sys.path.remove(str(folder))
        sys.dont_write_bytecode = saved_flag


def describe_failure(error: BaseException, path: Path, servers: int | None = None) -> str:
    """`diagrams/broken.py, line 12: ZeroDivisionError: division by zero`."""
    folder = path.parent
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).parent == folder]
    if isinstance(error, SyntaxError) and error.filename:
        location = f"{shown(Path(error.filename))}, line {error.lineno}"
        detail = error.msg
    else:
        detail = str(error)
        location = shown(path)
        if frames:
            innermost = frames[-1]
            location = f"{shown(Path(innermost.filename))}, line {innermost.lineno}"
            in_script = [frame for frame in frames if Path(frame.filename) == path]
            if Path(innermost.filename) != path and in_script:
                location += f" (called from {shown(path)}, line {in_script[-1].lineno})"
    variant = f" (servers={servers})" if servers is not None else ""
    return f"{location}{variant}: {type(error).__name__}: {detail}"


def load_script(path: Path) -> Script:
    with script_imports(path.parent):
        try:
            namespace = runpy.run_path(str(path), run_name=f"_diagram_script_{path.stem}")
        except Exception as error:
            raise DiagramError(describe_failure(error, path)) from error
    alt, caption, draw = namespace.get("ALT"), namespace.get("CAPTION"), namespace.get("draw")
    if not (isinstance(alt, str) and isinstance(caption, str) and callable(draw)):
        raise DiagramError(f"{shown(path)}: a diagram script defines ALT and CAPTION strings and a draw() function")
    return Script(path, alt.strip(), caption.strip(), draw)


def draw_graph(script: Script, servers: int | None) -> object:
    """Run the script's draw() and return its Graphviz graph (nothing is rendered yet)."""
    from diagrams import Diagram  # noqa: PLC0415 - the library is slow to import; only rendering needs it

    arguments = {} if servers is None else {"servers": servers}
    with script_imports(script.path.parent):
        try:
            canvas = script.draw(**arguments)
        except Exception as error:
            raise DiagramError(describe_failure(error, script.path, servers)) from error
    # A plain Diagram has already written files into the working directory.
    if not isinstance(canvas, Diagram) or type(canvas) is Diagram:
        raise DiagramError(f"{shown(script.path)}: draw() must return the `_style.canvas(...)` it drew on")
    return canvas.dot
