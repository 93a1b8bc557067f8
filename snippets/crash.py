"""Crash: one web server dies mid-run. What do its users lose in each design?

USERS log in at random minutes during the first LOGIN_MINUTES; from then on every
logged-in user sends one request a minute. At minute CRASH_AT the server
web-CRASH_SERVER crashes. The load balancer's health check notices DETECT_MINUTES
later; until then it keeps sending that server requests, and they fail.

The same users meet the same crash in three designs:

  stateful       each server keeps its users' sessions in its own memory, and sticky
                 sessions pin every user to the server that logged them in
  shared store   stateless servers; sessions live in a shared session store
  signed tokens  stateless servers; every request carries a signed token

    python snippets/crash.py                  the report
    python snippets/crash.py --servers 6      with other parameters
    python snippets/crash.py --json           the numbers, for tools
"""

import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--crash-at 20).
SERVERS = 4  # web servers behind the load balancer
USERS = 2_000  # users who log in during the run
LOGIN_MINUTES = 20  # each user logs in at a random minute before this one
CRASH_SERVER = 2  # the server that crashes: web-2
CRASH_AT = 30  # the minute it crashes
DETECT_MINUTES = 1  # minutes until the load balancer notices
MINUTES = 60  # how long the run lasts
CART_PERCENT = 30  # share of users with something in their cart
SEED = 1  # the same seed gives the same users, and the same numbers


