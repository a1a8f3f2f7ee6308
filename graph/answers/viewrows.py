"""The app's views from the lines a load kept (:mod:`graph.viewlines`), not from the store.

:class:`ViewRows` answers the whole-graph view queries (:class:`graph.viewquery.ViewQuery`
constants: ``graph.netx`` NODES / EDGES / QUALIFIERS, the labels, sources and notations of
:func:`graph.answers.common.graph_for`, the milestones, the certainty records), found by their
name and checked against their text, with the rows and Python values
:meth:`graph.embedded.EmbeddedStore.query` gives, and hands every other query to the store
(:data:`DELEGATED` lists the ones the views run there on purpose). It is a
:class:`graph.store.Store` over the store it wraps, with that store's read capabilities.
:func:`graph.netx.to_networkx` and :func:`graph.answers.prepare` run unchanged on it, so the
views are the same by construction (tests/test_viewdata.py compares them with the store's).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph import certainty, netx, viewlines
from graph.answers import common, overview, sure
from graph.store import IRI, Capability, Limits, Result, Store
from graph.viewlines import DCT, KG, LABEL_PREDS, PROV, SKOS
from graph.viewparse import Parsed
from graph.viewquery import REGISTRY

Table = tuple[list[str], list[tuple[Any, ...]]]  # a handler's answer: column names and rows


def rows_for(
    store: Any,
    lines: list[str] | None = None,
    parsed: Parsed | None = None,
    made: ViewRows | None = None,
) -> tuple[ViewRows | None, str]:
    """A :class:`ViewRows` over ``store`` (``made``, or one from ``parsed``, ``lines`` or the
    generation's kept lines), or None and the reason the views must be read from the store."""
    if made is None and parsed is None and lines is None:
        lines, why = viewlines.read(store)
        if lines is None:
            return None, why
    rows = made if made is not None else ViewRows(store, lines or (), parsed)
    if rows.covered != set(store.graphs()):
        return None, "the kept view lines do not cover every graph in the store"
    return rows, ""


def ahead(store: Any, parsed: Parsed, lang: str = "nb") -> ViewRows:
    """A :class:`ViewRows` over ``store`` from ``parsed`` with the networkx view
    (:func:`graph.netx.to_networkx` in ``lang``) already built from it, for :func:`prepare`.

    Built before ``store`` reads the lines' generation: ``kg load`` calls this while the new
    generation compacts, before the switch (the view reads nothing but the lines; 60 % of the
    views' time at 1M). A view that asked the store anything (it would have read the old
    generation) or failed is not kept: :func:`prepare` then builds it as before.
    """
    rows = ViewRows(store, (), parsed)
    enabled = gc.isenabled()
    gc.disable()  # millions of new objects and no garbage: spare the collector's walks
    try:
        g = netx.build_view(rows, lang)
    except Exception:  # left to prepare(), which builds the view again and says what failed
        return rows
    finally:
        if enabled:
            gc.enable()
    if not rows.delegated:
        rows.built[netx.view_name(lang)] = g
    rows.delegated.clear()
    return rows


def prepare(
    store: Any,
    lines: list[str] | None = None,
    lang: str = "nb",
    parsed: Parsed | None = None,
    made: ViewRows | None = None,
    answered: Answered | None = None,
) -> str:
    """``graph.answers.prepare`` (the app's views for a new generation) from the kept lines
    (``parsed``, those lines read while they were loaded, or ``made``, a :class:`ViewRows`
    from :func:`ahead`) when they cover the store, else from the store; returns why not (""
    when they did). ``answered``: the store's answers to delegated queries, asked of this
    generation already (:func:`ask_ahead`).

    ``lines`` is emptied once read: at 1M triples it holds ~100 MB the views need.
    """
    from graph import answers  # its names load lazily

    rows, note = rows_for(store, lines, parsed, made)
    if lines is not None:
        lines.clear()
    if rows is not None and answered:
        rows.answered.update(answered)
    enabled = gc.isenabled()
    gc.disable()  # millions of new objects and no garbage: spare the collector's walks
    try:
        answers.prepare(rows or store, lang)
    finally:
        if enabled:
            gc.enable()
    return note


# Delegated queries' answers asked before they are needed: (name, text) → (parameters, answer).
Answered = dict[tuple[str, str], tuple[dict[str, Any], Result]]
# Limits of the queries asked ahead: no page waits on them; an answer cut short is not kept.
AHEAD = Limits(seconds=600, rows=50_000_000)


class _Asking(Store):
    """``store`` with each answer kept by the query's name and text (for :func:`ask_ahead`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.language = store.language
        self.answers: Answered = {}

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        res = self.store.query(text, params, limits, name)
        if name and not res.truncated:
            self.answers[name, text] = (dict(params or {}), res)
        return res

    def graphs(self) -> list[str]:
        return self.store.graphs()


def ask_ahead(store: Store, lang: str = "nb") -> Answered:
    """The store's answer to the one delegated query :func:`prepare` asks that takes time, asked
    now: the status rows' named query ``status_overview`` (0.5-0.8 s of Oxigraph at 1M).

    ``kg load`` asks it of the new generation as soon as it is compacted, before the switch,
    on the core the compaction leaves free while the networkx view is built; after the switch
    the views then take it as answered instead of asking the store (the same generation, so the
    same rows; a failure here leaves it to be asked as before). The reports behind the rows and
    the certainty of those and of the milestones come from the load's lines (the handlers of
    :class:`ViewRows`): asked of the store, they took 1-1.5 s more at 1M."""
    asking = _Asking(store)
    overview.status_query(asking, lang, AHEAD)
    return asking.answers


# View queries the views run that the kept lines do not answer, left to the store on purpose
# (name → why). Any other query that reaches the store fails tests/test_viewdata.py.
DELEGATED = {
    netx.REFERENCE.name: "one MAX over the status reports: a cheap, indexed query",
    "status_overview": "a named query (queries/) over the status reports only",
}
C = Capability
# What the wrapper passes on to the store it wraps: reading only (the views never write).
READS = frozenset({C.QUADS, C.DUMP, C.LEN, C.GENERATIONS, C.LOOKUP_NODE, C.AS_OF})


class ViewRows(Store):
    """Answers the view queries from kept lines; hands every other query to ``store``."""

    language = "sparql"

    def __init__(self, store: Store, lines: Iterable[str] = (), parsed: Parsed | None = None):
        self.store = store
        self.name = store.name
        self.capabilities = store.capabilities & READS
        if parsed is None:
            parsed = Parsed()
            enabled = gc.isenabled()
            gc.disable()  # many new objects and no garbage: the collector's walks cost 4× the work
            try:
                parsed.read_all(lines)
            finally:
                if enabled:
                    gc.enable()
        self.covered = parsed.graphs  # the named graphs the lines hold
        self._by_p = parsed.by_p
        self._types = parsed.types
        self._edges = parsed.edges
        self._iris: dict[str, IRI] = {v: v for v in parsed.iris.values() if isinstance(v, IRI)}
        self._label_forms = parsed.label_forms
        self.delegated: list[str] = []  # queries the lines could not answer (for tests)
        # delegated queries answered ahead (:func:`ask_ahead`): each given once, then asked
        self.answered: Answered = {}
        # views built ahead from the lines (:func:`ahead`), by graph.netx's name: taken once
        self.built: dict[str, Any] = {}
        self._members: dict[str, list[str]] = {}  # class → its instances, built when first asked

    # -- the Store interface: the view queries here, everything else from the wrapped store ---

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        handler = HANDLERS.get(name) if name else None
        known = REGISTRY.get(name) if name else None
        if handler is not None and known is not None:
            if name in FILLED:  # the template with its VALUES hole filled with some IRIs
                iris = None if params else filled(known.text, text)
                if iris is not None:
                    return Result(*handler(self, {"iris": iris}))
            elif text == known.text:
                return Result(*handler(self, params or {}))
        self.delegated.append(name or text)
        early = self.answered.get((name, text)) if name else None
        if name and early is not None and early[0] == (params or {}):
            del self.answered[name, text]
            return early[1]
        return self.store.query(text, params, limits, name)

    def graphs(self) -> list[str]:
        return self.store.graphs()

    def quads(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph: Any = None
    ) -> Iterable[Any]:
        return self.store.quads(subject, predicate, object, graph)

    def dump(self, fmt: Any = None) -> bytes:
        return self.store.dump(fmt)

    def __len__(self) -> int:
        return len(self.store)

    @property
    def root(self) -> Path:
        return self.store.root

    @property
    def opened(self) -> Path | None:
        return self.store.opened  # graph.netx caches per generation: the wrapped store's

    def lookup_node(self, key: str) -> list[tuple[IRI, str]]:
        return self.store.lookup_node(key)

    @property
    def as_of(self) -> dict[str, dt.date]:
        return self.store.as_of

    def label_forms(self) -> list[list[str]] | None:
        """:func:`graph.carryfile.label_forms` from the lines (reading every label out of the
        store took 0.6 s at 1M): the same forms, or None for a label typed otherwise."""
        string = viewlines.XSD + "string"
        if any(dtype not in ("", string) for _, dtype in self._label_forms):
            return None
        return [list(f) for f in sorted(self._label_forms)]

    # -- the queries ------------------------------------------------------------------------

    def _iri(self, s: str) -> str:
        return self._iris.get(s) or IRI(s)

    def _of(self, p: str) -> dict[str, list[tuple[Any, str | None]]]:
        """Subject → the values of predicate ``p``."""
        return self._by_p.get(p) or {}

    def _vals(self, s: str, p: str) -> list[Any]:
        return [v for v, _ in self._of(p).get(s, ())]

    def _label(self, s: str, lang: str, by: list[dict[str, list[tuple[Any, str | None]]]]) -> Any:
        """The label of ``s`` (``by``: the label predicates' maps, in order of preference)."""
        fallback = None
        for of_p in by:
            for v, tag in of_p.get(s, ()):
                if tag == "" or tag == lang or (tag or "").startswith(lang + "-"):
                    return v
                if fallback is None:
                    fallback = v
        return fallback

    def _nodes(self, params: dict[str, Any]) -> Table:
        lang = str(params.get("lang", "")).lower()
        rows: list[tuple[Any, ...]] = []
        labels = [self._of(p) for p in LABEL_PREDS]
        # the maps of the attributes, in the query's column order (one lookup per subject each)
        maps = [
            self._of(p)
            for p in (
                SKOS + "notation",
                DCT + "identifier",
                KG + "startDate",
                KG + "endDate",
                KG + "date",
                KG + "milestoneStatus",
                KG + "milestoneType",
            )
        ]
        code, ident, start, end, date, status, mtype = maps
        iris = self._iris
        n = len(KG)
        label = self._label
        for s, classes in self._types.items():
            kinds = [c[n:] for c in classes if c.startswith(KG)]
            if not kinds:
                continue
            # spelt out, not a loop over the maps: ~300 k subjects at 1M
            attrs = (
                label(s, lang, labels),
                f[0][0] if (f := code.get(s)) else None,
                f[0][0] if (f := ident.get(s)) else None,
                f[0][0] if (f := start.get(s)) else None,
                f[0][0] if (f := end.get(s)) else None,
                f[0][0] if (f := date.get(s)) else None,
                f[0][0] if (f := status.get(s)) else None,
                f[0][0] if (f := mtype.get(s)) else None,
            )
            si = iris.get(s) or IRI(s)
            rows.extend((si, k, *attrs) for k in kinds)
        return ["s", "kind", "label", "code", "id", "start", "end", "date", "status", "mtype"], rows

    def _edges_rows(self, params: dict[str, Any]) -> Table:
        return ["s", "p", "o"], self._edges

    _QATTRS = (
        KG + "criticality",
        KG + "evidence",
        KG + "rationale",
        PROV + "wasDerivedFrom",
        KG + "locator",
        KG + "lagWeeks",
        KG + "score",
        KG + "assessor",
        KG + "date",
    )

    def _qualifiers(self, params: dict[str, Any]) -> Table:
        cols = [
            "q",
            "pred",
            "from",
            "to",
            "type",
            "crit",
            "evidence",
            "rationale",
            "source",
            "locator",
            "lag",
            "score",
            "assessor",
            "date",
        ]
        wanted = {
            KG + cls: (KG + fp, KG + tp, pred) for pred, (cls, fp, tp) in netx.QUALIFIED.items()
        }
        rows: list[tuple[Any, ...]] = []
        types = [self._of(KG + "dependencyType"), self._of(KG + "linkType")]
        attrs_of = [self._of(a) for a in self._QATTRS]  # looked up once, not per relation

        def vals(of_p: dict[str, list[tuple[Any, str | None]]], q: str) -> list[Any]:
            return [v for v, _ in of_p.get(q, ())]

        absent = [None]
        for q, classes in self._types.items():
            for cls in classes:
                if cls not in wanted:
                    continue
                fp, tp, pred = wanted[cls]
                typ = vals(types[0], q) + vals(types[1], q)
                # an attribute's values, or [None] when it has none (OPTIONAL): ~100 k
                # relations at 1M, so no list is made for an attribute a relation lacks
                optional = [typ or absent] + [
                    [v for v, _ in found] if (found := of_a.get(q)) else absent for of_a in attrs_of
                ]
                qi = self._iri(q)
                for a, b in itertools.product(self._vals(q, fp), self._vals(q, tp)):
                    for attrs in itertools.product(*optional):
                        rows.append((qi, pred, a, b, *attrs))
        return cols, rows

    def _records(self, params: dict[str, Any]) -> Table:
        return self._lookup({"iris": self._of(PROV + "wasDerivedFrom")})

    def _lookup(self, params: dict[str, Any]) -> Table:
        """:data:`graph.answers.sure.LOOKUP`: the rows of :data:`graph.certainty.RECORDS` of
        the IRIs asked (``params["iris"]``, read from the query's VALUES block; every record
        for :meth:`_records`), in the order asked."""
        derived, dtypes, evidence, notes = (
            self._of(PROV + "wasDerivedFrom"),
            self._of(KG + "documentType"),
            self._of(KG + "evidence"),
            self._of(SKOS + "editorialNote"),
        )
        absent: list[tuple[Any, str | None]] = [(None, None)]
        rows: list[tuple[Any, ...]] = []
        for r in params["iris"]:
            sources = derived.get(r)
            if not sources:
                continue
            ri = self._iri(r)
            for src, _ in sources:
                for (ev, _), (dtype, _), (note, _) in itertools.product(
                    evidence.get(r) or absent, dtypes.get(src) or absent, notes.get(r) or absent
                ):
                    rows.append((ri, ev, dtype, note))
        return ["r", "evidence", "dtype", "note"], rows

    def _reports(self, params: dict[str, Any]) -> Table:
        """:data:`graph.answers.overview.REPORTS`: each status report, its project and date."""
        dates = self._of(KG + "date")
        rows: list[tuple[Any, ...]] = []
        for r, projects in self._of(KG + "statusOf").items():
            ri = self._iri(r)
            for p, _ in projects:
                rows.extend((ri, p, d) for d, _ in dates.get(r, ()))
        return ["r", "p", "d"], rows

    def _direct(self, params: dict[str, Any]) -> Table:
        cls, fp, tp = params["cls"], params["fp"], params["tp"]
        if not self._members:  # asked once per qualified kind: index the classes once
            for r, classes in self._types.items():
                for c in classes:
                    self._members.setdefault(c, []).append(r)
        rows: list[tuple[Any, ...]] = []
        for r in self._members.get(cls, ()):
            for a, b in itertools.product(self._vals(r, fp), self._vals(r, tp)):
                rows.append((self._iri(r), a, b))
        return ["r", "a", "b"], rows

    def _labels(self, params: dict[str, Any]) -> Table:
        rows: list[tuple[Any, ...]] = []
        for p in LABEL_PREDS:
            for s, values in self._of(p).items():
                rows.extend((self._iri(s), v, tag or "", 1) for v, tag in values if tag is not None)
        titles = self._of(DCT + "title")
        for s, classes in self._types.items():
            if KG + "SourceDocument" in classes:
                for v, tag in titles.get(s, ()):
                    if tag is not None:
                        rows.append((self._iri(s), v, tag, 2))
        return ["s", "l", "lg", "p"], rows

    def _sources(self, params: dict[str, Any]) -> Table:
        rows: list[tuple[Any, ...]] = []
        locators, iris = self._of(KG + "locator"), self._iris  # looked up once: ~10⁵ records
        absent: list[tuple[Any, str | None]] = [(None, None)]
        for s, values in self._of(PROV + "wasDerivedFrom").items():
            si = iris.get(s) or IRI(s)
            locs = locators.get(s) or absent
            rows.extend((si, v, loc) for v, _ in values for loc, _ in locs)
        return ["s", "src", "loc"], rows

    def _notations(self, params: dict[str, Any]) -> Table:
        rows: list[tuple[Any, ...]] = []
        for s, values in self._of(SKOS + "notation").items():
            rows.extend((self._iri(s), v) for v, _ in values)
        return ["s", "n"], rows

    def _milestones(self, params: dict[str, Any]) -> Table:
        rows: list[tuple[Any, ...]] = []
        # the maps looked up once, not per milestone (~10⁴ at 1M)
        maps = [self._of(KG + p) for p in ("milestoneOf", "milestoneType", "milestoneStatus")]
        dates, milestone, iris = self._of(KG + "date"), KG + "Milestone", self._iris
        absent = [None]
        for m, classes in self._types.items():
            if milestone not in classes:
                continue
            rest = [[v for v, _ in found] if (found := of_p.get(m)) else absent for of_p in maps]
            mi = iris.get(m) or IRI(m)
            for date, _ in dates.get(m, ()):
                rows.extend((mi, date, *more) for more in itertools.product(*rest))
        return ["m", "date", "owner", "type", "status"], rows


# The view query each handler answers, by name (tests/test_viewdata.py checks that every
# view query in graph.viewquery.REGISTRY is here or in DELEGATED).
HANDLERS: dict[str, Callable[[ViewRows, dict[str, Any]], Table]] = {
    netx.NODES.name: ViewRows._nodes,
    netx.EDGES.name: ViewRows._edges_rows,
    netx.QUALIFIERS.name: ViewRows._qualifiers,
    common.LABELS.name: ViewRows._labels,
    common.SOURCES.name: ViewRows._sources,
    common.NOTATIONS.name: ViewRows._notations,
    overview.MILESTONES.name: ViewRows._milestones,
    certainty.RECORDS.name: ViewRows._records,
    certainty.DIRECT.name: ViewRows._direct,
    sure.LOOKUP.name: ViewRows._lookup,
    overview.REPORTS.name: ViewRows._reports,
}
# Handlers of templates: the query's text is the template with its ``%s`` filled with a VALUES
# block of IRIs (see :func:`filled`), handed to the handler as ``params["iris"]``.
FILLED = frozenset({sure.LOOKUP.name})


def filled(template: str, text: str) -> list[str] | None:
    r"""The IRIs ``template``'s ``%s`` holds in ``text`` (``<a> <b>``), or None when ``text`` is
    not the template so filled (then the store answers it).

    >>> filled("VALUES ?r { %s } ?r ?p ?o", "VALUES ?r { <a:1> <a:2> } ?r ?p ?o")
    ['a:1', 'a:2']
    >>> filled("VALUES ?r { %s } ?r ?p ?o", "VALUES ?r { <a:1> } ?r ?p ?o . ?o ?q ?z") is None
    True

    Only what :func:`graph.answers.sure.lookup` writes: an IRI with an escape, or one that
    closes early and hides the rest in a comment, is left to the store.

    >>> filled("VALUES ?r { %s } ?r ?p ?o", "VALUES ?r { <a:1>}#> } ?r ?p ?o") is None
    True
    >>> filled("VALUES ?r { %s } ?r ?p ?o", r"VALUES ?r { <a:\u0031> } ?r ?p ?o") is None
    True
    """
    head, _, tail = template.partition("%s")
    if len(text) <= len(head) + len(tail) or not text.startswith(head) or not text.endswith(tail):
        return None
    tokens = text[len(head) : len(text) - len(tail)].split(" ")
    plain = sure.PLAIN_IRI.match
    if not all(len(t) > 2 and t[0] == "<" and t[-1] == ">" and plain(t[1:-1]) for t in tokens):
        return None
    return [t[1:-1] for t in tokens]
