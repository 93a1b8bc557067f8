"""Store failure: the shared session store goes down. What does the stateless design lose?

Stateless web servers read every session from one shared in-memory store. USERS log in
at random seconds during the first LOGIN_MINUTES, then send one request a minute, each
at their own second. At minute STORE_DOWN_AT the store fails: every request that needs
a session (a login too: it writes one) fails until a store serves again.

  no replica        the store restarts STORE_RESTART_MINUTES later, empty: every
                    user must log in again
  replica failover  a replica takes over FAILOVER_SECONDS later, without the sessions
                    written in the last REPLICATION_LAG_SECONDS (it copies them late)
  signed tokens     no session store at all: its failure changes nothing

    python snippets/store_failure.py --failover-seconds 5   other parameters
    python snippets/store_failure.py --json                 the numbers, for tools
"""

import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--store-down-at 10).
SERVERS = 4  # stateless web servers behind the load balancer
USERS = 2_000  # users who log in during the run
LOGIN_MINUTES = 20  # each user logs in at a random second before this minute
STORE_DOWN_AT = 15  # the minute the session store fails
STORE_RESTART_MINUTES = 5  # minutes until the failed store runs again (empty)
FAILOVER_SECONDS = 30  # seconds until the replica is promoted and serves
REPLICATION_LAG_SECONDS = 2  # how far the replica is behind the store
MINUTES = 24  # how long the run lasts
SEED = 1  # the same seed gives the same users, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "servers": (1, lab.DIAGRAM_SERVERS),
    "users": (0, 100_000),
    "login_minutes": (1, 240),  # and at most MINUTES
    "store_down_at": (0, 239),  # and before MINUTES
    "store_restart_minutes": (1, 60),
    "failover_seconds": (0, 3_600),  # and at most STORE_RESTART_MINUTES x 60
    "replication_lag_seconds": (0, 600),
    "minutes": (1, 240),
    "seed": lab.SEEDS,
}

PHASES = 60  # a user's requests all fall on the same second of the minute
LABELS = {"no_replica": "No replica", "replica_failover": "Replica + failover", "signed_tokens": "Signed tokens"}


def simulate(servers=SERVERS, users=USERS, login_minutes=LOGIN_MINUTES, store_down_at=STORE_DOWN_AT,
             store_restart_minutes=STORE_RESTART_MINUTES, failover_seconds=FAILOVER_SECONDS,
             replication_lag_seconds=REPLICATION_LAG_SECONDS, minutes=MINUTES, seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, users=users, login_minutes=login_minutes,
                             store_down_at=store_down_at, store_restart_minutes=store_restart_minutes,
                             failover_seconds=failover_seconds, replication_lag_seconds=replication_lag_seconds,
                             minutes=minutes, seed=seed)
    lab.at_most("login_minutes", login_minutes, minutes, f"MINUTES is {minutes}")
    lab.at_most("store_down_at", store_down_at, minutes - 1, f"MINUTES is {minutes}")
    # The replica takes over before the failed store is back.
    lab.at_most("failover_seconds", failover_seconds, store_restart_minutes * 60,
                f"STORE_RESTART_MINUTES is {store_restart_minutes}")
    logins = arrivals(users, login_minutes, seed)
    return {
        "scenario": "store_failure",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "designs": {design: run(design, logins, parameters) for design in LABELS},
    }


def arrivals(users: int, login_minutes: int, seed: int) -> list[int]:
    """For each second of the login period, how many users log in then."""
    rng = random.Random(seed)
    seconds = [0] * (login_minutes * 60)
    for _ in range(users):
        seconds[rng.randrange(len(seconds))] += 1
    return seconds


def outage(design: str, p: dict) -> range:
    """The seconds during which no session store serves requests."""
    down = p["store_down_at"] * 60
    if design == "no_replica":
        return range(down, down + p["store_restart_minutes"] * 60)
    if design == "replica_failover":
        return range(down, down + p["failover_seconds"])
    return range(down, down)  # tokens need no store