def simulate(servers=SERVERS, users=USERS, login_minutes=LOGIN_MINUTES, crash_server=CRASH_SERVER,
             crash_at=CRASH_AT, detect_minutes=DETECT_MINUTES, minutes=MINUTES,
             cart_percent=CART_PERCENT, seed=SEED) -> dict:
    lab.count("servers", servers, minimum=2)  # one must survive the crash
    lab.count("users", users)
    lab.count("minutes", minutes, minimum=1)
    lab.count("login_minutes", login_minutes, minimum=1, maximum=minutes)
    lab.count("crash_server", crash_server, minimum=1, maximum=servers)
    lab.count("crash_at", crash_at, minimum=0, maximum=minutes - 1)
    lab.count("detect_minutes", detect_minutes)
    lab.count("cart_percent", cart_percent, maximum=100)
    lab.count("seed", seed)
    parameters = dict(servers=servers, users=users, login_minutes=login_minutes, crash_server=crash_server,
                      crash_at=crash_at, detect_minutes=detect_minutes, minutes=minutes,
                      cart_percent=cart_percent, seed=seed)
    logins = arrivals(users, login_minutes, cart_percent, seed)
    return {
        "scenario": "crash",
        "parameters": parameters,
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


def stateful(logins: list[list[bool]], p: dict) -> dict:
    """Sessions in each server's memory; each user pinned to the server that logged them in."""
    servers, dead = p["servers"], p["crash_server"] - 1
    name = f"web-{dead + 1}"
    balancer = lab.RoundRobin(servers)
    sessions = [0] * servers  # sessions held in each server's memory
    carts = [0] * servers  # how many of them have a cart
    stranded = 0  # users still pinned to the dead server, not yet sent elsewhere
    waiting: list[bool] = []  # users who try to log in this minute (True: with a cart)
    totals = dict(sessions_lost=0, carts_lost=0, requests=0, requests_failed=0)
    timeline = lab.Timeline()
    for minute in range(p["minutes"]):
        events = []
        if minute == p["crash_at"]:
            stranded = sessions[dead]
            totals["sessions_lost"] += sessions[dead]
            totals["carts_lost"] += carts[dead]
            sessions[dead] = carts[dead] = 0
            events.append(lab.event("server_down", f"{name} crashes: the {lab.plural(stranded, 'session')} in its memory are gone", name))
        if minute == p["crash_at"] + p["detect_minutes"]:
            balancer.remove(dead)
            events.append(lab.event(
                "server_removed",
                f"The load balancer notices and re-pins {name}'s {lab.plural(stranded, 'user')} to other servers. "
                "Those servers have never seen their sessions: the users must log in again, with empty carts.",
                name,
            ))
            waiting += [False] * stranded
            stranded = 0
        is_down = minute >= p["crash_at"]

        # Users already logged in: each sends one request to the server it is pinned to.
        routed = list(sessions)
        routed[dead] += stranded
        failed = stranded
        # Users logging in: the balancer picks a server in turn and pins them to it.
        if minute < len(logins):
            waiting += logins[minute]
        retry = []
        for has_cart in waiting:
            server = balancer.next()
            routed[server] += 1
            if server == dead and is_down:
                failed += 1
                retry.append(has_cart)  # the login failed; they try again next minute
            else:
                sessions[server] += 1
                carts[server] += has_cart
        waiting = retry

        totals["requests"] += sum(routed)
        totals["requests_failed"] += failed
        nodes = {}
        for s in range(servers):
            crashed = s == dead and is_down
            nodes[f"web-{s + 1}"] = lab.node("down" if crashed else "up",
                                             "crashed" if crashed else lab.plural(sessions[s], "session"),
                                             lab.share(routed[s], routed))
            nodes[f"sessions-web-{s + 1}"] = lab.node("down" if crashed else "up", "")  # its session table
        timeline.record(minute, nodes, counters(totals, logged_in=sum(sessions)), events)
    totals["logged_in_at_end"] = sum(sessions)
    return lab.design("Stateful (sticky)", servers, totals, timeline)


def stateless(logins: list[list[bool]], p: dict, with_store: bool) -> dict:
    """Any server answers any request: each minute's requests are handed out in turn."""
    servers, dead = p["servers"], p["crash_server"] - 1
    name = f"web-{dead + 1}"
    balancer = lab.RoundRobin(servers)
    logged_in = 0
    waiting = 0  # users who try to log in this minute
    totals = dict(sessions_lost=0, carts_lost=0, requests=0, requests_failed=0)
    if with_store:
        totals["store_calls"] = 0
    timeline = lab.Timeline()
    for minute in range(p["minutes"]):
        events = []
        if minute == p["crash_at"]:
            kept = "the session store still has every session" if with_store else "every user still holds a valid token"
            events.append(lab.event("server_down", f"{name} crashes. It kept no sessions, so nobody is logged out: {kept}.", name))
        if minute == p["crash_at"] + p["detect_minutes"]:
            balancer.remove(dead)
            events.append(lab.event("server_removed", "The load balancer notices and shares the requests among the other servers.", name))
        is_down = minute >= p["crash_at"]

        if minute < len(logins):
            waiting += len(logins[minute])
        login_shares = balancer.spread(waiting, servers)
        request_shares = balancer.spread(logged_in, servers)
        failed_logins = login_shares[dead] if is_down else 0
        failed = failed_logins + (request_shares[dead] if is_down else 0)
        routed = [a + b for a, b in zip(login_shares, request_shares)]
        logged_in += waiting - failed_logins
        waiting = failed_logins  # a failed request is simply sent again next minute

        totals["requests"] += sum(routed)
        totals["requests_failed"] += failed
        if with_store:
            totals["store_calls"] += sum(routed) - failed  # every request served reads or writes its session
        nodes = {
            f"web-{s + 1}": lab.node(
                "down" if s == dead and is_down else "up",
                "crashed" if s == dead and is_down else f"{routed[s]:,} req/min",
                lab.share(routed[s], routed),
            )
            for s in range(servers)
        }
        if with_store:
            nodes["session-store"] = lab.node("up", lab.plural(logged_in, "session"))
        timeline.record(minute, nodes, counters(totals, logged_in=logged_in), events)
    totals["logged_in_at_end"] = logged_in
    label = "Shared store" if with_store else "Signed tokens"
    return lab.design(label, servers, totals, timeline)



def counters(totals: dict, logged_in: int) -> dict:
    """What the live diagram shows beside the picture."""
    return {
        "Logged in": logged_in,
        "Sessions lost": totals["sessions_lost"],
        "Carts lost": totals["carts_lost"],
        "Requests failed": totals["requests_failed"],
    }


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"].values()
    heading = (
        f"Crash: web-{p['crash_server']} of {p['servers']} servers crashes at minute {p['crash_at']}; "
        f"{p['users']:,} users.\nThe load balancer notices after {lab.plural(p['detect_minutes'], 'minute')}."
    )
    summary = lab.table(
        ["Design", "Sessions lost", "Carts lost", "Requests", "Failed", "Logged in at end"],
        [[d["label"], d["totals"]["sessions_lost"], d["totals"]["carts_lost"], d["totals"]["requests"],
          d["totals"]["requests_failed"], d["totals"]["logged_in_at_end"]] for d in designs],
    )
    moments = sorted({0, p["crash_at"] - 1, p["crash_at"], p["crash_at"] + p["detect_minutes"], p["minutes"] - 1}
                     & set(range(p["minutes"])))
    before_after = lab.table(
        ["Minute", *(d["label"] for d in designs)],
        [[minute, *(logged_in_and_failed(d["timeline"][minute]) for d in designs)] for minute in moments],
    )
    events = lab.event_lines(result["designs"]["stateful"])
    return f"{heading}\n\n{summary}\n\nBefore and after (users logged in / requests failed so far):\n{before_after}\n\nWhat happened, stateful:\n{events}"


def logged_in_and_failed(snapshot: dict) -> str:
    counters = snapshot["counters"]
    return f"{counters['Logged in']:,} / {counters['Requests failed']:,}"


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report)
