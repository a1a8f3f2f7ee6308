"""Copy (or re-sync) the graph from one store to a server backend: Neo4j or a SPARQL endpoint.

The target becomes a mirror of the source. For Neo4j the RDF is mapped by :mod:`graph.pgmap`
and written in ONE transaction: batched ``UNWIND $rows AS r MERGE …``, then labels, nodes and
relationships that are no longer in the source are removed, then the ``:KgMeta`` node records
the push. If the server fails halfway the transaction never commits, so Neo4j keeps the graph of
the previous push, and running the push again completes it. Transient errors (a deadlock, a
leader switch, a dropped connection) retry the whole transaction with exponential backoff.
Constraints and indexes are created first, if missing (Neo4j does not allow schema changes and
data in one transaction; creating them is harmless if the data transaction then fails).

For a SPARQL endpoint the push is :meth:`graph.remote.SparqlStore.replace` of every graph of the
source, and of the graphs under the same ``…/graph/`` prefixes that the source no longer has.
Neo4j is treated as dedicated to Kommunegraf: every ``:Resource`` not in the source is removed.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from graph.pgmap import BASE_LABEL, MAPPING_VERSION, PropertyGraph, to_property_graph
from graph.store import QueryError

Progress = Callable[[str, str], None]  # (english, norwegian), as graph.load
SCHEMA = [
    f"CREATE CONSTRAINT kg_iri IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.iri IS UNIQUE",
    f"CREATE INDEX kg_code IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.code)",
    f"CREATE INDEX kg_identifier IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.identifier)",
    f"CREATE INDEX kg_notation IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.notation)",
    "CREATE CONSTRAINT kg_meta IF NOT EXISTS FOR (m:KgMeta) REQUIRE m.id IS UNIQUE",
]


@dataclass
class PushReport:
    backend: str
    triples: int
    nodes: int
    relationships: int
    removed_nodes: int
    removed_relationships: int
    seconds: float


def _quiet(en: str, nb: str) -> None:
    pass


def push(source, target, progress: Progress = _quiet, batch_size: int = 1000, retries: int = 3,
         backoff: float = 0.5) -> PushReport:  # fmt: skip
    """Make ``target`` (a Neo4j or SPARQL store) hold exactly what ``source`` holds."""
    started = time.perf_counter()
    progress("reading the graph from the source store", "leser grafen fra kildelageret")
    if target.language != "cypher":
        quads = list(source.quads())
        ours = {q.graph_name.value for q in quads if hasattr(q.graph_name, "value")}
        # Graphs of our datasets that the source no longer has go too; other graphs on a shared
        # endpoint (not under a dataset's …/graph/ prefix) are left alone.
        prefixes = tuple({g.rsplit("/graph/", 1)[0] + "/graph/" for g in ours if "/graph/" in g})
        drop = ours | {g for g in target.graphs() if g.startswith(prefixes)}
        progress(f"writing {len(quads)} triples in {len(drop)} graphs to {target.name}",
                 f"skriver {len(quads)} tripler i {len(drop)} grafer til {target.name}")  # fmt: skip
        target.replace(drop, quads, progress=progress)
        return PushReport(target.name, len(quads), 0, 0, 0, 0, time.perf_counter() - started)
    pg = to_property_graph(source.quads())
    progress(f"{pg.triples} triples → {len(pg.nodes)} nodes and {len(pg.rels)} relationships",
             f"{pg.triples} tripler → {len(pg.nodes)} noder og {len(pg.rels)} relasjoner")  # fmt: skip

    def retrying(e: Exception, attempt: int) -> None:
        progress(f"transient error ({type(e).__name__}); retrying the whole push, attempt {attempt + 1}",
                 f"forbigående feil ({type(e).__name__}); prøver hele overføringen på nytt, forsøk {attempt + 1}")  # fmt: skip

    try:
        version = target.ready()
        target.schema(SCHEMA)
        removed = target.write(lambda tx: _write(tx, pg, uuid.uuid4().hex, batch_size, progress, version),
                               retries=retries, backoff=backoff, on_retry=retrying)  # fmt: skip
    except QueryError as e:
        raise QueryError(f"push to Neo4j failed, nothing was changed there: {e.en}",
                         f"overføringen til Neo4j feilet, ingenting ble endret der: {e.nb}") from None  # fmt: skip
    seconds = time.perf_counter() - started
    progress(f"done in {seconds:.1f} s", f"ferdig på {seconds:.1f} s")
    return PushReport(
        "neo4j", pg.triples, len(pg.nodes), len(pg.rels), removed[0], removed[1], seconds
    )


def _batches(rows: list, size: int):
    for i in range(0, len(rows), max(1, size)):
        yield rows[i : i + size]


DYNAMIC = (5, 26)  # first version with labels and relationship types from expressions: $(…)


def _write(
    tx, pg: PropertyGraph, token: str, size: int, progress: Progress, version: tuple
) -> tuple[int, int]:
    """Everything inside the one transaction; returns (removed nodes, removed relationships).

    From Neo4j 5.26 one query text serves every label set and relationship type (``$(…)``), so
    the server plans two queries instead of one per label set and type (~0.25 s each when cold).
    """
    dynamic = version >= DYNAMIC
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for n in pg.nodes.values():
        groups[() if dynamic else n.labels].append({"iri": n.iri, "labels": list(n.labels),
                                                    "props": {**n.props, "kg_sync": token}})  # fmt: skip
    done, total = 0, len(pg.nodes)
    for labels, rows in sorted(groups.items()):
        merge = f"UNWIND $rows AS r MERGE (n:{BASE_LABEL} {{iri: r.iri}}) SET n = r.props "
        if dynamic:  # drop labels the node no longer has (a project that became a sub-project)
            text = (
                merge
                + "WITH n, r, [x IN labels(n) WHERE NOT x IN r.labels] AS stale REMOVE n:$(stale) SET n:$(r.labels)"
            )
        else:  # labels come from the mapping (identifiers), never from data; backticks anyway
            text = merge + f"SET n:{':'.join(f'`{x}`' for x in labels)}"
        for batch in _batches(rows, size):
            tx.run(text, rows=batch).consume()
            done += len(batch)
            progress(f"nodes {done}/{total}", f"noder {done}/{total}")
    if not dynamic:
        _remove_stale_labels(tx, pg)
    types: dict[str, list[dict]] = defaultdict(list)
    for r in pg.rels:
        types["" if dynamic else r.type].append({"start": r.start, "end": r.end, "type": r.type,
                                                 "props": {**r.props, "key": r.key, "kg_sync": token}})  # fmt: skip
    done, total = 0, len(pg.rels)
    for rtype, rows in sorted(types.items()):
        kind = "$(r.type)" if dynamic else f"`{rtype}`"
        text = (f"UNWIND $rows AS r MATCH (a:{BASE_LABEL} {{iri: r.start}}) MATCH (b:{BASE_LABEL} {{iri: r.end}}) "
                f"MERGE (a)-[x:{kind} {{key: r.props.key}}]->(b) SET x = r.props")  # fmt: skip
        for batch in _batches(rows, size):
            tx.run(text, rows=batch).consume()
            done += len(batch)
            progress(f"relationships {done}/{total}", f"relasjoner {done}/{total}")
    gone_rels = tx.run(f"MATCH (:{BASE_LABEL})-[x]->(:{BASE_LABEL}) WHERE x.kg_sync IS NULL OR x.kg_sync <> $t "
                       "DELETE x RETURN count(*)", t=token).single()[0]  # fmt: skip
    gone_nodes = tx.run(f"MATCH (n:{BASE_LABEL}) WHERE n.kg_sync IS NULL OR n.kg_sync <> $t "
                        "DETACH DELETE n RETURN count(*)", t=token).single()[0]  # fmt: skip
    tx.run("MERGE (m:KgMeta {id: 'kommunegraf'}) SET m.graphs = $graphs, m.triples = $triples, "
           "m.nodes = $nodes, m.relationships = $rels, m.mapping = $mapping, m.sync = $t, m.pushedAt = datetime()",
           graphs=pg.graphs, triples=pg.triples, nodes=len(pg.nodes), rels=len(pg.rels),
           mapping=MAPPING_VERSION, t=token).consume()  # fmt: skip
    progress(f"removed {gone_nodes} nodes and {gone_rels} relationships no longer in the source; committing",
             f"fjernet {gone_nodes} noder og {gone_rels} relasjoner som ikke lenger finnes i kilden; lagrer")  # fmt: skip
    return gone_nodes, gone_rels


def _remove_stale_labels(tx, pg: PropertyGraph) -> None:
    """Before 5.26: one query per label in the database, keeping the nodes that still have it."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for n in pg.nodes.values():
        for label in n.labels:
            wanted[label].append(n.iri)
    for (label,) in tx.run("CALL db.labels() YIELD label RETURN label").values():
        if label not in (BASE_LABEL, "KgMeta"):
            tx.run(f"MATCH (n:{BASE_LABEL}:`{label}`) WHERE NOT n.iri IN $keep REMOVE n:`{label}`",
                   keep=wanted.get(label, [])).consume()  # fmt: skip
