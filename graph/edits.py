"""Edits to a loaded dataset with an audit trail: add, change, remove and undo one record.

The records a programme office keeps between documents can be edited: dependencies, status
reports, milestones, risks and decisions (:data:`EDITABLE`). A record's values are the cells
of its CSV row (column → text), validated by the same rules as a load (:mod:`loaders.records`)
and made into triples by the same code (:mod:`loaders.triples`), then checked against the
SHACL shapes. An edited record moves into the dataset's edits graph (``<base>graph/edits``);
every save rewrites the affected named graphs through the store's ``replace`` (all or
nothing) together with a change set (:mod:`graph.changes`) saying who, when, why and what
before and after.

Concurrency is optimistic: the caller passes the version (content hash) it read; if the
record changed since, :class:`Conflict` names the other change and nothing is written. Saves
to one store folder are serialised by a file lock, so two app processes cannot interleave.
Every write checks the caller's role (:func:`graph.access.require`): a reader is refused
whatever the form sent.

On a server (a SPARQL server, or Neo4j through :class:`graph.neo4jrdf.Neo4jReplica`) the
same checks run against the server's graph, and the edit is written as quads out and quads in,
guarded by the server's edit counter (:mod:`graph.shared`): if another app process saved in
between, the save starts again from a fresh read, so its conflict check sees that save.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from graph import changes as C
from graph.access import Identity, Role, require
from graph.store import IRI, Limits, Store
from graph.store import Capability as Cap  # C is graph.changes here
from loaders.errors import Problem, Problems
from loaders.records import PartialDate, Record, _key_text, parse_value
from loaders.schema import KIND, KINDS, Kind
from loaders.triples import _TYPED_DIRECT, Minter, _Lines
from ontology.terms import KG, SDG_NS, iri

if TYPE_CHECKING:
    import rdflib

EDITABLE = ("dependencies", "status_reports", "milestones", "risks", "decisions")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SKIP = {KG.sourceFile, KG.sourceRow, iri("rdf:type")}
SOURCE_ROW, SOURCE_FILE = KG.sourceRow, KG.sourceFile
RDF_TYPE_IRI = iri("rdf:type")
BY_SEGMENT = {k.segment: k for k in KINDS if k.has_id}


class EditError(Exception):
    """A save that was refused; ``message(lang)`` explains it in nb or en."""

    def __init__(self, en: str, nb: str):
        self.en, self.nb = en, nb
        super().__init__(en)

    def message(self, lang: str = "en") -> str:
        return self.nb if lang == "nb" else self.en


class EditRefused(EditError):
    """The new values break a rule; ``problems`` name the column and what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            "not saved, nothing was changed:\n" + "\n".join(p.text("en") for p in problems),
            "ikke lagret, ingenting er endret:\n" + "\n".join(p.text("nb") for p in problems),
        )


class Conflict(EditError):
    """Someone else changed the record after the editor read it; ``other`` is that change."""

    def __init__(self, key: str, other: C.Change | None, current: dict[str, str] | None):
        self.other, self.current = other, current
        if other is not None:
            who, when, why = other.who, other.when[:16].replace("T", " "), other.reason
            en = f"{key} was changed by {who} at {when} UTC ({why}) after you opened it"
            nb = f"{key} ble endret av {who} {when} UTC ({why}) etter at du åpnet den"
        else:
            en = f"{key} changed after you opened it (a new load of the dataset)"
            nb = f"{key} ble endret etter at du åpnet den (datasettet ble lastet på nytt)"
        now = ", ".join(f"{k}={v}" for k, v in sorted((current or {}).items())) or "—"
        super().__init__(
            f"conflict: {en}. Your change was not saved; the record now reads: {now}. "
            "Open it again and re-apply your change.",
            f"konflikt: {nb}. Endringen din ble ikke lagret; posten er nå: {now}. "
            "Åpne den på nytt og gjør endringen igjen.",
        )


@dataclass(frozen=True)
class DatasetRef:
    name: str
    base: str
    lang: str

    @property
    def graph_prefix(self) -> str:
        return self.base + "graph/"

    @property
    def edits_graph(self) -> str:
        return self.base + "graph/edits"


@dataclass
class Item:
    """A record as it is in the store: its IRI, cell values, version and named graphs."""

    kind: str
    key: str
    iri: str
    values: dict[str, str]
    graphs: set[str]

    @property
    def version(self) -> str:
        return C.version_of(self.values)


