"""The networkx view of the graph: one function, :func:`to_networkx`.

Nodes are the things a planner names (projects, bodies, people, systems, goals, ...), keyed by
IRI, with ``label``, ``kind`` (the class's local name) and ``code``. Edges are the direct
relations between them, keyed by predicate local name; an edge that stands for a qualified
relation (a dependency, a reporting line) carries that relation's attributes: type,
criticality, rationale, source document and locator.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import networkx as nx

from graph import aside
from graph.store import Capability, Limits, Store
from graph.viewquery import ViewQuery
from ontology.terms import KG_NS

QUALIFIED = {
    "dependsOn": ("Dependency", "dependent", "dependee"),
    "reportsTo": ("ReportingLine", "reporter", "reportingTarget"),
    "interactsWith": ("Interaction", "interactionFrom", "interactionTo"),
    "concerns": ("ProjectLink", "linkFrom", "linkTo"),
    "usesSystem": ("SystemUsage", "user", "usesSystem"),
}
SKIP_PREDICATES = {"sourceFile", "sourceRow", "wasDerivedFrom", "inScheme", "type"}
RELATION_CLASSES = {
    "Dependency",
    "ReportingLine",
    "Ownership",
    "ICTOperation",
    "Membership",
    "SystemUsage",
    "ProjectLink",
    "TargetPriority",
    "Interaction",
    "StatusReport",
    "SystemEvaluation",
    "SystemChoice",
    "Measurement",
    "MunicipalityNumber",
    "Dataset",
    "Figure",
}

NODES = ViewQuery(
    "netx.nodes",
    """
SELECT ?s ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?code) (SAMPLE(?i) AS ?id)
       (SAMPLE(?st) AS ?start) (SAMPLE(?en) AS ?end) (SAMPLE(?dt) AS ?date)
       (SAMPLE(?ms) AS ?status) (SAMPLE(?mt) AS ?mtype) WHERE {
  ?s a ?cls .
  FILTER(STRSTARTS(STR(?cls), STR(kg:)))
  BIND(STRAFTER(STR(?cls), STR(kg:)) AS ?kind)
  OPTIONAL { ?s skos:prefLabel|foaf:name ?l1 FILTER(LANG(?l1) = "" || LANGMATCHES(LANG(?l1), $lang)) }
  OPTIONAL { ?s skos:prefLabel|foaf:name ?l2 }
  BIND(COALESCE(?l1, ?l2) AS ?l)
  OPTIONAL { ?s skos:notation ?c }
  OPTIONAL { ?s dct:identifier ?i }
  OPTIONAL { ?s kg:startDate ?st } OPTIONAL { ?s kg:endDate ?en } OPTIONAL { ?s kg:date ?dt }
  OPTIONAL { ?s kg:milestoneStatus ?ms } OPTIONAL { ?s kg:milestoneType ?mt }
} GROUP BY ?s ?kind
""",
)
EDGES = ViewQuery(
    "netx.edges",
    """
SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type) }
""",
)
QUALIFIERS = ViewQuery(
    "netx.qualifiers",
    """
