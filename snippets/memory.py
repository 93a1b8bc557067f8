"""Memory: what keeping every user's session costs, in bytes, in each design.

USERS log in, evenly over LOGIN_MINUTES, to a shop with SERVERS web servers. Each user's
session is a small dict: user id, roles, a CSRF token, a cart and two minute stamps. Carts
have a long tail: half of them are empty, and one in k holds k - 1 items or more, up to
CART_MAX. A session's size is its compact JSON plus ENTRY_OVERHEAD_BYTES of bookkeeping.

The same sessions are kept three ways:

  stateful       each server keeps its users' sessions in its own memory (users are handed
                 out in turn); a managed runtime needs about RUNTIME_FACTOR times the raw bytes
  shared store   the web servers keep nothing; one store holds every session, plus
                 STORE_REPLICAS copies of it
  signed tokens  nothing is kept; every request carries the whole session as a signed token
                 (a JWT signed with HMAC-SHA256) instead of a 36-byte session-id cookie

Sizes are in MB, where 1 MB = 1,000,000 bytes.

    python snippets/memory.py                  the report
    python snippets/memory.py --users 20000    with other parameters
    python snippets/memory.py --json           the numbers, for tools
"""

import base64
import hmac
import json
import random

import sessionlab as lab

# Parameters: edit them here, or set them on the command line (--cart-max 50).
SERVERS = 4  # web servers behind the load balancer
USERS = 5_000  # users who log in, each with a session (the report also scales to 100,000)
LOGIN_MINUTES = 10  # they log in evenly over these minutes, and stay logged in
CART_MAX = 100  # the most items a cart may hold
ENTRY_OVERHEAD_BYTES = 100  # an assumption: the key, the expiry and the hash-table slot of a session
RUNTIME_FACTOR = 2.5  # an assumption: a managed runtime's heap over the raw bytes (often 2 to 3)
STORE_REPLICAS = 1  # copies of the shared store, each holding every session again
REQUESTS_PER_MINUTE = 1  # requests each logged-in user sends a minute, each with its cookie
SEED = 1  # the same seed gives the same users, and the same numbers

# Facts and conventions, not parameters.
COOKIE_LIMIT = 4_096  # bytes of cookie browsers must keep (RFC 6265); only name=value is counted here
SIGNING_KEY = b"a demo key: a real one is 32 random bytes, kept secret"
SESSION_COOKIE = "sid=" + "0" * 32  # a random 128-bit session id in hex: only its length counts
COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))  # made once: json.dumps makes one per call


def simulate(servers=SERVERS, users=USERS, login_minutes=LOGIN_MINUTES, cart_max=CART_MAX,
             entry_overhead_bytes=ENTRY_OVERHEAD_BYTES, runtime_factor=RUNTIME_FACTOR,
             store_replicas=STORE_REPLICAS, requests_per_minute=REQUESTS_PER_MINUTE, seed=SEED) -> dict:
    lab.count("servers", servers, minimum=1)
    lab.count("users", users)
    lab.count("login_minutes", login_minutes, minimum=1)
    lab.count("cart_max", cart_max)
    lab.count("entry_overhead_bytes", entry_overhead_bytes)
    lab.number("runtime_factor", runtime_factor, 1, 10)
    lab.count("store_replicas", store_replicas)
    lab.count("requests_per_minute", requests_per_minute)
    lab.count("seed", seed)
    parameters = dict(servers=servers, users=users, login_minutes=login_minutes, cart_max=cart_max,
                      entry_overhead_bytes=entry_overhead_bytes, runtime_factor=runtime_factor,
                      store_replicas=store_replicas, requests_per_minute=requests_per_minute, seed=seed)
    logins = [[measure(session, entry_overhead_bytes) for session in minute]
              for minute in sessions(users, login_minutes, cart_max, seed)]
    return {
        "scenario": "memory",
        "parameters": parameters,
        "designs": {
            "stateful": stateful(logins, parameters),
            "shared_store": shared_store(logins, parameters),
            "signed_tokens": signed_tokens(logins, parameters),
        },
    }


# The users and their sessions -------------------------------------------------------


def sessions(users: int, login_minutes: int, cart_max: int, seed: int) -> list[list[dict]]:
    """For each minute, the sessions of the users who log in then."""
    rng = random.Random(seed)
    minutes: list[list[dict]] = [[] for _ in range(login_minutes)]
    for user in range(users):
        minute = user * login_minutes // users
        minutes[minute].append(new_session(user + 1, minute, cart_max, rng))
    return minutes


def new_session(user_id: int, minute: int, cart_max: int, rng: random.Random) -> dict:
    roles = ["customer", "support"] if rng.randrange(100) < 2 else ["customer"]  # a few staff shop too
    return {
        "user_id": user_id,
        "roles": roles,
        "csrf_token": f"{rng.randrange(1 << 128):032x}",
        # rng.random() rather than rng.randrange(): far quicker, and this runs for every item
        "cart": [{"product_id": 100_000 + int(rng.random() * 900_000), "quantity": 1 + int(rng.random() * 5)}
                 for _ in range(cart_size(cart_max, rng))],
        "created": minute,
        "last_seen": minute,
    }


