"""Crash: one web server dies mid-run. What do its users lose in each design?

USERS log in during the first LOGIN_MINUTES, then send one request a minute. At minute
CRASH_AT, web-CRASH_SERVER crashes. The requests it was answering fail, and so do those
the load balancer sends it until its health check notices, DETECT_MINUTES later, unless
with RETRY the balancer resends them to another server (HAProxy's `retries` and
`option redispatch`).

  stateful       sessions in each server's memory; sticky sessions pin each user
  shared store   stateless servers; sessions in a shared session store
  signed tokens  stateless servers; every request carries a signed token

    python snippets/crash.py --servers 6 --retry     other parameters
    python snippets/crash.py --json                  the numbers, for tools
"""

import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--crash-at 8).
SERVERS = 4  # web servers behind the load balancer
USERS = 2_000  # users who log in during the run
LOGIN_MINUTES = 10  # each user logs in at a random minute before this one
CRASH_SERVER = 2  # the server that crashes: web-2
CRASH_AT = 12  # the minute it crashes
DETECT_MINUTES = 1  # minutes until the load balancer's health check notices
RESPONSE_MS = 200  # how long a server takes to answer a request
RETRY = False  # True: the balancer resends a request the dead server refused
MINUTES = 20  # how long the run lasts
CART_PERCENT = 30  # share of users with something in their cart
SEED = 1  # the same seed gives the same users, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "servers": (2, lab.DIAGRAM_SERVERS),  # one must survive the crash
    "users": (0, 100_000),
    "login_minutes": (1, 240),  # and at most MINUTES
    "crash_server": (1, lab.DIAGRAM_SERVERS),  # and at most SERVERS
    "crash_at": (0, 239),  # and before MINUTES
    "detect_minutes": (0, 60),
    "response_ms": (1, 10_000),
    "minutes": (1, 240),
    "cart_percent": (0, 100),
    "seed": lab.SEEDS,
}


def simulate(servers=SERVERS, users=USERS, login_minutes=LOGIN_MINUTES, crash_server=CRASH_SERVER,
             crash_at=CRASH_AT, detect_minutes=DETECT_MINUTES, response_ms=RESPONSE_MS, retry=RETRY,
             minutes=MINUTES, cart_percent=CART_PERCENT, seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, users=users, login_minutes=login_minutes,
                             crash_server=crash_server, crash_at=crash_at, detect_minutes=detect_minutes,
                             response_ms=response_ms, retry=retry, minutes=minutes,
                             cart_percent=cart_percent, seed=seed)
    lab.at_most("login_minutes", login_minutes, minutes, f"MINUTES is {minutes}")
    lab.at_most("crash_server", crash_server, servers, f"SERVERS is {servers}")
    lab.at_most("crash_at", crash_at, minutes - 1, f"MINUTES is {minutes}")
    logins = arrivals(users, login_minutes, cart_percent, seed)
    return {
        "scenario": "crash",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "designs": {
            "stateful": stateful(logins, parameters),
            "shared_store": stateless(logins, parameters, with_store=True),
            "signed_tokens": stateless(logins, parameters, with_store=False),
        },
    }


def arrivals(users: int, login_minutes: int, cart_percent: int, seed: int) -> list[list[bool]]:
    """For each minute, the users who log in then: True for a user with a cart."""
    rng = random.Random(seed)
    minutes: list[list[bool]] = [[] for _ in range(login_minutes)]
    for _ in range(users):
        minute = rng.randrange(login_minutes)
        minutes[minute].append(rng.randrange(100) < cart_percent)
    return minutes


