"""Lighthouse 12.2.3 (the last release for Node 20), installed on demand and run on Debian's Chromium.

It is not in the project's package.json: its 146 packages (110 MB) would slow every
`npm ci` of `make test` for a benchmark few runs. Its exact version and dependency tree
are pinned here instead (lighthouse/package.json and package-lock.json), and the first run
installs them into build/lighthouse/ with `npm ci`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINNED = Path(__file__).resolve().parent / "lighthouse"
INSTALLED = ROOT / "build" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


def cli() -> Path:
    """The lighthouse command, installed first if build/lighthouse/ does not hold the pinned tree."""
    command = INSTALLED / "node_modules" / ".bin" / "lighthouse"
    lock = PINNED / "package-lock.json"
    installed_lock = INSTALLED / "package-lock.json"
    if not command.exists() or not installed_lock.is_file() or installed_lock.read_bytes() != lock.read_bytes():
        INSTALLED.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(PINNED / name, INSTALLED / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=INSTALLED, check=True)
    return command


@dataclass(frozen=True)
class Audit:
    score: float  # performance, 0-100
    blocking_ms: float  # total blocking time: long tasks' time past 50 ms, from first_paint_ms on
    first_paint_ms: float  # first contentful paint
    dom_elements: int
    transfer_bytes: int  # everything the page downloaded until Lighthouse stopped watching


def audit(url: str, form_factor: str) -> Audit:
    """One Lighthouse performance run of `url`, "mobile" (its default throttling) or "desktop"."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        preset = ["--preset=desktop"] if form_factor == "desktop" else []
        subprocess.run(
            [str(cli()), url, "--only-categories=performance", *preset, "--output=json", f"--output-path={report}",
             f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True,
        )
        result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    return Audit(
        score=result["categories"]["performance"]["score"] * 100,
        blocking_ms=audits["total-blocking-time"]["numericValue"],
        first_paint_ms=audits["first-contentful-paint"]["numericValue"],
        dom_elements=int(audits["dom-size"]["numericValue"]),
        transfer_bytes=int(audits["total-byte-weight"]["numericValue"]),
    )
