"""Database sessions: a session table in the database the application already has.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     box around the clients                cluster clients
    client-1 .. client-3        clients                               node client
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers                           node server
    db                          the application's database            node database
    sessions-table              its session table, drawn inside it    node sessions
    cache                       optional cache in front of the table  node cache
    cleanup                     scheduled job deleting expired rows   node job
    edge-client-K-lb            client K to the load balancer         edge request
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-cache         reads, from the cache first           edge session
    edge-web-tier-db            a read per request, a write when
                                the session changes                   edge session
    edge-cleanup-db             deletes expired rows                  edge data
"""

import _style as s

CAPTION = (
    "Database sessions: one indexed read per request and a write when the session changes, in the database "
    "the application already runs; a scheduled job deletes expired rows, and a cache in front is optional."
)
ALT = (
    "Three clients reach {servers} web servers through a load balancer. The servers read each request's session "
    "by its id from a session table in the application's own database, and write it when it changes; "
    "optionally a cache in front of the table answers reads first. A scheduled job deletes expired rows."
)
CLIENTS = 3


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("db_sessions") as diagram:
        clients = s.clients(CLIENTS)
        tier, balancer, _ = s.web_tier("Web tier", servers)
        table = s.Part("sessions table:\nsid, user_id,\nexpires", "sessions-table", "sessions", note=False)
        database = s.node("database", "Database you\nalready run: a\nread per request", "db", "database", s.Card(part=table))
        cache = s.cache("Cache\n(optional)")
        # Left of the database, its text on its left: its edge goes right, into the database's icon.
        cleanup = s.node("clock-outline", "Cleanup\njob", "cleanup", "job", s.Card(side="left"))
        s.row(cleanup, database, cache)
        for client in clients:
            s.link(client, balancer, kind="request")
        s.link(tier, cache, kind="session", arrows="none", style="dashed")
        s.link(tier, database, kind="session", arrows="none")
        s.link(cleanup, database, kind="data", tailport="icon:e", headport="icon:w")
    return diagram