DATASETS = """
SELECT ?d ?name ?lang WHERE { ?d a kg:Dataset ; dct:identifier ?name . OPTIONAL { ?d dct:language ?lang } }
"""


def datasets(store: Store) -> list[DatasetRef]:
    found: dict[str, tuple[str, set[str]]] = {}
    for d, name, lang in store.query(DATASETS).rows:
        found.setdefault(name, (str(d)[: -len("dataset")], set()))[1].add(lang or "nb")
    return [
        DatasetRef(n, b, "nb" if "nb" in ls else sorted(ls)[0])
        for n, (b, ls) in sorted(found.items())
    ]


def dataset(store: Store, name: str | None = None) -> DatasetRef:
    """The dataset called ``name`` in the store (the only one if ``name`` is None)."""
    found = datasets(store)
    for d in found:
        if name is None or d.name == name:
            if name is None and len(found) > 1:
                break
            return d
    names = ", ".join(d.name for d in found) or "—"
    raise EditError(
        f"no dataset {name or ''} to edit in this store (found: {names})",
        f"fant ikke datasettet {name or ''} å redigere i dette lageret (fant: {names})",
    )


def _kind(kind: str) -> Kind:
    if kind not in EDITABLE:
        raise EditError(
            f"'{kind}' cannot be edited here (editable: {', '.join(EDITABLE)})",
            f"'{kind}' kan ikke redigeres her (kan redigeres: {', '.join(EDITABLE)})",
        )
    return KIND[kind]


def record_iri(ds: DatasetRef, kind: Kind, key: str) -> str:
    return Minter(ds.base, {}).record(kind, key)[1:-1]


# -- cells: what a CSV row holds, read back from the store or parsed from a form -------------


def cell(value: Any) -> str:
    """A typed value (from the store or the loader) as the text a CSV cell holds."""
    if isinstance(value, list):
        return "|".join(sorted(cell(v) for v in value))
    if isinstance(value, IRI):
        if value.startswith(SDG_NS):
            return "sdg:" + value[len(SDG_NS) :]
        return unquote(value.rsplit("/", 1)[-1])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (dt.date, PartialDate)):
        return value.isoformat()
    return str(value)


ITEM = "SELECT ?g ?p ?o WHERE { GRAPH ?g { $s ?p ?o } }"


def read_item(store: Store, ds: DatasetRef, kind: str, key: str) -> Item | None:
    """The record ``key`` of ``kind`` as it is now, or None if there is none."""
    k = _kind(kind)
    s = record_iri(ds, k, key)
    by_prop = {iri(c.prop): c for c in k.columns if c.prop}
    values: dict[str, list[Any]] = {}
    graphs: set[str] = set()
    rows = [
        r
        for r in store.query(ITEM, {"s": IRI(s)}, Limits(rows=10_000)).rows
        if str(r[0]).startswith(ds.graph_prefix)
    ]
    for g, p, o in rows:
        graphs.add(str(g))
        col = by_prop.get(str(p))
        if col is not None and str(p) not in SKIP:
            values.setdefault(col.name, []).append(o)
    if not graphs:
        return None
    if k.class_by:  # a column that chose the record's class (decision / decision_point ...)
        col_name, classes = k.class_by
        types = {str(o) for _, p, o in rows if str(p) == RDF_TYPE_IRI}
        hits = [v for v, c in classes.items() if KG[c] in types]
        specific = [v for v in hits if classes[v] != k.cls]
        if specific or hits:
            values[col_name] = [(specific or hits)[0]]
    cells = {}
    for name, vs in values.items():
        col = k.by_name[name]
        cells[name] = cell(vs if col.type == "refs" else vs[0])
    return Item(kind, key, s, cells, graphs)


def _resolve(store: Store, ds: DatasetRef, target: str) -> Kind | None:
    """The kind of the record ``target`` (an id) in this dataset, or None."""
    if target.startswith("sdg:"):
        return None
    for (s,) in store.query("SELECT ?s WHERE { ?s dct:identifier $id }", {"id": target}).rows:
        rest = str(s)[len(ds.base) :] if str(s).startswith(ds.base) else ""
        segment = rest.split("/", 1)[0]
        if segment in BY_SEGMENT:
            return BY_SEGMENT[segment]
    return None


