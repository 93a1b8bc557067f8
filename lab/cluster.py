"""A running shop on 127.0.0.1: N web servers, HAProxy in front, Redis behind when needed.

    cluster = Cluster(supervisor, "memory", servers=3, balancing=Balancing(sticky=True, ...))
    await cluster.start()
    cluster.url                      # where users send their requests (HAProxy)
    cluster.crash("web-2")           # SIGKILL: no goodbye to HAProxy, nor to anyone
    await cluster.wait_for_status("web-2", "DOWN")
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import aiohttp

from lab import LabError, haproxy, store
from lab.haproxy import Balancing, RuntimeAPI
from lab.ports import free_ports
from lab.processes import Process, Supervisor, say

PROJECT = Path(__file__).resolve().parent.parent  # so `python -m lab.server` works from the run's folder
START_SECONDS = 20.0  # how long a process may take to answer after it starts, on a busy machine
POLL_SECONDS = 0.02


@dataclass
class WebServer:
    name: str
    port: int
    process: Process | None = None


class Cluster:
    """The processes of one design, and what the lab does to them."""

    def __init__(self, supervisor: Supervisor, design: str, servers: int, balancing: Balancing,
                 response_ms: float = 0.0) -> None:
        self.supervisor = supervisor
        self.design = design  # memory, store or token (lab/app.py)
        self.balancing = balancing
        self.response_ms = response_ms  # how long each page of the web servers takes, in real time
        ports = free_ports(servers + 4)
        self.port, self.redis_port, self.replica_port, self.store_proxy_port = ports[:4]
        self.webs = {f"web-{n}": WebServer(f"web-{n}", port) for n, port in enumerate(ports[4:], start=1)}
        self.with_replica = False  # Redis with a replica, behind HAProxy (see start)
        self.key = secrets.token_hex(32)  # the token design's signing key, shared by every server
        self.runtime_socket = supervisor.folder / f"haproxy-{self.port}.sock"
        self.api = RuntimeAPI(self.runtime_socket)
        self.redis: Process | None = None
        self.replica: Process | None = None
        self.balancer: Process | None = None
        self.probe = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1.0))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store_port(self) -> int:
        """Where the web servers find the session store: Redis itself, or HAProxy in front of two."""
        return self.store_proxy_port if self.with_replica else self.redis_port

    async def start(self, replica_check_ms: int | None = None) -> None:
        """Redis (store design), the web servers, then HAProxy once all answer.

        With `replica_check_ms`, Redis gets a replica, and the web servers reach whichever of
        the two is the master through HAProxy, which checks them that often.
        """
        self.with_replica = replica_check_ms is not None
        if self.design == "store":
            await self.start_redis()
            if self.with_replica:
                self.replica = await self.start_store_process("redis-replica", self.replica_port, self.redis_port)
                await self.wait_async(functools.partial(store.in_sync, self.replica_port), "the replica's first copy",
                                      [self.redis, self.replica])
        store_proxy = (haproxy.StoreProxy(self.store_proxy_port, {"redis-1": self.redis_port,
                                                                  "redis-2": self.replica_port}, replica_check_ms)
                       if self.with_replica else None)
        await asyncio.gather(*(self.start_web(name) for name in self.webs))
        config = self.supervisor.folder / f"haproxy-{self.port}.cfg"
        config.write_text(haproxy.config(self.port, {w.name: w.port for w in self.webs.values()},
                                         self.runtime_socket, self.balancing, store_proxy))
        self.balancer = self.supervisor.start("haproxy", ["haproxy", "-db", "-f", str(config)])
        await self.wait_until(self.runtime_socket.exists, "HAProxy's runtime API to open", [self.balancer])
        for name in self.webs:
            await self.wait_for_status(name, "UP")
        say(f"all up: HAProxy on {self.url}")

    async def start_redis(self, replica_of: int | None = None) -> None:
        """Start the (first) Redis, or start it again: empty, or as a replica of `replica_of`."""
        self.redis = await self.start_store_process("redis", self.redis_port, replica_of)

    async def start_store_process(self, name: str, port: int, replica_of: int | None = None) -> Process:
        process = self.supervisor.start(name, store.argv(port, self.supervisor.folder, replica_of))
        await self.wait_async(functools.partial(store.answers, port), f"{name} to answer on port {port}", [process])
        return process

    async def start_web(self, name: str) -> None:
        web = self.webs[name]
        argv = [sys.executable, "-m", "lab.server", "--name", name, "--port", str(web.port), "--design", self.design,
                "--response-ms", str(self.response_ms)]
        if self.design == "store":
            argv += ["--redis-port", str(self.store_port)]
        web.process = self.supervisor.start(name, argv, env={"LAB_SIGNING_KEY": self.key, "PYTHONPATH": str(PROJECT)})
        await self.wait_async(functools.partial(self.answers, web.port), f"{name} to answer on port {web.port}",
                              [web.process])

    async def answers(self, port: int) -> bool:
        try:
            async with self.probe.get(f"http://127.0.0.1:{port}/health") as answer:
                return answer.status == HTTPStatus.OK
        except (TimeoutError, aiohttp.ClientError):
            return False

    def crash(self, name: str) -> None:
        """SIGKILL the server: it cannot finish a request, close a connection or tell HAProxy."""
        process = self.webs[name].process
        self.webs[name].process = None
        if process is not None:
            self.supervisor.kill(process)

    async def stop_web(self, name: str) -> None:
        """Stop a server the way a deploy does: SIGTERM, and uvicorn finishes its requests first."""
        process = self.webs[name].process
        self.webs[name].process = None
        if process is not None:
            await asyncio.to_thread(self.supervisor.stop, process)

    def crash_redis(self) -> None:
        """SIGKILL the (first) Redis: what it held in memory is gone."""
        if self.redis is not None:
            self.supervisor.kill(self.redis)
            self.redis = None

    async def held_sessions(self, name: str) -> int:
        """How many sessions web server `name` holds in its memory (asked on its own port)."""
        async with self.probe.get(f"http://127.0.0.1:{self.webs[name].port}/internal/sessions") as answer:
            return int((await answer.json())["sessions"])

    async def wait_for_status(self, name: str, state: str, seconds: float = START_SECONDS) -> float:
        """Wait until HAProxy has server `name` UP or DOWN; returns the seconds it took.

        The first word of HAProxy's status says whether the server gets traffic: "UP 1/3"
        is up (one failed check of the 3 that would take it down), "DOWN 1/2" is down.
        """
        started = time.monotonic()

        async def reached() -> bool:
            return (await self.api.statuses()).get(name, "").split(" ")[0] == state

        await self.wait_async(reached, f"HAProxy to report {name} {state}", self.running(), seconds)
        return time.monotonic() - started

    def running(self) -> list[Process]:
        """The processes that should be running now."""
        webs = [web.process for web in self.webs.values() if web.process is not None]
        return [p for p in (self.redis, self.replica, self.balancer, *webs) if p is not None]

    def check_running(self) -> None:
        self.supervisor.check_running(self.running())

    async def wait_until(self, condition: Callable[[], bool], what: str, processes: list[Process],
                         seconds: float = START_SECONDS) -> None:
        async def check() -> bool:
            return condition()

        await self.wait_async(check, what, processes, seconds)

    async def wait_async(self, condition: Callable[[], Awaitable[bool]], what: str, processes: list[Process],
                         seconds: float = START_SECONDS) -> None:
        """Poll `condition` until it is true, for up to `seconds`; fail at once if one of
        `processes` dies meanwhile."""
        deadline = time.monotonic() + seconds
        while not await condition():
            self.supervisor.check_running(processes)
            if time.monotonic() > deadline:
                raise LabError(f"gave up waiting {seconds:.0f} s for {what}")
            await asyncio.sleep(POLL_SECONDS)

    async def close(self) -> None:
        """Stop every process of the cluster (the supervisor would anyway; this frees the ports now)."""
        await self.probe.close()
        for process in self.running():
            await asyncio.to_thread(self.supervisor.stop, process)
        for web in self.webs.values():
            web.process = None
        self.redis = self.replica = self.balancer = None
