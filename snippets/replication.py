"""Replication: stateful servers copy their sessions to each other. What does a crash cost?

SESSIONS users are handed out in turn to SERVERS web servers, which keep their sessions
in memory (sticky sessions). Each session changes WRITES_PER_MINUTE times a minute, and
each change is copied to the servers that keep a copy. At minute CRASH_AT, CRASHES
servers crash together: web-2, then web-3, ... A minute later the load balancer moves
their users to the servers that are left.

  none          nothing is copied: a crashed server's sessions are gone
  one backup    each server copies to the next in a ring (the last to web-1). Its users
                go to that backup, or with ANY_NODE_FETCHES to any server, which
                fetches their sessions from the backup (Tomcat's BackupManager)
  all to all    each server copies to every other; its users can go anywhere

    python snippets/replication.py --crashes 2     other parameters
    python snippets/replication.py --json          the numbers, for tools
"""

import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--crash-at 5).
SERVERS = 4  # web servers behind the load balancer
SESSIONS = 10_000  # users logged in, handed out to the servers in turn
CRASHES = 1  # servers that crash together: web-2, then its neighbours web-3, web-4, ...
CRASH_AT = 2  # the minute they crash; their users move the minute after
MINUTES = 5  # how long the run lasts
WRITES_PER_MINUTE = 2  # changes to each session a minute; each change is copied
SESSION_BYTES = 2_000  # a session's average size: each is between half and 1.5 times this
ANY_NODE_FETCHES = False  # one backup: True spreads the users, False sends them to the backup
SEED = 1  # the same seed gives the same sessions, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "servers": (2, lab.DIAGRAM_SERVERS),
    "sessions": (0, 100_000),
    "crashes": (1, lab.DIAGRAM_SERVERS),  # and at most SERVERS
    "crash_at": (1, 58),  # with a minute before it and one after it, within MINUTES
    "minutes": (3, 60),
    "writes_per_minute": (0, 60),
    "session_bytes": (1, 100_000),
    "seed": lab.SEEDS,
}

DESIGNS = {"none": "None", "one_backup": "One backup", "all_to_all": "All to all"}


def simulate(servers=SERVERS, sessions=SESSIONS, crashes=CRASHES, crash_at=CRASH_AT, minutes=MINUTES,
             writes_per_minute=WRITES_PER_MINUTE, session_bytes=SESSION_BYTES, any_node_fetches=ANY_NODE_FETCHES,
             seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, sessions=sessions, crashes=crashes, crash_at=crash_at,
                             minutes=minutes, writes_per_minute=writes_per_minute, session_bytes=session_bytes,
                             any_node_fetches=any_node_fetches, seed=seed)
    lab.at_most("crashes", crashes, servers, f"SERVERS is {servers}")
    lab.at_most("crash_at", crash_at, minutes - 2, f"MINUTES is {minutes}")
    owned = logins(servers, sessions, session_bytes, seed)
    crashed = [(1 + k) % servers for k in range(crashes)]  # web-2 first: numbered from 0 here
    return {
        "scenario": "replication",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "designs": {key: replicate(key, owned, crashed, parameters) for key in DESIGNS},
    }