SELECT ?q ?pred ?from ?to ?type ?crit ?evidence ?rationale ?source ?locator ?lag ?score ?assessor ?date WHERE {
  ?q a ?cls ; ?fp ?from ; ?tp ?to .
  VALUES (?cls ?fp ?tp ?pred) { (kg:Dependency kg:dependent kg:dependee "dependsOn")
                                (kg:ReportingLine kg:reporter kg:reportingTarget "reportsTo")
                                (kg:Interaction kg:interactionFrom kg:interactionTo "interactsWith")
                                (kg:ProjectLink kg:linkFrom kg:linkTo "concerns")
                                (kg:SystemUsage kg:user kg:usesSystem "usesSystem") }
  OPTIONAL { ?q kg:score ?score } OPTIONAL { ?q kg:assessor ?assessor } OPTIONAL { ?q kg:date ?date }
  OPTIONAL { ?q kg:dependencyType|kg:linkType ?type }
  OPTIONAL { ?q kg:criticality ?crit }
  OPTIONAL { ?q kg:evidence ?evidence }
  OPTIONAL { ?q kg:rationale ?rationale }
  OPTIONAL { ?q prov:wasDerivedFrom ?source }
  OPTIONAL { ?q kg:locator ?locator }
  OPTIONAL { ?q kg:lagWeeks ?lag }
}
""",
)

# Kinds in order of preference when a node has several classes (Program before Project, ...).
PREFERENCE = [
    "Program",
    "SubProject",
    "Study",
    "Task",
    "Project",
    "Municipality",
    "County",
    "Company",
    "InterMunicipalCooperation",
    "StateAgency",
    "OrganizationalUnit",
    "Organization",
    "SDGGoal",
    "SDGTarget",
    "SDGIndicator",
    "Deliverable",
    "DecisionPoint",
    "Decision",
]

T = TypeVar("T")


def as_date(value: object, end: bool = True) -> dt.date | None:
    """A date, or a partial one ('2017-02', '2017') as its last (or first) day; else None."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "")
    try:
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":  # a full date (2024-02-20)
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7 and text[4] == "-":
            y, m = int(text[:4]), int(text[5:])
            if not end:
                return dt.date(y, m, 1)
            return dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    except ValueError:
        return None
    return None


REFERENCE = ViewQuery(
    "netx.reference", "SELECT (MAX(STR(?d)) AS ?latest) WHERE { ?r a kg:StatusReport ; kg:date ?d }"
)


_WHOLE = Limits(seconds=60, rows=10)


def reference_date(store: Store) -> dt.date | None:
    """The date of the newest status report: 'now' for a what-if on a historical dataset.

    A scan of every report (~10⁵ at 10M triples, under a second of CPU), so under a minute of
    wall time, not the default 10 s: that stopped it in the app's warm-up on a machine at
    load 17 (the what-if's fallback and ``overview.as_of`` ask it)."""
    rows = REFERENCE.run(store, limits=_WHOLE).rows
    return as_date(rows[0][0], end=False) if rows and rows[0][0] else None


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def to_networkx(
    store: Store, lang: str = "nb", include_relations: bool = False
) -> nx.MultiDiGraph[str]:
    """Build the networkx view of everything in ``store`` (any backend that speaks SPARQL).

    For the embedded store the view is kept next to the store generation it was built from
    (see :func:`cached`): a generation never changes, so the next call, in this process or
    another, reads it back instead of querying the whole graph again.

    >>> from graph.store import open_store
    >>> g = to_networkx(open_store("memory"))
    >>> g.number_of_nodes()
    0
    """
    if store.language != "sparql":  # Neo4j: a SPARQL-readable copy of what was pushed
        from graph.pgread import readable

        store = readable(store)
    name = view_name(lang, include_relations)

    def build() -> nx.MultiDiGraph[str]:
        # built ahead from a load's lines (graph.answers.viewrows.ahead), else now
        ready: nx.MultiDiGraph[str] | None = getattr(store, "built", {}).pop(name, None)
        return ready if ready is not None else _build(store, lang, include_relations)

    def carry(g: nx.MultiDiGraph[str]) -> None:
        from graph.carryfile import write_for

        write_for(store, name, g)  # what a one-shot `kg impact` reads instead (graph/carryfile.py)

    # Forked only when the carry file's writer reads nothing from the store (the load's
    # ViewRows know the label forms): a child reading RocksDB could find a lock held by the
    # parent's other threads at the fork (the status query) and wait for ever.
    fork = hasattr(store, "label_forms")
    g = cached(store, name, build, None if include_relations else carry, fork=fork)
    if not include_relations:
        walk_by_file(store, g, lang)
    return g