def cart_size(cart_max: int, rng: random.Random) -> int:
    """A long tail: half the carts are empty, one in k holds k - 1 items or more."""
    return min(cart_max, int(1 / (1 - rng.random())) - 1)


def compact(data: object) -> bytes:
    """JSON without spaces, as a store or a token would keep it."""
    return COMPACT_JSON.encode(data).encode()


def measure(session: dict, entry_overhead_bytes: int) -> tuple[int, int]:
    """(bytes to keep the session on a server, bytes of the cookie that carries it as a token)."""
    claims = compact(session)
    return len(claims) + entry_overhead_bytes, len("token=" + sign(claims))


# Signed tokens: header.claims.signature, each part base64url without padding (RFC 7519).


def base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


HEADER = base64url(compact({"alg": "HS256", "typ": "JWT"}))


def sign(claims: bytes, key: bytes = SIGNING_KEY) -> str:
    """A JWT whose claims are `claims` (compact JSON), signed with HMAC-SHA256."""
    signed = HEADER + "." + base64url(claims)
    return signed + "." + base64url(hmac.digest(key, signed.encode(), "sha256"))


# The designs ------------------------------------------------------------------------


def stateful(logins: list[list[tuple[int, int]]], p: dict) -> dict:
    """Each session lives in the memory of the server that logged its user in."""
    servers = p["servers"]
    balancer = lab.RoundRobin(servers)
    held = [0] * servers  # bytes of the sessions in each server's memory
    users = [0] * servers  # sessions in each server's memory: stickiness sends it their requests
    timeline = lab.Timeline()
    for minute, arriving in enumerate(logins):
        for stored, _ in arriving:
            server = balancer.next()
            held[server] += stored
            users[server] += 1
        routed = [count * p["requests_per_minute"] for count in users]
        nodes = {f"web-{s + 1}": lab.node("up", lab.megabytes(held[s]), lab.share(routed[s], routed)) for s in range(servers)}
        cookies = len(SESSION_COOKIE) if sum(users) else 0
        timeline.record(minute, nodes, counters(sum(users), max(held), 0, cookies, 0), [])
    totals = common_totals(logins, p, busiest_server_bytes=max(held), store_bytes=0, cookies=session_cookies(logins))
    totals["busiest_server_sessions"] = max(users)
    totals["busiest_server_heap_bytes"] = round(max(held) * p["runtime_factor"])
    return lab.design("Stateful", servers, totals, timeline)


def shared_store(logins: list[list[tuple[int, int]]], p: dict) -> dict:
    """The web servers keep nothing; the store, and each of its replicas, keep every session."""
    balancer = lab.RoundRobin(p["servers"])
    copies = 1 + p["store_replicas"]
    logged_in = stored = 0
    timeline = lab.Timeline()
    for minute, arriving in enumerate(logins):
        logged_in += len(arriving)
        stored += sum(size for size, _ in arriving)
        nodes = keep_nothing(balancer, logged_in, p)
        asked = logged_in * p["requests_per_minute"] > 0  # every request reads its session from the store
        nodes["session-store"] = lab.node("up", lab.megabytes(stored), 1.0 if asked else 0.0)
        if p["store_replicas"]:
            each = "" if p["store_replicas"] == 1 else f"{p['store_replicas']} x "
            nodes["session-store-replica"] = lab.node("up", each + lab.megabytes(stored))
        cookies = len(SESSION_COOKIE) if logged_in else 0
        timeline.record(minute, nodes, counters(logged_in, 0, stored * copies, cookies, 0), [])
    totals = common_totals(logins, p, busiest_server_bytes=0, store_bytes=stored * copies,
                           cookies=session_cookies(logins))
    return lab.design("Shared store", p["servers"], totals, timeline)


def signed_tokens(logins: list[list[tuple[int, int]]], p: dict) -> dict:
    """Nothing is kept anywhere: every request carries its user's whole session, signed."""
    balancer = lab.RoundRobin(p["servers"])
    logged_in = cookie_bytes = too_big = 0
    timeline = lab.Timeline()
    for minute, arriving in enumerate(logins):
        events = []
        over = sum(cookie > COOKIE_LIMIT for _, cookie in arriving)
        if over and not too_big:
            events.append(lab.event(
                "cookie_too_big",
                f"{lab.plural(over, 'user')} with a big cart now carry a token cookie over {COOKIE_LIMIT:,} bytes: "
                "browsers may drop it, and then they find themselves logged out.",
            ))
        too_big += over
        logged_in += len(arriving)
        cookie_bytes += sum(cookie for _, cookie in arriving)
        nodes = keep_nothing(balancer, logged_in, p)
        nodes["signing-key"] = lab.node("up", "signs every token")
        average = round(cookie_bytes / logged_in) if logged_in else 0
        timeline.record(minute, nodes, counters(logged_in, 0, 0, average, too_big), events)
    cookies = [cookie for arriving in logins for _, cookie in arriving]
    totals = common_totals(logins, p, busiest_server_bytes=0, store_bytes=0, cookies=cookies)
    totals["cookie_bytes_smallest"] = min(cookies, default=0)
    totals["cookie_bytes_largest"] = max(cookies, default=0)
    totals["extra_upload_bytes_per_minute"] = (
        totals["upload_bytes_per_minute"] - len(cookies) * len(SESSION_COOKIE) * p["requests_per_minute"]
    )
    return lab.design("Signed tokens", p["servers"], totals, timeline)


