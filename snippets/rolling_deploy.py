"""Rolling deploy: every server restarts in turn. Who gets logged out?

SESSIONS users are logged in at minute 0; sessions last SESSION_MINUTES on average, and
new users log in at a rate that keeps the number level. From minute DEPLOY_AT the
servers restart one at a time, web-1 first, each taking no traffic for RESTART_MINUTES.
Each design's run ends AFTER_DEPLOY minutes after its deploy.

  stateful          sessions in each server's memory (sticky); a server restarts at
                    once, and its users must log in again on other servers
  stateful drained  the same, but each server first drains: it gets no new users and
                    restarts when its last session has ended
  stateless         sessions in a shared store: a server finishes its requests and
                    restarts

    python snippets/rolling_deploy.py --servers 8    other parameters
    python snippets/rolling_deploy.py --json         the numbers, for tools
"""

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--restart-minutes 5).
SERVERS = 4  # web servers behind the load balancer
SESSIONS = 2_000  # users logged in at minute 0
SESSION_MINUTES = 20  # how long a session lasts, on average
DEPLOY_AT = 5  # the minute the deploy starts
RESTART_MINUTES = 2  # how long a server takes to restart
AFTER_DEPLOY = 5  # minutes each run goes on after its deploy is over
SEED = 1  # the same seed gives the same users, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "servers": (2, lab.DIAGRAM_SERVERS),  # users need somewhere to go
    "sessions": (0, 20_000),  # the lesson is the same at any scale; more only takes longer
    "session_minutes": (1, 60),
    "deploy_at": (0, 30),
    "restart_minutes": (1, 10),
    "after_deploy": (0, 30),
    "seed": lab.SEEDS,
}


def simulate(servers=SERVERS, sessions=SESSIONS, session_minutes=SESSION_MINUTES, deploy_at=DEPLOY_AT,
             restart_minutes=RESTART_MINUTES, after_deploy=AFTER_DEPLOY, seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, sessions=sessions, session_minutes=session_minutes,
                             deploy_at=deploy_at, restart_minutes=restart_minutes, after_deploy=after_deploy,
                             seed=seed)
    # No server drains for longer than the longest session, so no run outlasts this.
    longest_run = deploy_at + servers * (2 * session_minutes + restart_minutes) + after_deploy + 1
    remaining, starting = lab.steady_sessions(sessions, session_minutes, longest_run, seed)
    logins = [{}, *starting[:-1]]  # a session that starts during minute m is logged in from m + 1
    return {
        "scenario": "rolling_deploy",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "designs": {
            "stateful": deploy("Stateful", remaining, logins, parameters, in_memory=True, drain=False),
            "stateful_drained": deploy("Stateful, drained", remaining, logins, parameters, in_memory=True, drain=True),
            "stateless": deploy("Stateless", remaining, logins, parameters, in_memory=False, drain=False),
        },
    }


def deploy(label: str, remaining: dict[int, int], logins: list[dict[int, int]], p: dict,
           *, in_memory: bool, drain: bool) -> dict:
    """Run one design through the deploy, until AFTER_DEPLOY minutes after it is over.

    Each minute: the deploy moves on (a server starts draining, restarts or comes back),
    the sessions that are over end, new users log in, and the snapshot is taken.
    """
    fleet = Fleet(p, remaining, in_memory=in_memory, drain=drain)
    timeline = lab.Timeline()
    for minute, lengths in enumerate(logins):
        events = fleet.deploy_step(minute)
        fleet.end_and_log_in(minute, lengths)
        timeline.record(minute, fleet.snapshot(), fleet.counters(), events)
        if fleet.totals["deploy_minutes"] is not None and minute == fleet.done_at() + p["after_deploy"]:
            break
    return lab.design(label, p["servers"], fleet.totals, timeline)


