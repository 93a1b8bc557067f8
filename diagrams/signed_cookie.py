"""Signed-cookie sessions: the whole session in the cookie, checked with a secret every server shares.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the browser, holding the cookie       node client
    client-2                    a copy of the cookie taken before
                                logout                                node client copy
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers                           node server
    signing-key                 the secret every server shares        node key
    edge-client-1-lb            every request carries the session     edge request token
    edge-client-2-lb            the old copy, still accepted          edge request token
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-signing-key   every server checks with it           edge key
"""

import _style as s

CAPTION = (
    "A signed-cookie session needs no store: any server checks the signature with the shared secret. "
    "But the server cannot delete it: a copy taken before logout stays valid until it expires."
)
ALT = (
    "A browser sends its whole session, user id, cart and CSRF token, signed, in a cookie with every request "
    "through a load balancer to any of {servers} web servers, which check the signature with a secret they "
    "all share and look nothing up. A copy of the cookie taken before the user logged out is sent too, and "
    "is still accepted, because nothing on the server records the logout."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("signed_cookie") as diagram:
        browser = s.client(1, label="Browser")
        copy = s.client(2, label="A copy taken\nbefore logout", kind="client copy")
        s.row(browser, copy)
        tier, balancer, _ = s.web_tier("Web tier: no store,\nno lookup", servers)
        secret = s.signing_key("Secret key\n(same on every server)")
        s.link(browser, balancer, kind="request token", label="cookie: user 1042,\ncart, CSRF token\n+ signature")
        # The copy is as good as the original: the same token colour, dashed as a copy.
        s.link(copy, balancer, kind="request token", style="dashed", label="still\naccepted")
        s.link(tier, secret, kind="key", style="dashed", arrows="none", label="check")
    return diagram
