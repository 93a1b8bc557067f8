"""What to monitor: the metric each part of the system reports, gathered on one dashboard.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     box around the clients                cluster clients
    client-1 .. client-3        clients                               node client
    web-tier                    box around the load balancer and the
                                web servers, titled with their metrics cluster tier
    lb                          load balancer and its metrics         node lb
    web-1 .. web-N              web servers                           node server
    session-store               the session store and its metrics     node store
    dashboard                   where the metrics and deploys meet    node dashboard
    edge-client-K-lb            client K to the load balancer         edge request
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-session-store sessions                              edge session
    edge-web-tier-dashboard, edge-session-store-dashboard
                                metrics                               edge metrics
"""

import _style as s

CAPTION = (
    "What to watch, where it shows: down servers, 502s and imbalance at the load balancer; 401s and token "
    "failures in the web tier; live sessions, latency, hit rate, evictions, memory and lag in the store."
)
ALT = (
    "Three clients send requests through a load balancer, which reports servers marked down, 502 and 503 "
    "responses and the load of its busiest server against the average, to {servers} web servers, which "
    "report the 401 rate, token failures by reason and kid, and their connection pools. The session store "
    "reports live sessions, p99 latency, lookup hit rate, evictions, memory and replication lag. All of it "
    "goes to a dashboard that also marks every deploy."
)
CLIENTS = 3


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("monitoring") as diagram:
        clients = s.clients(CLIENTS)
        tier, balancer, _ = s.web_tier("Web tier: 401 rate, token\nfailures by kid, pool use", servers,
                                       balancer="Load balancer: down\nservers, 502s, busiest\n\u00f7 average")
        # Its text on the left: its metrics go out to the right, to the dashboard.
        store = s.node("database-clock", "Store: live sessions,\np99, hit rate, evictions,\nmemory, lag", "session-store",
                       "store", s.Card(side="left"))
        dashboard = s.node("monitor-dashboard", "Dashboard,\ndeploys marked", "dashboard", "dashboard")
        s.row(store, dashboard)
        for client in clients:
            s.link(client, balancer, kind="request")
        s.link(tier, store, kind="session", arrows="none")
        s.link(tier, dashboard, kind="metrics", style="dashed")
        s.link(store, dashboard, kind="metrics", style="dashed", tailport="icon:e", headport="icon:w")
    return diagram
