"""Sticky sessions when the pinned server fails: its clients' sessions are gone.

Ids in the SVG (the same as stateful.py, plus the failure classes):

    clients                      box around the clients              cluster clients
    client-1 .. client-N         clients (one per server)            node client
    lb                           sticky load balancer                node lb
    web-1 .. web-N               web servers; web-2 is down          node server (+ down)
    sessions-web-1 .. -N         session tables inside them;
                                 web-2's is lost                     node sessions (+ lost)
    edge-client-K-lb             client K to the load balancer       edge request
    edge-lb-web-K                client K pinned to web-K            edge affinity (+ broken)
"""

import _pinned

CAPTION = (
    "When a pinned server fails, the sessions in its memory die with it: "
    "its clients are sent elsewhere and must log in again."
)
ALT = (
    "{servers} clients behind a sticky load balancer, each pinned to one of {servers} web servers. "
    "web-2 is down: its pinning to client 2 is broken and client 2's session, "
    "which only web-2 held in memory, is lost. The other servers and sessions are unaffected."
)
DOWN = 2


def draw(servers: int = 3) -> _pinned.s.Canvas:
    return _pinned.draw_pinned("sticky_failure", servers, down=DOWN)
