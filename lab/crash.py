"""Scenario crash: snippets/crash.py on real software.

The simulation's users (same login minutes, same carts, from its `arrivals`) log in
through HAProxy; each sends one request a minute at a second of the minute of their
own. At minute CRASH_AT, web-CRASH_SERVER gets SIGKILL. Nobody tells HAProxy: its
health checks find out, DETECT_MINUTES later on average (lab/scenario.py).
"""

from __future__ import annotations

import random

from lab import LabError, simulation
from lab.cluster import START_SECONDS, Cluster
from lab.processes import Supervisor
from lab.scenario import Design, Settings, balancing, watch
from lab.users import Clock, Plan, run_users

SNIPPET = "crash"
DESIGNS = {
    "stateful": Design("Stateful (sticky)", "memory", sticky=True),
    "shared_store": Design("Shared store", "store", sticky=False),
    "signed_tokens": Design("Signed tokens", "token", sticky=False),
}
# crash.py's defaults, with a fifth of its users: the time is scaled by Settings.minute_seconds.
SCALED = {"users": 400}
# What retries change is what the simulation counts: its prediction must model them too.
RETRY_CHANGES_PREDICTION = True
# The columns of crash.py's summary table.
COLUMNS = [("Sessions lost", "sessions_lost"), ("Carts lost", "carts_lost"), ("Requests", "requests"),
           ("Failed", "requests_failed"), ("Logged in at end", "logged_in_at_end")]


def minutes(parameters: dict) -> float:
    return parameters["minutes"]


def check(parameters: dict) -> None:
    if parameters["detect_minutes"] < 1:
        raise LabError("DETECT_MINUTES must be at least 1 in the lab: HAProxy needs time to notice")


def plans(parameters: dict) -> list[Plan]:
    """The simulation's users, each at a random second of their login minute."""
    logins = simulation.snippet(SNIPPET).arrivals(parameters["users"], parameters["login_minutes"],
                                                  parameters["cart_percent"], parameters["seed"])
    rng = random.Random(parameters["seed"])
    users = [(minute, has_cart) for minute, carts in enumerate(logins) for has_cart in carts]
    return [Plan(f"user-{number}", minute + rng.random(), has_cart)
            for number, (minute, has_cart) in enumerate(users, start=1)]


async def measure(supervisor: Supervisor, key: str, parameters: dict, settings: Settings) -> dict:
    design = DESIGNS[key]
    # A page that takes RESPONSE_MS of simulated time takes this long at the lab's pace.
    response_ms = parameters.get("response_ms", 0) * settings.minute_seconds / 60
    cluster = Cluster(supervisor, design.app, parameters["servers"],
                      balancing(design, settings, parameters["detect_minutes"]), response_ms)
    crash: dict = {}
    try:
        await cluster.start()
        clock = Clock(settings.minute_seconds)
        end = parameters["minutes"]
        tally = await run_users(cluster.url, plans(parameters), clock, end,
                                during=[crash_server(cluster, clock, parameters, crash), watch(cluster, clock, end)])
        retried = await cluster.api.redispatched()
    finally:
        await cluster.close()
    totals = tally.totals()
    measured = {
        "sessions_lost": crash.pop("sessions_in_its_memory"),
        "users_logged_out": totals["users_logged_out_at_least_once"],  # sent back to the login page
        "carts_lost": totals["carts_lost"],
        "requests": totals["requests"],
        "requests_failed": totals["requests_failed"],
        "requests_in_flight": totals["requests_in_flight"],
        "requests_retried": retried,
        "logged_in_at_end": totals["logged_in_at_end"],
    }
    return {"totals": measured, "details": {**crash, "lateness": tally.lateness()}, "timeline": tally.timeline}


async def crash_server(cluster: Cluster, clock: Clock, parameters: dict, record: dict) -> None:
    """SIGKILL the server at CRASH_AT, and time how long HAProxy takes to mark it DOWN."""
    victim = f"web-{parameters['crash_server']}"
    low, high = (ms / 1000 for ms in cluster.balancing.detection_range_ms())
    await clock.sleep_until(parameters["crash_at"])
    record["sessions_in_its_memory"] = await cluster.held_sessions(victim)
    cluster.crash(victim)
    seconds = await cluster.wait_for_status(victim, "DOWN", START_SECONDS + high)
    record["detection_minutes"] = round(seconds / clock.minute_seconds, 3)
    record["detection_range_minutes"] = [round(low / clock.minute_seconds, 3), round(high / clock.minute_seconds, 3)]
