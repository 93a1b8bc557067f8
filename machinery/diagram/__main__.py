"""`python -m machinery.diagram` (`make diagrams`): every diagram as SVG and PNG files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from machinery import REPO, fence
from machinery.diagram import figure, scripts


def write_outputs(script: scripts.Script, out: Path, servers: int | None, suffix: str) -> list[Path]:
    svg_path = out / f"{script.name}{suffix}.svg"
    png_path = out / f"{script.name}{suffix}.png"
    svg_path.write_text(figure.render_standalone(script, servers), encoding="utf-8")
    png_path.write_bytes(figure.render_png(script, servers))
    return [svg_path, png_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m machinery.diagram",
        description="Render the diagram scripts in diagrams/ as self-contained SVG and as PNG.",
    )
    parser.add_argument("scripts", nargs="*", metavar="SCRIPT", help="script file names (default: every script)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "diagrams", help="output folder (default: build/diagrams)")
    parser.add_argument("--servers", metavar="RANGE", help='also write these server counts, e.g. "2-6", as NAME-servers-N.svg/.png')
    arguments = parser.parse_args(argv)
    fence.Build.root = REPO  # this checkout's diagrams/, wherever the command runs
    try:
        extra_counts = figure.server_range(arguments.servers) if arguments.servers else ()
        paths = [scripts.script_path(name) for name in arguments.scripts] or scripts.script_files()
        arguments.out.mkdir(parents=True, exist_ok=True)
        for path in paths:
            script = scripts.load_script(path)
            written = write_outputs(script, arguments.out, None, "")
            if script.takes_servers:
                for count in extra_counts:
                    written += write_outputs(script, arguments.out, count, f"-servers-{count}")
            print(" ".join(str(item) for item in written))
    except scripts.DiagramError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
