"""Ending sessions on the server: delete the record, and find all of a user's sessions by an index.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the user, logging out                 node client
    client-2                    an administrator, ending every
                                session of user 1042                  node client admin
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers                           node server
    session-store               shared session store                  node store
    user-index                  the set of each user's session ids,
                                drawn inside the store                node sessions
    edge-client-1-lb            log out                               edge request
    edge-client-2-lb            end all of a user's sessions          edge request
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-session-store delete the records                    edge session
"""

import _style as s

CAPTION = (
    "Logging out ends the session on the server: its record is deleted, then the cookie expired. "
    "A set of each user's session ids lets a user or an administrator list and end them all at once."
)
ALT = (
    "A user who logs out and an administrator who ends every session of user 1042 both go through a load "
    "balancer to any of {servers} web servers. The server deletes the session's record in the shared "
    "session store, then expires the cookie. The store keeps, for each user, the set of their session "
    "ids, so all of them can be listed and deleted at once; a stolen copy of a deleted id is worthless."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("ending_sessions") as diagram:
        user = s.client(1, label="User:\nlog out")
        admin = s.client(2, label="Admin: end all\nof user 1042's", kind="client admin")
        s.row(user, admin)
        tier, balancer, _ = s.web_tier("Web tier: delete the record,\nthen expire the cookie", servers)
        index = s.Part("user:1042 = {9f2c,\n41ab, c07e}", "user-index", "sessions", note=False)
        store = s.node("database-clock", "Session store:\none record\nper session", "session-store", "store",
                       s.Card(part=index))
        s.link(user, balancer, kind="request")
        s.link(admin, balancer, kind="request")
        s.link(tier, store, kind="session", label="delete")
    return diagram
