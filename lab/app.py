"""The small web shop the lab runs behind HAProxy, in one of three designs.

Every design has the same four pages, so the load generator treats them alike:

    POST /login?user=NAME   starts a session (200), sets the session cookie
    GET  /account           needs the session: 200 {"user", "cart"}, or 401 "log in"
    POST /cart              needs the session: puts one item in the cart
    POST /logout            needs the session: ends it

and two for the lab itself, which HAProxy and the lab call on the server's own port:

    GET  /health            HAProxy's health check: 200 while the process runs
    GET  /internal/sessions how many sessions this process holds in its memory

Where the session lives is the whole difference between the designs:

    memory   a dict in this process (stateful): gone when the process dies
    store    a key in Redis, shared by every server (stateless)
    token    nowhere on the server: a JWT cookie signed with a key every server has
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import Protocol

import jwt
import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DESIGNS = ("memory", "store", "token")
SESSION_COOKIE = "sid"
TOKEN_COOKIE = "token"  # noqa: S105 (a cookie's name, not a secret)
# Sessions and tokens outlive any lab run; expiry is not what the lab measures.
SESSION_SECONDS = 3600
# A store that does not answer within this is treated as down: a web request must not hang on it.
STORE_TIMEOUT_SECONDS = 0.5


class Sessions(Protocol):
    """Where a design keeps its sessions: read one for a request, write one into a response."""

    async def load(self, request: Request) -> dict | None: ...

    async def save(self, response: Response, session: dict) -> None:
        """Write the session; a new one also gets its cookie set on the response."""

    async def drop(self, session: dict, response: Response) -> None: ...

    def held(self) -> int: ...


class MemorySessions:
    """Stateful: a session id cookie, and the session in this process's memory."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict] = {}

    async def load(self, request: Request) -> dict | None:
        return self.sessions.get(request.cookies.get(SESSION_COOKIE, ""))

    async def save(self, response: Response, session: dict) -> None:
        if "id" not in session:
            session["id"] = new_session_id(response)
        self.sessions[session["id"]] = session

    async def drop(self, session: dict, response: Response) -> None:  # noqa: ARG002 (the shape all designs share)
        self.sessions.pop(session["id"], None)

    def held(self) -> int:
        return len(self.sessions)


class StoreSessions:
    """Stateless: a session id cookie, and the session in Redis, which every server shares."""

    def __init__(self, redis_port: int) -> None:
        # redis-py retries a failed command 10 times with backoff by default, which would hold
        # every request for seconds while Redis is down. One immediate retry is kept: after a
        # Redis restart the first command on each pooled connection fails, and a fresh one works.
        self.redis = redis.Redis(
            host="127.0.0.1", port=redis_port, socket_timeout=STORE_TIMEOUT_SECONDS,
            socket_connect_timeout=STORE_TIMEOUT_SECONDS, retry=Retry(NoBackoff(), 1),
        )

    async def load(self, request: Request) -> dict | None:
        sid = request.cookies.get(SESSION_COOKIE)
        stored = await self.redis.get(f"session:{sid}") if sid else None
        return json.loads(stored) if stored else None

    async def save(self, response: Response, session: dict) -> None:
        if "id" not in session:
            session["id"] = new_session_id(response)
        await self.redis.set(f"session:{session['id']}", json.dumps(session), ex=SESSION_SECONDS)

    async def drop(self, session: dict, response: Response) -> None:  # noqa: ARG002 (the shape all designs share)
        await self.redis.delete(f"session:{session['id']}")

    def held(self) -> int:
        return 0  # this process keeps nothing between requests


