"""lab/results.json: the figures the lab recorded, as the site reads them.

Its shape is described in lab/README.md. It is written so that a diff of two recordings
reads well: one key per line, and each list of numbers (a timeline) on one line.
"""

from __future__ import annotations

import json
from pathlib import Path

ABOUT = "Figures measured by `python -m lab`: see lab/README.md for what each one means."


def dumps(value: object, depth: int = 0) -> str:
    """JSON with one key per line, but a list of plain values on a single line."""
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(key)}: {dumps(item, depth + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        return "[\n" + ",\n".join(f"{inner}{dumps(item, depth + 1)}" for item in value) + f"\n{pad}]"
    return json.dumps(value)


def save(results: dict, path: Path) -> None:
    """Merge these scenarios into the file, replacing what it had for them."""
    document = json.loads(path.read_text()) if path.exists() else {}
    document["about"] = ABOUT
    document["scenarios"] = {**document.get("scenarios", {}), **results}
    partial = path.with_suffix(".partial")
    partial.write_text(dumps(document) + "\n")
    partial.replace(path)  # a run that fails half-way leaves the old file whole
