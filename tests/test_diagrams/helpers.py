"""Shared by the diagram tests: the ids each script must emit, a throwaway MkDocs
project that uses the ```diagram fence, and a tiny PNG reader for screenshots."""

from __future__ import annotations

import functools
import http.server
import os
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / "diagrams"
SERVER_COUNTS = range(2, 7)


def numbered(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{number}" for number in range(1, count + 1)]


def pinned_ids(servers: int) -> set[str]:
    ids = {"lb", *numbered("client-", servers), *numbered("web-", servers), *numbered("sessions-web-", servers)}
    for number in range(1, servers + 1):
        ids |= {f"edge-client-{number}-lb", f"edge-lb-web-{number}", f"edge-web-{number}-sessions-web-{number}"}
    return ids


def stateless_ids(servers: int) -> set[str]:
    ids = {"lb", "web-tier", "session-store", "db", *numbered("client-", 3), *numbered("web-", servers)}
    ids |= {f"edge-client-{number}-lb" for number in range(1, 4)}
    for web in numbered("web-", servers):
        ids |= {f"edge-lb-{web}", f"edge-{web}-session-store", f"edge-{web}-db"}
    return ids


def replication_ids(servers: int) -> set[str]:
    everyone = numbered("all-to-all-web-", servers)
    ring = numbered("one-backup-web-", servers)
    ids = {"all-to-all", "one-backup", *everyone, *ring}
    ids |= {f"edge-{a}-{b}" for index, a in enumerate(everyone) for b in everyone[index + 1:]}
    ids |= {f"edge-{a}-{ring[(index + 1) % servers]}" for index, a in enumerate(ring)}
    return ids


def token_flow_ids(servers: int) -> set[str]:
    ids = {"client-1", "auth", "lb", "web-tier", "signing-key", *numbered("web-", servers),
           "edge-client-1-auth", "edge-auth-client-1", "edge-client-1-lb", "edge-auth-signing-key"}
    for web in numbered("web-", servers):
        ids |= {f"edge-lb-{web}", f"edge-{web}-signing-key"}
    return ids


def practice_ids(servers: int) -> set[str]:
    ids = {"client-1", "dns", "cdn", "lb", "web-tier", "state", "session-store", "session-store-replica",
           "cache", "db", "db-replica-1", "db-replica-2", *numbered("web-", servers),
           "edge-client-1-dns", "edge-client-1-cdn", "edge-cdn-lb",
           "edge-session-store-session-store-replica", "edge-db-db-replica-1", "edge-db-db-replica-2"}
    for web in numbered("web-", servers):
        ids |= {f"edge-lb-{web}", f"edge-{web}-session-store", f"edge-{web}-cache", f"edge-{web}-db"}
    return ids


# The ids a simulation may rely on, per script, as a function of the server count.
EXPECTED_IDS = {
    "stateful.py": pinned_ids,
    "sticky_failure.py": pinned_ids,
    "stateless.py": stateless_ids,
    "replication.py": replication_ids,
    "token_flow.py": token_flow_ids,
    "practice.py": practice_ids,
}


# A throwaway MkDocs project

def mkdocs_config(site_name: str = "diagram test") -> str:
    return f"""site_name: {site_name}
docs_dir: docs
theme:
  name: material
  custom_dir: {ROOT / "machinery" / "overrides"}
  font: false
  palette:
    - scheme: default
    - scheme: slate
extra_css:
  - assets/diagrams.css
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: diagram
          class: diagram
          validator: !!python/name:machinery.diagram_build.fence_validator
          format: !!python/name:machinery.diagram_build.fence_format
"""


def fence(script: str, options: str = "") -> str:
    return f"```diagram {options}".rstrip() + f"\n{script}\n```\n"


def write_project(folder: Path, markdown: str) -> Path:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(mkdocs_config())
    (folder / "docs" / "index.md").write_text(markdown)
    return folder


def project_env(diagrams_dir: Path, cache: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_DIAGRAMS_DIR": str(diagrams_dir),
        "SITE_DIAGRAMS_CACHE": str(cache),
        **extra,
    }


def build_project(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder / "site")],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a built site from 127.0.0.1, like a static host."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# Reading screenshots without an imaging library

def decode_png(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
    assert depth == 8 and interlace == 0 and colour_type in (2, 6), "unexpected PNG format"
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(compressed)
    stride = width * channels
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for row in range(height):
        start = row * (stride + 1)
        line = unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        pixels += [tuple(line[x:x + 3]) for x in range(0, stride, channels)]  # type: ignore[misc]
        previous = line
    return pixels


def unfilter(kind: int, line: bytearray, previous: bytearray, channels: int) -> bytearray:
    for index in range(len(line)):
        left = line[index - channels] if index >= channels else 0
        up = previous[index]
        up_left = previous[index - channels] if index >= channels else 0
        if kind == 1:
            line[index] = (line[index] + left) & 0xFF
        elif kind == 2:
            line[index] = (line[index] + up) & 0xFF
        elif kind == 3:
            line[index] = (line[index] + (left + up) // 2) & 0xFF
        elif kind == 4:
            estimate = left + up - up_left
            distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
            predictor = (left, up, up_left)[distances.index(min(distances))]
            line[index] = (line[index] + predictor) & 0xFF
    return line
