"""Token revocation: how long does a revoked login keep working?

USERS log in during the first LOGIN_MINUTES and send one request a minute. REVOKED of
them log out or are banned at a random minute while their first token is still valid;
from then on someone holding a copy of their credentials (a stolen cookie, a shared
computer) keeps sending a request a minute. The others renew their tokens as they
expire. A revocation comes first in its minute.

  long-lived token     a token valid for TOKEN_MINUTES; nothing is checked
  deny list            the same token, checked against a deny list that each of the
                       SERVERS keeps in memory; each revocation is pushed to every one,
                       and an entry is kept until the token it blocks expires
  short token+refresh  an access token valid for SHORT_TOKEN_MINUTES, renewed with a
                       refresh token looked up in a store; revocation deletes the latter
  server-side session  a session in a store, looked up on every request

    python snippets/token_revocation.py --short-token-minutes 15   other parameters
    python snippets/token_revocation.py --json                     the numbers, for tools
"""

import itertools
import random
from dataclasses import dataclass

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--token-minutes 30).
SERVERS = 4  # web servers behind the load balancer, each with its copy of the deny list
USERS = 1_000  # users who log in during the run
REVOKED = 10  # how many of them log out or are banned while a copy of their token is in use
LOGIN_MINUTES = 30  # each user logs in at a random minute before this one
TOKEN_MINUTES = 60  # how long a long-lived token is valid
SHORT_TOKEN_MINUTES = 5  # how long a short-lived access token is valid
MINUTES = 90  # how long the run lasts: every revoked token expires within it
SEED = 1  # the same seed gives the same users, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "servers": (1, lab.DIAGRAM_SERVERS),
    "users": (0, 100_000),
    "revoked": (0, 1_000),  # and at most USERS
    "login_minutes": (1, 120),
    "token_minutes": (2, 240),  # a minute to be revoked in, before it expires
    "short_token_minutes": (1, 240),  # and at most TOKEN_MINUTES
    "minutes": (3, 480),  # and at least LOGIN_MINUTES + TOKEN_MINUTES
    "seed": lab.SEEDS,
}

REPORT_ROWS = 10  # revoked users listed in the report

LABELS = {
    "long_token": "Long-lived token",
    "deny_list": "Deny list",
    "short_token_refresh": "Short token + refresh",
    "server_session": "Server-side session",
}


@dataclass(frozen=True)
class Revoked:
    """A user who is logged out or banned at minute `revoked`; the first token dates from `login`."""

    user: str
    login: int
    revoked: int


def simulate(servers=SERVERS, users=USERS, revoked=REVOKED, login_minutes=LOGIN_MINUTES,
             token_minutes=TOKEN_MINUTES, short_token_minutes=SHORT_TOKEN_MINUTES, minutes=MINUTES,
             seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, users=users, revoked=revoked, login_minutes=login_minutes,
                             token_minutes=token_minutes, short_token_minutes=short_token_minutes,
                             minutes=minutes, seed=seed)
    lab.at_most("revoked", revoked, users, f"USERS is {users:,}")
    lab.at_most("short_token_minutes", short_token_minutes, token_minutes, f"TOKEN_MINUTES is {token_minutes}")
    # Every revoked token expires within the run.
    lab.at_least("minutes", minutes, login_minutes + token_minutes,
                 f"LOGIN_MINUTES + TOKEN_MINUTES is {login_minutes + token_minutes}")
    staying, leaving = population(users, revoked, login_minutes, token_minutes, seed)
    crowd = Crowd(staying, leaving, parameters)
    return {
        "scenario": "token_revocation",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "designs": {design: run(design, crowd, parameters) for design in LABELS},
    }


