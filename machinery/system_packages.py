"""Make sure the Debian packages the site needs are installed.

Run by the Makefile before anything else:

    python3 -m machinery.system_packages graphviz            # to build the site
    python3 -m machinery.system_packages graphviz chromium   # to test it

As root on Debian or Ubuntu the missing packages are installed with apt-get;
otherwise one line says what to install, and the command fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Each package is recognised by a program it puts on PATH, so the check also
# works on machines where the program came from somewhere other than apt.
PROGRAM_OF_PACKAGE = {
    "graphviz": "dot",
    "chromium": "chromium",
    "haproxy": "haproxy",
    "redis-server": "redis-server",
    "librsvg2-bin": "rsvg-convert",
}
# What a package needs beside it:
# - the diagrams' PNG files are their SVG drawn by librsvg's rsvg-convert
#   (machinery/diagram/png.py); Graphviz brings its own text layout (Pango);
# - pages screenshotted in tests need a real font, or every glyph is a box.
COMPANIONS = {
    "graphviz": ["librsvg2-bin"],
    "chromium": ["fonts-dejavu-core"],
}


def is_installed(package: str) -> bool:
    program = PROGRAM_OF_PACKAGE.get(package)
    if program is not None and shutil.which(program):
        return True
    if shutil.which("dpkg-query") is None:
        return False
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return status.stdout.strip() == "install ok installed"


def missing_packages(wanted: list[str]) -> list[str]:
    wanted = [*wanted, *(companion for package in wanted for companion in COMPANIONS.get(package, []))]
    return [package for package in wanted if not is_installed(package)]


def install_with_apt(packages: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"Installing Debian packages: {' '.join(packages)}", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
    )


def main(argv: list[str]) -> int:
    missing = missing_packages(argv)
    if not missing:
        return 0
    can_install = os.geteuid() == 0 and shutil.which("apt-get") is not None
    if not can_install:
        print(
            f"Missing system packages: {' '.join(missing)}. "
            f"Install them with: sudo apt-get install {' '.join(missing)}",
            file=sys.stderr,
        )
        return 1
    install_with_apt(missing)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
