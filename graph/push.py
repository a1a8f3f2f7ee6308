"""Copy (or re-sync) the graph from one store to a server backend: Neo4j or a SPARQL endpoint.

The target becomes a mirror of the source. For Neo4j the RDF is mapped by :mod:`graph.pgmap`
and written in MANY small transactions, so that a graph of any size fits the server's
transaction timeout (``db.transaction.timeout``, 60 s for ``tools/neo4j/run.sh``):

1. ``:KgMeta`` records that push ``T`` (a fresh id) has started (``pushing: T``);
2. nodes, then relationships, are merged on their keys in batches of ``UNWIND $rows …``, each
   stamped ``kg_sync: T``; a transaction holds ``tx_rows`` rows (several batches);
3. whatever does not carry ``T`` (vanished nodes, relationships, and anything left by an earlier
   interrupted push) is deleted, again in batches of their own transactions;
4. only then ``:KgMeta`` records ``T`` as the completed push (``sync: T``, graphs, counts, time).

What a reader sees: after a completed push, exactly the source graph. During a push the old and
new graph overlap (new and changed nodes appear batch by batch, vanished ones go at the end), and
``:KgMeta`` says so: ``pushing`` is set and ``sync`` still names the last completed push. A push
that dies midway (the server or the client killed) leaves that overlap and ``pushing`` set; the
next push stamps everything with its own id, removes the rest, and so ends in exactly its source.
Transient errors (a deadlock, a leader switch, a dropped connection) retry the one transaction
that failed: the driver's managed transactions (``execute_write``) run it again with exponential
backoff, for up to ``retry_seconds``; every batch is idempotent (MERGE on keys), so a retry or
a re-run never duplicates anything. Constraints and indexes are created first, if missing (Neo4j
does not allow schema changes and data in one transaction). One push at a time: two concurrent
pushes would remove each other's nodes.

For a SPARQL endpoint the push is :meth:`graph.remote.SparqlStore.replace` of every graph of the
source, and of the graphs under the same ``…/graph/`` prefixes that the source no longer has.
Neo4j is treated as dedicated to Kommunegraf: every ``:Resource`` not in the source is removed.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.neo4j import RETRY_DELAY, RETRY_SECONDS, Neo4jStore
from graph.neo4jrdf import store_rdf
from graph.pgmap import BASE_LABEL, MAPPING_VERSION, PropertyGraph, to_property_graph
from graph.store import Capability, QueryError, Store

Progress = Callable[[str, str], None]  # (english, norwegian), as graph.load
META = "KgMeta"
SCHEMA = [
    f"CREATE CONSTRAINT kg_iri IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.iri IS UNIQUE",
    f"CREATE INDEX kg_code IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.code)",
    f"CREATE INDEX kg_identifier IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.identifier)",
    f"CREATE INDEX kg_notation IF NOT EXISTS FOR (n:{BASE_LABEL}) ON (n.notation)",
    f"CREATE CONSTRAINT kg_meta IF NOT EXISTS FOR (m:{META}) REQUIRE m.id IS UNIQUE",
]
# Rows per UNWIND and per transaction. Measured on the bundled server (bench/push_rates.py,
# docs/scaling.md): per-query and per-commit overhead stops mattering around 1 000 rows a query
# and ~10 000 a transaction; a transaction of 10 000 rows takes ~1 s, far from any timeout.
BATCH_ROWS = 1000
TX_ROWS = 10_000
DYNAMIC = (5, 26)  # first version with labels and relationship types from expressions: $(…)
STALE = "(x.kg_sync IS NULL OR x.kg_sync <> $t)"  # not written by this push
# Neo4j plans a query on the committed counts and caches the plan under its text (and the size
# of a list parameter). Planned while the database has no relationships, MERGE (a)-[x]->(b)
# reads every relationship for every row instead of expanding from a, and the plan stays for the
# rest of that transaction, whose own writes the counts do not show yet: the first transaction of
# a first push (10 000 rows) took 30 s at 100k triples, or ran into the 60 s timeout. So with
# fewer than PLAN_MIN relationships (of the type) in the database, the first PLAN_FIRST rows go in
# a transaction of their own, and the next query of each batch size is planned again
# (``CYPHER replan=force``) on counts that show them. The planner expands from about 5.
PLAN_MIN, PLAN_FIRST = 100, 20


@dataclass
class PushReport:
    backend: str
    triples: int
    nodes: int
    relationships: int
    removed_nodes: int
    removed_relationships: int
    seconds: float
    transactions: int = 0  # Neo4j transactions committed (a few only read: counts, ids)


def _quiet(en: str, nb: str) -> None:
    pass


def push(
    source: Store,
    target: Store,
    progress: Progress = _quiet,
    batch_size: int = BATCH_ROWS,
    retry_seconds: float = RETRY_SECONDS,
    backoff: float = RETRY_DELAY,
    tx_rows: int = TX_ROWS,
) -> PushReport:
    """Make ``target`` (a Neo4j or SPARQL store) hold exactly what ``source`` holds.

    ``batch_size`` is rows per ``UNWIND`` query and ``tx_rows`` the most rows per Neo4j
    transaction (whole batches, at least one); both change only speed, never the result.
    A Neo4j transaction that fails with a transient error is retried by the driver, the first
    time after ``backoff`` seconds, for up to ``retry_seconds``.
    """
    started = time.perf_counter()
    progress("reading the graph from the source store", "leser grafen fra kildelageret")
    if not target.supports(Capability.PUSH_TARGET):  # a quad store: replace its graphs
        quads = list(source.quads())
        ours = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        # Graphs of our datasets that the source no longer has go too; other graphs on a shared
        # endpoint (not under a dataset's …/graph/ prefix) are left alone.
        prefixes = tuple({g.rsplit("/graph/", 1)[0] + "/graph/" for g in ours if "/graph/" in g})
        drop = ours | {g for g in target.graphs() if g.startswith(prefixes)}
        progress(
            f"writing {len(quads)} triples in {len(drop)} graphs to {target.name}",
            f"skriver {len(quads)} tripler i {len(drop)} grafer til {target.name}",
        )
        target.replace(drop, quads, progress=progress)
        from graph.shared import bump

        bump(target)  # app processes on this server read the graph again
        return PushReport(target.name, len(quads), 0, 0, 0, 0, time.perf_counter() - started)
    pg = to_property_graph(source.quads())
    progress(
        f"{pg.triples} triples → {len(pg.nodes)} nodes and {len(pg.rels)} relationships",
        f"{pg.triples} tripler → {len(pg.nodes)} noder og {len(pg.rels)} relasjoner",
    )
    writer = _Writer(
        target, uuid.uuid4().hex, progress, batch_size, tx_rows, retry_seconds, backoff
    )
    try:
        version = target.ready()
        target.schema(SCHEMA)
        removed = writer.push(pg, version >= DYNAMIC)
        if source.supports(Capability.DUMP) and isinstance(target, Neo4jStore):
            progress("storing the RDF for the app", "lagrer RDF-en for appen")
            store_rdf(target, source.dump())  # the app's pages and edits read it (graph.neo4jrdf)
    except QueryError as e:
        if not writer.transactions:  # (the schema may be new: harmless, the next push wants it)
            raise QueryError(
                f"push to Neo4j failed, nothing was changed there: {e.en}",
                f"overføringen til Neo4j feilet, ingenting ble endret der: {e.nb}",
            ) from None
        raise QueryError(
            f"push to Neo4j stopped midway: {e.en}. Neo4j still records the previous push as the last "
            "complete one (:KgMeta sync); the graph there is the old and new one overlapping until "
            "a push completes: run the push again",
            f"overføringen til Neo4j stoppet underveis: {e.nb}. Neo4j viser fortsatt forrige overføring "
            "som den siste fullførte (:KgMeta sync); grafen der er den gamle og den nye om hverandre "
            "til en overføring blir fullført: kjør overføringen på nytt",
        ) from None
    seconds = time.perf_counter() - started
    progress(
        f"done in {seconds:.1f} s ({writer.transactions} transactions)",
        f"ferdig på {seconds:.1f} s ({writer.transactions} transaksjoner)",
    )
    return PushReport(
        "neo4j",
        pg.triples,
        len(pg.nodes),
        len(pg.rels),
        removed[0],
        removed[1],
        seconds,
        writer.transactions,
    )


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    size = max(1, size)
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def relationship_query(rtype: str | None) -> str:
    """MERGE on (start, type, ``key``, end), both ends found by the unique ``iri`` index.

    Rows are ``[start, end, key, properties or null, type]``; ``rtype`` None takes the type
    from the row (Neo4j 5.26+), else it is written into the text and rows stop at properties.
    """
    kind = "$(r[4])" if rtype is None else _name(rtype)
    return (
        f"UNWIND $rows AS r MATCH (a:{BASE_LABEL} {{iri: r[0]}}) MATCH (b:{BASE_LABEL} {{iri: r[1]}}) "
        f"MERGE (a)-[x:{kind} {{key: r[2]}}]->(b) "
        "SET x = coalesce(r[3], {}), x.key = r[2], x.kg_sync = $t"  # a plain edge sends no map
    )


def _name(label: str) -> str:
    """A label or type in backticks (they come from the mapping, never from data; quoted anyway)."""
    return "`" + label.replace("`", "``") + "`"


class _Writer:
    """One push to Neo4j: the batches, their transactions, retries and progress."""

    def __init__(
        self,
        target: Store,
        token: str,
        progress: Progress,
        batch: int,
        tx_rows: int,
        retry_seconds: float,
        backoff: float,
    ) -> None:
        self.target, self.token, self.progress = target, token, progress
        self.batch, self.per_tx = max(1, batch), max(1, tx_rows // max(1, batch))
        self.retry_seconds, self.backoff = retry_seconds, backoff
        self.transactions = 0

    def _retrying(self, e: Exception | None, attempt: int) -> None:
        what = type(e).__name__ if e is not None else "connection or commit"
        self.progress(
            f"transient error ({what}); retrying this transaction, attempt {attempt + 1}",
            f"forbigående feil ({what}); prøver denne transaksjonen på nytt, forsøk {attempt + 1}",
        )

    def transaction(self, work: Callable[[Any], Any]) -> Any:
        out = self.target.write(
            work,
            on_retry=self._retrying,
            retry_seconds=self.retry_seconds,
            retry_delay=self.backoff,
        )
        self.transactions += 1
        return out

    def batches(
        self,
        text: str,
        rows: list[Any],
        done: list[int],
        total: int,
        what: tuple[str, str],
        replan: bool = False,
    ) -> int:
        """``text`` over ``rows``, ``batch`` rows a query and ``per_tx`` queries a transaction.

        Returns the sum of the queries' single values (a count) if they return one. Progress is
        reported inside the transaction, as before: an error there retries that transaction.
        ``replan``: the first PLAN_FIRST rows alone, then planned afresh (see PLAN_MIN).
        """
        first = rows[:PLAN_FIRST] if replan else []
        planned: set[int] = set()  # batch sizes planned again since the first rows
        chunks = ([first] if first else []) + list(
            _batches(rows[len(first) :], self.batch * self.per_tx)
        )
        counted = 0
        for i, chunk in enumerate(chunks):

            def work(
                tx: Any, chunk: list[Any] = chunk, after_first: bool = bool(first) and i > 0
            ) -> int:
                n = 0
                for part in _batches(chunk, self.batch):
                    query = text
                    if after_first and len(part) not in planned:
                        query = "CYPHER replan=force " + text
                        planned.add(len(part))  # (kept if this transaction is retried: harmless)
                    # (The server writes a batch before it answers RUN, so sending the next batch
                    # before reading this one's answer would gain nothing: measured.)
                    record = tx.run(query, rows=part, t=self.token).single()
                    n += record[0] if record else 0
                self.progress(
                    f"{what[0]} {done[0] + len(chunk)}/{total}",
                    f"{what[1]} {done[0] + len(chunk)}/{total}",
                )
                return n

            counted += self.transaction(work)
            done[0] += len(chunk)
        return counted

    def push(self, pg: PropertyGraph, dynamic: bool) -> tuple[int, int]:
        """Write ``pg``; returns (removed nodes, removed relationships)."""
        self.transaction(
            lambda tx: tx.run(
                f"MERGE (m:{META} {{id: 'kommunegraf'}}) "
                "SET m.pushing = $t, m.pushStartedAt = datetime()",
                t=self.token,
            ).consume()
        )
        self.write_nodes(pg, dynamic)
        self.write_relationships(pg, dynamic)
        # Relationships first: their count then includes those of the nodes that go after them.
        gone_rels = self.remove(
            f"MATCH (:{BASE_LABEL})-[x]->(:{BASE_LABEL}) WHERE {STALE} RETURN elementId(x)",
            f"UNWIND $rows AS id MATCH ()-[x]->() WHERE elementId(x) = id AND {STALE} "
            "DELETE x RETURN count(x)",
            ("relationships", "relasjoner"),
        )
        gone_nodes = self.remove(
            f"MATCH (x:{BASE_LABEL}) WHERE {STALE} RETURN elementId(x)",
            f"UNWIND $rows AS id MATCH (x:{BASE_LABEL}) WHERE elementId(x) = id AND {STALE} "
            "DETACH DELETE x RETURN count(x)",
            ("nodes", "noder"),
        )
        # Last: the push is complete only now, and KgMeta says so in the same transaction.
        self.transaction(
            lambda tx: tx.run(
                f"MERGE (m:{META} {{id: 'kommunegraf'}}) SET m.graphs = $graphs, m.triples = $triples, m.nodes = $nodes, "
                "m.relationships = $rels, m.mapping = $mapping, m.sync = $t, m.pushing = null, m.pushedAt = datetime()",
                graphs=pg.graphs,
                triples=pg.triples,
                nodes=len(pg.nodes),
                rels=len(pg.rels),
                mapping=MAPPING_VERSION,
                t=self.token,
            ).consume()
        )
        self.progress(
            f"removed {gone_nodes} nodes and {gone_rels} relationships no longer in the source; "
            f"push {self.token} complete",
            f"fjernet {gone_nodes} noder og {gone_rels} relasjoner som ikke lenger finnes i kilden; "
            f"overføring {self.token} fullført",
        )
        return gone_nodes, gone_rels

    def write_nodes(self, pg: PropertyGraph, dynamic: bool) -> None:
        """MERGE on ``iri``; the properties replaced; labels set, and those the node lost removed.

        Rows are lists, not maps, and the push id is one parameter: the pure-Python driver spends
        about as long packing the parameters as the server spends writing them, and every map key
        and repeated value costs (measured: twice as fast as rows of maps).
        """
        merge = f"UNWIND $rows AS r MERGE (n:{BASE_LABEL} {{iri: r[0].iri}}) SET n = r[0], n.kg_sync = $t "
        done, total = [0], len(pg.nodes)
        if dynamic:  # one query text for every label set: the server plans it once
            rows = [[n.props, list(n.labels)] for n in pg.nodes.values()]
            text = (
                merge
                + "WITH n, r, [x IN labels(n) WHERE NOT x IN r[1]] AS stale REMOVE n:$(stale) SET n:$(r[1])"
            )
            self.batches(text, rows, done, total, ("nodes", "noder"))
            return
        # Before 5.26: one query per label set, removing every other label the graph has or had.
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        for n in pg.nodes.values():
            groups[n.labels].append([n.props])
        known = set(
            self.transaction(lambda tx: tx.run("CALL db.labels() YIELD label RETURN label").value())
        )
        known = (known | {x for labels in groups for x in labels}) - {BASE_LABEL, META}
        for labels, rows in sorted(groups.items()):
            text = merge + "SET n:" + ":".join(map(_name, labels))
            if known - set(labels):
                text += " REMOVE n:" + ":".join(map(_name, sorted(known - set(labels))))
            self.batches(text, rows, done, total, ("nodes", "noder"))

    def write_relationships(self, pg: PropertyGraph, dynamic: bool) -> None:
        """All relationships (:func:`relationship_query`), after all nodes: both ends exist."""
        groups: dict[str | None, list[list[Any]]] = defaultdict(list)
        for r in pg.rels:
            groups[None if dynamic else r.type].append(
                [r.start, r.end, r.key, r.props or None, r.type]
            )
        done, total = [0], len(pg.rels)
        for rtype, rows in sorted(groups.items(), key=lambda g: g[0] or ""):
            if rtype is not None:  # the type is in the query text: don't send it
                rows = [row[:4] for row in rows]
            pattern = "()-[x]->()" if rtype is None else f"()-[x:{_name(rtype)}]->()"

            def count(tx: Any, p: str = pattern) -> int:
                return int(tx.run(f"MATCH {p} RETURN count(x)").single()[0])

            have = self.transaction(count)
            self.batches(
                relationship_query(rtype),
                rows,
                done,
                total,
                ("relationships", "relasjoner"),
                replan=have < PLAN_MIN,
            )

    def remove(self, find: str, delete: str, what: tuple[str, str]) -> int:
        """Delete what ``find`` lists (element ids), in batches; each batch checks again."""
        ids = self.transaction(lambda tx: tx.run(find, t=self.token).value())
        if not ids:
            return 0
        self.progress(
            f"removing {len(ids)} {what[0]} no longer in the source",
            f"fjerner {len(ids)} {what[1]} som ikke lenger finnes i kilden",
        )
        return self.batches(
            delete, ids, [0], len(ids), (f"removed {what[0]}", f"fjernet {what[1]}")
        )
