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
    """Mints stable IRIs for records and graphs under a dataset's base IRI."""

    def __init__(self, base: str, ids: dict[str, Kind]):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.ids = ids

    def record(self, kind: Kind, rid: str) -> NamedNode:
        if kind.has_id:
            return NamedNode(f"{self.base}{kind.segment}/{quote(rid, safe='-_.')}")
        digest = hashlib.sha1(f"{kind.name}|{rid}".encode()).hexdigest()[:16]
        return NamedNode(f"{self.base}{kind.segment}/{digest}")

    def ref(self, target: str) -> NamedNode:
        if target.startswith("sdg:"):
            return sdg_iri(target[4:])
        return self.record(self.ids[target], target)

    def graph(self, file: str) -> NamedNode:
        # "book.xlsx [projects]" (a sheet) → graph/book.xlsx/projects
        name = file.replace(" [", "/").rstrip("]").replace(" ", "_")
        return NamedNode(f"{self.base}graph/{quote(name, safe='-_./')}")


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


def record_quads(r: Record, minter: Minter, lang: str) -> Iterator[Quad]:
    kind = r.kind
    g = minter.graph(r.file)
    s = minter.record(kind, r.id)
    classes = CLASSES[kind.name]
    selector = kind.class_by[0] if kind.class_by else None
    yield Quad(s, RDF_TYPE, classes.get(r.values.get(selector)) or classes[None], g)
    if kind.class_by and classes.get(r.values.get(selector)) != classes[None]:
        yield Quad(s, RDF_TYPE, classes[None], g)
    yield Quad(s, SOURCE_FILE, Literal(r.file), g)
    yield Quad(s, SOURCE_ROW, Literal(str(r.row), datatype=_T["integer"]), g)
    props = PROPS[kind.name]
    for col in kind.columns:
        if col.name not in r.values or col.name not in props:
            continue
        value = r.values[col.name]
        p = props[col.name]
        if col.type in ("ref", "refs"):
            for target in value:
                o = minter.ref(target)
                yield Quad(o, p, s, g) if col.inverse else Quad(s, p, o, g)
        elif col.name in ("alt_titles", "readings"):
            for part in str(value).split("|"):
                if part.strip():
                    yield Quad(s, p, literal(part.strip(), col.type, lang), g)
        else:
            yield Quad(s, p, literal(value, col.type, lang), g)
    if kind.name in DIRECT:
        a, p, b = DIRECT[kind.name]
        for x in r.values.get(a) or []:
            for y in r.values.get(b) or []:
                yield Quad(minter.ref(x), p, minter.ref(y), g)


def dataset_quads(records: list[Record], base: str, lang: str) -> Iterator[Quad]:
    minter = Minter(base, {r.id: r.kind for r in records if r.kind.has_id})
    for r in records:
        yield from record_quads(r, minter, lang)
