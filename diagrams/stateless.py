"""Stateless architecture: any web server can answer any request.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1 .. client-3        clients                         node client
    lb                          load balancer                   node lb
    web-tier                    box around the web servers      cluster tier
    web-1 .. web-N              interchangeable web servers     node server
    session-store               shared session store            node store
    db                          database                        node database
    edge-client-K-lb            client K to the load balancer   edge request
    edge-lb-web-K               load balancer to web-K          edge request
    edge-web-K-session-store    web-K reads/writes sessions     edge session
    edge-web-K-db               web-K reads/writes data         edge data
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
    with s.canvas("stateless", splines="line") as diagram:
        clients = [s.client(number) for number in range(1, CLIENTS + 1)]
        s.row(*clients)
        balancer = s.load_balancer()
        with s.group("Web tier: any server, any request", "web-tier", "tier"):
            webs = [s.web_server(number) for number in range(1, servers + 1)]
            s.row(*webs)
        store = s.session_store()
        database = s.database()
        s.row(store, database)
        for client in clients:
            s.link(client, balancer, kind="request")
        for web in webs:
            s.link(balancer, web, kind="request")
        for web in webs:
            s.link(web, store, kind="session", arrows="none")
            s.link(web, database, kind="data", arrows="none")
    return diagram
