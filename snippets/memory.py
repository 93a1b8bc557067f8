"""Memory: what keeping every user's session costs, in bytes, in each design.

USERS log in over LOGIN_MINUTES to SERVERS web servers. A session holds a user id,
roles, a CSRF token, a cart and two time stamps; half the carts are empty, one in k
holds k - 1 items or more, up to CART_MAX. It takes its compact JSON plus
ENTRY_OVERHEAD_BYTES of bookkeeping. 1 MB = 1,000,000 bytes.

  stateful       each server keeps its users' sessions in its own memory
  shared store   one store (and STORE_REPLICAS copies) keeps every session
  signed tokens  nothing is kept: each request carries a signed token (a JWT) with the
                 user id, roles and expiry; the cart lives in the shop's database

Apart, the anti-pattern: a token that carries the whole session, cart included.

    python snippets/memory.py --users 100000     other parameters
    python snippets/memory.py --json             the numbers, for tools
"""

import base64
import functools
import hmac
import json
import random
from typing import NamedTuple

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--cart-max 50).
SERVERS = 4  # web servers behind the load balancer
USERS = 5_000  # users who log in, each with a session
LOGIN_MINUTES = 10  # they log in evenly over these minutes, and stay logged in
CART_MAX = 100  # the most items a cart may hold
ENTRY_OVERHEAD_BYTES = 100  # an assumption: a session's key, expiry and hash-table slot
RUNTIME_FACTOR = 2.5  # an assumption: a managed runtime's heap over the raw bytes (often 2 to 3)
STORE_REPLICAS = 1  # copies of the shared store, each holding every session again
REQUESTS_PER_MINUTE = 1  # requests each logged-in user sends a minute, each with its cookie
SEED = 1  # the same seed gives the same users, and the same numbers

# What each parameter accepts, (lowest, highest); --help shows it, and --json too.
BOUNDS = {
    "servers": (1, 100),
    "users": (0, 100_000),
    "login_minutes": (1, 60),
    "cart_max": (0, 500),  # 120 items already make a token cookie too big
    "entry_overhead_bytes": (0, 1_000),
    "runtime_factor": (1.0, 10.0),
    "store_replicas": (0, 5),
    "requests_per_minute": (0, 60),
    "seed": lab.SEEDS,
}

# Facts and conventions, not parameters.
COOKIE_LIMIT = 4_096  # bytes of cookie browsers must keep (RFC 6265); only name=value is counted here
SIGNING_KEY = b"a demo key: a real one is 32 random bytes, kept secret"
SESSION_COOKIE = "sid=" + "0" * 32  # a random 128-bit session id in hex: only its length counts
NOW = 1_767_225_600  # the run starts at 2026-01-01 00:00 UTC, in seconds as JWTs count time
TOKEN_SECONDS = 3_600  # an ids-only token expires after an hour, and is renewed
ROLES = {False: ["customer"], True: ["customer", "support"]}  # a few staff shop too
COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))  # made once: json.dumps makes one per call


def simulate(servers=SERVERS, users=USERS, login_minutes=LOGIN_MINUTES, cart_max=CART_MAX,
             entry_overhead_bytes=ENTRY_OVERHEAD_BYTES, runtime_factor=RUNTIME_FACTOR,
             store_replicas=STORE_REPLICAS, requests_per_minute=REQUESTS_PER_MINUTE, seed=SEED) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, users=users, login_minutes=login_minutes, cart_max=cart_max,
                             entry_overhead_bytes=entry_overhead_bytes, runtime_factor=runtime_factor,
                             store_replicas=store_replicas, requests_per_minute=requests_per_minute, seed=seed)
    logins = [[measured(user, items, staff=staff) for user, staff, items in minute]
              for minute in population(users, login_minutes, cart_max, seed)]
    return {
        "scenario": "memory",
        "parameters": parameters,
        "bounds": lab.ranges(BOUNDS),
        "designs": {
            "stateful": stateful(logins, parameters),
            "shared_store": shared_store(logins, parameters),
            "signed_tokens": tokens(logins, parameters, whole_session=False),
            "session_in_token": tokens(logins, parameters, whole_session=True),
        },
    }


# The users and their sessions -------------------------------------------------------


