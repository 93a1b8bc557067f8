"""The picture shared by stateful.py and sticky_failure.py: clients pinned to servers.

Each client has one server, chosen by a sticky load balancer, and that server
alone holds the client's session in its memory. `down` draws one server failed
and the sessions it held gone.
"""

import _style as s


def draw_pinned(name: str, servers: int, down: int | None = None) -> s.Canvas:
    with s.canvas(name, splines="line") as diagram:
        clients = [s.client(number) for number in range(1, servers + 1)]
        s.row(*clients)
        balancer = s.load_balancer("Load balancer\n(sticky)")
        for client in clients:
            s.link(client, balancer, kind="request")
        for number in range(1, servers + 1):
            failed = number == down
            web = s.web_server(number, label=f"web-{number} (down)" if failed else "",
                               kind="server down" if failed else "server")
            table = s.sessions(
                f"session of\nclient {number}: LOST" if failed else f"session of\nclient {number}",
                f"sessions-web-{number}",
                kind="sessions lost" if failed else "sessions",
                **({"style": "rounded,dashed", "color": s.ALERT, "fontcolor": s.ALERT} if failed else {}),
            )
            s.link(balancer, web, kind="affinity broken" if failed else "affinity",
                   label=f"client {number}", style="dashed" if failed else "solid",
                   color=s.ALERT if failed else s.ACCENT)
            s.link(web, table, kind="memory", arrows="none")
    return diagram