def check(
    store: Store, ds: DatasetRef, kind: str, values: dict[str, str], key: str | None = None
) -> tuple[Record, dict[str, Kind], list[Problem]]:
    """Validate a form's ``values`` like a CSV row: typed record, referenced kinds, problems."""
    k = _kind(kind)
    problems = Problems()
    label = f"{kind} {key or values.get('id', '')}".strip()
    typed: dict[str, object] = {}
    for col in k.columns:
        text = str(values.get(col.name) or "").strip()
        if not text:
            if col.required:
                problems.add(label, "required", None, col.name, column=col.name)
            continue
        v = parse_value(col, text, label, None, problems)
        if v is not None:
            typed[col.name] = v
    unknown = sorted(set(values) - set(k.by_name))
    for name in unknown:
        problems.add(label, "extra_column", None, name, column=name, known=", ".join(k.by_name))
    ids: dict[str, Kind] = {}
    for col in k.columns:
        if col.type not in ("ref", "refs") or col.name not in typed:
            continue
        # a ref or refs cell parses to its list of ids (loaders.records.parse_value)
        for target in cast(list[str], typed[col.name]):
            if target.startswith("sdg:"):
                if "sdg" not in col.targets:
                    problems.add(
                        label,
                        "wrong_ref_kind",
                        None,
                        col.name,
                        value=target,
                        found="sdg",
                        column=col.name,
                        kinds=", ".join(col.targets),
                    )
                continue
            hit = _resolve(store, ds, target)
            if hit is None:
                problems.add(
                    label, "unknown_ref", None, col.name, value=target, kinds=", ".join(col.targets)
                )
            elif hit.name not in col.targets:
                problems.add(
                    label,
                    "wrong_ref_kind",
                    None,
                    col.name,
                    value=target,
                    found=hit.name,
                    column=col.name,
                    kinds=", ".join(col.targets),
                )
            else:
                ids[target] = hit
    rid = str(typed.get("id", "")) if k.has_id else "|".join(_key_text(typed.get(c)) for c in k.key)
    return Record(k, rid, typed, k.file, 0), ids, list(problems.items)


def record_quads(ds: DatasetRef, rec: Record, ids: dict[str, Kind]) -> list[Quad]:
    """The record's quads as a load makes them, in the edits graph (no CSV row: it has none).

    The edits graph holds records of every file, so the record keeps its own ``kg:sourceFile``
    (a load says it once, of the file's graph: the load's graph line becomes the record's)."""
    lines = _Lines(Minter(ds.base, ids), ds.lang)
    lines.add(rec)
    g = NamedNode(ds.edits_graph)
    text = "".join(lines.out).encode()
    quads = list(parse(text, format=RdfFormat.N_QUADS))
    node = next(q.subject for q in quads if q.predicate.value == RDF_TYPE_IRI)
    return [
        Quad(node if q.predicate.value == SOURCE_FILE else q.subject, q.predicate, q.object, g)
        for q in quads
        if q.predicate.value != SOURCE_ROW
    ]


# -- SHACL ------------------------------------------------------------------------------------

_SHAPES: list[rdflib.Graph] = []


def _shapes() -> rdflib.Graph:
    if not _SHAPES:
        import rdflib

        from ontology.terms import ONTOLOGY_DIR

        g = rdflib.Graph()
        g.parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
        g.parse(ONTOLOGY_DIR / "changes-shapes.ttl", format="turtle")
        _SHAPES.append(g)
    return _SHAPES[0]


TYPES = "SELECT ?t WHERE { $s a ?t }"


def shacl_problems(
    store: Store, label: str, quads: list[Quad], focus: list[str], kind: Kind | None = None
) -> list[Problem]:
    """SHACL violations of the ``focus`` nodes, given their quads and their neighbours' types."""
    import rdflib
    from pyshacl import validate
    from rdflib.namespace import SH

    data = rdflib.Graph()
    objects = set()
    for q in quads:
        data.add((_rdf(q.subject), _rdf(q.predicate), _rdf(q.object)))
        if isinstance(q.object, NamedNode):
            objects.add(q.object.value)
    typ = rdflib.RDF.type
    for o in sorted(objects - set(focus)):
        for (t,) in store.query(TYPES, {"s": IRI(o)}).rows:
            data.add((rdflib.URIRef(o), typ, rdflib.URIRef(str(t))))
    conforms, report, _ = validate(
        data,
        shacl_graph=_shapes(),
        inference="none",
        allow_warnings=True,
        focus_nodes=[rdflib.URIRef(f) for f in focus],
    )
    if conforms:
        return []
    out = []
    for res in report.subjects(typ, SH.ValidationResult):
        path = report.value(res, SH.resultPath)
        msg = str(report.value(res, SH.resultMessage) or "")
        names = {iri(c.prop): c.name for c in kind.columns if c.prop} if kind else {}
        name = names.get(str(path)) or (
            str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if path else ""
        )
        out.append(Problem(label, "shacl", None, name, {"detail": msg}))
    return out