class Crash:
    """What the three designs share: the dead server, the balancer's rotation, the totals."""

    def __init__(self, p: dict) -> None:
        self.p, self.dead = p, p["crash_server"] - 1
        self.name = f"web-{self.dead + 1}"
        self.balancer = lab.RoundRobin(p["servers"])
        self.totals = {"sessions_lost": 0, "users_logged_out": 0, "share_logged_out": 0.0, "logged_in_at_crash": 0,
                       "carts_lost": 0, "requests": 0, "requests_failed": 0, "requests_in_flight": 0,
                       "requests_retried": 0}
        self.timeline = lab.Timeline()

    def is_down(self, minute: int) -> bool:
        return minute >= self.p["crash_at"]

    def unnoticed(self, minute: int) -> bool:
        """The server is dead, but the balancer still sends it requests."""
        return self.is_down(minute) and minute < self.p["crash_at"] + self.p["detect_minutes"]

    def crash(self, logged_in: int, sent_last_minute: int) -> None:
        """The requests the server was answering fail with it (Little's law: rate x time).

        The balancer only resends a request it could not deliver; one the server had
        already taken may have had effects, so it is not replayed.
        """
        in_flight = (sent_last_minute * self.p["response_ms"] + 30_000) // 60_000  # rounded
        self.totals.update(logged_in_at_crash=logged_in, requests_in_flight=in_flight)
        self.totals["requests_failed"] += in_flight

    def log_out(self, users: int) -> None:
        """Users sent back to the login page; their share of those logged in at the crash."""
        logged_out, crashed_with = self.totals["users_logged_out"] + users, self.totals["logged_in_at_crash"]
        self.totals.update(users_logged_out=logged_out,
                           share_logged_out=round(logged_out / crashed_with, 3) if crashed_with else 0.0)

    def refused(self, requests: int) -> None:
        """Requests sent to the dead server: retried elsewhere, or failed."""
        self.totals["requests_retried" if self.p["retry"] else "requests_failed"] += requests

    def take_turns(self, requests: int) -> tuple[list[int], int]:
        """Hand out `requests` in turn while the balancer still counts the dead server.

        HAProxy's round robin with `option redispatch`: a request whose turn falls on the
        dead server is refused there, and its retry takes the next server's turn. A lap of
        M turns then serves M - 1 requests and spends one on a refusal, so the dead server
        is sent one request in M - 1, not one in M: M / (M - 1) times as many retries as
        if the retries had a rotation of their own, as the lab measured (lab/README.md).

        Returns how many each server serves (0 for the dead one) and how many requests
        had the dead server's turn. Whole laps are counted, not walked.
        """
        rotation, served = self.balancer.rotation, [0] * self.p["servers"]
        size, dead_at = len(rotation), rotation.index(self.dead)
        position, left = self.balancer.turn % size, requests
        while left and position != dead_at:  # up to the dead server's turn
            served[rotation[position]] += 1
            position, left = (position + 1) % size, left - 1
        laps, rest = divmod(left, size - 1)  # from its turn: M turns, M - 1 requests
        for server in rotation:
            served[server] += laps
        for step in range(1, rest + 1):  # the last part of a lap: its turn, then the next ones
            served[rotation[(dead_at + step) % size]] += 1
        passed = laps + (rest > 0)
        served[self.dead] = 0
        self.balancer.turn += requests + passed
        return served, passed

    def counters(self, logged_in: int) -> dict:
        """What the live diagram shows beside the picture."""
        return {
            "Logged in": logged_in,
            "Sessions lost": self.totals["sessions_lost"],
            "Carts lost": self.totals["carts_lost"],
            "Requests failed": self.totals["requests_failed"],
            "Requests retried": self.totals["requests_retried"],
        }

    def record(self, minute: int, nodes: dict, logged_in: int, events: list[dict]) -> None:
        self.timeline.record(minute, nodes, self.counters(logged_in), events)

    def web_node(self, server: int, minute: int, note: str, traffic: float) -> dict:
        if server == self.dead and self.is_down(minute):
            return lab.node("down", "crashed", traffic)
        return lab.node("up", note, traffic)


