"""HAProxy in front of the web servers: its configuration, and its runtime API.

What the lab relies on, from HAProxy 2.6's manuals (configuration.txt and management.txt
in Debian's haproxy package), each seen to hold in the lab's own runs:

- Health checks: `check inter I fall F rise R` marks a server DOWN after F failed checks
  in a row, one every I ms. A SIGKILLed server refuses connections at once, so its first
  failed check comes 0 to I ms after the crash, and it is DOWN (F - 1) x I to F x I ms
  after it.
- Sticky sessions: `cookie SERVERID insert indirect nocache` adds a cookie naming the
  server to the first answer a user gets (the login), and sends that user's later
  requests to the same server. Once that server is DOWN or in maintenance, the cookie is
  ignored (unless `option persist`): the request is balanced like a new user's, and the
  answer sets a new cookie.
- Retries: `retries N` retries a request whose connection failed (`retry-on
  conn-failure`, the default). By default every retry goes to the same server, after a
  pause of min(timeout connect, 1 s), and only the last one may go elsewhere; `option
  redispatch 1` sends every retry to another server at once, breaking the cookie's
  pinning. A request the server had already received when it died is not retried: that
  would take `retry-on empty-response`, which replays requests that may have had
  effects (a POST that put an item in a cart, say).
- Runtime API: `set server web/web-1 state drain` takes a server out of the balancing
  but still sends it the users pinned to it; `maint` sends it nothing at all and stops
  its checks; `ready` puts it back at once (as "UP 1/3": up, and fully so after a check).
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from pathlib import Path

BACKEND = "web"
STORE_PROXY = "session-store"
# Only retries that go to another server at once can hide a crash from users.
RETRIES = 3
RETRY_ON = "conn-failure"  # HAProxy's default, spelled out: never replay a request a server received


@dataclass(frozen=True)
class Balancing:
    """How HAProxy spreads requests, checks servers and handles a failed connection."""

    sticky: bool  # pin each user to the server that logged them in (cookie insert)
    retry: bool  # retry a failed request on another server (retries + option redispatch)
    check_ms: int  # interval between two health checks of a server
    fall: int = 3  # failed checks in a row before a server is DOWN (HAProxy's default)
    rise: int = 2  # good checks in a row before it is UP again (HAProxy's default)

    def detection_range_ms(self) -> tuple[int, int]:
        """The shortest and longest time from a crash until HAProxy marks the server DOWN."""
        return (self.fall - 1) * self.check_ms, self.fall * self.check_ms


@dataclass(frozen=True)
class StoreProxy:
    """A TCP proxy on `port` in front of Redis `stores` (name -> port), for a failover."""

    port: int
    stores: dict[str, int]
    check_ms: int


def config(port: int, servers: dict[str, int], runtime_socket: Path, balancing: Balancing,
           store: StoreProxy | None = None) -> str:
    """haproxy.cfg: one frontend on 127.0.0.1:`port`, one backend with `servers` (name -> port),
    and the proxy in front of Redis if there is one."""
    retry = ([f"    retries {RETRIES}", "    option redispatch 1", f"    retry-on {RETRY_ON}"] if balancing.retry
             else ["    retries 0"])
    sticky = ["    cookie SERVERID insert indirect nocache"] if balancing.sticky else []
    lines = [
        "global",
        "    nbthread 1",  # one thread is plenty here, and leaves the cores to the servers and the load
        "    maxconn 2000",
        f"    stats socket {runtime_socket} mode 600 level admin",
        "",
        "defaults",
        "    mode http",
        "    timeout connect 1s",
        "    timeout client 30s",
        "    timeout server 10s",
        *retry,
        "",
        "frontend shop",
        f"    bind 127.0.0.1:{port}",
        f"    default_backend {BACKEND}",
        "",
        f"backend {BACKEND}",
        "    balance roundrobin",
        *sticky,
        "    option httpchk GET /health",
        f"    default-server check inter {balancing.check_ms}ms fall {balancing.fall} rise {balancing.rise}",
        *(f"    server {name} 127.0.0.1:{server_port}" + (f" cookie {name}" if balancing.sticky else "")
          for name, server_port in servers.items()),
    ]
    if store is not None:
        lines += ["", *store_section(store)]
    return "\n".join(lines) + "\n"


def store_section(store: StoreProxy) -> list[str]:
    """Send every connection to whichever Redis says it is the master, as HAProxy's own
    examples do: a replica fails the check until it is promoted, and then passes it."""
    return [
        f"listen {STORE_PROXY}",
        "    mode tcp",
        f"    bind 127.0.0.1:{store.port}",
        "    timeout client 1h",  # the web servers keep their Redis connections open between requests
        "    timeout server 1h",
        "    option tcp-check",
        "    tcp-check connect",
        "    tcp-check send PING\\r\\n",
        "    tcp-check expect string +PONG",
        "    tcp-check send info\\ replication\\r\\n",
        "    tcp-check expect string role:master",
        "    tcp-check send QUIT\\r\\n",
        "    tcp-check expect string +OK",
        # Connections still open to a master that fails its check are cut, so no web server
        # keeps writing to a store that is no longer the master.
        f"    default-server check inter {store.check_ms}ms fall 1 rise 1 on-marked-down shutdown-sessions",
        *(f"    server {name} 127.0.0.1:{store_port}" for name, store_port in store.stores.items()),
    ]


class RuntimeAPI:
    """HAProxy's stats socket, one command per connection."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def command(self, text: str) -> str:
        reader, writer = await asyncio.open_unix_connection(str(self.path))
        try:
            writer.write(text.encode() + b"\n")
            await writer.drain()
            answer = (await reader.read()).decode()
        finally:
            writer.close()
        return answer

    async def statuses(self) -> dict[str, str]:
        """Each web server's status as HAProxy sees it: UP, DOWN, DRAIN, MAINT, or "UP 1/3"..."""
        table = (await self.command("show stat")).removeprefix("# ")
        rows = csv.DictReader(io.StringIO(table))
        return {row["svname"]: row["status"] for row in rows
                if row["pxname"] == BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")}

    async def redispatched(self) -> int:
        """How many requests the web backend sent to another server than the first it picked."""
        table = (await self.command("show stat")).removeprefix("# ")
        backend = next(row for row in csv.DictReader(io.StringIO(table))
                       if row["pxname"] == BACKEND and row["svname"] == "BACKEND")
        return int(backend["wredis"] or 0)

    async def set_state(self, server: str, state: str) -> None:
        """`state` is ready, drain or maint."""
        answer = await self.command(f"set server {BACKEND}/{server} state {state}")
        if answer.strip():
            raise RuntimeError(f"HAProxy refused 'set server {server} state {state}': {answer.strip()}")
