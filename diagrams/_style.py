"""Shared look and building blocks for every diagram script in this folder.

Scripts import it as `import _style` (the renderer puts this folder on sys.path
while a script runs). It is part of every diagram's cache key, so editing it
re-renders them all.

Every helper gives its node, cluster or edge a fixed `id` and a `class`, which
Graphviz copies into the SVG (`<g id="web-2" class="node server">`), so page CSS
and simulations can address them. See README.md for the conventions.

A node is an icon with its label beside it, laid out as a small table (a Graphviz
HTML-like label), and every edge starts and ends at an icon, never at a label: a
label sits where no edge passes (`side`). Nodes a simulation may write a note on
keep an empty line for it under their label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import pairwise
from xml.sax.saxutils import escape

from diagrams import Cluster, Diagram, Edge, Node, getcluster, getdiagram, setdiagram

# The diagram font (machinery/diagram/font.py): Graphviz measures every label in it,
# and the page draws it in it.
FONT = "Noto Sans"
TEXT_SIZE = "12"
# Live notes (machinery/live/live.js) are as big as labels, and the room kept for
# one fits the widest a simulation writes ("16,000 sessions").
# Noto Sans's line is 1.362 times its size: 16.3 at 12.
LINE_HEIGHT = "17"
NOTE_SIZE = "12"
NOTE_ROOM = "88,888 sessions"
NOTE_SLOT = "live-note-slot"  # the class live.js finds the room by
# More servers than this go in two columns (`rack`).
ONE_COLUMN = 4
ICON_SIZE = 28  # points (a CSS pixel at natural size): the icon is drawn at 24, its design size, within 2 of padding

TEXT = "#2d3436"
LINE = "#7b8894"
# Colours Graphviz paints for the standalone SVG and PNG; on the site
# diagram.css repaints them with Material's palette (light and dark).
ALERT = "#d32f2f"
ACCENT = "#3f51b5"

BOX_FILL = "#f5f6f8"
# A group's title goes at its foot: edges come in over its top, to the icons inside.
GROUP = {"style": "rounded,filled", "bgcolor": "#eef1f4", "pencolor": "#c5ccd3", "margin": "7", "labeljust": "l",
         "labelloc": "b"}
# A group that only gathers its nodes under one title: a line, no fill.
CLIENTS = {"style": "rounded", "bgcolor": "none", "margin": "6", "labelloc": "t"}


class Canvas(Diagram):
    """A `Diagram` that never renders itself.

    The library's Diagram writes a dot file and an image into the working
    directory when its `with` block ends, even after an exception. The site's
    renderer instead pipes `canvas.dot` to Graphviz in memory, only once the
    script has finished without error.
    """

    def __init__(self, name: str, *, one_column: int = ONE_COLUMN, **graph_attr: str) -> None:
        super().__init__(
            name="",
            filename=name,
            direction="TB",
            show=False,
            graph_attr={
                "pad": "0.1",
                # The final crossing pass ignores the order `row` sets inside clusters.
                "remincross": "false",
                "nodesep": "0.1",
                "ranksep": "0.25",
                "bgcolor": "transparent",
                "fontname": FONT,
                "fontsize": TEXT_SIZE,
                "fontcolor": TEXT,
                "splines": "polyline",
                # Edges may start or end at a group's border (`link` from a Group).
                "compound": "true",
                # One ranking for the whole picture, so `row` can line up nodes of different groups.
                "newrank": "true",
                **graph_attr,
            },
            # The library's defaults make every node a fixed 1.4-inch box; a node here is
            # exactly as big as its label, a table (see `node`).
            node_attr={"shape": "plain", "style": "", "fixedsize": "false", "width": "0", "height": "0",
                       "labelloc": "c", "imagescale": "false", "fontname": FONT, "fontcolor": TEXT, "fontsize": TEXT_SIZE},
            edge_attr={"color": LINE, "fontname": FONT, "fontcolor": TEXT, "fontsize": TEXT_SIZE, "arrowsize": "0.7"},
        )
        self.ids: set[str] = set()
        # Up to this many servers, a `rack` is one column.
        self.one_column = one_column
        # What each icon node is drawn from, so `mirror` can draw it again.
        self.cards: dict[str, tuple[str, str, Card]] = {}
        # The groups being built, innermost last: each keeps the nodes made in it.
        self.open_groups: list[Group] = []

    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None:
        setdiagram(None)

    def claim(self, item_id: str) -> str:
        """Record an id, refusing duplicates: two elements must never share one."""
        if item_id in self.ids:
            raise ValueError(f"id {item_id!r} is used twice in this diagram")
        self.ids.add(item_id)
        return item_id


def canvas(name: str, *, one_column: int = ONE_COLUMN, **options: str) -> Canvas:
    """Start a diagram: `with canvas("stateless") as diagram: ...`, then `return diagram`.

    one_column: the most servers a `rack` stacks in one column, for cards too wide to
    stand in two columns on a phone. options: Graphviz attributes of the whole graph.
    """
    return Canvas(name, one_column=one_column, **options)


def _current() -> Canvas:
    diagram = getdiagram()
    if not isinstance(diagram, Canvas):
        # Not a TypeError: the script forgot `with canvas(...)`.
        raise RuntimeError("build nodes inside `with canvas(...)` (the library's Diagram would write files)")  # noqa: TRY004
    return diagram


# Nodes ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """A box inside a node, with an id and class of its own: the session table in a
    server's memory, say. Simulations address it as they address a node."""

    label: str
    part_id: str
    kind: str
    alert: bool = False  # drawn dashed, in the alert colour: something lost
    note: bool = True  # room for a live note; a picture no simulation writes on draws its parts a line shorter


