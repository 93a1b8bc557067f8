"""Browser security: a __Host- session cookie and a backend-for-frontend that keeps the OAuth tokens.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    attacker                    another site's page, forging a
                                request (CSRF)                        node threat broken
    client-1                    the browser                           node client
    script                      a script injected into the page (XSS) node threat broken
    web-tier                    box around the load balancer and the
                                backend-for-frontend servers          cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              the backend-for-frontend              node server
    session-store               the sessions, holding the tokens      node store
    api                         the API the tokens are for            node server api
    edge-client-1-lb            the session cookie, nothing else      edge request token
    edge-attacker-lb            a cross-site request: no cookie       edge request broken
    edge-script-client-1        cannot read the cookie                edge broken
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-session-store sid to the user's tokens              edge session
    edge-web-tier-api           the access token, attached here       edge request token
"""

import _style as s

CAPTION = (
    "The browser holds only a __Host- session cookie, which scripts cannot read and forms posted from other sites "
    "do not carry; the backend-for-frontend keeps the OAuth tokens and attaches them to API calls."
)
ALT = (
    "A browser sends a __Host- session cookie, marked Secure, HttpOnly and SameSite=Lax, through a load balancer "
    "to {servers} backend-for-frontend servers. They keep the user's OAuth tokens in a session store and "
    "attach the access token to calls to the API. A script injected into the page cannot read the cookie, "
    "because it is HttpOnly, and a form that another site posts sends its request without the cookie, because of SameSite."
)


def threat(label: str, node_id: str) -> s.Node:
    """An attacker's foothold, whose attack the cookie's attributes break (drawn in the alert
    colour); its text above it, its line leaving from its side."""
    return s.node("incognito", label, node_id, "threat broken", s.Card(side="above"), fontcolor=s.ALERT)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("cookie_bff") as diagram:
        attacker = threat("Another site's\nform (CSRF)", "attacker")
        browser = s.client(1, label="Browser")
        script = threat("Injected script\n(XSS): cannot\nread the cookie", "script")
        s.row(attacker, browser, script)
        tier, balancer, _ = s.web_tier("Backend-for-frontend:\nkeeps the OAuth tokens", servers)
        store = s.session_store("Sessions:\nsid to tokens")
        api = s.node("server", "API", "api", "server api")
        s.row(store, api)
        s.link(browser, balancer, kind="request token", label="__Host-sid: Secure,\nHttpOnly, SameSite=Lax")
        s.link(attacker, balancer, kind="request broken", style="dashed", color=s.ALERT, label="no\ncookie")
        # Sideways, between icons; unlabelled, as an edge in a `row` bends round a label.
        s.link(script, browser, kind="broken", style="dashed", color=s.ALERT, tailport="icon:w", headport="icon:e")
        s.link(tier, store, kind="session", arrows="none")
        s.link(tier, api, kind="request token", label="access\ntoken")
    return diagram
