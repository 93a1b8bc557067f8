"""The lab: the simulations' scenarios run on real software, on one machine.

A load generator plays the simulated users over real HTTP. HAProxy balances their
requests over N web server processes (uvicorn) and checks each one's health; the lab
kills or restarts servers, or Redis, and counts what the users lose.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the load generator (the users)    node client
    lb                          HAProxy                           node lb
    web-tier                    box around HAProxy and the web
                                servers                           cluster tier
    web-1 .. web-N              web server processes              node server
    session-store               Redis, the shared session store   node store
    edge-client-1-lb            the users' requests               edge request
    edge-lb-web-K               HAProxy to web-K                  edge request
    edge-web-tier-session-store every server reads and writes sessions  edge session
"""

import _style as s

CAPTION = (
    "The lab on 127.0.0.1: simulated users send real requests through HAProxy to web server "
    "processes, which keep sessions in memory, in Redis, or in signed tokens."
)
ALT = (
    "A load generator sends the simulated users' HTTP requests to HAProxy, which checks the health "
    "of {servers} web server processes and spreads the requests over them. The web servers keep "
    "sessions in their own memory, in a shared Redis, or in signed tokens, depending on the design "
    "being measured."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("lab_setup") as diagram:
        users = s.client(1, label="Load generator\n(simulated users)")
        with s.group("Web tier", "web-tier", "tier") as tier:
            balancer = s.load_balancer("HAProxy\n(health checks)")
            webs = [s.web_server(number) for number in range(1, servers + 1)]
            tier.rack(webs)
        store = s.session_store("Redis\n(shared store design)")
        s.link(users, balancer, kind="request", label="HTTP")
        s.spread(balancer, webs, [{"kind": "request"}] * len(webs))
        s.link(tier, store, kind="session", arrows="none")
    return diagram
