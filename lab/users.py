"""The load: simulated users who log in, fill a cart and browse, over real HTTP.

Each user follows the plan the simulations give their users: log in at a set moment,
then send one request a minute (at the same second of every minute) until the run
ends or their session does, and then log out. The first request of a user with a
cart puts an item in it; every later one loads the account page, which needs the
session and shows the cart. A minute lasts `minute_seconds` of real time.

What comes back is counted the way the simulations count:

- failed: a 5xx answer (HAProxy's 503 when it has no server to give, the app's 503
  when Redis is down) or no answer at all. The user tries again next minute.
- logout: a 401 where the user had a session: the server no longer knows it. They log
  in again at once, with an empty cart (a login that fails is tried again next minute).
- cart lost: a user whose cart had an item finds it empty, or is logged out.

All users share one HTTP client (one pool of keep-alive connections to HAProxy, as
many browsers behind one proxy would); each user carries their own cookies. The client
is aiohttp's: httpx spent about 2 ms of CPU per request here (its connection pool
checks every connection on each request), aiohttp 0.2 ms, and a load generator that
eats a core makes its users late and the timing of the run wrong.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie

import aiohttp

REQUEST_TIMEOUT_SECONDS = 5.0
CONNECTIONS = 100  # to HAProxy; far more than the requests in flight at the lab's rates


@dataclass
class Plan:
    """One user: when they log in (in minutes, may be fractional), whether they fill a cart,
    and when their session ends (None: it lasts the whole run)."""

    name: str
    login_at: float
    has_cart: bool = False
    ends_at: float | None = None


@dataclass
class Tally:
    """What the users met, counted as the simulations count it."""

    requests: int = 0
    requests_failed: int = 0
    requests_in_flight: int = 0  # failed because the server died while answering them (HAProxy's 502)
    logouts: int = 0  # requests that found the user's session gone: back to the login page
    carts_lost: int = 0
    logged_in: int = 0  # users logged in right now
    losses: dict[str, int] = field(default_factory=dict)  # user -> how often they lost a session
    late_ms: list[float] = field(default_factory=list)  # how late each request left, against its plan
    # The counters at the end of each minute, a list per counter: {"minute": [0, 1, ...], ...}.
    timeline: dict[str, list[int]] = field(
        default_factory=lambda: {"minute": [], "Logged in": [], "Logouts": [], "Requests failed": []})

    def totals(self) -> dict:
        """The figures of a design, with the names the simulations' results use."""
        return {
            "logouts": self.logouts,
            "carts_lost": self.carts_lost,
            "requests": self.requests,
            "requests_failed": self.requests_failed,
            "requests_in_flight": self.requests_in_flight,
            "logged_in_at_end": self.logged_in,
            "users_logged_out_at_least_once": len(self.losses),
            "users_logged_out_at_least_twice": sum(times > 1 for times in self.losses.values()),
            "most_logouts_for_one_user": max(self.losses.values(), default=0),
        }

    def record(self, minute: int) -> None:
        """Keep the counters as they are at the end of `minute`, as the simulations' timelines do."""
        self.timeline["minute"].append(minute)
        self.timeline["Logged in"].append(self.logged_in)
        self.timeline["Logouts"].append(self.logouts)
        self.timeline["Requests failed"].append(self.requests_failed)

    def lateness(self) -> dict:
        """How far behind its plan the load ran: large figures mean the machine was too busy."""
        if not self.late_ms:
            return {"median_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
        ordered = sorted(self.late_ms)
        return {"median_ms": round(statistics.median(ordered), 1),
                "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1), "max_ms": round(ordered[-1], 1)}


class Clock:
    """Lab time in simulated minutes: `first_minute` when created (negative for a warm-up)."""

    def __init__(self, minute_seconds: float, first_minute: float = 0.0) -> None:
        self.minute_seconds = minute_seconds
        self.started = time.monotonic() - first_minute * minute_seconds

    def now(self) -> float:
        return (time.monotonic() - self.started) / self.minute_seconds

    async def sleep_until(self, minute: float) -> float:
        """Wait for `minute`; returns how many milliseconds late it is by then."""
        await asyncio.sleep(max(0.0, minute - self.now()) * self.minute_seconds)
        return max(0.0, (self.now() - minute) * self.minute_seconds * 1000)


def shared_client(url: str) -> aiohttp.ClientSession:
    """One session for all users; its cookie jar keeps nothing, since each user sends their own."""
    return aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(limit=CONNECTIONS),
                                 cookie_jar=aiohttp.DummyCookieJar(),
                                 timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS))


