"""Scale out: servers added under load. How soon does each design put them to work?

A traffic spike has left START_SERVERS servers holding SESSIONS active sessions, more
than the CAPACITY each is comfortable with. Sessions last SESSION_MINUTES on average,
and new ones arrive at a rate that keeps the total level; every active user sends one
request a minute. At minute SCALE_AT, ADDED_SERVERS more servers join.

  sticky     each user stays on the server that started their session; new sessions
             go to the least-loaded server (the kindest rule for sticky sessions), so
             the new servers only take over as the old sessions end
  stateless  sessions in a shared store: the load balancer hands each minute's
             requests out in turn over every server that is up

    python snippets/scale_out.py --session-minutes 120   other parameters
    python snippets/scale_out.py --json                  the numbers, for tools
"""

import math
import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--added-servers 2).
START_SERVERS = 4  # web servers before the scale-out: web-1 .. web-4
ADDED_SERVERS = 4  # servers added at SCALE_AT: web-5 .. web-8
SESSIONS = 11_200  # active sessions at minute 0, spread evenly over the first servers
SESSION_MINUTES = 40  # how long a session lasts, on average
CAPACITY = 2_000  # sessions a server handles comfortably
SCALE_AT = 5  # the minute the new servers join
MINUTES = 45  # how long the run lasts
SEED = 1  # the same seed gives the same sessions, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "start_servers": (1, lab.DIAGRAM_SERVERS - 1),
    "added_servers": (1, lab.DIAGRAM_SERVERS - 1),  # and at most 12 servers in all
    "sessions": (0, 100_000),
    "session_minutes": (1, 120),
    "capacity": (1, 100_000),
    "scale_at": (0, 299),  # and before MINUTES
    "minutes": (1, 300),  # long enough for sessions of 120 minutes to even out
    "seed": lab.SEEDS,
}

# Balanced: the busiest server has at most 10% more than the average, rounded up to a
# whole session (with 5 sessions a server on average, 6 is as even as it gets).
BALANCED_PERCENT = 10


def simulate(start_servers=START_SERVERS, added_servers=ADDED_SERVERS, sessions=SESSIONS,
             session_minutes=SESSION_MINUTES, capacity=CAPACITY, scale_at=SCALE_AT, minutes=MINUTES,
             seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, start_servers=start_servers, added_servers=added_servers, sessions=sessions,
                             session_minutes=session_minutes, capacity=capacity, scale_at=scale_at,
                             minutes=minutes, seed=seed)
    lab.at_most("added_servers", added_servers, lab.DIAGRAM_SERVERS - start_servers,
                f"START_SERVERS is {start_servers} and the pictures show at most {lab.DIAGRAM_SERVERS}")
    lab.at_most("scale_at", scale_at, minutes - 1, f"MINUTES is {minutes}")
    remaining, arrivals = lab.steady_sessions(sessions, session_minutes, minutes, seed)
    return {
        "scenario": "scale_out",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "estimate": least_loaded_estimate(parameters),
        "designs": {
            "sticky": describe("Sticky sessions", sticky_loads(remaining, arrivals, parameters), parameters,
                               stateless=False),
            "stateless": describe("Stateless", stateless_loads(remaining, arrivals, parameters), parameters,
                                  stateless=True),
        },
    }


# Each minute: the new servers join (at SCALE_AT), the sessions that are over end, every
# active user sends a request (the load a snapshot shows), and new users log in; a user
# who logs in sends a first request the next minute.


def sticky_loads(remaining: dict[int, int], arrivals: list[dict[int, int]], p: dict) -> list[list[int]]:
    """For each minute, the sessions pinned to each server."""
    servers, minutes = p["start_servers"] + p["added_servers"], p["minutes"]
    sessions = [0] * servers
    # Sessions ending at each minute, by server; the last row gathers those that outlast the run.
    ending = [[0] * servers for _ in range(minutes + 2)]
    first_servers = lab.RoundRobin(p["start_servers"])
    for left, count in remaining.items():
        for server, given in first_servers.deal(count).items():
            sessions[server] += given
            ending[min(left, minutes + 1)][server] += given
    # New sessions of one length go out together; taking the lengths in a random order
    # keeps the emptiest servers from always getting the shortest (or longest) sessions.
    rng = random.Random(p["seed"])
    up = list(range(p["start_servers"]))
    loads = []
    for minute in range(minutes):
        if minute == p["scale_at"]:
            up = list(range(servers))
        sessions = [held - ended for held, ended in zip(sessions, ending[minute], strict=True)]
        loads.append(list(sessions))
        # Least-connections counts what each server holds when the newcomers' first
        # requests arrive, next minute: the sessions ending by then no longer count.
        upcoming = [held - ended for held, ended in zip(sessions, ending[minute + 1], strict=True)]
        lengths = list(arrivals[minute].items())
        rng.shuffle(lengths)
        for length, count in lengths:
            for server, given in lab.fill_least_loaded(upcoming, up, count).items():
                sessions[server] += given
                ending[min(minute + 1 + length, minutes + 1)][server] += given
    return loads


def stateless_loads(remaining: dict[int, int], arrivals: list[dict[int, int]], p: dict) -> list[list[int]]:
    """For each minute, the requests each server gets: the same users, handed out in turn."""
    servers, minutes = p["start_servers"] + p["added_servers"], p["minutes"]
    balancer = lab.RoundRobin(p["start_servers"])
    active = sum(remaining.values())
    ending = [0] * (minutes + 1)
    for left, count in remaining.items():
        ending[min(left, minutes)] += count
    loads = []
    for minute in range(minutes):
        if minute == p["scale_at"]:
            for server in range(p["start_servers"], servers):
                balancer.add(server)
        active -= ending[minute]
        loads.append(balancer.spread(active, servers))
        for length, count in arrivals[minute].items():
            active += count
            ending[min(minute + 1 + length, minutes)] += count
    return loads


