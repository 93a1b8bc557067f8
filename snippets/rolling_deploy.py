"""Rolling deploy: every server restarts in turn. Who gets logged out?

SESSIONS users are logged in when the run starts; sessions last SESSION_MINUTES on
average, and new users keep logging in at SESSIONS / SESSION_MINUTES a minute, so
the number logged in stays level. From minute DEPLOY_AT the servers are restarted
one at a time, web-1 first; a restarting server takes no traffic for RESTART_MINUTES.
The run goes on until the slowest deploy is over, plus AFTER_DEPLOY minutes.

The same users meet the same deploy in three designs:

  stateful          each server keeps its users' sessions in memory (sticky sessions)
                    and is restarted at once: its sessions are gone, and its users are
                    sent to other servers, where they must log in again
  stateful drained  the same servers, but each one first drains: it gets no new users
                    and restarts only when its last session has ended
  stateless         sessions live in a shared store, so a server only finishes its
                    in-flight requests and restarts

    python snippets/rolling_deploy.py                   the report
    python snippets/rolling_deploy.py --servers 8       with other parameters
    python snippets/rolling_deploy.py --json            the numbers, for tools
"""

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--restart-minutes 5).
SERVERS = 4  # web servers behind the load balancer
SESSIONS = 2_000  # users logged in at minute 0
SESSION_MINUTES = 20  # how long a session lasts, on average
DEPLOY_AT = 5  # the minute the deploy starts
RESTART_MINUTES = 2  # how long a server takes to restart
AFTER_DEPLOY = 5  # minutes the run goes on after the slowest deploy is over
SEED = 1  # the same seed gives the same users, and the same numbers


def simulate(servers=SERVERS, sessions=SESSIONS, session_minutes=SESSION_MINUTES, deploy_at=DEPLOY_AT,
             restart_minutes=RESTART_MINUTES, after_deploy=AFTER_DEPLOY, seed=SEED) -> dict:
    lab.count("servers", servers, minimum=2, maximum=lab.DIAGRAM_SERVERS)  # users need somewhere to go
    lab.count("sessions", sessions)
    lab.count("session_minutes", session_minutes, minimum=1)
    lab.count("deploy_at", deploy_at)
    lab.count("restart_minutes", restart_minutes, minimum=1)
    lab.count("after_deploy", after_deploy)
    lab.count("seed", seed)
    parameters = dict(servers=servers, sessions=sessions, session_minutes=session_minutes, deploy_at=deploy_at,
                      restart_minutes=restart_minutes, after_deploy=after_deploy, seed=seed)
    # No server drains for longer than the longest session, so no deploy outlasts this.
    longest_run = deploy_at + servers * (2 * session_minutes + restart_minutes) + after_deploy + 1
    remaining, starting = lab.steady_sessions(sessions, session_minutes, longest_run, seed)
    logins = [[], *starting[:-1]]  # a session that starts during minute m is logged in from m + 1
    # Draining makes the slowest deploy: a first run of it says how long every design runs.
    slowest = deploy("", remaining, logins, parameters, longest_run, in_memory=True, drain=True)
    minutes = deploy_at + slowest["totals"]["deploy_minutes"] + after_deploy + 1
    return {
        "scenario": "rolling_deploy",
        "parameters": parameters,
        "designs": {
            "stateful": deploy("Stateful", remaining, logins, parameters, minutes, in_memory=True, drain=False),
            "stateful_drained": deploy("Stateful, drained", remaining, logins, parameters, minutes,
                                       in_memory=True, drain=True),
            "stateless": deploy("Stateless", remaining, logins, parameters, minutes, in_memory=False, drain=False),
        },
    }


def deploy(label: str, remaining: list[int], logins: list[list[int]], p: dict, minutes: int,
           in_memory: bool, drain: bool) -> dict:
    """Run one design through the deploy.

    Each minute: the deploy moves on (a server starts draining, restarts or comes back),
    the sessions that are over end, new users log in, and the snapshot is taken.
    """
    fleet = Fleet(p, remaining, in_memory, drain)
    timeline = lab.Timeline()
    for minute in range(minutes):
        events = fleet.deploy_step(minute)
        fleet.end_and_log_in(minute, logins[minute])
        timeline.record(minute, fleet.snapshot(), fleet.counters(), events)
    return lab.design(label, p["servers"], fleet.totals, timeline)