class TokenSessions:
    """Stateless: the session is the signed token itself, checked with the shared key."""

    def __init__(self, key: str) -> None:
        self.key = key

    async def load(self, request: Request) -> dict | None:
        try:
            claims = jwt.decode(request.cookies.get(TOKEN_COOKIE, ""), self.key, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return None
        return {"user": claims["sub"], "cart": claims["cart"]}

    async def save(self, response: Response, session: dict) -> None:
        claims = {"sub": session["user"], "cart": session["cart"], "exp": int(time.time()) + SESSION_SECONDS}
        response.set_cookie(TOKEN_COOKIE, jwt.encode(claims, self.key, algorithm="HS256"), httponly=True)

    async def drop(self, session: dict, response: Response) -> None:  # noqa: ARG002 (the shape all designs share)
        response.delete_cookie(TOKEN_COOKIE)

    def held(self) -> int:
        return 0  # this process keeps nothing between requests


def new_session_id(response: Response) -> str:
    sid = secrets.token_urlsafe(16)
    response.set_cookie(SESSION_COOKIE, sid, httponly=True)
    return sid


class Shop:
    """The pages, answering as web server `name` (the X-Server header says which one did).

    Each shop page takes `response_ms` to answer, like a real page's work: requests are in
    flight that long, and a server that dies takes the ones it has with it.
    """

    def __init__(self, name: str, sessions: Sessions, response_ms: float) -> None:
        self.headers = {"X-Server": name}
        self.sessions = sessions
        self.response_ms = response_ms

    def answer(self, body: dict, status: int = 200) -> JSONResponse:
        return JSONResponse(body, status_code=status, headers=self.headers)

    async def session_of(self, request: Request) -> dict | None:
        """Do the page's work, and find the request's session (None: the user must log in)."""
        await asyncio.sleep(self.response_ms / 1000)
        return await self.sessions.load(request)

    async def login(self, request: Request) -> Response:
        await asyncio.sleep(self.response_ms / 1000)
        user = request.query_params.get("user", "")
        response = self.answer({"user": user})
        await self.sessions.save(response, {"user": user, "cart": []})
        return response

    async def account(self, request: Request) -> Response:
        session = await self.session_of(request)
        if session is None:
            return self.answer({"error": "log in"}, 401)
        return self.answer({"user": session["user"], "cart": len(session["cart"])})

    async def add_to_cart(self, request: Request) -> Response:
        session = await self.session_of(request)
        if session is None:
            return self.answer({"error": "log in"}, 401)
        session["cart"].append(f"item-{len(session['cart']) + 1}")
        response = self.answer({"cart": len(session["cart"])})
        await self.sessions.save(response, session)
        return response

    async def logout(self, request: Request) -> Response:
        session = await self.session_of(request)
        if session is None:
            return self.answer({"error": "log in"}, 401)
        response = self.answer({"user": None})
        await self.sessions.drop(session, response)
        return response

    async def health(self, _: Request) -> Response:
        # Liveness only: a check that also pinged Redis would take every server out of
        # HAProxy at once when Redis fails, turning a store outage into a total one.
        return Response("ok", headers=self.headers)

    async def held(self, _: Request) -> Response:
        return self.answer({"sessions": self.sessions.held()})

    async def store_down(self, _: Request, __: Exception) -> Response:
        return self.answer({"error": "session store unavailable"}, 503)


def build_app(name: str, sessions: Sessions, response_ms: float = 0.0) -> Starlette:
    shop = Shop(name, sessions, response_ms)
    routes = [
        Route("/login", shop.login, methods=["POST"]),
        Route("/account", shop.account),
        Route("/cart", shop.add_to_cart, methods=["POST"]),
        Route("/logout", shop.logout, methods=["POST"]),
        Route("/health", shop.health),
        Route("/internal/sessions", shop.held),
    ]
    handlers = {RedisConnectionError: shop.store_down, RedisTimeoutError: shop.store_down}
    return Starlette(routes=routes, exception_handlers=handlers)


def sessions_for(design: str, redis_port: int | None, key: str | None) -> Sessions:
    """The session keeper of a design; `store` needs Redis's port, `token` the signing key."""
    if design == "memory":
        return MemorySessions()
    if design == "store" and redis_port:
        return StoreSessions(redis_port)
    if design == "token" and key:
        return TokenSessions(key)
    message = f"design {design!r} needs " + ("--redis-port" if design == "store" else "LAB_SIGNING_KEY")
    raise ValueError(message if design in DESIGNS else f"unknown design {design!r}; one of {DESIGNS}")
