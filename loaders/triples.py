"""Stage three: validated records → RDF quads, one named graph per source file.

Each record becomes a node ``<base><segment>/<id>`` typed with its class, with one triple per
filled column, ``kg:sourceFile``/``kg:sourceRow`` for its position and ``prov:wasDerivedFrom``
for its source document. Qualified relations (dependencies, reporting lines, ...) also get
their direct edge (``kg:dependsOn``, ``org:reportsTo``) so paths are one property path away.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from graph.terms import KG, SDG_NS, iri
from loaders.records import PartialDate, Record
from loaders.schema import KINDS, Kind

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_T = {
    name: NamedNode(XSD + name)
    for name in ("date", "gYear", "gYearMonth", "integer", "decimal", "boolean")
}


def _props(kind: Kind) -> dict[str, NamedNode]:
    return {c.name: NamedNode(iri(c.prop)) for c in kind.columns if c.prop}


PROPS = {k.name: _props(k) for k in KINDS}
CLASSES = {
    k.name: {None: NamedNode(KG[k.cls])}
    | {v: NamedNode(KG[c]) for v, c in (k.class_by or ("", {}))[1].items()}
    for k in KINDS
}
DIRECT = {
    k.name: (k.direct[0], NamedNode(iri(k.direct[1])), k.direct[2]) for k in KINDS if k.direct
}
SOURCE_FILE = NamedNode(KG.sourceFile)
SOURCE_ROW = NamedNode(KG.sourceRow)


def sdg_iri(code: str) -> NamedNode:
    return NamedNode(SDG_NS + code)


class Minter:
    """Mints stable IRIs for records and graphs under a dataset's base IRI.

    IRIs are cached: a record is referred to many times, and quoting its id is the costly part.
    """

    def __init__(self, base: str, ids: dict[str, Kind]):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.ids = ids
        self._refs: dict[str, NamedNode] = {}
        self._graphs: dict[str, NamedNode] = {}

    def record(self, kind: Kind, rid: str) -> NamedNode:
        if kind.has_id:
            if self.ids.get(rid) is kind:
                return self.ref(rid)
            return NamedNode(f"{self.base}{kind.segment}/{quote(rid, safe='-_.')}")
        digest = hashlib.sha1(f"{kind.name}|{rid}".encode()).hexdigest()[:16]
        return NamedNode(f"{self.base}{kind.segment}/{digest}")

    def ref(self, target: str) -> NamedNode:
        node = self._refs.get(target)
        if node is None:
            if target.startswith("sdg:"):
                node = sdg_iri(target[4:])
            else:
                kind = self.ids[target]
                node = NamedNode(f"{self.base}{kind.segment}/{quote(target, safe='-_.')}")
            self._refs[target] = node
        return node

    def graph(self, file: str) -> NamedNode:
        node = self._graphs.get(file)
        if node is None:
            # "book.xlsx [projects]" (a sheet) → graph/book.xlsx/projects
            name = file.replace(" [", "/").rstrip("]").replace(" ", "_")
            node = self._graphs[file] = NamedNode(f"{self.base}graph/{quote(name, safe='-_./')}")
        return node


def literal(value: object, col_type: str, lang: str) -> Literal:
    if col_type == "text_en":
        return Literal(str(value), language="en")
    if col_type == "text":
        return Literal(str(value), language=lang)
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_T["boolean"])
    if isinstance(value, int):
        return Literal(str(value), datatype=_T["integer"])
    if isinstance(value, Decimal):
        return Literal(format(value.normalize(), "f"), datatype=_T["decimal"])
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=_T["date"])
    if isinstance(value, PartialDate):
        return Literal(
            value.isoformat(), datatype=_T["gYear" if value.month is None else "gYearMonth"]
        )
    return Literal(str(value))


# How each column becomes triples (per kind, in column order): a reference, the inverse of
# one, a text split on "|", or a literal of the column's type.
_REF, _INV, _SPLIT, _LIT = 0, 1, 2, 3


def _plan(kind: Kind) -> list[tuple[str, NamedNode, int, str]]:
    props = PROPS[kind.name]
    out = []
    for col in kind.columns:
        if col.name not in props:
            continue
        if col.type in ("ref", "refs"):
            mode = _INV if col.inverse else _REF
        elif col.name in ("alt_titles", "readings"):
            mode = _SPLIT
        else:
            mode = _LIT
        out.append((col.name, props[col.name], mode, col.type))
    return out


PLANS = {k.name: _plan(k) for k in KINDS}
_CACHED_TYPES = ("enum", "int", "bool")  # few distinct values: one Literal each


class _Quads:
    """Builds the quads of records into one list (the hot loop of a load)."""

    def __init__(self, minter: Minter, lang: str):
        self.minter = minter
        self.lang = lang
        self.out: list[Quad] = []
        self._files: dict[str, Literal] = {}
        self._rows: dict[int, Literal] = {}
        self._lits: dict[tuple[str, object], Literal] = {}

    def literal(self, value: object, col_type: str) -> Literal:
        if col_type in _CACHED_TYPES:
            key = (col_type, value)
            lit = self._lits.get(key)
            if lit is None:
                lit = self._lits[key] = literal(value, col_type, self.lang)
            return lit
        if col_type == "text":
            return Literal(str(value), language=self.lang)
        return literal(value, col_type, self.lang)

    def add(self, r: Record) -> None:
        out = self.out.append
        minter = self.minter
        kind = r.kind
        values = r.values
        g = minter.graph(r.file)
        s = minter.record(kind, r.id)
        classes = CLASSES[kind.name]
        if kind.class_by:
            chosen = classes.get(values.get(kind.class_by[0]))
            out(Quad(s, RDF_TYPE, chosen or classes[None], g))
            if chosen != classes[None]:
                out(Quad(s, RDF_TYPE, classes[None], g))
        else:
            out(Quad(s, RDF_TYPE, classes[None], g))
        src = self._files.get(r.file)
        if src is None:
            src = self._files[r.file] = Literal(r.file)
        out(Quad(s, SOURCE_FILE, src, g))
        row = self._rows.get(r.row)
        if row is None:
            row = self._rows[r.row] = Literal(str(r.row), datatype=_T["integer"])
        out(Quad(s, SOURCE_ROW, row, g))
        for name, p, mode, col_type in PLANS[kind.name]:
            if name not in values:
                continue
            value = values[name]
            if mode == _REF:
                for target in value:
                    out(Quad(s, p, minter.ref(target), g))
            elif mode == _LIT:
                out(Quad(s, p, self.literal(value, col_type), g))
            elif mode == _INV:
                for target in value:
                    out(Quad(minter.ref(target), p, s, g))
            else:
                for part in str(value).split("|"):
                    if part.strip():
                        out(Quad(s, p, literal(part.strip(), col_type, self.lang), g))
        direct = DIRECT.get(kind.name)
        if direct:
            a, p, b = direct
            for x in values.get(a) or []:
                for y in values.get(b) or []:
                    out(Quad(minter.ref(x), p, minter.ref(y), g))


def record_quads(r: Record, minter: Minter, lang: str) -> Iterator[Quad]:
    builder = _Quads(minter, lang)
    builder.add(r)
    yield from builder.out


def dataset_quad_list(records: list[Record], base: str, lang: str) -> list[Quad]:
    """The quads of all ``records``, in record order (what :func:`dataset_quads` yields)."""
    minter = Minter(base, {r.id: r.kind for r in records if r.kind.has_id})
    builder = _Quads(minter, lang)
    add = builder.add
    for r in records:
        add(r)
    return builder.out


def dataset_quads(records: list[Record], base: str, lang: str) -> Iterator[Quad]:
    yield from dataset_quad_list(records, base, lang)
