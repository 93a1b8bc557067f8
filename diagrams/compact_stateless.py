"""Stateless servers, compact: any server answers any request; sessions live in a shared store.

The home page's demo puts this picture beside compact_stateful.py, both in half of a
phone's width: no clients or database, and each note beside its node's icon.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    web-tier                    box around the load balancer
                                and the web servers               cluster tier
    lb                          load balancer                     node lb
    web-1 .. web-N              interchangeable web servers       node server
    session-store               shared session store              node store
    edge-lb-web-K               load balancer to web-K            edge request
    edge-web-tier-session-store every server reads and writes
                                sessions there                    edge session
"""

import _style as s

CAPTION = "Stateless servers: the load balancer may send any request to any server, because sessions live in a shared store."
ALT = (
    "A load balancer spreads requests over {servers} identical web servers. All of them read and "
    "write sessions in one shared session store, so none keeps anything between requests."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("compact_stateless") as diagram:
        with s.group("Web tier", "web-tier", "tier") as tier:
            balancer = s.load_balancer()
            webs = [s.compact_web_server(number) for number in range(1, servers + 1)]
            tier.rack(webs)
        store = s.session_store(compact=True)
        s.spread(balancer, webs, [{"kind": "request"}] * servers)
        s.link(tier, store, kind="session", arrows="none")
    return diagram
