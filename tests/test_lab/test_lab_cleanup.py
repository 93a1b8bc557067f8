"""Whatever ends a lab run, every process it started goes, and so does its folder."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import simulation

from .helpers import QUICK_CRASH, is_running

ROOT = Path(__file__).resolve().parents[2]
STARTED = re.compile(r"lab: started (\S+) \(pid (\d+)\)")
FOLDER = re.compile(r"lab: files in (\S+)")
# A crash run far longer than any test waits: the tests end it themselves.
LONG_RUN = [*(part for name, value in {**QUICK_CRASH, "minutes": 200}.items()
              for part in simulation.option(name, value))]
WAIT_SECONDS = 30.0


class Lab:
    """`python -m lab crash ...` in the background, with what it says on stderr."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "lab", "crash", *LONG_RUN], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        for line in self.process.stderr:  # type: ignore[union-attr]
            self.lines.put(line)

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(text in line for line in self.said):
            self.said.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))

    def finish(self) -> int:
        """Wait for the lab to exit; returns its exit status, with all it said read."""
        code = self.process.wait(WAIT_SECONDS)
        self.reader.join(WAIT_SECONDS)
        while not self.lines.empty():
            self.said.append(self.lines.get())
        return code

    def pids(self) -> dict[str, int]:
        return {match[1]: int(match[2]) for line in self.said if (match := STARTED.search(line))}

    def folder(self) -> Path:
        return Path(next(match[1] for line in self.said if (match := FOLDER.search(line))))


@pytest.fixture
def lab() -> Iterator[Lab]:
    running = Lab()
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def gone(pids: list[int], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while any(is_running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 128 + signal.SIGTERM)])
def test_an_interrupted_run_stops_everything(lab: Lab, sig: signal.Signals, code: int) -> None:
    lab.wait_for("all up")
    lab.process.send_signal(sig)
    assert lab.finish() == code
    assert set(lab.pids()) >= {"web-1", "web-2", "web-3", "haproxy"}
    assert gone(list(lab.pids().values()))
    assert not lab.folder().exists()


def test_a_failed_run_stops_everything(lab: Lab) -> None:
    # HAProxy dies, and the lab did not kill it: the run fails, and says why.
    lab.wait_for("all up")
    os.kill(lab.pids()["haproxy"], signal.SIGKILL)
    assert lab.finish() == 1
    assert any("error: haproxy" in line for line in lab.said)
    assert gone(list(lab.pids().values()))
    assert not lab.folder().exists()


def test_a_killed_lab_takes_its_processes_with_it(lab: Lab) -> None:
    # SIGKILL reaches no handler: the kernel stops the children (setpriv --pdeathsig).
    lab.wait_for("all up")
    lab.process.kill()
    lab.finish()
    assert gone(list(lab.pids().values()))
    shutil.rmtree(lab.folder())  # the one thing a SIGKILLed lab cannot clean up
