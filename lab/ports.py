"""Free TCP ports on 127.0.0.1 for the lab's servers.

A port from the kernel's ephemeral range could be taken, while a web server restarts, by
one of the many outgoing connections the lab opens (HAProxy to the servers, the load to
HAProxy): the server would then fail to come back. So ports are picked below that range,
and each is checked by binding it, without SO_REUSEADDR, so that a port still holding
connections in TIME_WAIT counts as busy.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOWEST = 20_000  # above the ports services usually claim
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
DEFAULT_EPHEMERAL_START = 32_768  # Linux's default, when /proc does not say


def ephemeral_start() -> int:
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return DEFAULT_EPHEMERAL_START


def is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """`count` different ports that nothing on 127.0.0.1 uses now, outside the ephemeral range."""
    candidates = list(range(LOWEST, max(LOWEST + count, ephemeral_start())))
    random.SystemRandom().shuffle(candidates)  # two labs running at once rarely try the same ports
    chosen = []
    for port in candidates:
        if is_free(port):
            chosen.append(port)
            if len(chosen) == count:
                return chosen
    raise OSError(f"found only {len(chosen)} free ports on 127.0.0.1 below {ephemeral_start()}, needed {count}")