def text_rows(label: str, align: str = "CENTER", colour: str = "") -> str:
    """A label as a table of one row per line, each as tall as a line of the font as a
    browser sets it: Graphviz would set lines closer, so that the boxes of their texts overlap."""
    font = f'<FONT COLOR="{colour}">{{}}</FONT>' if colour else "{}"
    rows = "".join(f'<TR><TD ALIGN="{align}" HEIGHT="{LINE_HEIGHT}">{font.format(escape(line))}</TD></TR>'
                   for line in label.split("\n"))
    return f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE>'


def html_label(label: str, align: str = "CENTER") -> str:
    """A whole label (of an edge or group) set as `text_rows`."""
    return f"<{text_rows(label, align)}>"


def label_cell(label: str, align: str = "CENTER") -> str:
    return f'<TD ALIGN="{align}">{text_rows(label, align)}</TD>'


def text_and_note_cell(label: str, align: str) -> str:
    """A label with the room for a live note as its last line (a compact `Card`)."""
    rows = f'<TR><TD ALIGN="{align}">{text_rows(label, align)}</TD></TR><TR>{note_slot_cell()}</TR>'
    return f'<TD ALIGN="{align}"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE></TD>'


def named_cell(content: str, name: str, kind: str, look: str = "") -> str:
    """A cell svg.py can find: Graphviz writes it as a link to `#<name>` titled `<kind>`."""
    return f'<TD {look} HREF="#{name}" TITLE="{kind}">{content}</TD>'


