"""The decision guide as a flow: four questions, each "yes" to a way of holding state in the
server, and every "no" at the end to stateless web servers and a shared store.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    question-1 .. question-4    the guide's questions, in order       node question
    answer-1 .. answer-4        what to do on "yes"                   node answer
    web-tier                    box around the load balancer
                                and the stateless web servers         cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              stateless web servers                 node server
    session-store               shared store or database              node store
    edge-question-K-answer-K    yes                                   edge yes
    edge-question-K-question-(K+1), edge-question-4-lb
                                no                                    edge no
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-session-store the state they keep                   edge session
"""

import _style as s

CAPTION = (
    "The decision guide: the first question answered yes says how to hold the state in the server; "
    "four noes mean it belongs in a shared store or the database, behind stateless servers."
)
ALT = (
    "Four questions in a column, each with an answer beside it for yes. A live connection or GPU context: "
    "a thin stateful edge service, with clients that reconnect with backoff. Written many times a second "
    "per object: one owner per key, with consistent hashing, handoff and checkpoints. Large and slow to "
    "load: warm replicas, routed by key and autoscaled early. A copy of data held elsewhere: an in-process "
    "cache with a TTL. If every answer is no, the state goes in a shared store or the database, and "
    "{servers} stateless web servers behind a load balancer use it."
)
GUIDE = [
    ("A live connection\nor GPU context?", "Yes: a thin stateful\nedge; clients reconnect\nwith backoff"),
    ("Written many\ntimes a second\nper object?", "Yes: one owner per key,\nconsistent hashing,\nhandoff, checkpoints"),
    ("Large and slow\nto load?", "Yes: warm replicas,\nrouted by key,\nautoscaled early"),
    ("A copy of data\nheld elsewhere?", "Yes: an in-process\ncache with a TTL"),
]


def question_and_answer(number: int, question: str, answer: str) -> s.Node:
    """One row of the guide: the question, and beside it what to do on "yes". Returns the question."""
    # The question's text on its left and the answer's on its right: "yes" runs between their icons.
    asked = s.node("help-circle-outline", question, f"question-{number}", "question", s.Card(side="left"))
    answered = s.node("check-circle-outline", answer, f"answer-{number}", "answer")
    s.row(asked, answered)
    s.link(asked, answered, kind="yes", tailport="icon:e", headport="icon:w")
    return asked


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("state_decision") as diagram:
        questions = [question_and_answer(number, *row) for number, row in enumerate(GUIDE, start=1)]
        tier, balancer, _ = s.web_tier("Otherwise: stateless\nweb servers", servers)
        store = s.session_store("Shared store\nor database")
        for upper, lower in zip(questions, [*questions[1:], balancer], strict=True):
            s.link(upper, lower, kind="no", label="no")
        s.link(tier, store, kind="session", arrows="none")
    return diagram
