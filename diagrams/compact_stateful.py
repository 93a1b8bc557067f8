"""Stateful servers, compact: a sticky load balancer and servers that keep sessions in memory.

The home page's demo puts this picture beside compact_stateless.py, both in half of a
phone's width: no clients, and each server's note and session table beside its icon.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    lb                          sticky load balancer                node lb
    web-1 .. web-N              web servers                         node server
    sessions-web-1 .. -N        the sessions in web-K's memory,
                                drawn inside web-K                  node sessions
    edge-lb-web-K               each user pinned to one server      edge affinity
"""

import _style as s

CAPTION = "Stateful servers: each keeps its own users' sessions in memory, and a sticky load balancer pins every user to one."
ALT = (
    "A sticky load balancer sends each user to the same one of {servers} web servers every time. "
    "Every server holds the sessions of its own users in its memory, and no other server has them."
)
# Its cards, each with a session table, are too wide to stand two abreast on a phone: one
# column for as many servers as a live block may draw (machinery/diagram/figure.py).
ONE_COLUMN = 12


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("compact_stateful", one_column=ONE_COLUMN) as diagram:
        balancer = s.load_balancer("Sticky load\nbalancer")
        webs = [
            s.compact_web_server(number, s.Part("in RAM", f"sessions-web-{number}", "sessions"))
            for number in range(1, servers + 1)
        ]
        s.spread(balancer, webs, [{"kind": "affinity", "color": s.ACCENT}] * servers)
        s.rack(webs)
    return diagram