def view_name(lang: str, include_relations: bool = False) -> str:
    """The name :func:`to_networkx` keeps its view of ``lang`` under (:func:`cached`)."""
    return f"netx-{lang}-{int(include_relations)}"


def build_view(store: Store, lang: str) -> nx.MultiDiGraph[str]:
    """The view :func:`to_networkx` builds for ``store`` in ``lang``, built now and kept
    nowhere (``kg load`` builds it from the load's lines before the store holds them)."""
    return _build(store, lang, False)


def walk_by_file(store: Store, g: nx.MultiDiGraph[str], lang: str) -> None:
    """Let impact walk ``g`` (the view of ``store`` in ``lang``, or that view with labels added)
    by the compact file of its carrying links, when the store generation has one
    (graph/carryfile.py): a hub's first answer then costs milliseconds, not the scan of every
    edge of every node it reaches (:func:`graph.propagation.attach`)."""
    gen = store.opened if store.supports(Capability.GENERATIONS) else None
    if gen is None:
        return
    from graph import carryfile, propagation

    links = carryfile.shared_view(Path(gen), f"netx-{lang}-0")
    if links is not None:
        propagation.attach(g, links)


# -- a cache of derived views per store generation ------------------------------------------

_CODE = hashlib.sha1(
    Path(__file__).read_bytes()
    + (Path(__file__).parent / "certainty.py").read_bytes()
    + nx.__version__.encode()
).hexdigest()[:10]


def _cache_file(store: Store, name: str) -> Path | None:
    # Only immutable on-disk generations (the embedded store) can be cached: name the one read
    gen = store.opened if store.supports(Capability.GENERATIONS) else None
    if gen is None:
        return None
    return Path(gen).parent / "views" / f"{Path(gen).name}.{name}.{_CODE}.pickle"


def peek(store: Store, name: str) -> Any | None:
    """What :func:`cached` kept for ``name`` and this store generation, or None (nothing is built)."""
    path = _cache_file(store, name)
    return _read(path) if path is not None and path.exists() else None


def _read(path: Path) -> Any | None:
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects and no garbage: 4× faster without gc
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # a torn or foreign file: rebuild it
        return None
    finally:
        if enabled:
            gc.enable()


def cached(
    store: Store,
    name: str,
    build: Callable[[], T],
    also: Callable[[T], object] | None = None,
    fork: bool = True,
    keep_aside: bool = False,
) -> T:
    """``build()``, or what it returned before for the same store generation and code.

    Only a store with immutable on-disk generations (the embedded store) is cached; the file
    is a pickle in ``<store>/views/``, written atomically and dropped with its generation. A
    file that cannot be read or written is ignored (the view is built as if there were none).
    Every call returns a new object, so a caller may change what it gets.

    ``also(value)`` writes more files from a value just built (the compact carrying file of
    the view); with it, both writes are made by one forked child during ``kg load``
    (:mod:`graph.aside`: the caller may change the value meanwhile, the child has it as built);
    ``fork=False``: both in this process (``also`` reads the store). ``keep_aside`` (without
    ``also``): the pickle alone is written by a forked child during ``kg load`` (the labelled
    view: 15-20 s of the main thread's CPU at 9M triples, after the data is live).
    """
    path = _cache_file(store, name)
    if path is not None and path.exists():
        found = _read(path)
        if found is not None:
            return cast(T, found)  # the pickle build() wrote for this name and code
    value = build()
    if also is not None:  # ~0.6 s at 1M: one child during `kg load` (a fork costs page copies)

        def both() -> None:
            if path is not None:
                _keep(path, name, value)
            also(value)

        if fork:
            aside.write(both)
        else:
            both()
    elif path is not None and keep_aside:
        aside.write(lambda: _keep(path, name, value))
    elif path is not None:
        _keep(path, name, value)
    return value


