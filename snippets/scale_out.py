"""Scale out: servers added under load. How soon does each design put them to work?

A traffic spike has left START_SERVERS servers holding SESSIONS active sessions, more
than the CAPACITY each is comfortable with. Sessions last SESSION_MINUTES on average
and new ones keep arriving at SESSIONS / SESSION_MINUTES a minute, so the total stays
level; every active user sends one request a minute. At minute SCALE_AT,
ADDED_SERVERS more servers join.

The same sessions meet the same scale-out in two designs:

  sticky     every user stays on the server that started their session; new sessions
             go to the least-loaded server (the kindest rule for sticky sessions), so
             the new servers only take over as the old sessions end
  stateless  sessions live in a shared store, so the load balancer hands each minute's
             requests out in turn over every server that is up

    python snippets/scale_out.py                          the report
    python snippets/scale_out.py --session-minutes 120    with other parameters
    python snippets/scale_out.py --json                   the numbers, for tools
"""

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--added-servers 2).
START_SERVERS = 4  # web servers before the scale-out: web-1 .. web-4
ADDED_SERVERS = 4  # servers added at SCALE_AT: web-5 .. web-8
SESSIONS = 11_200  # active sessions at minute 0, spread evenly over the first servers
SESSION_MINUTES = 40  # how long a session lasts, on average
CAPACITY = 2_000  # sessions a server handles comfortably
SCALE_AT = 10  # the minute the new servers join
MINUTES = 90  # how long the run lasts
SEED = 1  # the same seed gives the same sessions, and the same numbers

BALANCED = 1.1  # balanced: the busiest server is within 10% of the average