class Fleet:
    """The servers of one design, the sessions they hold, and how far the deploy is."""

    def __init__(self, p: dict, remaining: list[int], in_memory: bool, drain: bool) -> None:
        self.p, self.in_memory, self.drain = p, in_memory, drain
        self.balancer = lab.RoundRobin(p["servers"])
        # Session tables: one in each server's memory, or the one shared store. Each maps
        # the minute sessions end to how often each of their users has been logged out.
        self.tables: list[dict[int, list[int]]] = [{} for _ in range(p["servers"] if in_memory else 1)]
        for number, left in enumerate(remaining):
            self.tables[number % len(self.tables)].setdefault(left, []).append(0)
        self.status = ["up"] * p["servers"]
        self.waiting = list(range(p["servers"]))  # servers still to restart, in order
        self.current: int | None = None  # the server draining or restarting now
        self.back_at = 0  # the minute the restarting server is back
        self.drain_started = 0
        self.totals = dict(sessions_lost=0, users_logged_out_more_than_once=0, most_logouts_for_one_user=0,
                           servers_restarted=0, deploy_minutes=None, longest_drain_minutes=0)

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
                                                f"waits for its {lab.plural(held(self.tables[current]), 'session')} "
                                                "to end.", f"web-{current + 1}"))
        if current is not None and self.status[current] == "draining" and not held(self.tables[current]):
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
        logged_out = self.log_out(server)
        lost, repeated = len(logged_out), sum(times > 1 for times in logged_out)
        self.totals["sessions_lost"] += lost
        self.totals["users_logged_out_more_than_once"] += logged_out.count(2)  # each user counted once
        self.totals["most_logouts_for_one_user"] = max([self.totals["most_logouts_for_one_user"], *logged_out])
        events = [lab.event("restarting", f"{name} restarts without draining: the "
                                          f"{lab.plural(lost, 'session')} in its memory are gone.", name)]
        if lost:
            again = f" ({repeated:,} not for the first time)" if repeated else ""
            events.append(lab.event("sessions_lost", f"{lab.plural(lost, 'user')} must log in again on other "
                                                     f"servers{again}.", name))
        return events

    def log_out(self, server: int) -> list[int]:
        """Empty a server's table and send its users to other servers, where they log in
        again; returns how often each of them has now been logged out."""
        logged_out = []
        for ends, users in self.tables[server].items():
            for times in users:
                self.tables[self.balancer.next()].setdefault(ends, []).append(times + 1)
                logged_out.append(times + 1)
        self.tables[server] = {}
        return logged_out

    def end_and_log_in(self, minute: int, lengths: list[int]) -> None:
        for table in self.tables:
            table.pop(minute, None)
        for length in lengths:
            table = self.tables[self.balancer.next()] if self.in_memory else self.tables[0]
            table.setdefault(minute + length, []).append(0)

    def snapshot(self) -> dict:
        """Each server with its users (one request a minute each), and the store if there is one."""
        logged_in = self.logged_in()
        if self.in_memory:
            requests = [held(table) for table in self.tables]
        else:
            requests = self.balancer.spread(logged_in, len(self.status))
        nodes = {}
        for server, state in enumerate(self.status):
            if state == "restarting":
                note = "restarting"
            else:
                note = lab.plural(requests[server], "session") if self.in_memory else f"{requests[server]:,} req/min"
            nodes[f"web-{server + 1}"] = lab.node(state, note, requests[server] / logged_in if logged_in else 0.0)
        if not self.in_memory:
            nodes["session-store"] = lab.node("up", lab.plural(logged_in, "session"))
        return nodes

    def counters(self) -> dict:
        """What the live diagram shows beside the picture."""
        return {
            "Logged in": self.logged_in(),
            "Sessions lost": self.totals["sessions_lost"],
            "Logged out twice or more": self.totals["users_logged_out_more_than_once"],
            "Servers restarted": self.totals["servers_restarted"],
        }

    def logged_in(self) -> int:
        return sum(held(table) for table in self.tables)


def held(table: dict[int, list[int]]) -> int:
    """How many sessions a table holds."""
    return sum(len(users) for users in table.values())


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"]
    minutes = len(designs["stateless"]["timeline"])
    heading = (
        f"Rolling deploy: {p['servers']} servers restart one at a time from minute {p['deploy_at']}, each for "
        f"{lab.plural(p['restart_minutes'], 'minute')}.\n{p['sessions']:,} users are logged in; sessions last "
        f"{p['session_minutes']} minutes on average. The run lasts {minutes} minutes."
    )
    summary = lab.table(
        ["Design", "Sessions lost", "Logged out twice+", "Deploy minutes", "Longest drain"],
        [[d["label"], d["totals"]["sessions_lost"], d["totals"]["users_logged_out_more_than_once"],
          d["totals"]["deploy_minutes"], d["totals"]["longest_drain_minutes"]] for d in designs.values()],
    )
    stateful, drained = steps(designs["stateful"]), steps(designs["stateful_drained"])
    servers = lab.table(
        ["Server", "Stateful: restarts", "Sessions lost", "Drained: drains", "Restarts", "Back"],
        [[f"web-{s + 1}", stateful[s]["restarting"], stateful[s]["lost"], drained[s]["draining"],
          drained[s]["restarting"], drained[s]["server_up"]] for s in range(p["servers"])],
    )
    events = lab.event_lines(designs["stateful"])
    return (f"{heading}\n\n{summary}\n\nServer by server (minutes):\n{servers}"
            f"\n\nWhat happened, stateful:\n{events}")


def steps(design: dict) -> list[dict]:
    """For each server: the minute of each deploy step, and the sessions lost when it restarted."""
    timeline = design["timeline"]
    servers = [dict(draining="-", lost=0) for _ in range(design["diagram_servers"])]
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
    result = lab.main(__doc__, simulate, report)
