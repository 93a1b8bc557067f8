"""Token revocation: how long does a revoked login keep working?

USERS log in at random minutes during the first LOGIN_MINUTES and send one request a
minute. REVOKED of them log out or are banned at a random minute while their first
token is still valid; from then on someone holding a copy of their credentials (a
stolen cookie, a shared computer) keeps sending a request every minute. Every other
user stays logged in, renewing tokens as they expire. The clock ticks in minutes, and
a revocation comes first in its minute.

The same users and the same copies meet four designs:

  long-lived token     a signed token valid for TOKEN_MINUTES; nothing is checked, so
                       the copy works until the token expires
  deny list            the same token, but every request looks its id up in a deny list;
                       an entry is kept only until the token it blocks would expire
  short token+refresh  an access token valid for SHORT_TOKEN_MINUTES and a refresh token
                       checked in a store at each renewal; revocation deletes the refresh
                       token, so the copy works until its access token expires
  server-side session  a session in a store, looked up on every request; revocation
                       deletes it

    python snippets/token_revocation.py                          the report
    python snippets/token_revocation.py --short-token-minutes 15 with other parameters
    python snippets/token_revocation.py --json                   the numbers, for tools
"""

import random
from dataclasses import dataclass

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--token-minutes 30).
SERVERS = 4  # web servers behind the load balancer
USERS = 1_000  # users who log in during the run
REVOKED = 10  # how many of them log out or are banned while a copy of their token is in use
LOGIN_MINUTES = 30  # each user logs in at a random minute before this one
TOKEN_MINUTES = 60  # how long a long-lived token is valid
SHORT_TOKEN_MINUTES = 5  # how long a short-lived access token is valid
MINUTES = 90  # how long the run lasts: every revoked token expires within it
SEED = 1  # the same seed gives the same users, and the same numbers

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
    lab.count("servers", servers, minimum=1)
    lab.count("users", users)
    lab.count("revoked", revoked, maximum=users)
    lab.count("login_minutes", login_minutes, minimum=1)
    lab.count("token_minutes", token_minutes, minimum=2)  # a minute to be revoked in, before it expires
    lab.count("short_token_minutes", short_token_minutes, minimum=1, maximum=token_minutes)
    lab.count("minutes", minutes, minimum=1)
    lab.check("minutes", minutes, minutes >= login_minutes + token_minutes,
              f"be at least {login_minutes + token_minutes} (LOGIN_MINUTES + TOKEN_MINUTES), "
              "so that every revoked token expires within the run")
    lab.count("seed", seed)
    parameters = dict(servers=servers, users=users, revoked=revoked, login_minutes=login_minutes,
                      token_minutes=token_minutes, short_token_minutes=short_token_minutes, minutes=minutes,
                      seed=seed)
    staying, leaving = population(users, revoked, login_minutes, token_minutes, seed)
    return {
        "scenario": "token_revocation",
        "parameters": parameters,
        "designs": {design: run(design, staying, leaving, parameters) for design in LABELS},
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


def run(design: str, staying: list[int], leaving: list[Revoked], p: dict) -> dict:
    """Minute by minute, the same requests meet the design's checks."""
    until = [accepted_until(design, person, p) for person in leaving]
    windows = [window(design, person, p) for person in leaving]
    stories = story(design, leaving, until, p)
    balancer = lab.RoundRobin(p["servers"])
    totals = dict(requests=0, requests_accepted_after_revocation=0, longest_window_minutes=max(windows, default=0),
                  mean_window_minutes=round(sum(windows) / len(windows), 3) if windows else 0.0,
                  store_lookups=0, deny_list_peak_entries=0)
    timeline = lab.Timeline()
    for minute in range(p["minutes"]):
        users = sum(staying[:minute + 1]) + sum(person.login <= minute < person.revoked for person in leaving)
        copies = sum(person.revoked <= minute for person in leaving)  # each sends a request a minute
        # The copies whose token has not expired yet: each has a deny list entry. An expired
        # token is refused before any lookup, so its entry can go.
        unexpired = sum(person.revoked <= minute < person.login + p["token_minutes"] for person in leaving)
        requests = users + copies
        if design == "short_token_refresh":
            lookups = refreshes(minute, staying, leaving, p["short_token_minutes"])
        elif design == "deny_list":
            lookups = users + unexpired
            totals["deny_list_peak_entries"] = max(totals["deny_list_peak_entries"], unexpired)
        else:
            lookups = requests if design == "server_session" else 0
        totals["requests"] += requests
        totals["requests_accepted_after_revocation"] += sum(
            person.revoked <= minute < end for person, end in zip(leaving, until))
        totals["store_lookups"] += lookups

        shares = balancer.spread(requests, p["servers"])
        nodes = {"auth": lab.node("up", auth_note(design, minute, staying, leaving, p))}
        for s in range(p["servers"]):
            nodes[f"web-{s + 1}"] = lab.node("up", f"{shares[s]:,} req/min", shares[s] / requests if requests else 0.0)
        if design != "long_token":
            held = {"deny_list": f"deny list: {unexpired:,}", "short_token_refresh": lab.plural(users, "refresh token"),
                    "server_session": lab.plural(users, "session")}[design]
            nodes["session-store"] = lab.node("up", held, lookups / requests if requests else 0.0)
        counters = {
            "Revoked": copies,
            "Accepted after revocation": totals["requests_accepted_after_revocation"],
            "Deny list entries": unexpired if design == "deny_list" else 0,
            "Store lookups": totals["store_lookups"],
        }
        timeline.record(minute, nodes, counters, stories.get(minute, []))
    return lab.design(LABELS[design], p["servers"], totals, timeline)


def refreshes(minute: int, staying: list[int], leaving: list[Revoked], short: int) -> int:
    """Refresh tokens looked up this minute: one per user whose access token expires now.

    A revoked user's copy tries once more when its access token expires, and is refused.
    """
    renewing = sum(staying[login] for login in range(minute - short, -1, -short) if login < len(staying))
    return renewing + sum(person.login < minute <= short_expiry(person, short)
                          and (minute - person.login) % short == 0 for person in leaving)


def auth_note(design: str, minute: int, staying: list[int], leaving: list[Revoked], p: dict) -> str:
    """What the login service hands out this minute: logins, and new tokens for expired ones."""
    if design == "server_session":
        logins = (staying[minute] if minute < len(staying) else 0) + sum(person.login == minute for person in leaving)
        return lab.plural(logins, "login")
    every = p["short_token_minutes"] if design == "short_token_refresh" else p["token_minutes"]
    issued = sum(staying[login] for login in range(minute, -1, -every) if login < len(staying))
    issued += sum(person.login <= minute < person.revoked and (minute - person.login) % every == 0
                  for person in leaving)
    return f"{issued:,} tokens issued"


def story(design: str, leaving: list[Revoked], until: list[int], p: dict) -> dict[int, list[dict]]:
    """What happens to each revoked user's credentials, by minute."""
    stories: dict[int, list[dict]] = {}

    def tell(minute: int, kind: str, node_id: str | None, text: str) -> None:
        if minute < p["minutes"]:
            stories.setdefault(minute, []).append(lab.event(kind, text, node_id))

    for person, end in zip(leaving, until):
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
                 f"{name} is revoked: its token id goes on the deny list until minute {expires}.")
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
    heading = (
        f"Token revocation: {p['revoked']:,} of {p['users']:,} users are logged out or banned at a random "
        f"minute;\n"
        f"a copy of their credentials is used every minute after. Long-lived tokens last "
        f"{lab.plural(p['token_minutes'], 'minute')},\nshort ones {lab.plural(p['short_token_minutes'], 'minute')}, "
        f"renewed with a refresh token."
    )
    summary = lab.table(
        ["Design", "Accepted after revocation", "Longest window", "Mean window", "Store lookups"],
        [[d["label"], d["totals"]["requests_accepted_after_revocation"], d["totals"]["longest_window_minutes"],
          d["totals"]["mean_window_minutes"], d["totals"]["store_lookups"]] for d in designs.values()],
    )
    _, leaving = population(p["users"], p["revoked"], p["login_minutes"], p["token_minutes"], p["seed"])
    windows = lab.table(
        ["User", "Login", "Revoked", *(d["label"] for d in designs.values())],
        [[person.user, person.login, person.revoked,
          *(window(design, person, p) for design in designs)] for person in leaving[:REPORT_ROWS]],
    )
    if len(leaving) > REPORT_ROWS:
        windows += f"\n({REPORT_ROWS} of {len(leaving):,} revoked users shown)"
    deny_list = designs["deny_list"]["timeline"]
    sizes = ", ".join(f"{snap['minute']}: {snap['counters']['Deny list entries']}"
                      for snap in deny_list[::max(1, len(deny_list) // 9)])
    return "\n\n".join([
        heading,
        summary,
        f"Minutes each revoked user's credentials kept working after revocation:\n{windows}",
        f"Deny list entries at minute {sizes}; at most "
        f"{designs['deny_list']['totals']['deny_list_peak_entries']:,}.",
    ])


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report)
