"""Stateless architecture: any web server can answer any request.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     box around the clients          cluster clients
    client-1 .. client-3        clients                         node client
    lb                          load balancer                   node lb
    web-tier                    box around the load balancer
                                and the web servers             cluster tier
    web-1 .. web-N              interchangeable web servers     node server
    session-store               shared session store            node store
    db                          database                        node database
    edge-client-K-lb            client K to the load balancer   edge request
    edge-lb-web-K               load balancer to web-K          edge request
    edge-web-tier-session-store every server reads/writes sessions  edge session
    edge-web-tier-db            every server reads/writes data  edge data
"""

import _style as s

CAPTION = (
    "Stateless servers: the load balancer may send any request to any web server, "
    "because sessions live in a shared store."
)
ALT = (
    "Three clients send requests to a load balancer, which spreads them over {servers} identical "
    "web servers. Every web server reads and writes sessions in one shared session store and "
    "data in one database, so none of them keeps anything between requests."
)
CLIENTS = 3


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("stateless") as diagram:
        clients = s.clients(CLIENTS)
        with s.group("Web tier:\nany server, any request", "web-tier", "tier") as tier:
            balancer = s.load_balancer()
            webs = [s.web_server(number) for number in range(1, servers + 1)]
            tier.rack(webs)
        store = s.session_store()
        database = s.database()
        s.row(store, database)
        for client in clients:
            s.link(client, balancer, kind="request")
        s.spread(balancer, webs, [{"kind": "request"}] * len(webs))
        s.link(tier, store, kind="session", arrows="none")
        s.link(tier, database, kind="data", arrows="none")
    return diagram