def population(users: int, revoked: int, login_minutes: int, token_minutes: int,
               seed: int) -> tuple[list[int], list[Revoked]]:
    """How many users who stay log in at each minute, and the users who are revoked."""
    rng = random.Random(seed)
    staying = [0] * login_minutes
    leaving = []
    for number in range(1, users + 1):
        login = rng.randrange(login_minutes)
        if number <= revoked:
            leaving.append(Revoked(f"user-{number}", login, login + 1 + rng.randrange(token_minutes - 1)))
        else:
            staying[login] += 1
    leaving.sort(key=lambda person: (person.revoked, person.login))
    return staying, leaving


def accepted_until(design: str, person: Revoked, p: dict) -> int:
    """The first minute at which the copy of `person`'s credentials is refused."""
    if design == "long_token":
        return person.login + p["token_minutes"]
    if design == "short_token_refresh":
        return short_expiry(person, p["short_token_minutes"])
    return person.revoked  # the deny list, or the store, answers no at once


def window(design: str, person: Revoked, p: dict) -> int:
    """Minutes the copy still works after the revocation.

    Long tokens always expire within the run; a short one renewed late may outlive it.
    """
    return min(accepted_until(design, person, p), p["minutes"]) - person.revoked


def short_expiry(person: Revoked, short: int) -> int:
    """When the access token in hand at the revocation expires.

    Revocation comes first in its minute, so a refresh due that minute is already refused:
    the token in hand was issued in an earlier minute.
    """
    renewals = (person.revoked - 1 - person.login) // short
    return person.login + (renewals + 1) * short


class Crowd:
    """Who sends requests each minute, counted once for every design: from the minutes
    people arrive and leave, rather than person by person every minute."""

    def __init__(self, staying: list[int], leaving: list[Revoked], p: dict) -> None:
        self.staying, self.leaving, self.minutes = staying, leaving, p["minutes"]
        stayed = list(itertools.accumulate(staying))  # users who stay, logged in by each minute
        revoked_users = count_between([(person.login, person.revoked) for person in leaving], self.minutes)
        self.users = [stayed[min(minute, len(stayed) - 1)] + revoked_users[minute] for minute in range(self.minutes)]
        # Each copy of revoked credentials sends a request a minute.
        self.copies = count_between([(person.revoked, self.minutes) for person in leaving], self.minutes)
        # A deny list entry lasts until the token it blocks expires: an expired token is
        # refused before any check.
        self.unexpired = count_between([(person.revoked, person.login + p["token_minutes"]) for person in leaving],
                                       self.minutes)
        self.revocations = count_between([(person.revoked, person.revoked + 1) for person in leaving], self.minutes)

    def issued(self, every: int) -> list[int]:
        """Tokens handed out each minute when each lasts `every` minutes: at login, then
        at each renewal; a revoked user's token is renewed no more."""
        issued = self.renewed_or_new(every)
        for person in self.leaving:
            for minute in range(person.login, min(person.revoked, self.minutes), every):
                issued[minute] += 1
        return issued

    def refreshes(self, short: int) -> list[int]:
        """Refresh tokens looked up each minute: one per user whose access token expires.

        A revoked user's copy tries once more when its access token expires, and is refused.
        """
        lookups = [issued - self.arriving(minute) for minute, issued in enumerate(self.renewed_or_new(short))]
        for person in self.leaving:
            for minute in range(person.login + short, min(short_expiry(person, short) + 1, self.minutes), short):
                lookups[minute] += 1
        return lookups

    def renewed_or_new(self, every: int) -> list[int]:
        """Users who stay and get a token each minute: at login, then every `every` minutes."""
        tokens = [0] * self.minutes
        for minute in range(self.minutes):
            tokens[minute] = self.arriving(minute) + (tokens[minute - every] if minute >= every else 0)
        return tokens

    def arriving(self, minute: int) -> int:
        """Users who stay and log in at this minute."""
        return self.staying[minute] if minute < len(self.staying) else 0

    def logins(self) -> list[int]:
        revoked_ones = count_between([(person.login, person.login + 1) for person in self.leaving], self.minutes)
        return [self.arriving(minute) + revoked_ones[minute] for minute in range(self.minutes)]