def _rdf(term: Any) -> Any:
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    lang = getattr(term, "language", None)
    dtype = (
        None if lang or term.datatype.value == XSD_STRING else rdflib.URIRef(term.datatype.value)
    )
    return rdflib.Literal(term.value, lang=lang, datatype=dtype)


# -- writing ------------------------------------------------------------------------------------

_LOCAL = threading.Lock()


@contextlib.contextmanager
def _locked(store: Store) -> Iterator[tuple[Store, str]]:
    """``store`` on its newest state, held under a lock for the whole save, and its version.

    A save reads quads by pattern and swaps named graphs (:attr:`Capability.QUADS`,
    :attr:`Capability.REPLACE`); a store with on-disk generations is first moved to the newest
    one (:meth:`Store.refresh`), so the check for a conflicting edit sees what another process
    saved. The swap then leaves the caller's handle on the generation it wrote. A server store
    is not locked: its write is refused if the version read here moved (:class:`shared.Stale`).
    """
    from graph import shared  # the server stores (and the Neo4j driver): not for every ``kg load``

    if isinstance(store, shared.SparqlStore | shared.Neo4jReplica):
        with _LOCAL:
            yield store, shared.version(store)
        return
    if store.name != "embedded" or not (store.supports(Cap.QUADS) and store.supports(Cap.REPLACE)):
        raise EditError(
            f"editing needs the embedded store, a SPARQL server or Neo4j, not {store.name}",
            f"redigering krever det innebygde lageret, en SPARQL-tjener eller Neo4j, ikke {store.name}",
        )
    with _LOCAL:
        if not store.supports(Cap.GENERATIONS):  # in memory: this process is the only writer
            yield store, ""
            return
        root = store.root
        root.mkdir(parents=True, exist_ok=True)
        with open(root / "edits.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another app process saving waits here
            store.refresh()
            yield store, ""


def _graph_quads(store: Store, graph: str) -> list[Quad]:
    return list(store.quads(None, None, None, NamedNode(graph)))


def _removed(store: Store, item: Item) -> set[Quad]:
    """The quads that are the record ``item`` (its own triples and, if no other record of its
    kind in the same graph makes it, its direct edge)."""
    s = NamedNode(item.iri)
    out: set[Quad] = set()
    for g in item.graphs:
        out.update(store.quads(s, None, None, NamedNode(g)))
    k = KIND[item.kind]
    if k.direct:
        a, p, b = k.direct
        pa = next(c.prop for c in k.columns if c.name == a)
        pb = next(c.prop for c in k.columns if c.name == b)
        assert pa is not None and pb is not None  # a direct edge joins two property columns
        for g in item.graphs:
            gn = NamedNode(g)
            for qa in store.quads(s, NamedNode(iri(pa)), None, gn):
                for qb in store.quads(s, NamedNode(iri(pb)), None, gn):
                    edge = Quad(qa.object, NamedNode(iri(p)), qb.object, gn)
                    others = {
                        x.subject for x in store.quads(None, NamedNode(iri(pa)), qa.object, gn)
                    }
                    others &= {
                        x.subject for x in store.quads(None, NamedNode(iri(pb)), qb.object, gn)
                    }
                    if others <= {s}:
                        out.add(edge)
                    typed = _TYPED_DIRECT.get((k.name, item.values.get("type")))
                    if typed:  # the type's sub-property edge (loaders.triples), if no other
                        tp = NamedNode(iri(_TYPE_PROP[k.name]))  # record of that type makes it
                        mine = {x.object for x in store.quads(s, tp, None, gn)}
                        if not any(
                            o != s and any(store.quads(o, tp, t, gn) for t in mine) for o in others
                        ):
                            out.add(Quad(qa.object, NamedNode(typed[1:-1]), qb.object, gn))
    return out


_TYPE_PROP = {
    k.name: str(k.by_name["type"].prop) for k in KINDS if k.direct and "type" in k.by_name
}


def _count_quads(store: Store, ds: DatasetRef, delta: int) -> tuple[str, list[Quad]] | None:
    """The manifest graph with its record count moved by ``delta`` (an add or a remove), so
    the count stays what a load of the exported folder says."""
    if not delta:
        return None
    g = ds.graph_prefix + "manifest"
    out = []
    for q in _graph_quads(store, g):
        if q.predicate.value == KG.recordCount and isinstance(q.object, Literal):
            q = Quad(
                q.subject,
                q.predicate,
                Literal(str(int(q.object.value) + delta), datatype=q.object.datatype),
                q.graph_name,
            )
        out.append(q)
    return g, out


REFERRERS = """
SELECT DISTINCT ?x WHERE { ?x ?p $s . FILTER(?p != kg:changedRecord && !STRSTARTS(STR(?x), $change)) }
"""


@dataclass
class Saved:
    change: C.Change
    item: Item | None
    seconds: float


def save(
    store: Store,
    identity: Identity,
    kind: str,
    values: dict[str, str] | None,
    *,
    reason: str,
    key: str | None = None,
    expected: str | None = None,
    dataset_name: str | None = None,
    undoes: str | None = None,
) -> Saved:
    """Add (``key`` None), change or remove (``values`` None) one record, with a change set.

    ``expected`` is the version the editor read ("" for a record that should not exist yet;
    None skips the check, e.g. for a script). Raises :class:`graph.access.AccessDenied`,
    :class:`EditRefused` or :class:`Conflict`, and then nothing is written.
    """
    from graph import shared

    for _attempt in range(STALE_TRIES):
        try:
            return _save(
                store,
                identity,
                kind,
                values,
                reason=reason,
                key=key,
                expected=expected,
                dataset_name=dataset_name,
                undoes=undoes,
            )
        except shared.Stale:
            continue  # another process saved between our read and our write: read again
    raise EditError(
        "the server kept changing while saving; nothing was saved, try again",
        "tjeneren endret seg hele tiden mens vi lagret; ingenting ble lagret, prøv igjen",
    )


STALE_TRIES = 5


def _save(
    store: Store,
    identity: Identity,
    kind: str,
    values: dict[str, str] | None,
    *,
    reason: str,
    key: str | None = None,
    expected: str | None = None,
    dataset_name: str | None = None,
    undoes: str | None = None,
) -> Saved:
    """One attempt of :func:`save`; :class:`shared.Stale` if a server moved under it."""
    import time

    from graph import shared

    started_clock = time.perf_counter()
    require(identity, Role.EDITOR)
    reason = (reason or "").strip()
    _kind(kind)
    with _locked(store) as (w, server_version):
        ds = dataset(w, dataset_name)
        k = KIND[kind]
        rec: Record | None = None
        ids: dict[str, Kind] = {}
        problems: list[Problem] = []
        if values is not None:
            values = {n: str(v).strip() for n, v in values.items() if str(v or "").strip()}
            rec, ids, problems = check(w, ds, kind, values, key)
            new_key = rec.id
        else:
            new_key = key or ""
        label = f"{kind} {key or new_key}".strip()
        if not reason:
            problems.append(Problem(label, "required", None, "reason", {"column": "reason"}))
        old_key = key if key is not None else new_key
        current = read_item(w, ds, kind, old_key) if old_key else None
        if expected is not None and (current.version if current else "") != expected:
            last = C.history(w, ds.base, record_iri(ds, k, old_key), limit=1)
            raise Conflict(label, last[0] if last else None, current.values if current else None)
        if key is None and current is not None and values is not None:
            problems.append(
                Problem(
                    label,
                    "duplicate_id",
                    None,
                    "id",
                    {"value": new_key, "other": "the graph / grafen"},
                )
            )
        if key is not None and current is None:
            raise Conflict(label, None, None)  # it was removed after the editor read it
        if key is not None and values is not None and new_key != key:
            problems.append(
                Problem(
                    label,
                    "key_changed",
                    None,
                    "id" if k.has_id else "+".join(k.key),
                    {"value": new_key, "old": key},
                )
            )
        if (
            values is not None
            and k.has_id
            and key is None
            and not problems
            and _resolve(w, ds, new_key)
        ):
            problems.append(
                Problem(
                    label,
                    "duplicate_id",
                    None,
                    "id",
                    {"value": new_key, "other": "the graph / grafen"},
                )
            )
        if values is None and current is not None:
            change_prefix = ds.base + "change/"
            refs = w.query(REFERRERS, {"s": IRI(current.iri), "change": change_prefix}).rows
            if refs:
                problems.append(
                    Problem(
                        label,
                        "referenced",
                        None,
                        None,
                        {"by": ", ".join(cell(IRI(r[0])) for r in refs[:5])},
                    )
                )
        if problems:
            raise EditRefused(problems)
        new_quads = record_quads(ds, rec, ids) if rec is not None else []
        after = None
        if rec is not None:
            after = {c.name: cell(rec.values[c.name]) for c in k.columns if c.name in rec.values}
        action = "add" if current is None else ("remove" if values is None else "change")
        record = record_iri(ds, k, new_key or old_key)
        started = dt.datetime.now(dt.UTC)
        edits = NamedNode(ds.edits_graph)
        node, cs = C.change_quads(
            ds.base,
            edits,
            identity,
            action,
            record,
            kind,
            new_key or old_key,
            reason,
            ds.lang,
            current.values if current else None,
            after,
            started,
            undoes,
        )
        focus = [node.value, C.agent_iri(ds.base, identity).value] + ([record] if rec else [])
        problems = shacl_problems(w, label, new_quads + cs, focus, k)
        if problems:
            raise EditRefused(problems)
        affected = {ds.edits_graph} | (current.graphs if current else set())
        drop = _removed(w, current) if current else set()
        agent = C.agent_iri(ds.base, identity)
        if isinstance(w, shared.SparqlStore | shared.Neo4jReplica):
            drop |= set(w.quads(agent, C.FOAF_NAME, None, edits))  # the name as signed in now
            add = cs + new_quads  # (the change set first: its first quad tells who won)
            if isinstance(w, shared.SparqlStore):
                shared.sparql_edit(w, server_version, drop, add)
            else:
                w.apply_edit(drop, add)
            item = read_item(w, ds, kind, new_key or old_key)
            made = C.change(w, ds.base, node.value)
            assert made is not None
            return Saved(made, item, time.perf_counter() - started_clock)
        out: list[Quad] = []
        for g in sorted(affected):
            for q in _graph_quads(w, g):
                if q in drop or (q.subject == agent and q.predicate == C.FOAF_NAME):
                    continue
                out.append(q)
        out += new_quads + cs
        counted = _count_quads(w, ds, {"add": 1, "remove": -1}.get(action, 0))
        if counted is not None:
            affected.add(counted[0])
            out = [q for q in out if q.graph_name != NamedNode(counted[0])] + counted[1]
        w.replace(sorted(affected), out)
        item = read_item(w, ds, kind, new_key or old_key)
        made = C.change(w, ds.base, node.value)
    assert made is not None
    return Saved(made, item, time.perf_counter() - started_clock)


def undo(
    store: Store,
    identity: Identity,
    change_id: str,
    *,
    reason: str,
    dataset_name: str | None = None,
) -> Saved:
    """Undo one change set by a new one that restores the values before it.

    Refused with :class:`Conflict` if the record was changed again since (undo that first).
    """
    require(identity, Role.EDITOR)
    ds = dataset(store, dataset_name)
    target = change_id if "/" in change_id else f"{ds.base}change/{change_id}"
    old = C.change(store, ds.base, target)
    if old is None:
        raise EditError(f"no change set {change_id}", f"fant ingen endring {change_id}")
    why = (reason or "").strip()
    why = f"undo {old.id}: {why}" if why else ""
    return save(
        store,
        identity,
        old.kind,
        old.before or None,
        reason=why,
        key=None if old.action == "remove" else old.key,
        expected=old.version_after,
        dataset_name=ds.name,
        undoes=old.iri,
    )


# Messages of the refusals that a load never makes (the others come from loaders.errors).
from loaders import errors as _errors  # noqa: E402

_errors.MESSAGES.setdefault(
    "shacl", ("does not fit the shapes: {detail}", "passer ikke med formene (SHACL): {detail}")
)
_errors.MESSAGES.setdefault(
    "key_changed",
    (
        "the key cannot change from '{old}' to '{value}'; remove the record and add a new one",
        "nøkkelen kan ikke endres fra '{old}' til '{value}'; fjern posten og legg til en ny",
    ),
)
_errors.MESSAGES.setdefault(
    "referenced",
    (
        "other records refer to it ({by}); change those first",
        "andre poster viser til den ({by}); endre dem først",
    ),
)

__all__ = [
    "EDITABLE",
    "Conflict",
    "DatasetRef",
    "EditError",
    "EditRefused",
    "Item",
    "Saved",
    "check",
    "dataset",
    "datasets",
    "read_item",
    "save",
    "undo",
]
