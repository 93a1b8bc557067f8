"""Stateful architecture: each server keeps its own clients' sessions in memory.

A sticky load balancer pins every client to one server, because no other
server knows that client's session.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                      box around the clients              cluster clients
    client-1 .. client-N         clients (one per server)            node client
    lb                           sticky load balancer                node lb
    web-1 .. web-N               web servers                         node server
    sessions-web-1 .. -N         session table in web-K's memory,
                                 drawn inside web-K                  node sessions
    edge-client-K-lb             client K to the load balancer       edge request
    edge-lb-web-K                the pinning: client K always here   edge affinity

The drawing lives in _pinned.py, shared with sticky_failure.py.
"""

import _pinned

CAPTION = (
    "Stateful servers: each server keeps its own clients' sessions in memory, "
    "so the load balancer must send every client back to the same server."
)
ALT = (
    "{servers} clients send requests through a sticky load balancer to {servers} web servers. "
    "Each client is pinned to one server: client 1 to web-1, client 2 to web-2, and so on. "
    "Every server holds only its own client's session in its memory."
)


def draw(servers: int = 3) -> _pinned.s.Canvas:
    return _pinned.draw_pinned("stateful", servers)
