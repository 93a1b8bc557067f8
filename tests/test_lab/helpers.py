"""What the lab's tests share: the short crash run, and how to tell a process is gone."""

from __future__ import annotations

from pathlib import Path

from lab import crash, runner

# The crash scenario, short: 3 servers, 300 users, 6 simulated minutes of 1 s each. The 3
# after the crash give every user of the dead server time to find out, however late HAProxy
# notices (up to 1.2 minutes).
QUICK_CRASH = {**runner.parameters(crash), "servers": 3, "users": 300, "login_minutes": 2, "crash_at": 3,
               "minutes": 6}


def is_running(pid: int) -> bool:
    """Whether process `pid` exists and has not exited (a zombie has exited: it only waits
    for its parent, or for init, to collect its exit status)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
