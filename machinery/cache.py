"""build/cache/: what the build keeps between runs (rendered figures, snippet outputs,
the cut standard library, the diagram font for Graphviz).

Every entry is named by a hash of everything that shaped it, so nothing is ever stale,
and `make clean` (or deleting the folder) only costs time.
"""

from __future__ import annotations

import os
from pathlib import Path

from machinery import REPO


def cache_dir(kind: str) -> Path:
    """build/cache/<kind>/; tests give a build its own with SITE_<KIND>_CACHE."""
    return Path(os.environ.get(f"SITE_{kind.upper()}_CACHE") or REPO / "build" / "cache" / kind)


def read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def write_quietly(path: Path, text: str) -> None:
    """Write atomically; a failure only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode())
    except OSError:
        pass


def write_atomically(path: Path, content: bytes) -> None:
    """Whole or not at all: a parallel build never reads half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(path)
