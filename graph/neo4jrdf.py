"""The RDF beside the property graph in Neo4j, so that several app processes share one Neo4j.

Neo4j holds the property graph (:mod:`graph.pgmap`), which Cypher answers in the engine; the
app's pages and the edit checks speak SPARQL. So a push also stores the RDF itself in Neo4j, as
N-Quads text in ``:KgRdf`` nodes (not ``:Resource``: the named questions never see them):

- ``(:KgRdf {epoch, seq: 0, part, nquads})``: the pushed graph, in parts of ~4 MB;
- ``(:KgRdf {epoch, seq: n, removed, added})``: edit n (n = 1, 2, …), the quads it took away
  and added, written in the same transaction as the property-graph change and
  ``:KgMeta.editVersion = n`` (optimistic: the transaction refuses if another edit took n).

``:KgMeta.rdfEpoch`` names the push the parts belong to. An app process keeps a replica
(:class:`Neo4jReplica`, an in-memory embedded store) and brings it up to date from the edits it
has not seen (:meth:`Neo4jReplica.sync`): a save elsewhere costs a small read, not a reload.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from graph.embedded import EmbeddedStore
from graph.neo4j import Neo4jStore
from graph.pgmap import BASE_LABEL, qualified, to_property_graph
from graph.store import Capability, Limits, QueryError, Result, Store
from loaders.sourcefile import SOURCE_FILE

META = "KgMeta"
LOG_EDITS = 1000  # edits a replica remembers for edits_since (a few KB each)
PART_BYTES = 4_000_000
STATE = (
    f"MATCH (m:{META} {{id: 'kommunegraf'}}) "
    "RETURN m.rdfEpoch AS epoch, coalesce(m.editVersion, 0) AS n, m.sync AS sync"
)


class Stale(Exception):
    """The server moved on (another process saved) between reading and writing: read again."""


def _parts(data: bytes, size: int = PART_BYTES) -> list[str]:
    out, start = [], 0
    while start < len(data):
        end = data.find(b"\n", min(start + size, len(data) - 1)) + 1 or len(data)
        out.append(data[start:end].decode())
        start = end
    return out


def store_rdf(target: Neo4jStore, nquads: bytes) -> str:
    """Keep ``nquads`` (the graph just pushed) as the new epoch; earlier parts and edits go."""
    epoch = uuid.uuid4().hex
    for i, part in enumerate(_parts(nquads)):

        def write_part(tx: Any, i: int = i, part: str = part) -> None:
            tx.run(
                "CREATE (:KgRdf {epoch: $e, seq: 0, part: $i, nquads: $q})", e=epoch, i=i, q=part
            ).consume()

        target.write(write_part)
    target.write(
        lambda tx: tx.run(
            f"MERGE (m:{META} {{id: 'kommunegraf'}}) SET m.rdfEpoch = $e, m.editVersion = 0",
            e=epoch,
        ).consume()
    )
    target.write(  # (a large old epoch is deleted in one go: its parts are few and big)
        lambda tx: tx.run("MATCH (r:KgRdf) WHERE r.epoch <> $e DELETE r", e=epoch).consume()
    )
    return epoch


def state(server: Neo4jStore) -> tuple[str, int, str]:
    """(epoch, edit number, push id) as Neo4j has them now; ("", 0, "") before a push."""
    rows = server.query(STATE, limits=Limits(seconds=10, rows=1)).rows
    if not rows or not rows[0][0]:
        return "", 0, ""
    return str(rows[0][0]), int(rows[0][1]), str(rows[0][2] or "")


def _nq(quads: Iterable[ox.Quad]) -> str:
    return (ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b"").decode()


class Neo4jReplica(Store):
    """Neo4j for the app: SPARQL on an in-process replica, Cypher and writes on the server.

    ``query`` (SPARQL) and ``quads`` read the replica, which :meth:`sync` brings up to the
    server's newest edit; ``server`` is the :class:`Neo4jStore` for Cypher (the named questions
    and the console run there, in the engine).
    """

    name = "neo4j"
    language = "sparql"
    capabilities = frozenset({Capability.QUADS, Capability.DUMP, Capability.LEN})

    def __init__(self, server: Neo4jStore):
        self.server = server
        self.local = EmbeddedStore(None)
        self.epoch, self.seq = "", 0
        self._lock = threading.Lock()
        self._log: list[tuple[int, str, str]] = []  # (n, removed, added) of the latest edits
        self.sync()

    def __repr__(self) -> str:
        return f"Neo4jReplica({self.server!r})"

    @property
    def version(self) -> str:
        return f"{self.epoch}:{self.seq}"

    def sync(self) -> bool:
        """Read what the server has that the replica lacks; True if anything changed."""
        with self._lock:
            epoch, n, _ = state(self.server)
            if not epoch:
                raise QueryError(
                    "Neo4j holds no graph for the app yet: run 'kg push --to neo4j' first",
                    "Neo4j har ingen graf for appen ennå: kjør 'kg push --to neo4j' først",
                )
            if epoch == self.epoch and n == self.seq:
                return False
            big = Limits(seconds=300, rows=10_000_000)
            if epoch != self.epoch:
                fresh = ox.Store()
                text = "MATCH (r:KgRdf {epoch: $e, seq: 0}) RETURN r.nquads ORDER BY r.part"
                for (part,) in self.server.query(text, {"e": epoch}, big).rows:
                    fresh.bulk_load(part.encode(), format=ox.RdfFormat.N_QUADS)
                self.local._store, self.seq = fresh, 0
                self._log = []
            text = (
                "MATCH (r:KgRdf {epoch: $e}) WHERE r.seq > $from AND r.seq <= $to "
                "RETURN r.removed, r.added ORDER BY r.seq"
            )
            rows = self.server.query(text, {"e": epoch, "from": self.seq, "to": n}, big).rows
            for i, (removed, added) in enumerate(rows):
                self._apply(self.seq + 1 + i, removed, added)
            self.epoch, self.seq = epoch, n
            return True

    def _apply(self, n: int, removed: str, added: str) -> None:
        self._log = [*self._log[-(LOG_EDITS - 1) :], (n, removed, added)]
        store = self.local._store
        for q in ox.parse(removed.encode(), format=ox.RdfFormat.N_QUADS):
            store.remove(q)
        for q in ox.parse(added.encode(), format=ox.RdfFormat.N_QUADS):
            store.add(q)

    # -- reading: the replica ----------------------------------------------------------------

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        return self.local.query(text, params, limits, name)

    def graphs(self) -> list[str]:
        return self.local.graphs()

    def quads(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph: Any = None
    ) -> Iterable[Any]:
        return self.local.quads(subject, predicate, object, graph)

    def dump(self, fmt: Any = None) -> bytes:
        return self.local.dump(fmt)

    def __len__(self) -> int:
        return len(self.local)

    def close(self) -> None:
        self.server.close()

    # -- writing: one edit, in one transaction ----------------------------------------------

    def apply_edit(self, drop: set[ox.Quad], add: list[ox.Quad]) -> None:
        """Write one edit (quads out, quads in) to Neo4j: the property graph of every node it
        touches, the edit's RDF and the next edit number, all in one transaction. Raises
        :class:`Stale` if another process wrote edit ``seq + 1`` first (nothing is written)."""
        before = self.local._store
        nodes, rels = _pg_delta(before, drop, add)
        removed, added = _nq(drop), _nq(add)
        seq, epoch = self.seq + 1, self.epoch

        def work(tx: Any) -> bool:
            row = tx.run(
                f"MATCH (m:{META} {{id: 'kommunegraf'}}) SET m._lock = true "
                "RETURN m.rdfEpoch, coalesce(m.editVersion, 0), m.sync"
            ).single()
            if row is None or row[0] != epoch or row[1] != seq - 1:
                return False
            sync = row[2]
            for iri, labels, props in nodes:
                if props is None:
                    tx.run(
                        f"MATCH (n:{BASE_LABEL} {{iri: $iri}}) DETACH DELETE n", iri=iri
                    ).consume()
                    continue
                old = tx.run(
                    f"MERGE (n:{BASE_LABEL} {{iri: $iri}}) RETURN labels(n)", iri=iri
                ).single()
                stale = [x for x in (old[0] if old else []) if x not in labels]
                text = f"MATCH (n:{BASE_LABEL} {{iri: $iri}}) SET n = $props, n.kg_sync = $t"
                if stale:
                    text += " REMOVE n" + "".join(f":{_q(x)}" for x in stale)
                text += " SET n" + "".join(f":{_q(x)}" for x in labels)
                tx.run(text, iri=iri, props=props, t=sync).consume()
            for iri in {r[1] for r in rels} | {n[0] for n in nodes if n[2] is not None}:
                tx.run(f"MATCH (:{BASE_LABEL} {{iri: $iri}})-[x]->() DELETE x", iri=iri).consume()
            for rtype, start, end, key, props in rels:
                tx.run(
                    f"MATCH (a:{BASE_LABEL} {{iri: $a}}) MERGE (b:{BASE_LABEL} {{iri: $b}}) "
                    f"ON CREATE SET b.kg_sync = $t CREATE (a)-[x:{_q(rtype)}]->(b) "
                    "SET x = $props, x.key = $key, x.kg_sync = $t",
                    a=start,
                    b=end,
                    key=key,
                    props=props,
                    t=sync,
                ).consume()
            tx.run(
                "CREATE (:KgRdf {epoch: $e, seq: $n, removed: $r, added: $a})",
                e=epoch,
                n=seq,
                r=removed,
                a=added,
            ).consume()
            tx.run(
                f"MATCH (m:{META} {{id: 'kommunegraf'}}) SET m.editVersion = $n REMOVE m._lock",
                n=seq,
            ).consume()
            return True

        if not self.server.write(work):
            raise Stale()
        with self._lock:
            self._apply(seq, removed, added)
            self.seq = seq

    def edits_since(self, version: str) -> tuple[list[ox.Quad], list[ox.Quad]] | None:
        """The quads taken away and added by the edits after ``version`` (an earlier
        :attr:`version` of this replica), for a view that follows the graph edit by edit
        (graph/viewpatch.py); None when a push came between or the log does not
        reach back that far (then the view is built again)."""
        epoch, _, seq = version.partition(":")
        with self._lock:
            if epoch != self.epoch or not seq.isdigit():
                return None
            wanted = [e for e in self._log if e[0] > int(seq)]
            if len(wanted) != self.seq - int(seq):
                return None
        removed: list[ox.Quad] = []
        added: list[ox.Quad] = []
        for _, r, a in wanted:
            removed += ox.parse(r.encode(), format=ox.RdfFormat.N_QUADS)
            added += ox.parse(a.encode(), format=ox.RdfFormat.N_QUADS)
        return removed, added


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


_SOURCE_FILE = ox.NamedNode(SOURCE_FILE)
NodeChange = tuple[str, list[str], dict[str, Any] | None]  # iri, labels, properties (None: delete)
RelChange = tuple[str, str, str, str, dict[str, Any]]  # type, start, end, key, properties


def _pg_delta(
    store: ox.Store, drop: set[ox.Quad], add: list[ox.Quad]
) -> tuple[list[NodeChange], list[RelChange]]:
    """The nodes and outgoing relationships of every node the edit touches, as they are after it.

    Touched: the subjects of the quads out and in, and the 'from' end of a qualified relation
    among them (its relationship carries the record's properties). Their property-graph rows
    are mapped from the quads of the touched nodes and of everything pointing at them, after
    the edit, by the same mapping as a push (:func:`graph.pgmap.to_property_graph`).
    """
    changed = list(drop) + list(add)
    touched: set[Any] = {q.subject for q in changed if isinstance(q.subject, ox.NamedNode)}
    from_props = {ox.NamedNode(f) for _, f, _ in qualified().values()}
    touched |= {
        q.object
        for q in changed
        if q.predicate in from_props and isinstance(q.object, ox.NamedNode)
    }
    near: set[Any] = set(touched)
    for t in touched:
        near |= {q.subject for q in store.quads_for_pattern(None, None, t) if q not in drop}
        near |= {q.subject for q in add if q.object == t}
    quads = {q for s in near for q in store.quads_for_pattern(s, None, None) if q not in drop}
    quads |= {q for q in add if q.subject in near}
    # Each graph's own kg:sourceFile line, which the mapping gives to that graph's records
    # (loaders/sourcefile.py): its subject is the graph, never near the edit.
    graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    quads |= {q for g in graphs for q in store.quads_for_pattern(g, _SOURCE_FILE, None, g)}
    pg = to_property_graph(quads)
    nodes: list[NodeChange] = []
    for t in sorted(touched, key=lambda n: n.value):
        row = pg.nodes.get(t.value)
        has_own = any(q.subject == t for q in quads)
        pointed = any(q not in drop for q in store.quads_for_pattern(None, None, t)) or any(
            q.object == t for q in add
        )
        if row is not None and (has_own or pointed):
            nodes.append((t.value, list(row.labels), row.props))
        elif not pointed:
            nodes.append((t.value, [], None))
    starts = {t.value for t in touched}
    rels = [(r.type, r.start, r.end, r.key, r.props) for r in pg.rels if r.start in starts]
    return nodes, rels