def balanced_limit(active: int, servers: int) -> int:
    """The most a server may have for the fleet to count as balanced."""
    return -(-active * (100 + BALANCED_PERCENT) // (100 * servers))  # rounded up


def least_loaded_estimate(p: dict) -> dict:
    """The back-of-the-envelope answer the model should come close to.

    If every new session goes to the new servers, an old server only sheds load as its
    sessions end, about load x e^(-t / SESSION_MINUTES); it falls below CAPACITY after
    SESSION_MINUTES x ln(load / CAPACITY) minutes.
    """
    load = p["sessions"] / p["start_servers"]
    minutes = p["session_minutes"] * math.log(load / p["capacity"]) if load > p["capacity"] else 0.0
    return {"load_per_old_server": round(load), "minutes_over_capacity": round(minutes, 1)}


def describe(label: str, loads: list[list[int]], p: dict, *, stateless: bool) -> dict:
    """The totals and the timeline of one design, from its load on each server each minute."""
    first_added = p["start_servers"]
    totals = {"imbalance_after_scale": 0.0, "minutes_until_balanced": None, "minutes_over_capacity": 0,
              "peak_after_scale": 0, "busiest_at_end": 0}
    timeline = lab.Timeline()
    for minute, load in enumerate(loads):
        scaled = minute >= p["scale_at"]
        up = load if scaled else load[:first_added]
        active, busiest = sum(up), max(up)
        imbalance = busiest * len(up) / active if active else 1.0
        events = []
        if minute == p["scale_at"]:
            totals["imbalance_after_scale"] = round(imbalance, 3)
            events.append(lab.event("servers_added", added_text(p, stateless=stateless), f"web-{first_added + 1}"))
        if scaled:
            totals["minutes_over_capacity"] += busiest > p["capacity"]
            totals["peak_after_scale"] = max(totals["peak_after_scale"], busiest)
            if totals["minutes_until_balanced"] is None and busiest <= balanced_limit(active, len(up)):
                totals["minutes_until_balanced"] = minute - p["scale_at"]
                events.append(lab.event(
                    "balanced",
                    f"Balanced: the busiest server ({busiest:,}) is within {BALANCED_PERCENT}% of the average "
                    f"({active / len(up):,.1f}), rounded up to a whole session.",
                ))
        nodes = {}
        for server, (users, traffic) in enumerate(zip(load, lab.shares(load), strict=True)):
            note = f"{users:,} req/min" if stateless else lab.plural(users, "session")
            if server < first_added or scaled:
                nodes[f"web-{server + 1}"] = lab.node("up", note, traffic)
            else:
                nodes[f"web-{server + 1}"] = lab.node("off", "not added yet")
        if stateless:
            nodes["session-store"] = lab.node("up", lab.plural(active, "session"))
        counters = {
            "Active sessions": active,
            "Busiest server": busiest,
            "Quietest server": min(up),
            "Imbalance (max/mean)": round(imbalance, 2),
            "Servers over capacity": sum(users > p["capacity"] for users in up),
        }
        timeline.record(minute, nodes, counters, events)
    totals["busiest_at_end"] = busiest
    return lab.design(label, p["start_servers"] + p["added_servers"], totals, timeline)


def added_text(p: dict, *, stateless: bool) -> str:
    first, last = p["start_servers"] + 1, p["start_servers"] + p["added_servers"]
    joining = f"web-{first} joins" if first == last else f"web-{first} to web-{last} join"
    if stateless:
        return f"{joining}; from this minute on, every server gets an equal share of the requests."
    return f"{joining} with no sessions: only users who log in from now on go there."


# The report -------------------------------------------------------------------------


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"].values()
    per_server = p["sessions"] // p["start_servers"]
    heading = lab.paragraph(
        f"Scale out: {p['sessions']:,} sessions on {lab.plural(p['start_servers'], 'server')} "
        f"({per_server:,} each; comfortable: {p['capacity']:,}); {p['added_servers']} more join at minute "
        f"{p['scale_at']}. Sessions last {p['session_minutes']} minutes on average, and "
        f"{p['sessions'] // p['session_minutes']:,} new ones a minute keep the total level."
    )
    rows = [
        ("Max/mean as they join", lambda t: t["imbalance_after_scale"]),
        ("Minutes over capacity", lambda t: t["minutes_over_capacity"]),
        ("Balanced after", lambda t: balanced_after(t["minutes_until_balanced"])),
        ("Busiest server after", lambda t: t["peak_after_scale"]),
    ]
    summary = lab.totals_table(designs, rows)
    sticky, stateless = result["designs"]["sticky"]["timeline"], result["designs"]["stateless"]["timeline"]
    later = sorted({0, 5, 10, 20, 30, 60, 120, p["minutes"] - 1 - p["scale_at"]})
    curve = lab.table(
        ["Minutes\nafter adding", "Sticky:\nbusiest", "Sticky:\nquietest", "Stateless:\nbusiest"],
        [[after, sticky[minute]["counters"]["Busiest server"], sticky[minute]["counters"]["Quietest server"],
          stateless[minute]["counters"]["Busiest server"]]
         for after in later if (minute := p["scale_at"] + after) < p["minutes"]],
    )
    events = lab.event_lines(result["designs"]["sticky"])
    return (f"{heading}\n\n{summary}\n\nSessions (sticky) or requests a minute (stateless) per server:\n{curve}"
            f"\n\nWhat happened, sticky:\n{events}")


def balanced_after(minutes: int | None) -> str:
    if minutes is None:
        return "not in this run"
    return "at once" if minutes == 0 else lab.plural(minutes, "minute")


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
