"""The app's views from the lines a load kept (:mod:`graph.viewlines`), not from the store.

:class:`ViewRows` answers exactly the whole-graph queries the views run (``graph.netx`` NODES /
EDGES / QUALIFIERS, the labels, sources and notations of :func:`graph.answers.common.graph_for`,
the milestones), recognised by their text, with the rows and Python values
:meth:`graph.embedded.EmbeddedStore.query` gives, and hands every other query to the store.
:func:`graph.netx.to_networkx` and :func:`graph.answers.prepare` run unchanged on it, so the
views are the same by construction (tests/test_viewdata.py compares them with the store's).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from graph import netx, viewlines
from graph.answers import common, overview
from graph.store import IRI, Capability, Result
from graph.viewlines import DCT, KG, LABEL_PREDS, PROV, SKOS, TYPE, XSD


def _opened(store: Any) -> Path | None:
    """The generation folder the store reads, or None (in memory, a server store)."""
    return store.opened if store.supports(Capability.GENERATIONS) else None


def rows_for(store: Any, lines: list[str] | None = None) -> tuple[ViewRows | None, str]:
    """A :class:`ViewRows` over ``store`` (from ``lines`` or the generation's kept lines), or
    None and the reason the views must be read from the store."""
    if lines is None:
        lines, why = viewlines.read(store)
        if lines is None:
            return None, why
    rows = ViewRows(store, lines)
    if rows.graphs != set(store.graphs()):
        return None, "the kept view lines do not cover every graph in the store"
    return rows, ""


def prepare(store: Any, lines: list[str] | None = None, lang: str = "nb") -> str:
    """``graph.answers.prepare`` (the app's views for a new generation) from the kept lines
    when they cover the store, else from the store; returns why not ("" when they did).

    ``lines`` is emptied once read: at 1M triples it holds ~100 MB the views need.
    """
    from graph import answers  # its names load lazily

    rows, note = rows_for(store, lines)
    if lines is not None:
        lines.clear()
    enabled = gc.isenabled()
    gc.disable()  # millions of new objects and no garbage: spare the collector's walks
    try:
        answers.prepare(rows or store, lang)
    finally:
        if enabled:
            gc.enable()
    return note


# -- terms ------------------------------------------------------------------------------------

_ESC = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESC.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[1] or m[2] else _SIMPLE[m[3]], text)


def _value(lexical: str, dtype: str) -> Any:
    """As :func:`graph.embedded.to_python` converts a literal."""
    try:
        if dtype in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(lexical)
        if dtype == XSD + "decimal":
            return Decimal(lexical)
        if dtype in (XSD + "double", XSD + "float"):
            return float(lexical)
        if dtype == XSD + "boolean":
            return lexical == "true"
        if dtype == XSD + "date":
            return dt.date.fromisoformat(lexical)
    except ValueError:
        return lexical
    return lexical


def _term(text: str) -> tuple[Any, str | None]:
    """(Python value, language tag or "" for a literal / None for a node) of one N-Quads term."""
    if text[0] == "<":
        return IRI(text[1:-1]), None
    if text[0] == "_":
        return text, None
    end = text.rindex('"')
    lexical = _unescape(text[1:end])
    suffix = text[end + 1 :]
    if suffix.startswith("@"):
        return lexical, suffix[1:].lower()
    if suffix.startswith("^^<"):
        return _value(lexical, suffix[3:-1]), ""
    return lexical, ""


class ViewRows:
    """Answers the view queries from kept lines; hands every other query to ``store``."""

    def __init__(self, store: Any, lines: Iterable[str]):
        enabled = gc.isenabled()
        gc.disable()  # many new objects and no garbage: the collector's walks cost 4× the work
        try:
            self._read(store, lines)
        finally:
            if enabled:
                gc.enable()
        self.delegated: list[str] = []  # queries the lines could not answer (for tests)
        self._answers = self._table()

    def _read(self, store: Any, lines: Iterable[str]) -> None:
        self.store = store
        self.opened = _opened(store)  # graph.netx caches per generation
        graphs: set[str] = set()
        # Hashes of the triples seen (a triple in two graphs counts once: the default graph is
        # their union). Hashes, not the triples: a million tuples of strings would cost ~250 MB.
        seen: set[int] = set()
        by_sp: dict[tuple[str, str], list[tuple[Any, str | None]]] = {}
        types: dict[str, list[str]] = {}
        edges: list[tuple[IRI, IRI, IRI]] = []
        iris: dict[str, IRI] = {}  # "<iri>" as written → one shared IRI object

        def node(token: str) -> IRI:
            found = iris.get(token)
            if found is None:
                found = iris[token] = IRI(token[1:-1]) if token[0] == "<" else token
            return found

        for line in lines:
            cut = line.rindex(" <")
            h = hash(line[:cut])
            if h in seen:
                graphs.add(line[cut + 2 : -3])
                continue
            seen.add(h)
            s, p, rest = line.split(" ", 2)
            o, g, _ = rest.rsplit(" ", 2)
            graphs.add(g[1:-1])
            if p == TYPE:
                types.setdefault(node(s), []).append(node(o))
                continue
            si, pi = node(s), node(p)
            if o[0] == "<" or o[0] == "_":
                oi = node(o)
                by_sp.setdefault((si, pi), []).append((oi, None))
                if o[0] == "<":
                    edges.append((si, pi, oi))
            else:
                by_sp.setdefault((si, pi), []).append(_term(o))
        self.graphs = graphs
        self._sp = by_sp
        self._types = types
        self._edges = edges
        self._iris = {v: v for v in iris.values() if isinstance(v, IRI)}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def _iri(self, s: str) -> IRI:
        return self._iris.get(s) or IRI(s)

    def _vals(self, s: str, p: str) -> list[Any]:
        return [v for v, _ in self._sp.get((s, p), ())]

    def _first(self, s: str, p: str) -> Any:
        found = self._sp.get((s, p))
        return found[0][0] if found else None

    # -- the queries ------------------------------------------------------------------------

    def _table(self) -> dict[str, Any]:
        return {
            _norm(netx.NODES): self._nodes,
            _norm(netx.EDGES): self._edges_rows,
            _norm(netx.QUALIFIERS): self._qualifiers,
            _norm(common.LABELS): self._labels,
            _norm(common.SOURCES): self._sources,
            _norm(common.NOTATIONS): self._notations,
            _norm(overview.MILESTONES): self._milestones,
        }

    def query(self, text: str, params: dict[str, Any] | None = None, limits: Any = None,
              name: str | None = None) -> Result:  # fmt: skip
        answer = self._answers.get(_norm(text))
        if answer is None:
            self.delegated.append(name or text)
            return self.store.query(text, params, limits, name)
        columns, rows = answer(params or {})
        return Result(columns, rows)

    def _label(self, s: str, lang: str) -> Any:
        fallback = None
        for p in LABEL_PREDS:
            for v, tag in self._sp.get((s, p), ()):
                if tag == "" or tag == lang or (tag or "").startswith(lang + "-"):
                    return v
                if fallback is None:
                    fallback = v
        return fallback

    def _nodes(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        lang = str(params.get("lang", "")).lower()
        rows = []
        for s, classes in self._types.items():
            kinds = [c[len(KG) :] for c in classes if c.startswith(KG)]
            if not kinds:
                continue
            attrs = (self._label(s, lang), self._first(s, SKOS + "notation"),
                     self._first(s, DCT + "identifier"), self._first(s, KG + "startDate"),
                     self._first(s, KG + "endDate"), self._first(s, KG + "date"),
                     self._first(s, KG + "milestoneStatus"), self._first(s, KG + "milestoneType"))  # fmt: skip
            si = self._iri(s)
            rows.extend((si, k, *attrs) for k in kinds)
        return ["s", "kind", "label", "code", "id", "start", "end", "date", "status", "mtype"], rows

    def _edges_rows(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        return ["s", "p", "o"], self._edges

    _QUALIFIED = (("Dependency", "dependent", "dependee", "dependsOn"),
                  ("ReportingLine", "reporter", "reportingTarget", "reportsTo"),
                  ("Interaction", "interactionFrom", "interactionTo", "interactsWith"))  # fmt: skip
    _QATTRS = (KG + "dependencyType", KG + "criticality", KG + "evidence", KG + "rationale",
               PROV + "wasDerivedFrom", KG + "locator", KG + "lagWeeks", KG + "score", KG + "assessor",
               KG + "date")  # fmt: skip

    def _qualifiers(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        cols = ["q", "pred", "from", "to", "type", "crit", "evidence", "rationale", "source",
                "locator", "lag", "score", "assessor", "date"]  # fmt: skip
        wanted = {KG + cls: (KG + fp, KG + tp, pred) for cls, fp, tp, pred in self._QUALIFIED}
        rows = []
        for q, classes in self._types.items():
            for cls in classes:
                if cls not in wanted:
                    continue
                fp, tp, pred = wanted[cls]
                optional = [self._vals(q, a) or [None] for a in self._QATTRS]
                for a, b in itertools.product(self._vals(q, fp), self._vals(q, tp)):
                    for attrs in itertools.product(*optional):
                        rows.append((self._iri(q), pred, a, b, *attrs))
        return cols, rows

    def _labels(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        rows = []
        for (s, p), values in self._sp.items():
            if p in LABEL_PREDS:
                rows.extend((self._iri(s), v, tag or "", 1) for v, tag in values if tag is not None)
        for s, classes in self._types.items():
            if KG + "SourceDocument" in classes:
                for v, tag in self._sp.get((s, DCT + "title"), ()):
                    if tag is not None:
                        rows.append((self._iri(s), v, tag, 2))
        return ["s", "l", "lg", "p"], rows

    def _sources(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        rows = []
        for (s, p), values in self._sp.items():
            if p == PROV + "wasDerivedFrom":
                locs = self._vals(s, KG + "locator") or [None]
                rows.extend((self._iri(s), v, loc) for v, _ in values for loc in locs)
        return ["s", "src", "loc"], rows

    def _notations(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        rows = []
        for (s, p), values in self._sp.items():
            if p == SKOS + "notation":
                rows.extend((self._iri(s), v) for v, _ in values)
        return ["s", "n"], rows

    def _milestones(self, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        rows = []
        for m, classes in self._types.items():
            if KG + "Milestone" not in classes:
                continue
            rest = [
                self._vals(m, KG + p) or [None]
                for p in ("milestoneOf", "milestoneType", "milestoneStatus")
            ]
            for date in self._vals(m, KG + "date"):
                rows.extend((self._iri(m), date, *more) for more in itertools.product(*rest))
        return ["m", "date", "owner", "type", "status"], rows


def _norm(text: str) -> str:
    return " ".join(text.split())
