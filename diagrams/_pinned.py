"""The picture shared by stateful.py and sticky_failure.py: clients pinned to servers.

Each client has one server, chosen by a sticky load balancer, and that server
alone holds the client's session in its memory: the session table is drawn inside
the server. `down` draws one server failed and the sessions it held gone.
"""

import _style as s


def draw_pinned(name: str, servers: int, down: int | None = None) -> s.Canvas:
    with s.canvas(name) as diagram:
        clients = s.clients(servers)
        balancer = s.load_balancer("Load balancer\n(sticky)")
        for client in clients:
            s.link(client, balancer, kind="request")
        webs, looks = [], []
        for number in range(1, servers + 1):
            failed = number == down
            table = s.Part(f"session of client {number}\nLOST" if failed else f"session of client {number}",
                           f"sessions-web-{number}", "sessions lost" if failed else "sessions", alert=failed)
            web = s.web_server(number, label=f"web-{number} (down)" if failed else "", kind="server down" if failed else "server",
                               memory=table, **({"fontcolor": s.ALERT} if failed else {}))
            webs.append(web)
            looks.append({"kind": "affinity broken" if failed else "affinity", "style": "dashed" if failed else "solid",
                          "color": s.ALERT if failed else s.ACCENT})
        s.spread(balancer, webs, looks)
        s.rack(webs)
    return diagram