def part_cell(part: Part, *, compact: bool = False) -> str:
    """A part, with room for a note unless it says otherwise: svg.py turns its cell into
    `<g id="<part id>" class="node <kind>">`.

    compact: the note's room beside the text rather than under it, one line shorter.
    """
    colour, style = (ALERT, "rounded,dashed") if part.alert else (LINE, "rounded")
    look = f'BORDER="1" STYLE="{style}" COLOR="{colour}" BGCOLOR="{BOX_FILL}" CELLPADDING="2"'
    text = f'<TD ALIGN="LEFT">{text_rows(part.label, "LEFT", ALERT if part.alert else TEXT)}</TD>'
    if not part.note:
        rows = f"<TR>{text}</TR>"
    elif compact:
        rows = f"<TR>{text}{note_slot_cell()}</TR>"
    else:
        rows = f"<TR>{text}</TR><TR>{note_slot_cell()}</TR>"
    return named_cell(f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>', part.part_id, part.kind, look)


def note_slot_cell() -> str:
    """Room for a live note, as wide as the widest a simulation writes: Graphviz measures
    NOTE_ROOM and keeps its place; svg.py leaves an empty <text class="live-note-slot">
    there, where machinery/live/live.js writes the note."""
    placeholder = f'<FONT POINT-SIZE="{NOTE_SIZE}">{NOTE_ROOM}</FONT>'
    return named_cell(placeholder, NOTE_SLOT, NOTE_SLOT, f'ALIGN="LEFT" HEIGHT="{LINE_HEIGHT}"')


@dataclass(frozen=True)
class Card:
    """How a node is laid out around its icon.

    side: its text "right" or "left" of the icon, or "above" it (a client, whose edges
    leave downwards). note: room for a live note under the icon and text. part: a box
    drawn under all, and then a frame around the whole node. Edges meet the icon on a
    side without text. compact: the note's room under the text, beside the icon, and the
    part's beside its text, so that the node takes two lines less (the home page's demo
    puts two pictures side by side on a phone).
    """

    side: str = "right"
    note: bool = False
    part: Part | None = None
    compact: bool = False


def icon_table(icon: str, label: str, card: Card) -> str:
    """The node's label: its icon (the edges' port) and its text, laid out as `card` says."""
    icon_cell = (f'<TD PORT="icon" FIXEDSIZE="TRUE" WIDTH="{ICON_SIZE}" HEIGHT="{ICON_SIZE}">'
                 f'<IMG SRC="{icon}.svg" SCALE="TRUE"/></TD>')
    if card.side == "above":
        if card.note or card.part:
            raise ValueError("a note or a part goes beside an icon, not under a label above it")
        rows = [label_cell(label), icon_cell]
    elif card.side in ("right", "left"):
        # The icon and its text in a table of their own, so the wider rows under them
        # leave them side by side, at the icon's edge of the node.
        align = "LEFT" if card.side == "right" else "RIGHT"
        note_beside_icon = card.note and card.compact
        text = text_and_note_cell(label, align) if note_beside_icon else label_cell(label, align)
        pair = [icon_cell, text] if card.side == "right" else [text, icon_cell]
        icon_and_text = f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR>{"".join(pair)}</TR></TABLE>'
        rows = [f'<TD ALIGN="{align}" CELLPADDING="0">{icon_and_text}</TD>',
                *([note_slot_cell()] if card.note and not note_beside_icon else []),
                *([part_cell(card.part, compact=card.compact)] if card.part else [])]
    else:
        raise ValueError(f"side must be right, left or above, not {card.side!r}")
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    frame = f'BORDER="1" STYLE="rounded" COLOR="{LINE}" CELLSPACING="3"' if card.part else 'BORDER="0" CELLSPACING="0"'
    return f'<<TABLE {frame} CELLBORDER="0" CELLPADDING="2">{body}</TABLE>>'


def node(icon: str, label: str, node_id: str, kind: str, card: Card = Card(), **attrs: str) -> Node:
    """An icon node with a fixed id; `kind` becomes its CSS class, after Graphviz's `node`.

    icon: a Material Design Icons name ("server"); see machinery/diagram/icons.py.
    """
    canvas_now = _current()
    canvas_now.claim(node_id)
    if card.part:
        canvas_now.claim(card.part.part_id)
    canvas_now.cards[node_id] = (icon, label, card)
    made = Node(icon_table(icon, label, card), nodeid=node_id, id=node_id, **{"class": kind}, **attrs)
    if canvas_now.open_groups:
        canvas_now.open_groups[-1].members.append(made)
    return made


def mirror(nodes: list[Node]) -> None:
    """Put the nodes' text on the left of their icons (their edges come from the right)."""
    canvas_now = _current()
    for member in nodes:
        icon, label, card = canvas_now.cards[member.nodeid]
        mirrored = replace(card, side="left")
        canvas_now.cards[member.nodeid] = (icon, label, mirrored)
        # A node stated again, after its first statement, takes the label given. (Stated in
        # the group being built: the group's own statements come after the canvas's.)
        (getcluster() or canvas_now).dot.node(member.nodeid, label=icon_table(icon, label, mirrored))


# Groups --------------------------------------------------------------------------------

class Group:
    """A box around nodes (a Graphviz cluster), which edges can start or end at (`link`)."""

    def __init__(self, group_id: str) -> None:
        self.id = group_id
        self.members: list[Node] = []
        self.bottom: Node | None = None

    def rack(self, servers: list[Node]) -> None:
        """Lay the servers out as `rack` does; edges leaving the group start under its last row."""
        self.bottom = rack(servers)[-1][0]

    def anchor(self, *, leaving: bool) -> Node:
        """The node an edge to or from the whole group aims at: its bottom (its last row, or
        the last node made in it), so what the edge leads to goes under the group; or the
        first node made in it (the one things come in by, such as its load balancer)."""
        if not self.members:
            raise ValueError(f"group {self.id!r} has no node to link")
        return (self.bottom or self.members[-1]) if leaving else self.members[0]


@contextmanager
def group(label: str, group_id: str, kind: str = "group", **attrs: str) -> Iterator[Group]:
    """A labelled box around the nodes made in its `with` block, with a fixed id.

    The cluster is named after its id: the library names clusters after their label, and
    merges clusters that share one.
    """
    canvas_now = _current()
    canvas_now.claim(group_id)
    look = {**GROUP, "label": html_label(label, "LEFT"), "id": group_id, "class": kind, "fontsize": TEXT_SIZE,
            "fontcolor": TEXT, "fontname": FONT, **attrs}
    made = Group(group_id)
    canvas_now.open_groups.append(made)
    with Cluster(group_id, graph_attr=look):
        yield made
    canvas_now.open_groups.pop()


# Edges ---------------------------------------------------------------------------------

def endpoint(item: Node | Group, *, leaving: bool) -> tuple[Node, str, dict[str, str]]:
    """The node an edge attaches to, the id it names, and how it attaches.

    An edge leaves an icon from the middle of its bottom and enters one at the middle of
    its top, as the pictures read top to bottom (`link` takes other ports for edges that
    run sideways or up); it meets a group at its border.
    """
    if isinstance(item, Group):
        port = {"tailport": "icon:s"} if leaving else {"headport": "icon:n"}
        return item.anchor(leaving=leaving), item.id, {"ltail" if leaving else "lhead": f"cluster_{item.id}", **port}
    if item.nodeid not in _current().cards:
        return item, item.nodeid, {}
    return item, item.nodeid, {"tailport": "icon:s"} if leaving else {"headport": "icon:n"}


def link(source: Node | Group, target: Node | Group, *, kind: str = "", label: str = "", arrows: str = "forward",
         **attrs: str) -> Edge:
    """A line from source to target with id `edge-<source>-<target>`, from icon to icon.

    A group as source or target: the line starts or ends at its border, standing for
    every node inside. `arrows` is "forward", "both" or "none" (a plain line, e.g.
    reads and writes).
    """
    tail, tail_id, tail_attach = endpoint(source, leaving=True)
    head, head_id, head_attach = endpoint(target, leaving=False)
    edge_id = _current().claim(f"edge-{tail_id}-{head_id}")
    # The library's Edge sets its own font on every edge; use the diagram's.
    look = {"id": edge_id, "fontname": FONT, "fontsize": TEXT_SIZE, "fontcolor": TEXT, **tail_attach, **head_attach, **attrs}
    if kind:
        look["class"] = kind
    if label:
        look["label"] = html_label(label)
    edge = Edge(tail, forward=arrows in ("forward", "both"), reverse=arrows == "both", **look)
    tail.connect(head, edge)
    return edge


# Layout --------------------------------------------------------------------------------

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


def stack(upper: Node, lower: Node) -> None:
    """Keep `lower` under `upper` (an invisible edge, as in `row`)."""
    (getcluster() or _current()).dot.edge(upper.nodeid, lower.nodeid, style="invis")


def column(nodes: list[Node]) -> None:
    """Keep nodes one under the other, in the order given, in one straight line."""
    for upper, lower in pairwise(nodes):
        stack(upper, lower)
    # dot keeps the nodes of one `group` that an edge joins in line.
    for member in nodes:
        _current().dot.node(member.nodeid, group=f"column-{nodes[0].nodeid}")


def rack_columns(count: int) -> int:
    return 1 if count <= _current().one_column else 2


def rack(servers: list[Node]) -> list[list[Node]]:
    """Lay servers out one under the other, in two columns once there are more than the
    canvas's `one_column` (ONE_COLUMN unless it says otherwise).

    Side by side, more than three would make a picture too wide for a phone; one under
    the other, it stays narrow and the load balancer reaches each without a crossing
    (`spread`). Returns the rows.
    """
    columns = rack_columns(len(servers))
    rows = [servers[start:start + columns] for start in range(0, len(servers), columns)]
    for line in rows:
        if len(line) > 1:
            row(*line)
    for index in range(columns):
        column(servers[index::columns])
    if columns > 1:
        # The columns face each other across the load balancer's edges (`spread`).
        mirror(servers[0::2])
    return rows


def spread(balancer: Node, servers: list[Node], looks: list[dict[str, str]]) -> None:
    """The load balancer's edge to each server of a `rack` (each with its look, e.g. its
    kind), into the side of each icon that faces the edges.

    In one column they run down its left side; in two, down between the columns, whose
    servers face each other (`rack`). The load balancer keeps its edges left to
    right in the order they are made (`ordering`), so they are made in the order that
    nests them, none crossing another: in one column from the last server up; in two,
    the left column's from the top, then the right column's from the bottom.
    """
    edges = list(zip(servers, looks, strict=True))
    if rack_columns(len(servers)) == 1:
        order = [(server, "icon:w", look) for server, look in edges[::-1]]
    else:
        order = [*((server, "icon:e", look) for server, look in edges[0::2]),
                 *((server, "icon:w", look) for server, look in edges[1::2][::-1])]
    for server, port, look in order:
        link(balancer, server, headport=port, **look)


# The building blocks the scripts share. Icons are Material Design Icons names.
# `kind` is the CSS class: add a state such as "server down" to change the look.

def client(number: int, label: str = "", kind: str = "client", **attrs: str) -> Node:
    """A client; its label sits above it, as its requests leave downwards."""
    return node("account", label or f"Client {number}", f"client-{number}", kind, Card(side="above"), **attrs)


def clients(count: int, title: str = "Clients") -> list[Node]:
    """Clients 1..count in a row, each labelled by its number in a box titled `title` (narrower than "Client 1 ...")."""
    with group(title, "clients", "clients", **CLIENTS):
        numbered = [client(number, label=str(number)) for number in range(1, count + 1)]
        row(*numbered)
    return numbered


def web_tier(title: str, servers: int, *, balancer: str = "Load balancer",
             memory: Callable[[int], Part] | None = None) -> tuple[Group, Node, list[Node]]:
    """A load balancer and web-1..web-N in a box titled `title`, its edges to them drawn
    (`spread`); `memory(number)`: what web-<number> holds, drawn inside it."""
    with group(title, "web-tier", "tier") as tier:
        entry = load_balancer(balancer)
        webs = [web_server(number, memory=memory(number) if memory else None) for number in range(1, servers + 1)]
        tier.rack(webs)
    spread(entry, webs, [{"kind": "request"}] * servers)
    return tier, entry, webs


def load_balancer(label: str = "Load balancer", node_id: str = "lb", kind: str = "lb", **attrs: str) -> Node:
    """A load balancer; its edges to servers, drawn in order, keep the servers in that order left to right."""
    return node("sitemap", label, node_id, kind, ordering="out", **attrs)


def web_server(number: int, label: str = "", node_id: str = "", kind: str = "server", memory: Part | None = None,
               **attrs: str) -> Node:
    """A web server; `memory`: what it holds, drawn inside it (see _pinned.py)."""
    node_id = node_id or f"web-{number}"
    return node("server", label or node_id, node_id, kind, Card(note=True, part=memory), **attrs)


def compact_web_server(number: int, memory: Part | None = None) -> Node:
    """web-<number> as a compact `Card`: its note beside its icon, and its part one line high."""
    return node("server", f"web-{number}", f"web-{number}", "server", Card(note=True, part=memory, compact=True))


def login_service(label: str = "Login\nservice", node_id: str = "auth", kind: str = "server auth", **attrs: str) -> Node:
    return node("server-security", label, node_id, kind, **attrs)


def session_store(label: str = "Session\nstore", node_id: str = "session-store", kind: str = "store",
                  *, compact: bool = False, **attrs: str) -> Node:
    return node("database-clock", label, node_id, kind, Card(note=True, compact=compact), **attrs)


def database(label: str = "Database", node_id: str = "db", kind: str = "database", **attrs: str) -> Node:
    return node("database", label, node_id, kind, **attrs)


def cache(label: str = "Cache", node_id: str = "cache", kind: str = "cache", **attrs: str) -> Node:
    return node("lightning-bolt", label, node_id, kind, **attrs)


def dns(label: str = "DNS", node_id: str = "dns", kind: str = "dns", **attrs: str) -> Node:
    return node("sign-direction", label, node_id, kind, **attrs)


def cdn(label: str = "CDN", node_id: str = "cdn", kind: str = "cdn", **attrs: str) -> Node:
    return node("earth", label, node_id, kind, **attrs)


def signing_key(label: str = "Signing key", node_id: str = "signing-key", kind: str = "key", **attrs: str) -> Node:
    return node("key-variant", label, node_id, kind, **attrs)