def population(users: int, login_minutes: int, cart_max: int, seed: int) -> list[list[tuple[int, bool, int]]]:
    """For each minute, the users who log in then: (user id, is staff, items in the cart)."""
    rng = random.Random(seed)
    minutes: list[list[tuple[int, bool, int]]] = [[] for _ in range(login_minutes)]
    for user in range(users):
        minute = user * login_minutes // users
        minutes[minute].append((user + 1, rng.randrange(100) < 2, cart_size(cart_max, rng)))
    return minutes


def cart_size(cart_max: int, rng: random.Random) -> int:
    """A long tail: half the carts are empty, one in k holds k - 1 items or more."""
    return min(cart_max, int(1 / (1 - rng.random())) - 1)


def new_session(user_id: int, items: int, minute: int, rng: random.Random, *, staff: bool) -> dict:
    """A session as the shop keeps it."""
    stamp = NOW + 60 * minute
    return {
        "user_id": user_id,
        "roles": ROLES[staff],
        "csrf_token": f"{rng.getrandbits(128):032x}",
        "cart": [{"product_id": 100_000 + rng.randrange(900_000), "quantity": 1 + rng.randrange(5)}
                 for _ in range(items)],
        "created": stamp,
        "last_seen": stamp,
    }


def id_claims(user_id: int, minute: int, *, staff: bool) -> dict:
    """What an ids-only token says: who (sub), what they may do, and until when."""
    return {"sub": str(user_id), "roles": ROLES[staff], "exp": NOW + 60 * minute + TOKEN_SECONDS}


class Sizes(NamedTuple):
    """One user's bytes in each design."""

    session: int  # the session's compact JSON, as a server or a store keeps it
    session_cookie: int  # the cookie of a token that carries the whole session
    id_cookie: int  # the cookie of an ids-only token
    cart: int  # the cart as the database keeps it (0 when empty)


def measured(user_id: int, items: int, *, staff: bool) -> Sizes:
    return measured_shape(len(str(user_id)), items, staff=staff)


@functools.cache
def measured_shape(id_digits: int, items: int, *, staff: bool) -> Sizes:
    """The sizes of every session of this shape, measured on a real one.

    Product ids have six digits, quantities one, CSRF tokens 32 hex digits and time
    stamps ten, so a session's bytes depend only on the length of its user id, its roles
    and its number of items: 100,000 users have a few hundred shapes between them.
    """
    user_id = 10 ** (id_digits - 1)
    session = new_session(user_id, items, minute=0, rng=random.Random(0), staff=staff)
    claims = compact(session)
    return Sizes(
        session=len(claims),
        session_cookie=len("token=" + sign(claims)),
        id_cookie=len("token=" + sign(compact(id_claims(user_id, minute=0, staff=staff)))),
        cart=len(compact(session["cart"])) if items else 0,
    )


def compact(data: object) -> bytes:
    """JSON without spaces, as a store or a token keeps it."""
    return COMPACT_JSON.encode(data).encode()


# Signed tokens: header.claims.signature, each part base64url without padding (RFC 7519).


def base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


HEADER = base64url(compact({"alg": "HS256", "typ": "JWT"}))


def sign(claims: bytes, key: bytes = SIGNING_KEY) -> str:
    """A JWT whose claims are `claims` (compact JSON), signed with HMAC-SHA256."""
    signed = HEADER + "." + base64url(claims)
    return signed + "." + base64url(hmac.digest(key, signed.encode(), "sha256"))


# The designs ------------------------------------------------------------------------


def stateful(logins: list[list[Sizes]], p: dict) -> dict:
    """Each session lives in the memory of the server that logged its user in (in turn)."""
    servers = p["servers"]
    balancer = lab.RoundRobin(servers)
    held = [0] * servers  # bytes of the sessions in each server's memory
    users = [0] * servers  # sessions in each server's memory: stickiness sends it their requests
    timeline = lab.Timeline()
    for minute, arriving in enumerate(logins):
        for sizes in arriving:
            server = balancer.next()
            held[server] += sizes.session + p["entry_overhead_bytes"]
            users[server] += 1
        traffic = lab.shares(users) if p["requests_per_minute"] else [0.0] * servers
        nodes = {f"web-{s + 1}": lab.node("up", lab.megabytes(held[s]), traffic[s]) for s in range(servers)}
        cookie = len(SESSION_COOKIE) if sum(users) else 0
        timeline.record(minute, nodes, counters(sum(users), max(held), 0, cookie, 0), [])
    totals = common_totals(logins, p, cookies=session_id_cookies(logins))
    heap = p["runtime_factor"]
    totals.update(busiest_server_bytes=max(held), fleet_bytes=sum(held), busiest_server_sessions=max(users),
                  busiest_server_heap_bytes=round(max(held) * heap), fleet_heap_bytes=round(sum(held) * heap))
    return lab.design("Stateful", servers, totals, timeline)


