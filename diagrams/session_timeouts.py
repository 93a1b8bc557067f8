"""Session timeouts: the server's three clocks on one session, kept as the key's TTL in the store.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the user                              node client
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers, which enforce the
                                timeouts                              node server
    session-store               shared session store                  node store
    session-clocks              one session's three clocks, drawn
                                inside the store                      node sessions
    timeline                    one working day of that session       node timeline
    edge-client-1-lb            the user's requests                   edge request
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-session-store read, and reset the TTL when it
                                has dropped by a minute               edge session
"""

import _style as s

CAPTION = (
    "A session's clocks, enforced on the server: the idle timeout is the key's TTL, reset on activity; "
    "the absolute timeout caps it; the renewal timeout swaps the id while keeping the session."
)
ALT = (
    "A user's requests go through a load balancer to {servers} web servers, which read the session in a "
    "shared store and reset its TTL when it has dropped by more than a minute. The session has three clocks: "
    "an idle timeout of 30 minutes, reset on activity; an absolute timeout 8 hours after login; and a new "
    "id every 15 minutes. Over a day: login at 09:00; a request at 09:20 resets the idle timeout; the id "
    "is renewed every 15 minutes, first at 09:15; 30 minutes without a request end the session at 09:50, and 17:00 would have."
)
CLOCKS = "sess:9f2c TTL = min(30 min\nidle, time to 8 h after\nlogin); new id every 15 min"
DAY = ("09:00 login\n09:15 new id, old one\nvalid a few seconds\n09:20 request: 30 min again\n"
       "09:50 idle 30 min: ended\n(17:00 at the latest)")


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("session_timeouts") as diagram:
        user = s.client(1, label="User")
        timeline = s.node("clock-outline", DAY, "timeline", "timeline")
        s.row(user, timeline)
        tier, balancer, _ = s.web_tier("Web tier: the server\nenforces every clock", servers)
        clocks = s.Part(CLOCKS, "session-clocks", "sessions", note=False)
        store = s.node("database-clock", "Session store", "session-store", "store", s.Card(part=clocks))
        s.link(user, balancer, kind="request")
        s.link(tier, store, kind="session", label="reset the TTL\nonly after a minute")
    return diagram