def logins(servers: int, sessions: int, session_bytes: int, seed: int) -> list[list[int]]:
    """For each server, the size of each session it serves."""
    rng = random.Random(seed)
    balancer = lab.RoundRobin(servers)
    owned: list[list[int]] = [[] for _ in range(servers)]
    for _ in range(sessions):
        owned[balancer.next()].append(session_bytes // 2 + rng.randrange(session_bytes + 1))
    return owned


def backups(design: str, server: int, members: list[int]) -> list[int]:
    """The servers that keep a copy of `server`'s sessions, among the cluster's members."""
    if design == "one_backup":
        return [ring(members)[server]] if len(members) > 1 else []
    if design == "all_to_all":
        return [member for member in members if member != server]
    return []


def ring(members: list[int]) -> dict[int, int]:
    """Each member's backup in one-backup replication: the next member, round a ring."""
    return dict(zip(members, members[1:] + members[:1], strict=True))


def replicate(design: str, owned_at_start: list[list[int]], crashed: list[int], p: dict) -> dict:
    """One design, minute by minute: copying as usual, the crash, then the failover."""
    owned = [list(sizes) for sizes in owned_at_start]  # the sessions each server serves, by size
    members = list(range(p["servers"]))  # the servers the cluster copies among
    down: set[int] = set()
    totals = {"sessions": p["sessions"], "sessions_lost": 0, "sessions_failed_over": 0, "sessions_fetched": 0,
              "fetch_bytes": 0, "load_by_server_before": {}, "load_by_server_after": {}}
    timeline = lab.Timeline()
    for minute in range(p["minutes"]):
        events = []
        if minute == p["crash_at"]:
            down = set(crashed)
            events = crash(design, owned, members, crashed, totals)
        if minute == p["crash_at"] + 1:
            survivors = [server for server in members if server not in down]
            events = fail_over(design, owned, members, crashed, survivors, totals, p)
            members = survivors
        state = measure(design, owned, members, down, p["writes_per_minute"])
        if minute == p["crash_at"] - 1:
            totals.update(copies_per_write=state["copies"], sessions_held_max=state["most_held"],
                          bytes_held_max=state["most_bytes"], replication_bytes_per_minute=state["network"],
                          busiest_load_before=state["busiest_load"], load_by_server_before=loads(owned, down))
        timeline.record(minute, nodes(design, owned, state, down), counters(totals, state), events)
    totals.update(sessions_held_max_after=state["most_held"], bytes_held_max_after=state["most_bytes"],
                  replication_bytes_per_minute_after=state["network"], busiest_load_after=state["busiest_load"],
                  load_by_server_after=loads(owned, down))
    before = totals["busiest_load_before"]
    totals["load_increase"] = round(totals["busiest_load_after"] / before, 3) if before else 0.0
    totals.update(who_is_who(crashed, p["servers"], totals))
    return lab.design(DESIGNS[design], p["servers"], totals, timeline)


def who_is_who(crashed: list[int], servers: int, totals: dict) -> dict:
    """Names and loads a page can quote: the first crashed server, the server that keeps its
    copies in one-backup replication, and the survivors neither of those."""
    backup = ring(list(range(servers)))[crashed[0]]
    others = [server for server in range(servers) if server not in crashed and server != backup]
    after = totals["load_by_server_after"]
    return {
        "crashed_servers": names(crashed),
        "backup_server": name(backup),
        "backup_load_before": totals["load_by_server_before"].get(name(backup), 0),
        "backup_load_after": after.get(name(backup), 0),
        "other_servers": names(others) if others else "none",
        "other_load_after": max((after.get(name(server), 0) for server in others), default=0),
    }


def loads(owned: list[list[int]], down: set[int]) -> dict[str, int]:
    """The users each server that is up serves: {"web-1": 2500, ...}."""
    return {name(server): len(sizes) for server, sizes in enumerate(owned) if server not in down}


def crash(design: str, owned: list[list[int]], members: list[int], crashed: list[int], totals: dict) -> list[dict]:
    """The crashed servers go down; sessions with no copy on a live server are lost."""
    events = [lab.event("server_down", f"{name(server)} crashes, with the {lab.plural(len(owned[server]), 'session')}"
                                       " it served in its memory.", name(server)) for server in crashed]
    for server in crashed:
        keepers = backups(design, server, members)
        if not owned[server] or any(keeper not in crashed for keeper in keepers):
            continue
        totals["sessions_lost"] += len(owned[server])
        where = f"their copies were on {names(keepers)}, which crashed too" if keepers else "no server has a copy"
        events.append(lab.event(
            "sessions_lost",
            f"{name(server)}'s {lab.plural(len(owned[server]), 'session')} are lost: {where}. "
            "Their users must log in again.",
            name(server),
        ))
    return events


def fail_over(design: str, owned: list[list[int]], members: list[int], crashed: list[int], survivors: list[int],
              totals: dict, p: dict) -> list[dict]:
    """The load balancer moves the crashed servers' users: to the one server with a copy of
    their sessions, or spread over the servers left (which have copies, fetch them, or
    log the users in again)."""
    balancer = lab.RoundRobin(len(owned))
    for server in crashed:
        balancer.remove(server)
    events = []
    for server in crashed:
        users, owned[server] = owned[server], []
        keepers = [keeper for keeper in backups(design, server, members) if keeper not in crashed]
        if not users or not survivors:
            continue  # with every server down, the users have nowhere to go
        if keepers:
            totals["sessions_failed_over"] += len(users)
        whose = f"{name(server)}'s {lab.plural(len(users), 'user')}"
        if design == "one_backup" and keepers and not p["any_node_fetches"]:
            # Only the backup has their sessions, so all of them must go there.
            backup = keepers[0]
            owned[backup] += users
            events.append(lab.event("failover", f"{name(backup)} takes over {whose} with its copies of their "
                                                f"sessions: it now serves {len(owned[backup]):,} users.", name(backup)))
            continue
        for size in users:
            owned[balancer.next()].append(size)
        if design == "one_backup" and keepers:
            totals["sessions_fetched"] += len(users)
            totals["fetch_bytes"] += sum(users)
            after = f"each of which fetches their sessions from {name(keepers[0])}, the backup"
        else:
            after = "which all have copies of their sessions" if keepers else "where they log in again"
        events.append(lab.event("failover", f"{whose} are shared among the {lab.plural(len(survivors), 'server')} "
                                            f"left, {after}.", "lb"))
    return events


def measure(design: str, owned: list[list[int]], members: list[int], down: set[int], writes_per_minute: int) -> dict:
    """What each server holds and serves, and what copying the writes costs, this minute."""
    own_sessions = [len(sizes) for sizes in owned]
    own_bytes = [sum(sizes) for sizes in owned]
    held, held_bytes = list(own_sessions), list(own_bytes)  # its own sessions, plus the copies it keeps
    live = [server for server in members if server not in down]
    # A crashed server's users write nothing, and copies sent to it go nowhere.
    if design == "one_backup" and len(members) > 1:
        for server, keeper in ring(members).items():
            held[keeper] += own_sessions[server]
            held_bytes[keeper] += own_bytes[server]
        network = sum(own_bytes[server] for server, keeper in ring(members).items()
                      if server not in down and keeper not in down)
    elif design == "all_to_all":
        # Every member keeps its own sessions and a copy of every other member's: all of them.
        everyone, every_byte = sum(own_sessions[m] for m in members), sum(own_bytes[m] for m in members)
        for keeper in members:
            held[keeper], held_bytes[keeper] = everyone, every_byte
        network = sum(own_bytes[server] for server in live) * (len(live) - 1)
    else:
        network = 0
    alive = [server for server in range(len(owned)) if server not in down]
    return {
        "held": held,
        "busiest_load": max((own_sessions[server] for server in alive), default=0),
        "most_held": max((held[server] for server in alive), default=0),
        "most_bytes": max((held_bytes[server] for server in alive), default=0),
        "copies": len(backups(design, members[0], members)) if members else 0,
        "network": network * writes_per_minute,
    }


def nodes(design: str, owned: list[list[int]], state: dict, down: set[int]) -> dict:
    """The web servers on the diagram: what each holds, and its share of the users' requests."""
    users = [len(sizes) for sizes in owned]  # a crashed server's users keep trying it until the failover
    result = {}
    for server, traffic in enumerate(lab.shares(users)):
        if server in down:
            status, note = "down", "crashed"
        elif design == "none":
            status, note = "up", lab.plural(users[server], "session")
        else:
            status, note = "up", f"{users[server]:,} + {state['held'][server] - users[server]:,} copies"
        result[name(server)] = lab.node(status, note, traffic)
    return result


def counters(totals: dict, state: dict) -> dict:
    """What the live diagram shows beside the picture."""
    return {
        "Sessions lost": totals["sessions_lost"],
        "Copies per write": state["copies"],
        "Busiest server load": state["busiest_load"],
        "Busiest server memory (MB)": round(state["most_bytes"] / lab.MB, 1),
        "Replication (MB/min)": round(state["network"] / lab.MB, 1),
    }


def name(server: int) -> str:
    return f"web-{server + 1}"


def names(servers: list[int]) -> str:
    """[0, 2, 3] -> "web-1, web-3 and web-4"."""
    listed = [name(server) for server in servers]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


# The report -------------------------------------------------------------------------


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"].values()
    crashed = [(1 + k) % p["servers"] for k in range(p["crashes"])]
    one_backup = ("spread over the servers left, which fetch the sessions from the backup" if p["any_node_fetches"]
                  else "sent to the backup")
    heading = lab.paragraph(
        f"Replication: {lab.plural(p['servers'], 'server')} hold {lab.plural(p['sessions'], 'session')} of about "
        f"{p['session_bytes']:,} bytes, each written {lab.plural(p['writes_per_minute'], 'time')} a minute. "
        f"At minute {p['crash_at']} {names(crashed)} {'crashes' if len(crashed) == 1 else 'crash'}; a minute "
        f"later the load balancer moves {'its' if len(crashed) == 1 else 'their'} users (one backup: "
        f"{one_backup}). 1 MB = 1,000,000 bytes."
    )
    rows = [
        ("Sessions lost", lambda t: t["sessions_lost"]),
        ("Copies per write", lambda t: t["copies_per_write"]),
        ("Busiest server holds", lambda _: ""),
        ("  sessions and copies", lambda t: t["sessions_held_max"]),
        ("  after the crash", lambda t: t["sessions_held_max_after"]),
        ("  MB", lambda t: mb(t["bytes_held_max"])),
        ("  MB after the crash", lambda t: mb(t["bytes_held_max_after"])),
        ("Replication, MB a minute", lambda t: mb(t["replication_bytes_per_minute"])),
        ("  after the crash", lambda t: mb(t["replication_bytes_per_minute_after"])),
        ("Busiest server serves", lambda t: t["busiest_load_before"]),
        ("  after the crash", lambda t: t["busiest_load_after"]),
        ("  times as many", lambda t: t["load_increase"]),
    ]
    summary = lab.totals_table(designs, rows)
    after = lab.table(
        ["Users served after", *(d["label"] for d in designs)],
        [[server, *(d["totals"]["load_by_server_after"][server] for d in designs)]
         for server in result["designs"]["none"]["totals"]["load_by_server_after"]],
    )
    events = lab.event_lines(result["designs"]["one_backup"])
    return (f"{heading}\n\n{summary}"
            f"\n\n{after}\n\nWhat happened, one backup:\n{events}")


def mb(size: int) -> str:
    return f"{size / lab.MB:,.1f}"


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