def shared_store(logins: list[list[Sizes]], p: dict) -> dict:
    """The web servers keep nothing; the store, and each of its replicas, keep every session."""
    balancer = lab.RoundRobin(p["servers"])
    copies = 1 + p["store_replicas"]
    logged_in = stored = 0
    timeline = lab.Timeline()
    for minute, arriving in enumerate(logins):
        logged_in += len(arriving)
        stored += sum(sizes.session + p["entry_overhead_bytes"] for sizes in arriving)
        nodes = keep_nothing(balancer, logged_in, p)
        asked = logged_in * p["requests_per_minute"] > 0  # every request reads its session from the store
        nodes["session-store"] = lab.node("up", lab.megabytes(stored), 1.0 if asked else 0.0)
        if p["store_replicas"]:
            each = "" if p["store_replicas"] == 1 else f"{p['store_replicas']} x "
            nodes["session-store-replica"] = lab.node("up", each + lab.megabytes(stored))
        cookie = len(SESSION_COOKIE) if logged_in else 0
        timeline.record(minute, nodes, counters(logged_in, 0, stored * copies, cookie, 0), [])
    totals = common_totals(logins, p, cookies=session_id_cookies(logins))
    totals["store_bytes"] = stored * copies
    return lab.design("Shared store", p["servers"], totals, timeline)


def tokens(logins: list[list[Sizes]], p: dict, *, whole_session: bool) -> dict:
    """Nothing is kept on a server: every request carries its user's signed token."""
    balancer = lab.RoundRobin(p["servers"])
    logged_in = cookie_bytes = too_big = carts = 0
    timeline = lab.Timeline()
    for minute, arriving in enumerate(logins):
        cookies = [sizes.session_cookie if whole_session else sizes.id_cookie for sizes in arriving]
        over = sum(cookie > COOKIE_LIMIT for cookie in cookies)
        events = [too_big_event(over)] if over and not too_big else []
        too_big += over
        logged_in += len(arriving)
        cookie_bytes += sum(cookies)
        nodes = keep_nothing(balancer, logged_in, p)
        nodes["signing-key"] = lab.node("up", "signs every token")
        if not whole_session:
            carts += sum(sizes.cart for sizes in arriving)
            nodes["db"] = lab.node("up", f"carts: {lab.megabytes(carts)}")
        average = round(cookie_bytes / logged_in) if logged_in else 0
        timeline.record(minute, nodes, counters(logged_in, 0, 0, average, too_big), events)
    cookies = [sizes.session_cookie if whole_session else sizes.id_cookie for arriving in logins for sizes in arriving]
    totals = common_totals(logins, p, cookies=cookies)
    totals.update(cookie_bytes_smallest=min(cookies, default=0), cookie_bytes_largest=max(cookies, default=0),
                  extra_upload_bytes_per_minute=(sum(cookies) - len(cookies) * len(SESSION_COOKIE))
                  * p["requests_per_minute"])
    if whole_session:
        return lab.design("Session in token (anti-pattern)", p["servers"], totals, timeline)
    totals["database_bytes"] = carts
    return lab.design("Signed tokens", p["servers"], totals, timeline)


def too_big_event(over: int) -> dict:
    return lab.event("cookie_too_big", f"{lab.plural(over, 'user')} with a big cart now carry a token cookie over "
                                       f"{COOKIE_LIMIT:,} bytes: browsers may drop it, and then they find "
                                       "themselves logged out.")


def keep_nothing(balancer: lab.RoundRobin, logged_in: int, p: dict) -> dict:
    """Web servers without sessions: any of them takes any request, handed out in turn."""
    routed = balancer.spread(logged_in * p["requests_per_minute"], p["servers"])
    return {f"web-{s + 1}": lab.node("up", "no sessions", traffic) for s, traffic in enumerate(lab.shares(routed))}


def session_id_cookies(logins: list[list[Sizes]]) -> list[int]:
    return [len(SESSION_COOKIE) for arriving in logins for _ in arriving]


