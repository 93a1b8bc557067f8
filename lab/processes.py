"""Starting and stopping the lab's processes, so that none outlives a run.

Every process starts in its own session, hence its own process group, and is stopped
through that group: SIGTERM, then SIGKILL if it has not gone within STOP_SECONDS. The
Supervisor stops all of them when its `with` block ends, however it ends (an error,
Ctrl-C, SIGTERM turned into SystemExit by `exit_on_signals` and `leave_on_signals`), and
again at interpreter exit as a backstop. Should the lab itself be killed with SIGKILL,
which no handler sees, the kernel kills the children: they start under `setpriv
--pdeathsig KILL`. (Not one that is being started at that very moment, before setpriv has
asked for it.)
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Self

from lab import LabError

STOP_SECONDS = 3.0
# The kernel sends the death signal when the *thread* that started the child exits, so
# processes must be started from the main thread (the lab's event loop runs there).
DIE_WITH_PARENT = ["setpriv", "--pdeathsig", "KILL", "--"]


@dataclass
class Process:
    """A process the lab started: its name in messages, and where its output goes."""

    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def last_output(self, lines: int = 5) -> str:
        text = self.log.read_text(errors="replace").strip() if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"


class Supervisor:
    """Starts processes in their own process groups and stops every one it started."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[Process] = []

    def __enter__(self) -> Self:
        atexit.register(self.stop_all)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop_all()
        atexit.unregister(self.stop_all)

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Process:
        log = self.folder / f"{name}-{len(self.processes) + 1}.log"  # a restarted server gets a new log
        with log.open("ab") as output:
            popen = subprocess.Popen(
                [*DIE_WITH_PARENT, *argv], stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                cwd=self.folder, env={**os.environ, **(env or {})}, start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        say(f"started {name} (pid {popen.pid})")  # the tests read these lines to find every process
        return process

    def send(self, process: Process, sig: signal.Signals) -> None:
        """Send `sig` to the process's group, unless the process has been reaped: its pid, which
        is also its group's id, may then belong to someone else's process already."""
        if process.popen.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)

    def kill(self, process: Process) -> None:
        """SIGKILL: the process gets no chance to finish anything; returns once it is gone."""
        self.send(process, signal.SIGKILL)
        process.popen.wait()

    def stop(self, process: Process) -> None:
        """SIGTERM, STOP_SECONDS to finish, then SIGKILL: the process is gone after this."""
        self.stop_together([process])

    def stop_all(self) -> None:
        self.stop_together(list(reversed(self.processes)))

    def stop_together(self, processes: list[Process]) -> None:
        """`stop` for several processes at once: each is sent SIGTERM, then they share
        STOP_SECONDS, so an interrupted run waits STOP_SECONDS at most, however many
        processes it has, before killing those left."""
        for process in processes:
            self.send(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in processes:
            try:
                process.popen.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(process)

    def check_running(self, processes: list[Process]) -> None:
        """Fail the run if a process the lab did not stop has died: its figures would mean nothing."""
        for process in processes:
            if not process.running():
                raise LabError(f"{process.name} (pid {process.pid}) exited on its own with code "
                               f"{process.popen.returncode}; its last output:\n{process.last_output()}")


def say(text: str) -> None:
    """Progress, on stderr: stdout carries only the report (or the JSON)."""
    print(f"lab: {text}", file=sys.stderr, flush=True)


def exit_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into SystemExit, so `finally` blocks and `with` exits still run.

    (Ctrl-C already raises KeyboardInterrupt.) Inside the event loop, `leave_on_signals` takes over.
    """
    for sig in EXIT_SIGNALS:
        signal.signal(sig, leave)


EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def leave(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


async def leave_on_signals(work: Coroutine[object, object, dict]) -> dict:
    """`work`, ended by SIGTERM or SIGHUP as `exit_on_signals` ends the rest of the lab.

    A signal handler raises its exception wherever the interpreter happens to be, and in the
    event loop that can be a weakref callback, where Python prints the exception and carries
    on: the lab then ran on as if never signalled (a few SIGTERMs in a hundred, here). So
    while `work` runs, the event loop takes the signal (`add_signal_handler`) and cancels
    `work`, as asyncio.Runner cancels its main task on Ctrl-C; `work`'s `finally` blocks
    stop the cluster, and SystemExit is raised here afterwards.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    received: list[int] = []

    def on_signal(sig: signal.Signals) -> None:
        received.append(sig)
        task.cancel()

    for sig in EXIT_SIGNALS:
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        result = await work
    except asyncio.CancelledError:
        if not received:
            raise
    finally:
        for sig in EXIT_SIGNALS:
            loop.remove_signal_handler(sig)  # which leaves the default action, not ours
            signal.signal(sig, leave)
    if received:  # also if `work` caught the cancellation and finished
        raise SystemExit(128 + received[0])
    return result
