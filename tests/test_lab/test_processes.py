"""The Supervisor (lab/processes.py) on its own, with stand-in processes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from lab import processes
from lab.processes import Supervisor

from .helpers import is_running

ROOT = Path(__file__).resolve().parents[2]

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


# SIGTERM arrives while a weakref callback runs (as it did about once in fifty lab runs):
# raised there, Python would print SystemExit as "ignored" and the run would go on.
SIGNALLED_IN_A_CALLBACK = """
import asyncio, os, signal, time, weakref
from lab.processes import exit_on_signals, leave_on_signals

class Thing:
    pass

def signal_myself(_):
    os.kill(os.getpid(), signal.SIGTERM)
    for _ in range(1000):  # the interpreter runs a pending signal handler at a loop like this
        pass

async def work():
    try:
        thing = Thing()
        kept = weakref.ref(thing, signal_myself)
        del thing  # the callback runs now
        await asyncio.sleep(20)
        return {}
    finally:
        print("cleaned up", flush=True)

exit_on_signals()
asyncio.run(leave_on_signals(work()))
print("ran on")
"""


def test_a_signal_that_lands_in_a_weakref_callback_still_ends_the_run() -> None:
    began = time.monotonic()
    ended = subprocess.run([sys.executable, "-c", SIGNALLED_IN_A_CALLBACK], cwd=ROOT, capture_output=True, text=True, check=False,
                           timeout=60)
    assert ended.returncode == 128 + signal.SIGTERM, ended.stderr
    assert ended.stdout.splitlines() == ["cleaned up"], "the run's finally ran, and nothing after it"
    assert time.monotonic() - began < 10