class Fleet:
    """The servers of one design, the sessions they hold, and how far the deploy is.

    A session table (one in each server's memory, or the one shared store) counts its
    sessions by the minute they end and by how often their user has been logged out
    already: {ends at: {times logged out: users}}.
    """

    def __init__(self, p: dict, remaining: dict[int, int], *, in_memory: bool, drain: bool) -> None:
        self.p, self.in_memory, self.drain = p, in_memory, drain
        self.balancer = lab.RoundRobin(p["servers"])
        self.tables: list[dict[int, dict[int, int]]] = [{} for _ in range(p["servers"] if in_memory else 1)]
        self.held = [0] * len(self.tables)  # sessions in each table, counted as they come and go
        spread_at_start = lab.RoundRobin(len(self.tables))
        for left, users in remaining.items():
            self.hand_out(spread_at_start, users, left, 0)
        self.status = ["up"] * p["servers"]
        self.waiting = list(range(p["servers"]))  # servers still to restart, in order
        self.current: int | None = None  # the server draining or restarting now
        self.back_at = 0  # the minute the restarting server is back
        self.drain_started = 0
        self.totals = {"sessions_lost": 0, "logouts": 0, "users_logged_out_at_least_once": 0,
                       "users_logged_out_at_least_twice": 0, "most_logouts_for_one_user": 0, "servers_restarted": 0,
                       "deploy_minutes": None, "longest_drain_minutes": 0}

    def done_at(self) -> int:
        return self.p["deploy_at"] + self.totals["deploy_minutes"]

    def deploy_step(self, minute: int) -> list[dict]:
        """Bring the restarted server back, start on the next one, or restart a drained one."""
        events = []
        current = self.current
        if current is not None and self.status[current] == "restarting" and minute == self.back_at:
            self.status[current] = "up"
            self.balancer.add(current)
            events.append(lab.event("server_up", f"web-{current + 1} is back, running the new version.",
                                    f"web-{current + 1}"))
            current = self.current = None
            if not self.waiting:
                took = self.totals["deploy_minutes"] = minute - self.p["deploy_at"]
                events.append(lab.event("deploy_done", f"Deploy done in {lab.plural(took, 'minute')}: "
                                                       "every server runs the new version."))
        if current is None and self.waiting and minute >= self.p["deploy_at"]:
            current = self.current = self.waiting.pop(0)
            if not self.drain:
                return events + self.restart(current, minute)
            self.status[current], self.drain_started = "draining", minute
            self.balancer.remove(current)
            events.append(lab.event("draining", f"web-{current + 1} drains: no new users are sent to it, and it "
                                                f"waits for its {lab.plural(self.held[current], 'session')} "
                                                "to end.", f"web-{current + 1}"))
        if current is not None and self.status[current] == "draining" and not self.held[current]:
            events += self.restart(current, minute)
        return events

    def restart(self, server: int, minute: int) -> list[dict]:
        name = f"web-{server + 1}"
        self.status[server], self.back_at = "restarting", minute + self.p["restart_minutes"]
        self.balancer.remove(server)
        self.totals["servers_restarted"] += 1
        if self.drain:
            waited = minute - self.drain_started
            self.totals["longest_drain_minutes"] = max(self.totals["longest_drain_minutes"], waited)
            text = f"{name}'s last session has ended, {lab.plural(waited, 'minute')} on: it restarts, losing nothing."
            return [lab.event("restarting", text, name)]
        if not self.in_memory:
            return [lab.event("restarting", f"{name} finishes its in-flight requests and restarts; "
                                            "every session is in the store, so nobody notices.", name)]
        logged_out = self.log_out(server)  # {times logged out now: users}
        lost = sum(logged_out.values())
        repeated = lost - logged_out.get(1, 0)
        self.totals["sessions_lost"] += lost
        self.totals["logouts"] += lost  # every session lost logs its user out
        self.totals["users_logged_out_at_least_once"] += logged_out.get(1, 0)  # each user counted once
        self.totals["users_logged_out_at_least_twice"] += logged_out.get(2, 0)
        self.totals["most_logouts_for_one_user"] = max(self.totals["most_logouts_for_one_user"], *logged_out, 0)
        events = [lab.event("restarting", f"{name} restarts without draining: the "
                                          f"{lab.plural(lost, 'session')} in its memory are gone.", name)]
        if lost:
            again = f" ({repeated:,} not for the first time)" if repeated else ""
            events.append(lab.event("sessions_lost", f"{lab.plural(lost, 'user')} must log in again on other "
                                                     f"servers{again}.", name))
        return events

    def log_out(self, server: int) -> dict[int, int]:
        """Empty a server's table and send its users to the other servers, in turn, where
        they log in again; returns how many users have now been logged out how often."""
        logged_out: dict[int, int] = {}
        table, self.tables[server], self.held[server] = self.tables[server], {}, 0
        for ends, by_times in table.items():
            for times, users in by_times.items():
                self.hand_out(self.balancer, users, ends, times + 1)
                logged_out[times + 1] = logged_out.get(times + 1, 0) + users
        return logged_out

    def end_and_log_in(self, minute: int, lengths: dict[int, int]) -> None:
        for number, table in enumerate(self.tables):
            self.held[number] -= sum(table.pop(minute, {}).values())
        for length, users in lengths.items():
            if self.in_memory:
                self.hand_out(self.balancer, users, minute + length, 0)
            else:
                self.add(0, minute + length, 0, users)

    def hand_out(self, balancer: lab.RoundRobin, users: int, ends: int, times: int) -> None:
        """Give `users` sessions to the servers in turn."""
        for table, count in balancer.deal(users).items():
            self.add(table, ends, times, count)

    def add(self, table: int, ends: int, times: int, users: int) -> None:
        """Put `users` sessions that end at minute `ends`, whose users have been logged out
        `times` times already, into a session table."""
        by_times = self.tables[table].setdefault(ends, {})
        by_times[times] = by_times.get(times, 0) + users
        self.held[table] += users

    def snapshot(self) -> dict:
        """Each server with its users (one request a minute each), and the store if there is one."""
        logged_in = self.logged_in()
        requests = list(self.held) if self.in_memory else self.balancer.spread(logged_in, len(self.status))
        nodes = {}
        for server, (state, traffic) in enumerate(zip(self.status, lab.shares(requests), strict=True)):
            if state == "restarting":
                note = "restarting"
            else:
                note = lab.plural(requests[server], "session") if self.in_memory else f"{requests[server]:,} req/min"
            nodes[f"web-{server + 1}"] = lab.node(state, note, traffic)
        if not self.in_memory:
            nodes["session-store"] = lab.node("up", lab.plural(logged_in, "session"))
        return nodes

    def counters(self) -> dict:
        """What the live diagram shows beside the picture."""
        return {
            "Logged in": self.logged_in(),
            "Sessions lost": self.totals["sessions_lost"],
            "Users logged out": self.totals["users_logged_out_at_least_once"],
            "Logged out twice or more": self.totals["users_logged_out_at_least_twice"],
            "Servers restarted": self.totals["servers_restarted"],
        }

    def logged_in(self) -> int:
        return sum(self.held)