def _keep(path: Path, name: str, value: object) -> None:
    """Write ``value`` to ``path`` for :func:`cached` (atomically) and drop the files of
    generations gone and of older code; a file that cannot be written is left out."""
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        aside.drop_stale(path.parent)  # what a writer killed mid-write left
        live = {p.name for p in path.parent.parent.glob("gen-*")}
        for old in path.parent.glob("*.pickle"):
            if old.name.split(".", 1)[0] not in live or (
                old.name.split(".", 2)[1] == name and old.name.split(".")[-2] != _CODE
            ):
                old.unlink(missing_ok=True)
    except OSError:
        pass


def add_relation(
    qualified: dict[tuple[str, str, str], list[dict[str, Any]]], row: Sequence[Any]
) -> None:
    """One row of QUALIFIERS as the attributes of the direct edge its relation qualifies."""
    q, pred, a, b, typ, crit, evidence, rationale, source, locator, lag, score, assessor, date = row
    qualified.setdefault((a, pred, b), []).append(
        {
            "relation": q,
            "type": typ,
            "criticality": crit,
            "evidence": evidence,
            "rationale": rationale,
            "source": source,
            "locator": locator,
            "lag_weeks": float(lag) if lag is not None else None,
            **(
                {"score": int(score), "assessor": assessor, "date": date}
                if score is not None
                else {}
            ),
        }
    )


def _build(store: Store, lang: str, include_relations: bool) -> nx.MultiDiGraph[str]:
    big = Limits(seconds=600, rows=50_000_000)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    kinds: dict[str, list[str]] = {}
    rows = NODES.run(store, {"lang": lang}, big).rows
    for row in rows:
        kinds.setdefault(row[0], []).append(row[1])
    ranks = {k: i for i, k in enumerate(PREFERENCE)}
    kind_of = {s: min(ks, key=lambda k: ranks.get(k, len(PREFERENCE))) for s, ks in kinds.items()}
    for s, _kind, label, code, ident, start, end, date, status, mtype in rows:
        # the relations' own nodes (two in three at 1M) are left out before they are made
        if s in g or (not include_relations and kind_of[s] in RELATION_CLASSES):
            continue
        g.add_node(
            s,
            label=label or code or ident or _local(s),
            code=code or ident,
            id=ident,
            start=as_date(start, end=False),
            end=as_date(end),
            date=as_date(date),
            **({"status": status} if status else {}),
            **({"mtype": mtype} if mtype else {}),
        )
    for s, d in g.nodes(data=True):
        d["kind"] = kind_of[s]
    qualified: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in QUALIFIERS.run(store, None, big).rows:
        add_relation(qualified, row)
    from graph.propagation import typed_predicates

    typed = typed_predicates()
    local: dict[str, str] = {}
    for s, p, o in EDGES.run(store, None, big).rows:
        pred = local.get(p)
        if pred is None:  # a few predicates over ~400 k edges at 1M: split each once
            pred = local[p] = _local(p)
        # kg:depSupplies, kg:linkDecides, ... repeat a dependsOn / concerns edge (for SPARQL paths)
        if pred in SKIP_PREDICATES or pred in typed or s not in g or o not in g:
            continue
        found = qualified.get((s, pred, o))
        if found:
            for attrs in found:
                g.add_edge(s, o, key=f"{pred}:{_local(attrs['relation'])}", predicate=pred, **attrs)
        else:
            g.add_edge(s, o, key=pred, predicate=pred)
    from graph.certainty import annotate

    annotate(store, g, big)  # stated / interpreted / external on every edge
    return g


def subgraph_by_predicate(g: nx.MultiDiGraph[str], *predicates: str) -> nx.MultiDiGraph[str]:
    """Only the edges with one of ``predicates`` (and the nodes they touch)."""
    keep = [
        (u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d["predicate"] in predicates
    ]
    return g.edge_subgraph(keep).copy()  # type: ignore[arg-type]  # a multigraph takes (u, v, key); the stub knows (u, v)


__all__ = ["KG_NS", "cached", "peek", "subgraph_by_predicate", "to_networkx"]