@dataclass
class Answer:
    status: int
    body: dict


class User:
    """One simulated user, with their cookies and what they believe they have."""

    def __init__(self, plan: Plan, client: aiohttp.ClientSession, clock: Clock, tally: Tally) -> None:
        self.plan = plan
        self.client, self.clock, self.tally = client, clock, tally
        self.cookies: dict[str, str] = {}
        self.logged_in = False
        self.wants_cart = plan.has_cart
        self.cart = 0  # items the user put in the cart and expects to find there

    async def live(self, until: float) -> None:
        """Follow the plan until minute `until` (or the end of the session, with a logout)."""
        minute = self.plan.login_at
        end = min(until, self.plan.ends_at) if self.plan.ends_at is not None else until
        while minute < end:
            self.tally.late_ms.append(await self.clock.sleep_until(minute))
            if self.logged_in:
                await self.browse()
            else:
                await self.log_in()
            minute += 1
        if self.plan.ends_at is not None and self.plan.ends_at < until:
            await self.clock.sleep_until(self.plan.ends_at)
            await self.log_out()

    async def send(self, method: str, path: str) -> Answer | None:
        """One request with this user's cookies; None (and a failure counted) if it failed."""
        self.tally.requests += 1
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        try:
            async with self.client.request(method, path, headers=headers) as response:
                self.keep_cookies(response.headers.getall("Set-Cookie", []))
                failed = response.status >= HTTPStatus.INTERNAL_SERVER_ERROR
                answer = Answer(response.status, {} if failed else await response.json())
        except (TimeoutError, aiohttp.ClientError):
            answer = None
        if answer is None or answer.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            self.count("failed")
            # HAProxy's answer when the server closed the connection without answering
            self.tally.requests_in_flight += answer is not None and answer.status == HTTPStatus.BAD_GATEWAY
            return None
        return answer

    def keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def log_in(self) -> None:
        if await self.send("POST", f"/login?user={self.plan.name}") is not None:
            self.logged_in, self.cart = True, 0
            self.tally.logged_in += 1

    async def browse(self) -> None:
        if self.wants_cart:
            answer = await self.send("POST", "/cart")
            if answer is not None and answer.status == HTTPStatus.OK:
                self.wants_cart, self.cart = False, answer.body["cart"]
        else:
            answer = await self.send("GET", "/account")
            if answer is not None and answer.status == HTTPStatus.OK and answer.body["cart"] < self.cart:
                self.count("cart")
                self.cart = answer.body["cart"]
        if answer is not None and answer.status == HTTPStatus.UNAUTHORIZED:
            self.lose_session()
            await self.log_in()

    async def log_out(self) -> None:
        if self.logged_in:
            answer = await self.send("POST", "/logout")
            if answer is not None and answer.status == HTTPStatus.UNAUTHORIZED:
                self.lose_session()  # the server had already lost it: the user just never asked
            else:
                self.logged_in = False
                self.tally.logged_in -= 1

    def lose_session(self) -> None:
        self.logged_in, self.wants_cart = False, False  # a user who logs in again starts afresh
        self.tally.logged_in -= 1
        self.count("session")
        if self.cart:
            self.count("cart")
        self.cart = 0

    def count(self, what: str) -> None:
        if what == "failed":
            self.tally.requests_failed += 1
        elif what == "session":
            self.tally.logouts += 1
            self.tally.losses[self.plan.name] = self.tally.losses.get(self.plan.name, 0) + 1
        else:
            self.tally.carts_lost += 1


async def record_minutes(clock: Clock, tally: Tally, until: float) -> None:
    """Snapshot the counters at the end of every whole minute of the run."""
    minute = max(0, math.floor(clock.now()))
    while minute < until:
        await clock.sleep_until(minute + 1)
        tally.record(minute)
        minute += 1


async def run_users(url: str, plans: list[Plan], clock: Clock, until: float, during: list | None = None) -> Tally:
    """Every user follows their plan until minute `until` of `clock`; `during` are the lab's
    own coroutines (the crash, the deploy...), run alongside on the same clock. If one of
    them fails, the load stops and its error goes up."""
    tally = Tally()
    async with shared_client(url) as client, asyncio.TaskGroup() as group:
        for plan in plans:
            group.create_task(User(plan, client, clock, tally).live(until))
        group.create_task(record_minutes(clock, tally, until))
        for coroutine in during or []:
            group.create_task(coroutine)
    return tally
