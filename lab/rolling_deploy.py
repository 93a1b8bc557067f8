"""Scenario rolling deploy: snippets/rolling_deploy.py on real software.

The simulation's users (same session lengths, from `sessionlab.steady_sessions`): the
SESSIONS users of minute 0 log in during a warm-up minute before it, and new ones keep
coming; each logs out when their session ends. From DEPLOY_AT the web servers restart
one at a time, web-1 first, the way a deploy tool does it with HAProxy's runtime API:
`set server web/web-1 state maint` (HAProxy sends it nothing more), SIGTERM (uvicorn
finishes the requests it has), a new process, and `ready` RESTART_MINUTES after the stop.

    stateful          restarted at once: the sessions in its memory are gone, and its
                      users, sent to other servers, must log in again
    stateful drained  first `state drain`: HAProxy sends it no new users, only those
                      pinned to it by their cookie, until it holds no session
    stateless         sessions in Redis: restarted at once, nobody notices

(A restart HAProxy is not told about fails requests until its checks notice, as in the
crash scenario.)
"""

from __future__ import annotations

import math
import random

from lab import simulation
from lab.cluster import Cluster
from lab.processes import Supervisor
from lab.scenario import Design, Settings, balancing, watch
from lab.users import Clock, Plan, run_users

SNIPPET = "rolling_deploy"
DESIGNS = {
    "stateful": Design("Stateful", "memory", sticky=True),
    "stateful_drained": Design("Stateful, drained", "memory", sticky=True),
    "stateless": Design("Stateless", "store", sticky=False),
}
DRAINED = ("stateful_drained",)
# rolling_deploy.py's defaults, scaled down: fewer servers and users, shorter sessions and restarts.
SCALED = {"servers": 3, "sessions": 300, "session_minutes": 5, "deploy_at": 3, "restart_minutes": 1,
          "after_deploy": 3}
# The simulation counts no requests: what retries change, it does not predict anyway.
RETRY_CHANGES_PREDICTION = False
COLUMNS = [("Sessions lost", "sessions_lost"), ("Users logged out", "users_logged_out_at_least_once"),
           ("Twice or more", "users_logged_out_at_least_twice"), ("Deploy minutes", "deploy_minutes"),
           ("Longest drain", "longest_drain_minutes"), ("Requests", "requests"), ("Failed", "requests_failed")]


def check(parameters: dict) -> None:
    """rolling_deploy.py checks every parameter itself; the lab adds no limit of its own."""


def run_minutes(parameters: dict, key: str) -> float:
    """How long the lab runs a design: as long as the simulation does (until AFTER_DEPLOY
    minutes after the deploy), and a minute more per server for what the real deploy adds:
    stopping the old process, polling HAProxy."""
    result = simulation.snippet(SNIPPET).simulate(**parameters)
    return len(result["designs"][key]["timeline"]) + parameters["servers"]


def minutes(parameters: dict) -> float:
    return max(run_minutes(parameters, key) for key in DESIGNS)


def plans(parameters: dict, until: float) -> list[Plan]:
    """The simulation's sessions, each user at a random second of their minute.

    The simulation holds a session from the minute it puts it in a server's table until the
    minute it ends, restart included: one under way at minute 0 with `left` minutes to go
    is lost by a restart at minutes 0 to `left`; one that starts during minute m (in the
    table from m + 1) by a restart at m + 2 to m + 1 + length. The users log in and out so
    that their sessions are alive at exactly those restarts.
    """
    remaining, starting = simulation.snippet("sessionlab").steady_sessions(
        parameters["sessions"], parameters["session_minutes"], math.ceil(until), parameters["seed"])
    rng = random.Random(parameters["seed"])
    users: list[Plan] = []

    def add(login: float, minutes: int) -> None:
        users.append(Plan(f"user-{len(users) + 1}", login, ends_at=login + minutes))

    for left, count in remaining.items():
        for _ in range(count):
            add(-1 + rng.random(), left + 1)  # logged in during the warm-up minute
    for minute, lengths in enumerate(starting):
        for length, count in lengths.items():
            for _ in range(count):
                add(minute + 1 + rng.random(), length)
    return users


async def measure(supervisor: Supervisor, key: str, parameters: dict, settings: Settings) -> dict:
    design = DESIGNS[key]
    cluster = Cluster(supervisor, design.app, parameters["servers"], balancing(design, settings))
    until = run_minutes(parameters, key)
    try:
        await cluster.start()
        deploy = Deploy(cluster, Clock(settings.minute_seconds, first_minute=-1), parameters, until)
        tally = await run_users(cluster.url, plans(parameters, until), deploy.clock, until,
                                during=[deploy.run(drain=key in DRAINED), watch(cluster, deploy.clock, until)])
    finally:
        await cluster.close()
    totals = tally.totals()
    measured = {
        "sessions_lost": deploy.sessions_lost,
        "logouts": totals["logouts"],
        **{name: totals[name] for name in ("users_logged_out_at_least_once", "users_logged_out_at_least_twice",
                                           "most_logouts_for_one_user", "requests", "requests_failed")},
        "deploy_minutes": deploy.minutes,
        "longest_drain_minutes": deploy.longest_drain,
    }
    return {"totals": measured, "details": {"lateness": tally.lateness()}, "timeline": tally.timeline}


class Deploy:
    """Restarts every server in turn, and counts what the restarts cost."""

    def __init__(self, cluster: Cluster, clock: Clock, parameters: dict, until: float) -> None:
        self.cluster, self.clock, self.parameters, self.until = cluster, clock, parameters, until
        self.sessions_lost = 0  # sessions that were in a server's memory when it stopped
        self.longest_drain = 0.0
        self.minutes: float | None = None  # None until the deploy is over

    async def run(self, *, drain: bool) -> None:
        await self.clock.sleep_until(self.parameters["deploy_at"])
        for name in self.cluster.webs:
            if drain:
                await self.drain(name)
            await self.restart(name)
        self.minutes = round(self.clock.now() - self.parameters["deploy_at"], 2)

    async def drain(self, name: str) -> None:
        """No new users for the server; wait until the sessions it holds have ended."""
        started = self.clock.now()
        await self.cluster.api.set_state(name, "drain")

        async def drained() -> bool:
            return await self.cluster.held_sessions(name) == 0

        left = (self.until - started) * self.clock.minute_seconds
        await self.cluster.wait_async(drained, f"{name} to drain before the run ends", self.cluster.running(), left)
        self.longest_drain = max(self.longest_drain, round(self.clock.now() - started, 2))

    async def restart(self, name: str) -> None:
        """HAProxy sends the server nothing; it stops, starts again, and is back RESTART_MINUTES later."""
        await self.cluster.api.set_state(name, "maint")
        back = self.clock.now() + self.parameters["restart_minutes"]  # out of traffic from now
        self.sessions_lost += await self.cluster.held_sessions(name)
        await self.cluster.stop_web(name)
        await self.cluster.start_web(name)  # it starts up while HAProxy keeps it out
        await self.clock.sleep_until(back)
        await self.cluster.api.set_state(name, "ready")
        await self.cluster.wait_for_status(name, "UP")