def stateful(logins: list[list[bool]], p: dict) -> dict:
    """Sessions in each server's memory; each user pinned to the server that logged them in."""
    run = Crash(p)
    dead, name, servers = run.dead, run.name, p["servers"]
    sessions = [0] * servers  # sessions held in each server's memory
    carts = [0] * servers  # how many of them have a cart
    stranded = 0  # users pinned to the dead server, who have not been sent elsewhere yet
    waiting: list[bool] = []  # users who log in this minute (True: with a cart)
    routed = [0] * servers  # requests each server was sent this minute
    for minute in range(p["minutes"]):
        events = []
        if minute == p["crash_at"]:
            run.crash(sum(sessions), routed[dead])
            stranded = sessions[dead]
            run.totals["sessions_lost"] += stranded
            run.totals["carts_lost"] += carts[dead]
            sessions[dead] = carts[dead] = 0
            events.append(lab.event("server_down", f"{name} crashes: the {lab.plural(stranded, 'session')} "
                                                   "in its memory are gone.", name))
        if minute == p["crash_at"] + p["detect_minutes"]:
            run.balancer.remove(dead)
            events.append(lab.event("server_removed", f"The load balancer notices and takes {name} out of "
                                                      "its rotation.", name))
            if stranded:
                events.append(sent_elsewhere(stranded, name, retried=False))
            run.log_out(stranded)
            waiting += [False] * stranded  # they log in again, with empty carts
            stranded = 0

        # Users already logged in: each sends one request to the server it is pinned to.
        routed = list(sessions)
        routed[dead] += stranded
        resent = 0  # requests sent twice: to the dead server, then to another
        if stranded and run.unnoticed(minute):
            run.refused(stranded)
            if p["retry"]:
                # Resent to a server that has never seen their session: they log in there.
                # Each retry takes the balancer's next turn, passing over the dead server's.
                for server, users in enumerate(run.take_turns(stranded)[0]):
                    routed[server] += users
                    sessions[server] += users
                events.append(sent_elsewhere(stranded, name, retried=True))
                run.log_out(stranded)
                resent, stranded = stranded, 0
        # Users logging in: the balancer picks a server in turn and pins them to it.
        if minute < len(logins):
            waiting += logins[minute]
        refused = []
        for has_cart in waiting:
            server = run.balancer.next()
            routed[server] += 1
            if server == dead and run.is_down(minute):
                run.refused(1)
                if not p["retry"]:
                    refused.append(has_cart)  # they try again next minute
                    continue
                server = run.balancer.next()  # its retry takes the next server's turn
                routed[server] += 1
                resent += 1
            sessions[server] += 1
            carts[server] += has_cart
        waiting = refused

        run.totals["requests"] += sum(routed) - resent
        nodes = {}
        for server, traffic in enumerate(lab.shares(routed)):
            nodes[f"web-{server + 1}"] = run.web_node(server, minute, lab.plural(sessions[server], "session"), traffic)
            nodes[f"sessions-web-{server + 1}"] = run.web_node(server, minute, "", 0.0)  # its session table
        run.record(minute, nodes, sum(sessions), events)
    run.totals["logged_in_at_end"] = sum(sessions)
    return lab.design("Stateful (sticky)", servers, run.totals, run.timeline)


def sent_elsewhere(users: int, name: str, *, retried: bool) -> dict:
    how = "The load balancer resends their requests" if retried else "Their requests now go"
    return lab.event("users_logged_out",
                     f"{how} to other servers, which have never seen the sessions of {name}'s "
                     f"{lab.plural(users, 'user')}: they must log in again, with empty carts.", name)


