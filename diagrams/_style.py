"""Shared look and building blocks for every diagram script in this folder.

Scripts import it as `import _style` (the renderer puts this folder on sys.path
while a script runs). It is part of every diagram's cache key, so editing it
re-renders them all.

Every helper gives its node, cluster or edge a fixed `id` and a `class`, which
Graphviz copies into the SVG (`<g id="web-2" class="node server">`), so page CSS
and simulations can address them. See README.md for the conventions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise

from diagrams import Cluster, Diagram, Edge, Node, getcluster, getdiagram, setdiagram
from diagrams.alibabacloud.web import Dns
from diagrams.aws.general import GenericSamlToken
from diagrams.digitalocean.network import LoadBalancer
from diagrams.gcp.network import CDN
from diagrams.generic.database import SQL
from diagrams.ibm.compute import Key
from diagrams.onprem.client import User
from diagrams.onprem.compute import Server
from diagrams.onprem.inmemory import Memcached, Redis

# Graphviz sizes labels with its built-in metrics for Helvetica; pages show them in
# the site font (diagrams.css), which is close to it.
FONT = "Helvetica"
TEXT = "#2d3436"
LINE = "#7b8894"
# Colours Graphviz paints for the standalone SVG and PNG; on the site
# diagrams.css repaints them with Material's palette (light and dark).
ALERT = "#d32f2f"
ACCENT = "#3f51b5"

# Node size in inches: the icon takes the width, the label sits below it.
ICON_NODE = {"width": "1.0", "height": "1.3", "fixedsize": "true", "imagescale": "true",
             "imagepos": "tc", "labelloc": "b"}
BOX_NODE = {"shape": "box", "style": "rounded,filled", "fillcolor": "#f5f6f8", "color": LINE,
            "width": "1.1", "height": "0.6", "fixedsize": "false", "margin": "0.1,0.07"}


class Canvas(Diagram):
    """A `Diagram` that never renders itself.

    The library's Diagram writes a dot file and an image into the working
    directory when its `with` block ends, even after an exception. The site's
    renderer instead pipes `canvas.dot` to Graphviz in memory, only once the
    script has finished without error.
    """

    def __init__(self, name: str, *, direction: str = "TB", splines: str = "spline", **graph_attr: str) -> None:
        super().__init__(
            name="",
            filename=name,
            direction=direction,
            show=False,
            graph_attr={
                "pad": "0.15",
                # The final crossing pass ignores the order `row` sets inside clusters.
                "remincross": "false",
                "nodesep": "0.3",
                "ranksep": "0.45",
                "bgcolor": "transparent",
                "fontname": FONT,
                "fontcolor": TEXT,
                "splines": splines,
                **graph_attr,
            },
            node_attr={"fontname": FONT, "fontcolor": TEXT, "fontsize": "13"},
            edge_attr={"color": LINE, "fontname": FONT, "fontcolor": TEXT, "fontsize": "12", "arrowsize": "0.7"},
        )
        self.ids: set[str] = set()

    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None:
        setdiagram(None)

    def claim(self, item_id: str) -> str:
        """Record an id, refusing duplicates: two elements must never share one."""
        if item_id in self.ids:
            raise ValueError(f"id {item_id!r} is used twice in this diagram")
        self.ids.add(item_id)
        return item_id


def canvas(name: str, **options: str) -> Canvas:
    """Start a diagram: `with canvas("stateless") as diagram: ...`, then `return diagram`."""
    return Canvas(name, **options)


def _current() -> Canvas:
    diagram = getdiagram()
    if not isinstance(diagram, Canvas):
        # Not a TypeError: the script forgot `with canvas(...)`.
        raise RuntimeError("build nodes inside `with canvas(...)` (the library's Diagram would write files)")  # noqa: TRY004
    return diagram


def node(icon: type[Node] | None, label: str, node_id: str, kind: str, **attrs: str) -> Node:
    """A node with a fixed id; `kind` becomes its CSS class, after Graphviz's `node`."""
    _current().claim(node_id)
    look = dict(ICON_NODE if icon else BOX_NODE)
    if icon:
        # Each extra label line needs room below the icon.
        look["height"] = str(float(look["height"]) + 0.2 * label.count("\n"))
    attrs = {**look, "id": node_id, "class": kind, **attrs}
    return (icon or Node)(label, nodeid=node_id, **attrs)


