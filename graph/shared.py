"""One graph on a server, shared by several app processes: its version and how an edit is written.

Every process that shows the graph caches what it derived from it (the networkx view, the
quality report) under the graph's **version**, read from the server on each page run
(:func:`version`): the embedded store's generation, the edit counter on a SPARQL server, or
Neo4j's push and edit number. An edit written by another process changes the version, so the
next rerun everywhere rebuilds from the new graph.

An edit is a set of quads out and a list of quads in (:mod:`graph.edits` works them out), written
all or nothing and only if nobody else wrote in between (:class:`Stale` otherwise; the caller
reads again and re-checks):

- **SPARQL server**: one SPARQL 1.1 Update request, ``DELETE … INSERT … WHERE`` guarded by the
  counter ``<urn:kommunegraf:state> kg:editVersion n`` in the graph ``<urn:kommunegraf:state>``
  (a server runs one request as one transaction: Oxigraph does). Needs ``KG_SPARQL_UPDATE_URL``.
- **Neo4j**: one write transaction (:meth:`graph.neo4jrdf.Neo4jReplica.apply_edit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from graph.neo4jrdf import Neo4jReplica, Stale
from graph.remote import SparqlStore
from graph.store import Capability, Limits, QueryError, Store, open_store
from ontology.terms import KG

STATE = "urn:kommunegraf:state"
COUNTER = f"<{STATE}> <{KG['editVersion']}>"
SERVERS = ("sparql", "neo4j")


def check_backend(backend: str) -> None:
    """Refuse a backend name that is neither ``embedded`` nor one of :data:`SERVERS`."""
    if backend != "embedded" and backend not in SERVERS:
        raise QueryError(
            f"KG_BACKEND must be embedded, sparql or neo4j, not '{backend}'",
            f"KG_BACKEND må være embedded, sparql eller neo4j, ikke '{backend}'",
        )


def open_shared(backend: str, **options: Any) -> Store:
    """The store an app process reads and edits on ``backend`` (sparql or neo4j)."""
    if backend == "sparql":
        return open_store("sparql", **options)
    if backend == "neo4j":
        from graph.neo4j import Neo4jStore

        return Neo4jReplica(Neo4jStore(**options))
    check_backend(backend)
    raise QueryError(
        "the embedded store is not a shared server",
        "det innebygde lageret er ikke en delt tjener",
    )


def version(store: Store) -> str:
    """The graph's version now: it changes with every load, push and edit, in any process."""
    if isinstance(store, Neo4jReplica):
        store.sync()  # the replica follows the server: a few small reads when it moved
        return store.version
    if isinstance(store, SparqlStore):
        text = f"SELECT ?n WHERE {{ GRAPH <{STATE}> {{ {COUNTER} ?n }} }}"
        rows = store.query(text, limits=Limits(seconds=10, rows=1)).rows
        return str(rows[0][0]) if rows else "0"
    if store.supports(Capability.GENERATIONS):
        store.refresh()
        return store.opened.name if store.opened else ""
    return str(id(store))


def _term(term: Any) -> str:
    if isinstance(term, ox.BlankNode):  # a blank node in an update template is a new one
        raise QueryError(
            "a record with a blank node cannot be edited on a SPARQL server",
            "en post med en blank node kan ikke redigeres på en SPARQL-tjener",
        )
    return str(term)


def _block(quads: Iterable[ox.Quad]) -> str:
    return " ".join(
        f"GRAPH {_term(q.graph_name)} {{ {_term(q.subject)} {_term(q.predicate)} {_term(q.object)} }}"
        for q in quads
    )


def sparql_edit(store: SparqlStore, expected: str, drop: set[ox.Quad], add: list[ox.Quad]) -> None:
    """Write an edit to a SPARQL server if its counter still reads ``expected``; else
    :class:`Stale` (nothing written). ``add`` must not be empty: its first quad tells whether
    this request was the one that counted."""
    n = int(expected or 0)
    text = (
        f"INSERT {{ GRAPH <{STATE}> {{ {COUNTER} 0 }} }} "
        f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{STATE}> {{ {COUNTER} ?any }} }} }} ;\n"
        f"DELETE {{ GRAPH <{STATE}> {{ {COUNTER} ?n }} {_block(drop)} }}\n"
        f"INSERT {{ GRAPH <{STATE}> {{ {COUNTER} {n + 1} }} {_block(add)} }}\n"
        f"WHERE {{ GRAPH <{STATE}> {{ {COUNTER} ?n }} FILTER(?n = {n}) }}"
    )
    store.update(text, name="edit")
    first = add[0]
    ask = (
        f"ASK {{ GRAPH {_term(first.graph_name)} {{ {_term(first.subject)} "
        f"{_term(first.predicate)} {_term(first.object)} }} }}"
    )
    if not store.query(ask).boolean:
        raise Stale()


def bump(store: Store) -> None:
    """Count a write that was not an edit (a push), so that every app process reads again."""
    if isinstance(store, SparqlStore) and store.update_url:
        store.update(
            f"DELETE {{ GRAPH <{STATE}> {{ {COUNTER} ?n }} }} "
            f"INSERT {{ GRAPH <{STATE}> {{ {COUNTER} ?m }} }} "
            f"WHERE {{ OPTIONAL {{ GRAPH <{STATE}> {{ {COUNTER} ?n }} }} BIND(COALESCE(?n, 0) + 1 AS ?m) }}",
            name="push",
        )


__all__ = [
    "SERVERS",
    "STATE",
    "Neo4jReplica",
    "SparqlStore",
    "Stale",
    "bump",
    "open_shared",
    "sparql_edit",
    "version",
]