def keep_nothing(balancer: lab.RoundRobin, logged_in: int, p: dict) -> dict:
    """Web servers without sessions: any of them takes any request, handed out in turn."""
    routed = balancer.spread(logged_in * p["requests_per_minute"], p["servers"])
    return {f"web-{s + 1}": lab.node("up", "no sessions", lab.share(routed[s], routed)) for s in range(p["servers"])}


def session_cookies(logins: list[list[tuple[int, int]]]) -> list[int]:
    return [len(SESSION_COOKIE) for arriving in logins for _ in arriving]


def common_totals(logins: list[list[tuple[int, int]]], p: dict, busiest_server_bytes: int, store_bytes: int,
                  cookies: list[int]) -> dict:
    """What every design reports; `cookies` is the size of each user's cookie."""
    users = len(cookies)
    return {
        "sessions": users,
        "session_bytes": sum(stored for arriving in logins for stored, _ in arriving),
        "busiest_server_bytes": busiest_server_bytes,
        "store_bytes": store_bytes,
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


def report(result: dict) -> str:
    p = result["parameters"]
    designs = result["designs"]
    stateful_totals, tokens = designs["stateful"]["totals"], designs["signed_tokens"]["totals"]
    heading = (
        f"Memory: {p['users']:,} users log in over {lab.plural(p['login_minutes'], 'minute')} "
        f"to {lab.plural(p['servers'], 'web server')}; 1 MB = 1,000,000 bytes.\n"
        f"A session takes {stateful_totals['session_bytes'] // max(p['users'], 1):,} bytes on average: "
        f"compact JSON plus {p['entry_overhead_bytes']} bytes of bookkeeping (an assumption)."
    )
    summary = lab.table(
        ["Design", "Busiest web server", "Store", "Cookie bytes/request", "Cookie upload", "Too big"],
        [[d["label"], lab.megabytes(d["totals"]["busiest_server_bytes"]), lab.megabytes(d["totals"]["store_bytes"]),
          round(d["totals"]["cookie_bytes_per_request"]), lab.megabytes(d["totals"]["upload_bytes_per_minute"]) + "/min",
          d["totals"]["cookies_over_limit"]] for d in designs.values()],
    )
    notes = (
        f"Stateful: in a managed runtime the busiest server's heap needs about "
        f"{lab.megabytes(stateful_totals['busiest_server_heap_bytes'])} (x{p['runtime_factor']}, an assumption).\n"
        f"Shared store: the store counts {lab.plural(p['store_replicas'], 'replica')} holding every session again.\n"
        f"Signed tokens: cookies of {tokens['cookie_bytes_smallest']:,} to {tokens['cookie_bytes_largest']:,} bytes "
        f"instead of {len(SESSION_COOKIE)}, sent with every request.\n"
        f"Too big: cookies over {COOKIE_LIMIT:,} bytes, which browsers may drop (the user is logged out)."
    )
    stateful_timeline, store_timeline, tokens_timeline = (d["timeline"] for d in designs.values())
    growth = lab.table(
        ["Minute", "Sessions", "Busiest stateful server", "Store", "Token cookie (average bytes)"],
        [[web["minute"], web["counters"]["Sessions"], f"{web['counters']['Busiest server (MB)']:,.1f} MB",
          f"{store['counters']['Store (MB)']:,.1f} MB", token["counters"]["Cookie bytes per request"]]
         for web, store, token in zip(stateful_timeline, store_timeline, tokens_timeline)],
    )
    return f"{heading}\n\n{summary}\n\n{notes}\n\nAs users log in:\n{growth}\n\n{per_100_000(result)}"


def per_100_000(result: dict) -> str:
    """The same figures for 100,000 users, by proportion: they all grow linearly with users."""
    users = result["parameters"]["users"]
    if not users:
        return "With no users, nothing is kept and nothing is sent."
    scale = 100_000 / users
    stateful_totals = result["designs"]["stateful"]["totals"]
    store = result["designs"]["shared_store"]["totals"]["store_bytes"]
    tokens = result["designs"]["signed_tokens"]["totals"]
    return (
        "At 100,000 users (the same figures, scaled by proportion):\n"
        f"  {lab.megabytes(round(stateful_totals['busiest_server_bytes'] * scale))} on the busiest stateful server "
        f"({lab.megabytes(round(stateful_totals['busiest_server_heap_bytes'] * scale))} of heap), "
        f"{lab.megabytes(round(store * scale))} in the store;\n"
        f"  tokens: {lab.megabytes(round(tokens['extra_upload_bytes_per_minute'] * scale))} a minute of extra uploads, "
        f"and about {round(tokens['cookies_over_limit'] * scale):,} cookies too big."
    )


if __name__ == "__main__":
    result = lab.main(__doc__, simulate, report)