def count_between(spans: list[tuple[int, int]], minutes: int) -> list[int]:
    """For each minute of the run, how many of the spans [start, end) hold it."""
    change = [0] * (minutes + 1)
    for start, end in spans:
        if start < min(end, minutes):
            change[start] += 1
            change[min(end, minutes)] -= 1
    return list(itertools.accumulate(change[:minutes]))


def run(design: str, crowd: Crowd, p: dict) -> dict:
    """Minute by minute, the same requests meet the design's checks."""
    leaving, minutes = crowd.leaving, p["minutes"]
    until = [accepted_until(design, person, p) for person in leaving]
    windows = [window(design, person, p) for person in leaving]
    accepted = count_between([(person.revoked, end) for person, end in zip(leaving, until, strict=True)], minutes)
    requests = [users + copies for users, copies in zip(crowd.users, crowd.copies, strict=True)]
    lookups = {"long_token": [0] * minutes, "deny_list": [0] * minutes,  # its copies are in each server's memory
               "short_token_refresh": crowd.refreshes(p["short_token_minutes"]),
               "server_session": requests}[design]
    handed_out = crowd.logins() if design == "server_session" else crowd.issued(
        p["short_token_minutes"] if design == "short_token_refresh" else p["token_minutes"])
    stories = story(design, leaving, until, p)
    balancer = lab.RoundRobin(p["servers"])
    deny_list = design == "deny_list"
    totals = {"requests": 0, "requests_accepted_after_revocation": 0, "longest_window_minutes": max(windows, default=0),
              "mean_window_minutes": round(sum(windows) / len(windows), 3) if windows else 0.0,
              "store_lookups": 0, "deny_list_peak_entries": max(crowd.unexpired, default=0) if deny_list else 0,
              "deny_list_pushes": 0}
    timeline = lab.Timeline()
    for minute in range(minutes):
        totals["requests"] += requests[minute]
        totals["requests_accepted_after_revocation"] += accepted[minute]
        totals["store_lookups"] += lookups[minute]
        if deny_list:  # each revocation goes to the copy of every server
            totals["deny_list_pushes"] += crowd.revocations[minute] * p["servers"]
        unexpired = crowd.unexpired[minute] if deny_list else 0
        handing = (lab.plural(handed_out[minute], "login") if design == "server_session"
                   else f"{handed_out[minute]:,} tokens issued")
        nodes = {"auth": lab.node("up", handing)}
        shares = balancer.spread(requests[minute], p["servers"])
        for server, traffic in enumerate(lab.shares(shares)):
            note = f"{shares[server]:,} req/min" + (f", deny list: {unexpired:,}" if deny_list else "")
            nodes[f"web-{server + 1}"] = lab.node("up", note, traffic)
        if design != "long_token":
            held = {"deny_list": f"deny list: {unexpired:,}",
                    "short_token_refresh": lab.plural(crowd.users[minute], "refresh token"),
                    "server_session": lab.plural(crowd.users[minute], "session")}[design]
            asked = lookups[minute] / requests[minute] if requests[minute] else 0.0
            nodes["session-store"] = lab.node("up", held, asked)
        counters = {
            "Revoked": crowd.copies[minute],
            "Accepted after revocation": totals["requests_accepted_after_revocation"],
            "Deny list entries": unexpired,
            "Deny list pushes": totals["deny_list_pushes"],
            "Store lookups": totals["store_lookups"],
        }
        timeline.record(minute, nodes, counters, stories.get(minute, []))
    return lab.design(LABELS[design], p["servers"], totals, timeline)


