"""What the lab's scenarios (crash.py, rolling_deploy.py, store_failure.py) share.

A scenario module names the simulation it checks (SNIPPET) and its designs (DESIGNS: key
-> Design, the same keys as the simulation's result). It says how it scales the
simulation's default parameters down (SCALED), whether HAProxy's retries change what the
simulation predicts (RETRY_CHANGES_PREDICTION), which figures its report shows (COLUMNS),
how long a run lasts (`minutes`), what it refuses (`check`), and `measure`: run one design
on real processes and return what was measured, {"totals", "details", "timeline"}.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from lab.cluster import Cluster
from lab.haproxy import Balancing
from lab.users import Clock

FALL = 3  # HAProxy's default number of failed checks before a server is DOWN
WATCH_SECONDS = 0.1
# Beyond the run's own length: starting and stopping the processes, and a busy machine.
SLACK_SECONDS = 60.0


@dataclass(frozen=True)
class Design:
    label: str  # as the simulation's report names it
    app: str  # how the web servers keep sessions: memory, store or token (lab/app.py)
    sticky: bool  # whether HAProxy pins each user to the server that logged them in


@dataclass(frozen=True)
class Settings:
    """How the lab runs, beyond the simulation's parameters."""

    minute_seconds: float = 1.0  # real seconds per simulated minute
    retry: bool = False  # HAProxy retries a failed request on another server


def balancing(design: Design, settings: Settings, detect_minutes: int = 1) -> Balancing:
    """HAProxy's health checks, timed so that it notices a dead server `detect_minutes` after
    the crash on average, like the simulations' load balancer.

    The server is marked DOWN (FALL - 1) to FALL check intervals after it dies, depending on
    when the first check after the crash comes: (FALL - 0.5) intervals on average.
    """
    check_ms = round(detect_minutes * settings.minute_seconds * 1000 / (FALL - 0.5))
    return Balancing(sticky=design.sticky, retry=settings.retry, check_ms=check_ms, fall=FALL)


async def watch(cluster: Cluster, clock: Clock, until: float) -> None:
    """Stop the run as soon as a process dies that the lab did not kill."""
    while clock.now() < until:
        cluster.check_running()
        await asyncio.sleep(WATCH_SECONDS)


def time_bound(minutes: float, settings: Settings) -> float:
    """Seconds one design may take, start to finish, before the lab gives up on it."""
    return 1.5 * minutes * settings.minute_seconds + SLACK_SECONDS
