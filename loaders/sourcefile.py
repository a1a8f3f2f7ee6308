"""A record's source file: said once per named graph, given back per record for readers that want it.

A load writes one named graph per source file, so the file is the graph's:
``<graph> kg:sourceFile "projects.csv" <graph>`` once, not once per record (that line was 7 %
of an import's quads, and RocksDB's write cost is per quad). A record in the edits graph, which
holds records of every file, keeps its own ``kg:sourceFile``.

Formats that show each record's file among its properties (ArchiMate properties, Neo4j node
properties, the SHACL union in graph/validate.py) read the quads through :func:`per_record`,
which says the graph's file of each record in it, as the quads did before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from ontology.terms import KG

SOURCE_FILE = KG.sourceFile
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def is_graph_file(q: Quad) -> bool:
    """Is ``q`` a graph's own ``kg:sourceFile`` line?"""
    return q.predicate.value == SOURCE_FILE and q.subject == q.graph_name


def per_record(quads: Iterable[Quad]) -> Iterator[Quad]:
    """``quads`` with each graph's file said of every record (typed subject) in that graph
    instead of the graph; those lines come after all others."""
    files: dict[NamedNode, Literal] = {}
    members: dict[NamedNode, list[NamedNode]] = {}
    for q in quads:
        g = q.graph_name
        if isinstance(g, NamedNode):
            if q.predicate.value == RDF_TYPE and isinstance(q.subject, NamedNode):
                members.setdefault(g, []).append(q.subject)
            elif is_graph_file(q) and isinstance(q.object, Literal):
                files[g] = q.object
                continue
        yield q
    p = NamedNode(SOURCE_FILE)
    for g, file in files.items():
        for s in dict.fromkeys(members.get(g, ())):  # a record with two classes: once
            yield Quad(s, p, file, g)
