"""Redis as the shared session store: how the lab starts it, and what it asks it.

It keeps sessions in memory only, like the store of snippets/store_failure.py: no RDB
snapshots (`save ""`) and no append-only file, so a Redis that restarts comes back empty.
(Redis can do otherwise: with `appendonly yes` and `appendfsync everysec` a restart
loses at most about a second of writes. The lab measures the design the model describes.)
"""

from __future__ import annotations

from pathlib import Path

import redis.asyncio as redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def argv(port: int, folder: Path, replica_of: int | None = None) -> list[str]:
    """redis-server's command line: 127.0.0.1 only, memory only, files in `folder`."""
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
               "--dir", str(folder), "--daemonize", "no", "--loglevel", "warning"]
    if replica_of is not None:
        command += ["--replicaof", "127.0.0.1", str(replica_of)]
    # A master waits 5 s by default before its first full copy to a replica, in case more
    # replicas connect; the lab has one, and waits for that copy before it starts (in_sync).
    command += ["--repl-diskless-sync-delay", "0"]
    return command


def client(port: int) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)


async def answers(port: int) -> bool:
    async with client(port) as store:
        try:
            return bool(await store.ping())
        except (RedisConnectionError, RedisTimeoutError):
            return False


async def in_sync(port: int) -> bool:
    """Whether the replica on `port` has its copy of the master and follows its writes."""
    async with client(port) as store:
        try:
            return (await store.info("replication")).get("master_link_status") == "up"
        except (RedisConnectionError, RedisTimeoutError):
            return False


async def sessions_held(port: int) -> int:
    async with client(port) as store:
        return int(await store.dbsize())


async def promote(port: int) -> None:
    """Make a replica a master: it stops following the old one and takes writes."""
    async with client(port) as store:
        await store.replicaof("NO", "ONE")


async def keys(port: int) -> list[bytes]:
    """Every key the store on `port` holds (the lab's stores hold sessions only)."""
    async with client(port) as store:
        return [key async for key in store.scan_iter(count=1000)]


async def missing(port: int, wanted: list[bytes]) -> int:
    """How many of `wanted` keys the store on `port` does not have."""
    async with client(port) as store, store.pipeline(transaction=False) as pipe:
        for key in wanted:
            pipe.exists(key)
        return sum(not found for found in await pipe.execute())