class Sessions:
    """Who holds a session, who lost one without knowing yet, who waits to log in.

    Each list is indexed by the second of the minute at which those users send their
    requests, so one second of the run touches only the users due then.
    """

    def __init__(self, seconds: int) -> None:
        self.active = [0] * PHASES  # a session the serving store knows
        self.stale = [0] * PHASES  # a session the store has lost: the next request finds nothing
        self.waiting = [0] * PHASES  # not logged in yet, or a login that failed and will be retried
        self.created = [0] * seconds  # sessions written at each second, for the replication lag

    def held(self) -> int:
        return sum(self.active)

    def due(self, second: int) -> int:
        """Requests sent at this second: one from every user whose turn it is."""
        phase = second % PHASES
        return self.active[phase] + self.stale[phase] + self.waiting[phase]

    def serve(self, second: int) -> int:
        """A store answers: whoever finds no session logs in at once. Returns how many were logged out."""
        phase = second % PHASES
        logged_out = self.stale[phase]
        self.created[second] = self.stale[phase] + self.waiting[phase]
        self.active[phase] += self.created[second]
        self.stale[phase] = self.waiting[phase] = 0
        return logged_out

    def lose_all(self) -> int:
        """The store's memory is gone: every session with it."""
        lost = self.held()
        for phase in range(PHASES):
            self.stale[phase] += self.active[phase]
            self.active[phase] = 0
        return lost

    def lose_written_in(self, seconds: range) -> int:
        """Forget the sessions created during `seconds`: asynchronous replication had not copied them."""
        for second in seconds:
            self.active[second % PHASES] -= self.created[second]
            self.stale[second % PHASES] += self.created[second]
        return sum(self.created[second] for second in seconds)


def run(design: str, logins: list[int], p: dict) -> dict:
    """Second by second; a snapshot at the end of every minute."""
    down = p["store_down_at"] * 60
    unavailable = outage(design, p)
    users = Sessions(p["minutes"] * 60)
    balancer = lab.RoundRobin(p["servers"])
    totals = {"sessions_lost": 0, "users_logged_out": 0, "requests": 0, "requests_failed": 0, "seconds_unavailable": 0}
    timeline = lab.Timeline()
    for minute in range(p["minutes"]):
        events, requests, failed = [], 0, 0
        for second in range(minute * 60, minute * 60 + 60):
            events += store_events(design, second, users, p, totals)
            if second < len(logins):
                users.waiting[second % PHASES] += logins[second]
            due = users.due(second)
            requests += due
            if second in unavailable:
                failed += due  # each of them tries again a minute later
                totals["seconds_unavailable"] += 1
            else:
                totals["users_logged_out"] += users.serve(second)
        totals["requests"] += requests
        totals["requests_failed"] += failed
        shares = balancer.spread(requests, p["servers"])
        nodes = {
            f"web-{s + 1}": lab.node("up", "fails requests" if failed else f"{shares[s]:,} req/min",
                                     shares[s] / requests if requests else 0.0)
            for s in range(p["servers"])
        }
        served = (requests - failed) / requests if requests else 0.0
        last = minute * 60 + 59
        if design == "replica_failover":
            nodes.update(replicated_store(users, last, down, unavailable, p, served))
        elif design == "no_replica":
            nodes["session-store"] = (lab.node("down", "down") if last in unavailable
                                      else lab.node("up", lab.plural(users.held(), "session"), served))
        timeline.record(minute, nodes, counters(totals, users.held()), events)
    totals["logged_in_at_end"] = users.held()
    return lab.design(LABELS[design], p["servers"], totals, timeline)


def store_events(design: str, second: int, users: Sessions, p: dict, totals: dict) -> list[dict]:
    """What happens to the store at this second: it fails, a replica takes over, it comes back."""
    down, events = p["store_down_at"] * 60, []
    if second == down:
        events += failure(design, users, down, p["replication_lag_seconds"], totals)
    if design == "replica_failover" and second == down + p["failover_seconds"]:
        events.append(lab.event(
            "store_failover",
            f"After {lab.plural(p['failover_seconds'], 'second')} the replica is promoted; "
            f"it serves the {lab.plural(users.held(), 'session')} it has.",
            "session-store-replica",
        ))
    if design != "signed_tokens" and second == down + p["store_restart_minutes"] * 60:
        text = ("The old store is back and rejoins as a replica of the new one." if design == "replica_failover"
                else f"The store is back after {lab.plural(p['store_restart_minutes'], 'minute')}, empty: "
                     "every user must log in again.")
        events.append(lab.event("store_up", text, "session-store"))
    return events


