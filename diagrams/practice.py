"""A stateless web tier as it is usually run in production.

DNS sends users to a CDN, which serves static files and passes the rest to a
load balancer. The load balancer spreads requests over an autoscaled group of
interchangeable web servers. State lives below them: sessions in a session
store with a replica, hot data in a cache, and everything else in a primary
database with read replicas.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                       the users                          node client
    dns                            DNS                                node dns
    cdn                            CDN                                node cdn
    lb                             load balancer                      node lb
    web-tier                       the load balancer and the
                                   autoscaled web servers             cluster tier
    web-1 .. web-N                 web servers                        node server
    state                          box around everything stateful     cluster state
    session-store                  session store (primary)            node store
    session-store-replica          its replica                        node store replica
    cache                          cache                              node cache
    db                             primary database                   node database
    db-replica-1, db-replica-2     read replicas                      node database replica
    edge-client-1-dns              look up the site's address         edge request
    edge-client-1-cdn              every request goes to the CDN      edge request
    edge-cdn-lb                    what the CDN cannot answer         edge request
    edge-lb-web-K                  any request to any server          edge request
    edge-web-tier-session-store, edge-web-tier-cache, edge-web-tier-db
                                   every server reads and writes      edge session / cache / data
    edge-session-store-session-store-replica, edge-db-db-replica-1, edge-db-db-replica-2
                                   replication                        edge replication
"""

import _style as s

CAPTION = (
    "In practice: DNS, a CDN and a load balancer in front of an autoscaled stateless web tier; "
    "sessions, cache and data live in replicated stores behind it."
)
ALT = (
    "Users resolve the site with DNS and send requests to a CDN, which forwards what it cannot "
    "serve to a load balancer. The load balancer spreads requests over an autoscaling group of "
    "{servers} web servers. Every web server uses a session store that replicates to a standby "
    "replica, a cache, and a primary database that replicates to two read replicas."
)
READ_REPLICAS = 2


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("practice") as diagram:
        users = s.client(1, label="Users")
        resolver = s.dns()
        s.row(users, resolver)
        edge = s.cdn()
        with s.group("Web tier, autoscaled", "web-tier", "tier") as tier:
            balancer = s.load_balancer()
            webs = [s.web_server(number) for number in range(1, servers + 1)]
            tier.rack(webs)
        with s.group("State", "state", "state"):
            store = s.session_store()
            cache = s.cache()
            primary = s.database("Database\n(primary)")
            s.row(store, cache, primary)
            store_replica = s.session_store("Session store\n(replica)", "session-store-replica", "store replica")
            replicas = [
                s.database(f"Read\nreplica {number}", f"db-replica-{number}", "database replica")
                for number in range(1, READ_REPLICAS + 1)
            ]
            s.row(store_replica, *replicas)
        s.link(users, resolver, kind="request", tailport="icon:e", headport="icon:w")
        s.link(users, edge, kind="request")
        s.link(edge, balancer, kind="request", label="dynamic")
        s.spread(balancer, webs, [{"kind": "request"}] * len(webs))
        s.link(tier, store, kind="session", arrows="none")
        s.link(tier, cache, kind="cache", arrows="none")
        s.link(tier, primary, kind="data", arrows="none")
        # Beside the store: under its icon is the room for its live note.
        s.link(store, store_replica, kind="replication", style="dashed", tailport="icon:w", headport="icon:w")
        for replica in replicas:
            s.link(primary, replica, kind="replication", style="dashed")
    return diagram
