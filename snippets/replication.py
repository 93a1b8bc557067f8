"""Replication: stateful servers copy their sessions to each other. What does a crash cost?

SESSIONS users are logged in, handed out in turn to SERVERS web servers; each server keeps
its users' sessions in its own memory, and sticky sessions send each user back to it. Every
session changes WRITES_PER_MINUTE times a minute, and each change is copied to the servers
that keep a copy. At minute CRASH_AT, CRASHES servers crash at the same moment: web-2, and
after it its neighbours web-3, web-4, ... A minute later the load balancer fails their
users over to the servers that are left.

The same sessions meet the same crash in three designs:

  none          nothing is copied: a crashed server's sessions are gone
  one backup    each server copies its sessions to the next one in a ring (web-1 to web-2,
                ..., the last to web-1); a crashed server's users move to that backup
  all to all    each server copies its sessions to every other; its users can go anywhere

Sizes are in MB, where 1 MB = 1,000,000 bytes.

    python snippets/replication.py                 the report
    python snippets/replication.py --crashes 2     with other parameters
    python snippets/replication.py --json          the numbers, for tools
"""

import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--crash-at 5).
SERVERS = 4  # web servers behind the load balancer
SESSIONS = 10_000  # users logged in, handed out to the servers in turn
CRASHES = 1  # servers that crash together: web-2, then its neighbours web-3, web-4, ...
CRASH_AT = 10  # the minute they crash; their users fail over the minute after
MINUTES = 20  # how long the run lasts
WRITES_PER_MINUTE = 2  # changes to each session a minute; each change is copied
SESSION_BYTES = 2_000  # a session's average size: each is between half and 1.5 times this
SEED = 1  # the same seed gives the same sessions, and the same numbers

DESIGNS = {"none": "None", "one_backup": "One backup", "all_to_all": "All to all"}


def simulate(servers=SERVERS, sessions=SESSIONS, crashes=CRASHES, crash_at=CRASH_AT, minutes=MINUTES,
             writes_per_minute=WRITES_PER_MINUTE, session_bytes=SESSION_BYTES, seed=SEED) -> dict:
    lab.count("servers", servers, minimum=2)
    lab.count("sessions", sessions)
    lab.count("crashes", crashes, minimum=1, maximum=servers)
    lab.count("minutes", minutes, minimum=3)
    lab.count("crash_at", crash_at, minimum=1, maximum=minutes - 2)  # leave a minute before and one after
    lab.count("writes_per_minute", writes_per_minute)
    lab.count("session_bytes", session_bytes, minimum=1)
    lab.count("seed", seed)
    parameters = dict(servers=servers, sessions=sessions, crashes=crashes, crash_at=crash_at, minutes=minutes,
                      writes_per_minute=writes_per_minute, session_bytes=session_bytes, seed=seed)
    owned = logins(servers, sessions, session_bytes, seed)
    crashed = [(1 + k) % servers for k in range(crashes)]  # web-2 first: numbered from 0 here
    return {
        "scenario": "replication",
        "parameters": parameters,
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
    others = [member for member in members if member != server]
    if design == "one_backup":
        after = [member for member in others if member > server]
        return (after or others)[:1]  # the next one in the ring, which wraps around
    if design == "all_to_all":
        return others
    return []


def replicate(design: str, owned_at_start: list[list[int]], crashed: list[int], p: dict) -> dict:
    """One design, minute by minute: copying as usual, the crash, then the failover."""
    owned = [list(sizes) for sizes in owned_at_start]  # the sessions each server serves, by size
    members = list(range(p["servers"]))  # the servers the cluster copies among
    down: list[int] = []
    totals = dict(sessions=p["sessions"], sessions_lost=0, sessions_failed_over=0)
    timeline = lab.Timeline()
    for minute in range(p["minutes"]):
        events = []
        if minute == p["crash_at"]:
            down = crashed
            events = crash(design, owned, members, crashed, totals)
        if minute == p["crash_at"] + 1:
            survivors = [server for server in members if server not in crashed]
            events = fail_over(design, owned, members, crashed, survivors, totals)
            members = survivors
        state = measure(design, owned, members, down, p["writes_per_minute"])
        if minute == p["crash_at"] - 1:
            totals.update(copies_per_write=state["copies"], sessions_held_max=state["most_held"],
                          bytes_held_max=state["most_bytes"], replication_bytes_per_minute=state["network"],
                          busiest_load_before=state["busiest_load"])
        timeline.record(minute, nodes(design, owned, state, down), counters(totals, state), events)
    totals.update(sessions_held_max_after=state["most_held"], bytes_held_max_after=state["most_bytes"],
                  replication_bytes_per_minute_after=state["network"], busiest_load_after=state["busiest_load"])
    before = totals["busiest_load_before"]
    totals["load_increase"] = round(totals["busiest_load_after"] / before, 3) if before else 0.0
    return lab.design(DESIGNS[design], p["servers"], totals, timeline)


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
              totals: dict) -> list[dict]:
    """The load balancer sends the crashed servers' users to a server with a copy of their
    sessions, or, when no server has one, to any server, where they log in again."""
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
        if design == "one_backup" and keepers:
            # Only the backup has their sessions, so all of them must go there.
            backup = keepers[0]
            owned[backup] += users
            events.append(lab.event("failover", f"{name(backup)} takes over {whose} with its copies of their "
                                                f"sessions: it now serves {len(owned[backup]):,} users.", name(backup)))
            continue
        for size in users:
            owned[balancer.next()].append(size)
        after = "which all have copies of their sessions" if keepers else "where they log in again, with new sessions"
        events.append(lab.event("failover", f"{whose} are shared among the {lab.plural(len(survivors), 'server')} "
                                            f"left, {after}.", "lb"))
    return events