def failure(design: str, users: Sessions, down: int, lag: int, totals: dict) -> list[dict]:
    """The store fails at second `down`: what each design loses with it."""
    if design == "signed_tokens":
        return [lab.event("store_down", "The session store fails in the other designs; tokens need none, "
                                        "so nothing changes.")]
    if design == "no_replica":
        lost = users.lose_all()
        totals["sessions_lost"] += lost
        return [
            lab.event("store_down", "The session store fails: every request that needs a session fails.",
                      "session-store"),
            lab.event("sessions_lost", f"Its memory held the only copy of {lab.plural(lost, 'session')}: "
                                       "all gone.", "session-store"),
        ]
    lost = users.lose_written_in(range(max(0, down - lag), down))
    totals["sessions_lost"] += lost
    events = [lab.event("store_down", "The session store fails: requests fail until its replica takes over.",
                        "session-store")]
    if lost:
        events.append(lab.event(
            "sessions_lost",
            f"{lab.plural(lost, 'session')} written in its last {lab.plural(lag, 'second')} never reached "
            "the replica.",
            "session-store",
        ))
    return events


def replicated_store(users: Sessions, last: int, down: int, unavailable: range, p: dict, served: float) -> dict:
    """The store and its replica at second `last`, the end of a minute."""
    held = lab.plural(users.held(), "session")
    lag, back = p["replication_lag_seconds"], down + p["store_restart_minutes"] * 60
    if last < down:
        # The replica has everything but what was written in the last `lag` seconds.
        behind = sum(users.created[max(0, last - lag + 1):last + 1])
        return {"session-store": lab.node("up", held, served),
                "session-store-replica": lab.node("up", lab.plural(users.held() - behind, "session"))}
    store = lab.node("up", "back as replica") if last >= back else lab.node("down", "down")
    replica = (lab.node("up", "taking over") if last in unavailable
               else lab.node("up", f"promoted: {held}", served))
    return {"session-store": store, "session-store-replica": replica}


def counters(totals: dict, logged_in: int) -> dict:
    """What the live diagram shows beside the picture."""
    return {
        "Logged in": logged_in,
        "Sessions lost": totals["sessions_lost"],
        "Users logged out": totals["users_logged_out"],
        "Requests failed": totals["requests_failed"],
        "Seconds unavailable": totals["seconds_unavailable"],
    }


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"]
    heading = lab.paragraph(
        f"Store failure: the session store behind {lab.plural(p['servers'], 'stateless web server')} fails at "
        f"minute {p['store_down_at']}; {p['users']:,} users. Without a replica it restarts empty after "
        f"{lab.plural(p['store_restart_minutes'], 'minute')}. With one, a replica takes over after "
        f"{lab.plural(p['failover_seconds'], 'second')}, missing what was written in the last "
        f"{lab.plural(p['replication_lag_seconds'], 'second')} before the failure."
    )
    rows = [
        ("Sessions lost", lambda t: t["sessions_lost"]),
        ("Users logged out", lambda t: t["users_logged_out"]),
        ("Requests", lambda t: t["requests"]),
        ("Requests failed", lambda t: t["requests_failed"]),
        ("Seconds down", lambda t: t["seconds_unavailable"]),
        ("Logged in at end", lambda t: t["logged_in_at_end"]),
    ]
    summary = lab.totals_table(list(designs.values()), rows)
    down, restart = p["store_down_at"], p["store_down_at"] + p["store_restart_minutes"]
    moments = sorted({down - 1, down, down + 1, restart, restart + 1, p["minutes"] - 1} & set(range(p["minutes"])))
    before_after = lab.table(
        ["Minute", *(d["label"] for d in designs.values())],
        [[minute, *(logged_in_and_failed(d["timeline"][minute]) for d in designs.values())] for minute in moments],
    )
    happened = [f"What happened, {d['label'].lower()}:\n" + lab.event_lines(d)
                for d in (designs["no_replica"], designs["replica_failover"])]
    return "\n\n".join([heading, summary, "Users logged in / requests failed so far:\n" + before_after, *happened])


def logged_in_and_failed(snapshot: dict) -> str:
    counters = snapshot["counters"]
    return f"{counters['Logged in']:,} / {counters['Requests failed']:,}"


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
