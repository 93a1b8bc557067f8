"""Token size: the cookie rides on every request to its host, and each hop has a limit.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the browser                           node client
    cookie                      the token cookie and its bytes        node cookie
    cdn                         another host for static files         node cdn
    web-tier                    box around the proxy and the web
                                servers                               cluster tier
    lb                          proxy (nginx), with its header limit  node lb
    web-1 .. web-N              web servers (Node.js)                 node server
    edge-client-1-cookie        the browser holds it                  edge token
    edge-cookie-lb              it goes with every request            edge request token
    edge-client-1-cdn           images and scripts: no cookie         edge request
    edge-lb-web-K               proxy to web-K                        edge request
"""

import _style as s

CAPTION = (
    "Size is paid on every request: the browser drops a cookie over 4,096 bytes, proxies and servers refuse "
    "oversized headers, and only requests to another host, such as a static-file host, go without it."
)
ALT = (
    "A browser holds a token cookie of 829 bytes out of the 4,096 a cookie may have: 60 of header, 352 of "
    "payload, 342 of RS256 signature and 73 of name and attributes. It sends the cookie with every request "
    "to the site, through an nginx proxy that refuses a header line over 8 KB, to {servers} Node.js web "
    "servers that refuse more than 16 KiB of headers. Images and scripts from another host go without it."
)
COOKIE = "Token cookie: 829 of\n4,096 bytes (header 60,\npayload 352, signature\n342, name and more 73)"


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("cookie_size") as diagram:
        browser = s.client(1, label="Browser")
        # Its text on the left and the static host on the right: the narrowest arrangement.
        cookie = s.node("cookie", COOKIE, "cookie", "cookie", s.Card(side="left"))
        static = s.cdn("Static host:\nno cookie")
        s.row(cookie, static)
        _, balancer, _ = s.web_tier("Node.js: refuses over\n16 KiB of headers", servers, balancer="nginx: 400 if a\nheader line > 8 KB")
        # The cookie goes along with every request to the site's own host.
        s.link(browser, cookie, kind="token", arrows="none")
        s.link(cookie, balancer, kind="request token", label="every request")
        s.link(browser, static, kind="request", label="images,\nscripts")
    return diagram