@contextmanager
def group(label: str, group_id: str, kind: str = "group", **attrs: str) -> Iterator[Cluster]:
    """A labelled box around nodes (a Graphviz cluster) with a fixed id."""
    _current().claim(group_id)
    look = {"id": group_id, "class": kind, "bgcolor": "#eef1f4", "pencolor": "#c5ccd3", "fontsize": "12",
            "margin": "10", "fontcolor": TEXT, "fontname": FONT, **attrs}
    with Cluster(label, graph_attr=look) as cluster:
        yield cluster


def link(source: Node, target: Node, *, kind: str = "", label: str = "", arrows: str = "forward",
         **attrs: str) -> Edge:
    """A line from source to target with id `edge-<source>-<target>`.

    `arrows` is "forward", "both" or "none" (a plain line, e.g. reads and writes).
    """
    edge_id = _current().claim(f"edge-{source.nodeid}-{target.nodeid}")
    # The library's Edge sets its own font on every edge; use the diagram's.
    look = {"id": edge_id, "fontname": FONT, "fontsize": "12", "fontcolor": TEXT, **attrs}
    if kind:
        look["class"] = kind
    if label:
        # Orthogonal routing cannot place ordinary edge labels (Graphviz warns and
        # drops them); xlabel works with it. Other routings make room for a label.
        orthogonal = _current().dot.graph_attr.get("splines") == "ortho"
        look["xlabel" if orthogonal else "label"] = label
    edge = Edge(source, forward=arrows in ("forward", "both"), reverse=arrows == "both", **look)
    source.connect(target, edge)
    return edge


def row(*nodes: Node) -> None:
    """Keep nodes side by side, left to right in the order given.

    Graphviz otherwise orders a rank as it likes (web-2, web-1, web-3...). The
    invisible edges that fix the order leave nothing in the SVG but an empty group.
    """
    graph = getcluster() or _current()
    names = " ".join(f'"{n.nodeid}"' for n in nodes)
    graph.dot.body.append(f"\t{{rank=same; {names}}}\n")
    for left, right in pairwise(nodes):
        graph.dot.edge(left.nodeid, right.nodeid, style="invis")


# The building blocks the scripts share. Icons come from the `diagrams` package
# (vendor-neutral ones where they exist); the renderer embeds each one in the SVG.
# `kind` is the CSS class: add a state such as "server down" to change the look.

def client(number: int, label: str = "", kind: str = "client", **attrs: str) -> Node:
    return node(User, label or f"Client {number}", f"client-{number}", kind, **attrs)


def load_balancer(label: str = "Load balancer", node_id: str = "lb", kind: str = "lb", **attrs: str) -> Node:
    return node(LoadBalancer, label, node_id, kind, **attrs)


def web_server(number: int, label: str = "", node_id: str = "", kind: str = "server", **attrs: str) -> Node:
    node_id = node_id or f"web-{number}"
    return node(Server, label or node_id, node_id, kind, **attrs)


def sessions(label: str, node_id: str, kind: str = "sessions", **attrs: str) -> Node:
    """An in-memory session table: a plain box, no icon."""
    return node(None, label, node_id, kind, **attrs)


def session_store(label: str = "Session store", node_id: str = "session-store", kind: str = "store",
                  **attrs: str) -> Node:
    return node(Redis, label, node_id, kind, **attrs)


def database(label: str = "Database", node_id: str = "db", kind: str = "database", **attrs: str) -> Node:
    return node(SQL, label, node_id, kind, **attrs)


def cache(label: str = "Cache", node_id: str = "cache", kind: str = "cache", **attrs: str) -> Node:
    return node(Memcached, label, node_id, kind, **attrs)


def dns(label: str = "DNS", node_id: str = "dns", kind: str = "dns", **attrs: str) -> Node:
    return node(Dns, label, node_id, kind, **attrs)


def cdn(label: str = "CDN", node_id: str = "cdn", kind: str = "cdn", **attrs: str) -> Node:
    return node(CDN, label, node_id, kind, **attrs)


def signing_key(label: str = "Signing key", node_id: str = "signing-key", kind: str = "key", **attrs: str) -> Node:
    return node(Key, label, node_id, kind, **attrs)


def token(label: str = "Signed token", node_id: str = "token", kind: str = "token", **attrs: str) -> Node:
    return node(GenericSamlToken, label, node_id, kind, **attrs)