# The report -------------------------------------------------------------------------


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"]
    heading = lab.paragraph(
        f"Rolling deploy: {p['servers']} servers restart one at a time from minute {p['deploy_at']}, each for "
        f"{lab.plural(p['restart_minutes'], 'minute')}. {p['sessions']:,} users are logged in; sessions last "
        f"{p['session_minutes']} minutes on average."
    )
    rows = [
        ("Sessions lost: logouts", lambda t: t["sessions_lost"]),
        ("Users logged out", lambda t: t["users_logged_out_at_least_once"]),
        ("  twice or more", lambda t: t["users_logged_out_at_least_twice"]),
        ("  most often (times)", lambda t: t["most_logouts_for_one_user"]),
        ("Deploy minutes", lambda t: t["deploy_minutes"]),
        ("Longest drain (minutes)", lambda t: t["longest_drain_minutes"]),
    ]
    summary = lab.totals_table(list(designs.values()), rows)
    stateful, drained = steps(designs["stateful"]), steps(designs["stateful_drained"])
    servers = lab.table(
        ["Server", "Stateful:\nrestarts", "Sessions\nlost", "Drained:\ndrains", "Restarts", "Back"],
        [[f"web-{s + 1}", stateful[s]["restarting"], stateful[s]["lost"], drained[s]["draining"],
          drained[s]["restarting"], drained[s]["server_up"]] for s in range(p["servers"])],
    )
    events = lab.event_lines(designs["stateful"])
    return (f"{heading}\n\n{summary}\n\nServer by server (minutes):\n{servers}"
            f"\n\nWhat happened, stateful:\n{events}")


def steps(design: dict) -> list[dict]:
    """For each server: the minute of each deploy step, and the sessions lost when it restarted."""
    timeline = design["timeline"]
    servers = [{"draining": "-", "lost": 0} for _ in range(design["diagram_servers"])]
    for event in lab.events(design):
        if event["node"] and event["kind"] in ("draining", "restarting", "server_up"):
            server = servers[int(event["node"].removeprefix("web-")) - 1]
            server[event["kind"]] = event["minute"]
            if event["kind"] == "restarting":
                minute = event["minute"]
                before = timeline[minute - 1]["counters"]["Sessions lost"] if minute else 0
                server["lost"] = timeline[minute]["counters"]["Sessions lost"] - before
    return servers


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