def simulate(start_servers=START_SERVERS, added_servers=ADDED_SERVERS, sessions=SESSIONS,
             session_minutes=SESSION_MINUTES, capacity=CAPACITY, scale_at=SCALE_AT, minutes=MINUTES,
             seed=SEED) -> dict:
    lab.count("start_servers", start_servers, minimum=1, maximum=lab.DIAGRAM_SERVERS - 1)
    lab.count("added_servers", added_servers, minimum=1, maximum=lab.DIAGRAM_SERVERS - start_servers)
    lab.count("sessions", sessions)
    lab.count("session_minutes", session_minutes, minimum=1)
    lab.count("capacity", capacity, minimum=1)
    lab.count("minutes", minutes, minimum=1)
    lab.count("scale_at", scale_at, maximum=minutes - 1)
    lab.count("seed", seed)
    parameters = dict(start_servers=start_servers, added_servers=added_servers, sessions=sessions,
                      session_minutes=session_minutes, capacity=capacity, scale_at=scale_at,
                      minutes=minutes, seed=seed)
    remaining, arrivals = lab.steady_sessions(sessions, session_minutes, minutes, seed)
    return {
        "scenario": "scale_out",
        "parameters": parameters,
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


def sticky_loads(remaining: list[int], arrivals: list[list[int]], p: dict) -> list[list[int]]:
    """For each minute, the sessions pinned to each server."""
    servers, minutes = p["start_servers"] + p["added_servers"], p["minutes"]
    sessions = [0] * servers
    ending = [[0] * servers for _ in range(minutes)]  # sessions ending at each minute, by server
    for number, left in enumerate(remaining):
        server = number % p["start_servers"]
        sessions[server] += 1
        if left < minutes:
            ending[left][server] += 1
    up = list(range(p["start_servers"]))
    loads = []
    for minute in range(minutes):
        if minute == p["scale_at"]:
            up = list(range(servers))
        sessions = [held - ended for held, ended in zip(sessions, ending[minute])]
        loads.append(list(sessions))
        for length in arrivals[minute]:
            server = min(up, key=sessions.__getitem__)  # the first of the least loaded
            sessions[server] += 1
            if minute + 1 + length < minutes:
                ending[minute + 1 + length][server] += 1
    return loads


def stateless_loads(remaining: list[int], arrivals: list[list[int]], p: dict) -> list[list[int]]:
    """For each minute, the requests each server gets: the same users, handed out in turn."""
    servers, minutes = p["start_servers"] + p["added_servers"], p["minutes"]
    balancer = lab.RoundRobin(p["start_servers"])
    active = len(remaining)
    ending = [0] * minutes
    for left in remaining:
        if left < minutes:
            ending[left] += 1
    loads = []
    for minute in range(minutes):
        if minute == p["scale_at"]:
            for server in range(p["start_servers"], servers):
                balancer.add(server)
        active -= ending[minute]
        loads.append(balancer.spread(active, servers))
        active += len(arrivals[minute])
        for length in arrivals[minute]:
            if minute + 1 + length < minutes:
                ending[minute + 1 + length] += 1
    return loads


def describe(label: str, loads: list[list[int]], p: dict, stateless: bool) -> dict:
    """The totals and the timeline of one design, from its load on each server each minute."""
    first_added = p["start_servers"]
    totals = dict(imbalance_after_scale=0.0, minutes_until_balanced=None, minutes_over_capacity=0,
                  peak_after_scale=0, busiest_at_end=0)
    timeline = lab.Timeline()
    for minute, load in enumerate(loads):
        scaled = minute >= p["scale_at"]
        up = load if scaled else load[:first_added]
        active, busiest = sum(up), max(up)
        imbalance = busiest * len(up) / active if active else 1.0
        events = []
        if minute == p["scale_at"]:
            totals["imbalance_after_scale"] = round(imbalance, 3)
            events.append(lab.event("servers_added", added_text(p, stateless), f"web-{first_added + 1}"))
        if scaled:
            totals["minutes_over_capacity"] += busiest > p["capacity"]
            totals["peak_after_scale"] = max(totals["peak_after_scale"], busiest)
            if totals["minutes_until_balanced"] is None and imbalance <= BALANCED:
                totals["minutes_until_balanced"] = minute - p["scale_at"]
                events.append(lab.event(
                    "balanced",
                    f"Balanced: the busiest server ({busiest:,}) is within 10% of the average ({active // len(up):,}).",
                ))
        nodes = {}
        for server, users in enumerate(load):
            note = f"{users:,} req/min" if stateless else lab.plural(users, "session")
            if server < first_added or scaled:
                nodes[f"web-{server + 1}"] = lab.node("up", note, users / active if active else 0.0)
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


def added_text(p: dict, stateless: bool) -> str:
    first, last = p["start_servers"] + 1, p["start_servers"] + p["added_servers"]
    joining = f"web-{first} joins" if first == last else f"web-{first} to web-{last} join"
    if stateless:
        return f"{joining}; from this minute on, every server gets an equal share of the requests."
    return f"{joining} with no sessions: only users who log in from now on go there."


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"].values()
    per_server = p["sessions"] // p["start_servers"]
    heading = (
        f"Scale out: {p['sessions']:,} sessions on {p['start_servers']} servers ({per_server:,} each; "
        f"comfortable: {p['capacity']:,}); {p['added_servers']} more join at minute {p['scale_at']}.\n"
        f"Sessions last {p['session_minutes']} minutes on average, and "
        f"{p['sessions'] // p['session_minutes']:,} new ones a minute keep the total level."
    )
    summary = lab.table(
        ["Design", "Max/mean at once", "Minutes over capacity", "Balanced after", "Busiest after"],
        [[d["label"], d["totals"]["imbalance_after_scale"], d["totals"]["minutes_over_capacity"],
          balanced_after(d["totals"]["minutes_until_balanced"]), d["totals"]["peak_after_scale"]] for d in designs],
    )
    sticky, stateless = result["designs"]["sticky"]["timeline"], result["designs"]["stateless"]["timeline"]
    later = sorted({0, 5, 10, 20, 30, 40, 60, 90, 120, p["minutes"] - 1 - p["scale_at"]})
    curve = lab.table(
        ["Minutes after adding", "Sticky: busiest", "Sticky: quietest", "Stateless: busiest"],
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
    result = lab.main(__doc__, simulate, report)