def stateless(logins: list[list[bool]], p: dict, *, with_store: bool) -> dict:
    """Any server answers any request: each minute's requests are handed out in turn."""
    run = Crash(p)
    dead, name, servers = run.dead, run.name, p["servers"]
    logged_in = 0
    waiting = 0  # users who log in this minute
    routed = [0] * servers
    if with_store:
        run.totals["store_calls"] = 0
    for minute in range(p["minutes"]):
        events = []
        if minute == p["crash_at"]:
            run.crash(logged_in, routed[dead])
            kept = "the session store still has every session" if with_store else "every user still holds a valid token"
            events.append(lab.event("server_down", f"{name} crashes. It kept no sessions, so nobody is logged out: "
                                                   f"{kept}.", name))
        if minute == p["crash_at"] + p["detect_minutes"]:
            run.balancer.remove(dead)
            events.append(lab.event("server_removed", "The load balancer notices and shares the requests among "
                                                      "the other servers.", name))

        if minute < len(logins):
            waiting += len(logins[minute])
        sent, failed_logins = waiting + logged_in, 0
        if p["retry"] and run.unnoticed(minute):
            # Any other server can answer the requests the dead one refuses: nothing is lost.
            routed, refused = run.take_turns(sent)
            routed[dead] = refused  # they were sent there first
            run.refused(refused)
        else:
            login_shares = run.balancer.spread(waiting, servers)
            request_shares = run.balancer.spread(logged_in, servers)
            routed = [a + b for a, b in zip(login_shares, request_shares, strict=True)]
            if run.is_down(minute) and routed[dead]:  # without retries: they fail
                run.refused(routed[dead])
                failed_logins = login_shares[dead]  # a failed login is simply tried again next minute
        logged_in += waiting - failed_logins
        waiting = failed_logins

        run.totals["requests"] += sent
        if with_store:  # every request served reads or writes its session
            run.totals["store_calls"] = run.totals["requests"] - run.totals["requests_failed"]
        nodes = {f"web-{server + 1}": run.web_node(server, minute, f"{routed[server]:,} req/min", traffic)
                 for server, traffic in enumerate(lab.shares(routed))}
        if with_store:
            nodes["session-store"] = lab.node("up", lab.plural(logged_in, "session"))
        run.record(minute, nodes, logged_in, events)
    run.totals["logged_in_at_end"] = logged_in
    return lab.design("Shared store" if with_store else "Signed tokens", servers, run.totals, run.timeline)


# The report -------------------------------------------------------------------------


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"].values()
    retries = "resends each refused request to another server" if p["retry"] else "resends nothing"
    heading = lab.paragraph(
        f"Crash: web-{p['crash_server']} of {p['servers']} servers crashes at minute {p['crash_at']}; "
        f"{p['users']:,} users. The load balancer notices after {lab.plural(p['detect_minutes'], 'minute')}; "
        f"until then it {retries}."
    )
    rows = [
        ("Sessions lost", lambda t: t["sessions_lost"]),
        ("Users logged out", lambda t: f"{t['users_logged_out']:,} ({t['share_logged_out']:.0%})"),
        ("Carts lost", lambda t: t["carts_lost"]),
        ("Requests failed", lambda t: t["requests_failed"]),
        ("  of them in flight", lambda t: t["requests_in_flight"]),
        ("Requests retried", lambda t: t["requests_retried"]),
        ("Logged in at end", lambda t: t["logged_in_at_end"]),
    ]
    summary = lab.totals_table(designs, rows)
    moments = sorted({0, p["crash_at"] - 1, p["crash_at"], p["crash_at"] + p["detect_minutes"], p["minutes"] - 1}
                     & set(range(p["minutes"])))
    before_after = lab.table(
        ["Minute", *(d["label"] for d in designs)],
        [[minute, *(logged_in_and_failed(d["timeline"][minute]) for d in designs)] for minute in moments],
    )
    events = lab.event_lines(result["designs"]["stateful"])
    return (f"{heading}\n\n{summary}\n\nUsers logged in / requests failed so far:\n{before_after}"
            f"\n\nWhat happened, stateful:\n{events}")


def logged_in_and_failed(snapshot: dict) -> str:
    counters = snapshot["counters"]
    return f"{counters['Logged in']:,} / {counters['Requests failed']:,}"


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