def common_totals(logins: list[list[Sizes]], p: dict, cookies: list[int]) -> dict:
    """What every design reports (the designs then fill in what they keep); `cookies` is
    the size of each user's cookie. Fleet: all web servers together."""
    users = len(cookies)
    session_bytes = sum(sizes.session + p["entry_overhead_bytes"] for arriving in logins for sizes in arriving)
    return {
        "sessions": users,
        "session_bytes": session_bytes,
        "average_session_bytes": session_bytes // users if users else 0,
        "busiest_server_bytes": 0,
        "fleet_bytes": 0,
        "store_bytes": 0,
        "cookie_bytes_per_request": round(sum(cookies) / users, 3) if users else 0.0,
        "upload_bytes_per_minute": sum(cookies) * p["requests_per_minute"],
        "cookies_over_limit": sum(cookie > COOKIE_LIMIT for cookie in cookies),
    }


def counters(logged_in: int, busiest: int, store: int, cookie_bytes: int, too_big: int) -> dict:
    """What the live diagram shows beside the picture: the same five for every design."""
    return {
        "Sessions": logged_in,
        "Busiest server (MB)": round(busiest / lab.MB, 1),
        "Store (MB)": round(store / lab.MB, 1),
        "Cookie bytes per request": cookie_bytes,
        f"Cookies over {COOKIE_LIMIT:,} bytes": too_big,
    }


# The report -------------------------------------------------------------------------

GROWTH_ROWS = 10  # minutes shown in the report's table of growth, at most


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"]
    heap = designs["stateful"]["totals"]
    anti = designs["session_in_token"]["totals"]
    heading = lab.paragraph(
        f"Memory: {p['users']:,} users log in over {lab.plural(p['login_minutes'], 'minute')} to "
        f"{lab.plural(p['servers'], 'web server')}. A session takes {heap['average_session_bytes']:,} bytes on "
        f"average: compact JSON plus {p['entry_overhead_bytes']} bytes of bookkeeping (an assumption). "
        "1 MB = 1,000,000 bytes."
    )
    compared = [designs[key] for key in ("stateful", "shared_store", "signed_tokens")]
    rows = [
        ("Busiest web server", lambda t: lab.megabytes(t["busiest_server_bytes"])),
        ("All web servers together", lambda t: lab.megabytes(t["fleet_bytes"])),
        (f"Store and {lab.plural(p['store_replicas'], 'replica')}", lambda t: lab.megabytes(t["store_bytes"])),
        ("Carts in the database", lambda t: lab.megabytes(t.get("database_bytes", 0))),
        ("Cookie bytes per request", lambda t: round(t["cookie_bytes_per_request"])),
        ("Cookie upload per minute", lambda t: lab.megabytes(t["upload_bytes_per_minute"])),
    ]
    summary = lab.totals_table(compared, rows)
    notes = lab.paragraph(
        f"Stateful: a managed runtime needs about x{p['runtime_factor']} (an assumption): "
        f"{lab.megabytes(heap['busiest_server_heap_bytes'])} of heap on the busiest server, "
        f"{lab.megabytes(heap['fleet_heap_bytes'])} across the fleet. Signed tokens carry ids only "
        "(user id, roles, expiry); the cart is a row in the shop's database."
        f"\n\nAnti-pattern: the whole session, cart and CSRF token included, in the token. Its cookies "
        f"weigh {anti['cookie_bytes_smallest']:,} to {anti['cookie_bytes_largest']:,} bytes, "
        f"{round(anti['cookie_bytes_per_request']):,} on average, sent with every request; "
        f"{lab.plural(anti['cookies_over_limit'], 'user')} carry one over {COOKIE_LIMIT:,} bytes, "
        "which browsers may drop (and with it the login)."
    )
    web = [snap["counters"] for snap in designs["stateful"]["timeline"]]
    store = [snap["counters"] for snap in designs["shared_store"]["timeline"]]
    step = -(-p["login_minutes"] // GROWTH_ROWS)  # rounded up
    shown = sorted(range(p["login_minutes"] - 1, -1, -step))  # the last minute, and every step before it
    growth = lab.table(
        ["Minute", "Sessions", "Busiest stateful server", "Store and replicas"],
        [[minute, web[minute]["Sessions"], f"{web[minute]['Busiest server (MB)']:,.1f} MB",
          f"{store[minute]['Store (MB)']:,.1f} MB"] for minute in shown],
    )
    return f"{heading}\n\n{summary}\n\n{notes}\n\nAs users log in:\n{growth}"


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report, BOUNDS)
