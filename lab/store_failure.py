"""Scenario store failure: snippets/store_failure.py on real software.

The simulation's users (same login seconds, from its `arrivals`) log in through HAProxy
to stateless web servers; each sends one request a minute, at the second they logged
in. At minute STORE_DOWN_AT the session store gets SIGKILL.

    no replica        Redis alone, memory only; it starts again, empty,
                      STORE_RESTART_MINUTES later
    replica failover  Redis with a replica, which the web servers reach through HAProxy
                      (a TCP proxy that sends them to whichever Redis reports
                      `role:master`); FAILOVER_SECONDS after the failure the lab promotes
                      the replica (REPLICAOF NO ONE), and at STORE_RESTART_MINUTES the old
                      store comes back as the new one's replica
    signed tokens     no session store to fail
"""

from __future__ import annotations

import random

from lab import simulation, store
from lab.cluster import Cluster
from lab.processes import Supervisor
from lab.scenario import Design, Settings, balancing, watch
from lab.users import Clock, Plan, run_users

SNIPPET = "store_failure"
DESIGNS = {
    "no_replica": Design("No replica", "store", sticky=False),
    "replica_failover": Design("Replica + failover", "store", sticky=False),
    "signed_tokens": Design("Signed tokens", "token", sticky=False),
}
# store_failure.py's defaults, scaled down: fewer servers, users and minutes; the store
# still fails before the last users have logged in, as it does there.
SCALED = {"servers": 3, "users": 300, "login_minutes": 10, "store_down_at": 8, "store_restart_minutes": 2,
          "minutes": 14}
# HAProxy's retries are for web servers that fail; a store that fails is the web servers' 503.
RETRY_CHANGES_PREDICTION = False
COLUMNS = [("Sessions lost", "sessions_lost"), ("Logged out", "users_logged_out"), ("Requests", "requests"),
           ("Failed", "requests_failed"), ("Seconds down", "seconds_unavailable"),
           ("Logged in at end", "logged_in_at_end")]
STORE_CHECK_SECONDS = 3  # simulated seconds between HAProxy's checks of which Redis is the master
POLL_SECONDS = 0.01


def check(parameters: dict) -> None:
    """store_failure.py checks every parameter itself; the lab adds no limit of its own."""


def minutes(parameters: dict) -> float:
    return parameters["minutes"]


def plans(parameters: dict) -> list[Plan]:
    """The simulation's users, at their login second (and a random moment within it)."""
    logins = simulation.snippet(SNIPPET).arrivals(parameters["users"], parameters["login_minutes"], parameters["seed"])
    rng = random.Random(parameters["seed"])
    seconds = [second for second, count in enumerate(logins) for _ in range(count)]
    return [Plan(f"user-{number}", (second + rng.random()) / 60) for number, second in enumerate(seconds, start=1)]


async def measure(supervisor: Supervisor, key: str, parameters: dict, settings: Settings) -> dict:
    design = DESIGNS[key]
    cluster = Cluster(supervisor, design.app, parameters["servers"], balancing(design, settings))
    record: dict = {"sessions_lost": 0, "seconds_unavailable": 0.0}
    try:
        check_ms = round(STORE_CHECK_SECONDS / 60 * settings.minute_seconds * 1000)
        await cluster.start(replica_check_ms=check_ms if key == "replica_failover" else None)
        clock = Clock(settings.minute_seconds)
        end = parameters["minutes"]
        failure = {"no_replica": restart_empty, "replica_failover": fail_over}.get(key)
        during = [watch(cluster, clock, end)] + ([failure(cluster, clock, parameters, record)] if failure else [])
        tally = await run_users(cluster.url, plans(parameters), clock, end, during=during)
    finally:
        await cluster.close()
    totals = tally.totals()
    measured = {
        "sessions_lost": record.pop("sessions_lost"),
        "users_logged_out": totals["users_logged_out_at_least_once"],  # found their session gone
        "requests": totals["requests"],
        "requests_failed": totals["requests_failed"],
        "seconds_unavailable": record.pop("seconds_unavailable"),
        "logged_in_at_end": totals["logged_in_at_end"],
    }
    return {"totals": measured, "details": {**record, "lateness": tally.lateness()}, "timeline": tally.timeline}


async def restart_empty(cluster: Cluster, clock: Clock, parameters: dict, record: dict) -> None:
    """SIGKILL Redis at STORE_DOWN_AT; start it again, empty, STORE_RESTART_MINUTES later."""
    await clock.sleep_until(parameters["store_down_at"])
    record["sessions_lost"] = await store.sessions_held(cluster.redis_port)
    cluster.crash_redis()
    down = clock.now()
    await clock.sleep_until(parameters["store_down_at"] + parameters["store_restart_minutes"])
    await cluster.start_redis()
    record["seconds_unavailable"] = seconds(clock, down)


async def fail_over(cluster: Cluster, clock: Clock, parameters: dict, record: dict) -> None:
    """SIGKILL the master at STORE_DOWN_AT, promote the replica FAILOVER_SECONDS later."""
    await clock.sleep_until(parameters["store_down_at"])
    held = await store.keys(cluster.redis_port)
    cluster.crash_redis()
    down = clock.now()
    await clock.sleep_until(down + parameters["failover_seconds"] / 60)
    await store.promote(cluster.replica_port)
    # The sessions the master held when it died that never reached the replica.
    record["sessions_lost"] = await store.missing(cluster.replica_port, held)
    while not await store.answers(cluster.store_port):  # through HAProxy, as the web servers see it
        await clock.sleep_until(clock.now() + POLL_SECONDS / clock.minute_seconds)
    record["seconds_unavailable"] = seconds(clock, down)
    await clock.sleep_until(parameters["store_down_at"] + parameters["store_restart_minutes"])
    await cluster.start_redis(replica_of=cluster.replica_port)


def seconds(clock: Clock, since: float) -> float:
    """Simulated seconds from minute `since` until now."""
    return round((clock.now() - since) * 60, 1)