def measure(design: str, owned: list[list[int]], members: list[int], down: list[int], writes_per_minute: int) -> dict:
    """What each server holds and serves, and what copying the writes costs, this minute."""
    own_bytes = [sum(sizes) for sizes in owned]
    held = [len(sizes) for sizes in owned]  # sessions in memory: its own, plus the copies it keeps
    held_bytes = list(own_bytes)
    network = 0
    for server in members:
        keepers = backups(design, server, members)
        for keeper in keepers:
            held[keeper] += len(owned[server])
            held_bytes[keeper] += own_bytes[server]
        if server not in down:  # a crashed server's users write nothing, and copies to it go nowhere
            network += own_bytes[server] * writes_per_minute * sum(keeper not in down for keeper in keepers)
    alive = [server for server in range(len(owned)) if server not in down]
    return {
        "held": held,
        "busiest_load": max((len(owned[server]) for server in alive), default=0),
        "most_held": max((held[server] for server in alive), default=0),
        "most_bytes": max((held_bytes[server] for server in alive), default=0),
        "copies": len(backups(design, members[0], members)) if members else 0,
        "network": network,
    }


def nodes(design: str, owned: list[list[int]], state: dict, down: list[int]) -> dict:
    """The web servers on the diagram: what each holds, and its share of the users' requests."""
    users = [len(sizes) for sizes in owned]  # a crashed server's users keep trying it until the failover
    result = {}
    for server, count in enumerate(users):
        if server in down:
            status, note = "down", "crashed"
        elif design == "none":
            status, note = "up", lab.plural(count, "session")
        else:
            status, note = "up", f"{count:,} + {state['held'][server] - count:,} copies"
        result[name(server)] = lab.node(status, note, count / sum(users) if sum(users) else 0.0)
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
    heading = (
        f"Replication: {lab.plural(p['servers'], 'server')} hold {lab.plural(p['sessions'], 'session')} of about "
        f"{p['session_bytes']:,} bytes, each written {lab.plural(p['writes_per_minute'], 'time')} a minute.\n"
        f"At minute {p['crash_at']} {names(crashed)} {'crashes' if len(crashed) == 1 else 'crash'}; at minute "
        f"{p['crash_at'] + 1} the load balancer fails {'its' if len(crashed) == 1 else 'their'} users over.\n"
        "1 MB = 1,000,000 bytes."
    )
    before = lab.table(
        ["Design", "Sessions lost", "Copies per write", "Memory per server", "Replication"],
        [[d["label"], d["totals"]["sessions_lost"], d["totals"]["copies_per_write"],
          held(d["totals"]["sessions_held_max"], d["totals"]["bytes_held_max"]),
          lab.megabytes(d["totals"]["replication_bytes_per_minute"]) + "/min"] for d in designs],
    )
    after = lab.table(
        ["Design", "Busiest server load", "Memory per server", "Replication"],
        [[d["label"], f"{d['totals']['busiest_load_after']:,} users (x{d['totals']['load_increase']:.2f})",
          held(d["totals"]["sessions_held_max_after"], d["totals"]["bytes_held_max_after"]),
          lab.megabytes(d["totals"]["replication_bytes_per_minute_after"]) + "/min"] for d in designs],
    )
    moments = sorted({p["crash_at"] - 1, p["crash_at"], p["crash_at"] + 1, p["minutes"] - 1})
    timeline = lab.table(
        ["Minute", *(d["label"] for d in designs)],
        [[minute, *(lost_and_load(d["timeline"][minute]) for d in designs)] for minute in moments],
    )
    events = lab.event_lines(result["designs"]["one_backup"])
    return (
        f"{heading}\n\nBefore the crash (memory: the busiest server, its own sessions and the copies it keeps):\n"
        f"{before}\n\nAfter the failover (load: the users the busiest server serves; x: compared with before):\n"
        f"{after}\n\nSessions lost / busiest server load:\n{timeline}\n\nWhat happened, one backup:\n{events}"
    )


def held(sessions: int, size: int) -> str:
    return f"{sessions:,} sessions, {lab.megabytes(size)}"


def lost_and_load(snapshot: dict) -> str:
    counters = snapshot["counters"]
    return f"{counters['Sessions lost']:,} / {counters['Busiest server load']:,}"



if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report)
