"""The named query ``accountability`` labels each node in the asked language only.

The label's language is chosen outside the OPTIONAL that reads it (a FILTER inside it made
Oxigraph read every label of the graph: 2-3 s a project at 10M triples), so these cases pin
what the filter did: the label in the asked language; none for a node labelled only in
another; one row per node, whatever number of labels it has.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph import queries
from graph.store import open_store

KG = "https://w3id.org/kommunegraf/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
BASE = "https://example.org/t/"
GRAPH = ox.NamedNode(BASE + "graph")


def _quad(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(BASE + s), ox.NamedNode(p), o, GRAPH)


def _store():
    store = open_store("memory")
    node, text = ox.NamedNode, ox.Literal
    quads = [
        _quad("p", KG + "projectOwner", node(BASE + "owner")),
        _quad("p", KG + "projectLeader", node(BASE + "leader")),
        _quad("p", KG + "steeringBody", node(BASE + "board")),
        # the owner in both languages, the leader (a person) only in English, the board in none
        _quad("owner", SKOS + "prefLabel", text("Eieren", language="nb")),
        _quad("owner", SKOS + "prefLabel", text("The owner", language="en")),
        _quad("leader", FOAF + "name", text("Leader Lee", language="en")),
        _quad("board", KG + "code", text("b1")),
    ]
    store.replace([GRAPH.value], quads)
    return store


def _labels(store, lang: str) -> dict[str, tuple[str | None, int]]:
    rows = queries.run(store, "accountability", {"project": BASE + "p"}, lang=lang).dicts()
    out: dict[str, tuple[str | None, int]] = {}
    for r in rows:
        if r["role"] in ("owner", "leader", "steering_body"):
            label = r["label"]
            before = out.get(r["role"], (None, 0))[1]
            out[r["role"]] = (None if label is None else str(label), before + 1)
    return out


def test_label_in_the_asked_language_only():
    store = _store()
    assert _labels(store, "nb") == {
        "owner": ("Eieren", 1),
        "leader": (None, 1),  # only an English name: none in Norwegian, the row kept
        "steering_body": (None, 1),
    }
    assert _labels(store, "en") == {
        "owner": ("The owner", 1),
        "leader": ("Leader Lee", 1),
        "steering_body": (None, 1),
    }