def story(design: str, leaving: list[Revoked], until: list[int], p: dict) -> dict[int, list[dict]]:
    """What happens to each revoked user's credentials, by minute."""
    stories: dict[int, list[dict]] = {}

    def tell(minute: int, kind: str, node_id: str | None, text: str) -> None:
        if minute < p["minutes"]:
            stories.setdefault(minute, []).append(lab.event(kind, text, node_id))

    for person, end in zip(leaving, until, strict=True):
        name, expires = person.user, person.login + p["token_minutes"]
        if design == "server_session":
            tell(person.login, "session_created", "session-store", f"{name} logs in: a session is stored.")
            tell(person.revoked, "revoked", "session-store",
                 f"{name} is revoked: the session is deleted, and the copy refused from now on.")
        elif design == "short_token_refresh":
            tell(person.login, "token_issued", "auth",
                 f"{name} logs in: a {p['short_token_minutes']}-minute access token and a refresh token.")
            tell(person.revoked, "revoked", "session-store",
                 f"{name} is revoked: the refresh token is deleted; the access token expires at minute {end}.")
            tell(end, "token_expired", "session-store", f"{name}'s access token expires, and the refresh is refused.")
        elif design == "deny_list":
            tell(person.login, "token_issued", "auth", f"{name} logs in: a token valid until minute {expires}.")
            tell(person.revoked, "revoked", "session-store",
                 f"{name} is revoked: its token id goes on the deny list until minute {expires}, "
                 f"pushed to the copy of each of the {lab.plural(p['servers'], 'server')}.")
            tell(expires, "token_expired", "session-store", f"{name}'s token expires, and its deny list entry too.")
        else:
            tell(person.login, "token_issued", "auth", f"{name} logs in: a token valid until minute {expires}.")
            tell(person.revoked, "revoked", "auth",
                 f"{name} is revoked, but nothing checks: the token works until minute {expires}.")
            tell(expires, "token_expired", "auth", f"{name}'s token expires: the copy is refused from now on.")
        if end > person.revoked:
            tell(end - 1, "last_accepted", None, f"The copy of {name}'s credentials is accepted for the last time.")
    return stories


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"]
    deny = designs["deny_list"]["totals"]
    heading = lab.paragraph(
        f"Token revocation: {p['revoked']:,} of {p['users']:,} users are logged out or banned at a random minute; "
        f"a copy of their credentials is used every minute after. Long-lived tokens last "
        f"{lab.plural(p['token_minutes'], 'minute')}, short ones {lab.plural(p['short_token_minutes'], 'minute')}, "
        f"renewed with a refresh token."
    )
    summary = lab.table(
        ["Design", "Accepted\nafterwards", "Longest\nwindow", "Mean\nwindow", "Store\nlookups"],
        [[d["label"], d["totals"]["requests_accepted_after_revocation"], d["totals"]["longest_window_minutes"],
          d["totals"]["mean_window_minutes"], d["totals"]["store_lookups"]] for d in designs.values()],
    )
    deny_list = lab.paragraph(
        f"The deny list needs no lookup in a store: each of the {lab.plural(p['servers'], 'server')} keeps its "
        f"own copy, of at most {lab.plural(deny['deny_list_peak_entries'], 'entry', 'entries')}, and each "
        f"revocation is pushed to every copy: {lab.plural(deny['deny_list_pushes'], 'push', 'pushes')} in all."
    )
    _, leaving = population(p["users"], p["revoked"], p["login_minutes"], p["token_minutes"], p["seed"])
    windows = lab.table(
        ["User", "Login", "Revoked", *(HEADERS[design] for design in designs)],
        [[person.user, person.login, person.revoked,
          *(window(design, person, p) for design in designs)] for person in leaving[:REPORT_ROWS]],
    )
    if len(leaving) > REPORT_ROWS:
        windows += f"\n({REPORT_ROWS} of {len(leaving):,} revoked users shown)"
    return "\n\n".join([
        heading,
        summary,
        deny_list,
        f"Minutes each revoked user's credentials kept working after revocation:\n{windows}",
    ])


HEADERS = {  # the designs' labels on two lines, for a narrow table
    "long_token": "Long-lived\ntoken",
    "deny_list": "Deny\nlist",
    "short_token_refresh": "Short token\n+ refresh",
    "server_session": "Server-side\nsession",
}


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
