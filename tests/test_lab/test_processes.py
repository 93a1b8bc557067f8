"""The Supervisor (lab/processes.py) on its own, with stand-in processes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lab import processes
from lab.processes import Supervisor

from .helpers import is_running

# A process that shrugs off SIGTERM, as a server stuck in its shutdown would.
STUBBORN = [sys.executable, "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"]


def test_stopping_all_waits_once_for_every_process_then_kills_the_stubborn(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(processes, "STOP_SECONDS", 1.0)
    with Supervisor(tmp_path) as supervisor:
        started = [supervisor.start(f"stubborn-{n}", STUBBORN) for n in range(4)]
        deadline = time.monotonic() + 30
        while not all("ready" in process.log.read_text() for process in started):
            assert time.monotonic() < deadline, "the stand-ins did not start"
            time.sleep(0.05)
        began = time.monotonic()
    took = time.monotonic() - began
    assert not any(is_running(process.pid) for process in started)
    assert all(process.popen.returncode == -9 for process in started), "SIGTERM was ignored: each was killed"
    # One wait of STOP_SECONDS for all four, not one each (which would take 4 s at least).
    assert took < 3.0, took
