"""Stage three: validated records → RDF quads, one named graph per source file.

Each record becomes a node ``<base><segment>/<id>`` typed with its class, with one triple per
filled column, ``kg:sourceRow`` for its row and ``prov:wasDerivedFrom`` for its source document.
The file is said once, of the graph: ``<graph> kg:sourceFile "file"`` in that graph (one graph
per file, so a record's file is its graph's; per record it was 7 % of an import's quads; see
loaders/sourcefile.py). Qualified relations (dependencies, reporting lines, ...) also get
their direct edge (``kg:dependsOn``, ``org:reportsTo``) so paths are one property path away.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Protocol, cast
from urllib.parse import quote

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from loaders.records import PartialDate, Record, refs
from loaders.schema import KINDS, Kind
from ontology.terms import KG, SDG_NS, iri

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
    """Mints stable IRIs for records and graphs under a dataset's base IRI, as N-Quads terms.

    IRIs are cached: a record is referred to many times, and quoting its id is the costly part.
    """

    def __init__(self, base: str, ids: dict[str, Kind]):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.ids = ids
        self._refs: dict[str, str] = {}
        self._graphs: dict[str, str] = {}

    def record(self, kind: Kind, rid: str) -> str:
        if kind.has_id:
            if self.ids.get(rid) is kind:
                return self.ref(rid)
            return f"<{self.base}{kind.segment}/{quote(rid, safe='-_.')}>"
        digest = hashlib.sha1(f"{kind.name}|{rid}".encode()).hexdigest()[:16]
        return f"<{self.base}{kind.segment}/{digest}>"

    def ref(self, target: str) -> str:
        node = self._refs.get(target)
        if node is None:
            if target.startswith("sdg:"):
                node = f"<{SDG_NS}{target[4:]}>"
            else:
                kind = self.ids[target]
                node = f"<{self.base}{kind.segment}/{quote(target, safe='-_.')}>"
            self._refs[target] = node
        return node

    def graph(self, file: str) -> str:
        node = self._graphs.get(file)
        if node is None:
            node = self._graphs[file] = f"<{graph_iri(self.base, file)}>"
        return node


def graph_iri(base: str, file: str) -> str:
    """The named graph of one source file: "book.xlsx [projects]" (a sheet) → graph/book.xlsx/projects."""
    base = base if base.endswith(("/", "#")) else base + "/"
    name = file.replace(" [", "/").rstrip("]").replace(" ", "_")
    return f"{base}graph/{quote(name, safe='-_./')}"


# N-Quads string escapes (the four characters a quoted literal may not hold as they are).
_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r]')


def quoted(text: str) -> str:
    return f'"{text.translate(_ESCAPE)}"' if _NEEDS_ESCAPE.search(text) else f'"{text}"'


def _typed(text: str, dtype: str) -> str:
    return f'"{text}"^^<{XSD}{dtype}>'


def literal(value: object, col_type: str, lang: str) -> str:
    """One column value as an N-Quads literal."""
    if col_type == "text_en":
        return f"{quoted(str(value))}@en"
    if col_type == "text":
        return f"{quoted(str(value))}@{lang}"
    if isinstance(value, bool):
        return _typed("true" if value else "false", "boolean")
    if isinstance(value, int):
        return _typed(str(value), "integer")
    if isinstance(value, Decimal):
        return _typed(format(value.normalize(), "f"), "decimal")
    if isinstance(value, dt.date):
        return _typed(value.isoformat(), "date")
    if isinstance(value, PartialDate):
        return _typed(value.isoformat(), "gYear" if value.month is None else "gYearMonth")
    return quoted(str(value))


# How each column becomes triples (per kind, in column order): a reference, the inverse of
# one, a text split on "|", or a literal of the column's type.
_REF, _INV, _SPLIT, _LIT = 0, 1, 2, 3


def _plan(kind: Kind) -> list[tuple[str, str, int, str]]:
    props = PROPS[kind.name]
    out = []
    for col in kind.columns:
        if col.name not in props:
            continue
        if col.type in ("ref", "refs"):
            mode = _INV if col.inverse else _REF
        elif col.name in ("alt_titles", "readings", "readings_en"):
            mode = _SPLIT
        else:
            mode = _LIT
        out.append((col.name, str(props[col.name]), mode, col.type))
    return out


PLANS = {k.name: _plan(k) for k in KINDS}
# Keyed by a record's value (object): the class_by column's enum value, or None.
_CLASS_TEXT: dict[str, dict[object, str]] = {
    k: {v: str(node) for v, node in c.items()} for k, c in CLASSES.items()
}
_DIRECT_TEXT = {k: (a, str(p), b) for k, (a, p, b) in DIRECT.items()}
_TYPE, _FILE, _ROW = str(RDF_TYPE), str(SOURCE_FILE), str(SOURCE_ROW)
# A dependency (a project link) also gets the direct edge of its type (kg:depSupplies, kg:linkDecides): the
# ontology declares which of them carry an effect (graph/propagation.py), and a SPARQL property
# path can follow only those.
_TYPED_DIRECT: dict[tuple[str, object], str] = {
    (k.name, t): f"<{KG[prefix + ''.join(w.capitalize() for w in t.split('_'))]}>"
    for k in KINDS
    for prefix in [{"dependencies": "dep", "project_links": "link"}.get(k.name)]
    if prefix
    for t in k.by_name["type"].values
}
# The typed edges are derived from the dependency's own record: a diff or an export skips them.
TYPED_PREDICATES = frozenset(v[1:-1] for v in _TYPED_DIRECT.values())
_CACHED_TYPES = ("enum", "int", "bool")  # few distinct values: one literal each
CHUNK = 100_000  # lines per chunk handed to the store while the next one is built


# (subject, predicate, object, graph) of one line as written, and the line ("... .\n")
Terms = tuple[str, str, str, str, str]


class TermSink(Protocol):
    """Takes the lines of a load that a caller reads (the app's views: graph/viewlines.py) as
    their four terms, split where they were written: splitting a million lines of text again
    cost a quarter of ``kg load``'s time at 1M.

    The lines it takes: every rdf:type line, every line whose object is an IRI, and the lines
    of the :attr:`literals` predicates. :meth:`rows` gets those of each chunk of records before
    the chunk is handed on; :meth:`text` gets every other chunk (the manifest's, the SDGs') as
    N-Quads text, to read as it likes."""

    literals: frozenset[str]  # predicates, as written ("<iri>"), whose literal lines it takes

    def rows(self, rows: list[Terms]) -> None: ...

    def text(self, chunk: bytes) -> None: ...


class _Lines:
    """Builds the N-Quads lines of records (the hot loop of a load).

    Text, not pyoxigraph ``Quad`` objects: building a million ``Quad`` objects costs more than
    writing them, and text can be handed to the store's parser on another core. With a
    :class:`TermSink`'s ``literals`` the lines it takes are also kept, split, in :attr:`kept`.
    """

    def __init__(self, minter: Minter, lang: str, literals: frozenset[str] | None = None):
        if not LANG_TAG.fullmatch(lang):
            raise ValueError(f"not a language tag: {lang!r}")
        self.minter = minter
        self.lang = lang
        self.out: list[str] = []
        self._files: set[str] = set()  # the files whose graph has its kg:sourceFile line
        self._lits: dict[tuple[str, object], str] = {}
        self.kept: list[Terms] | None = None if literals is None else []
        # per kind, whether the lines of each of the plan's literal columns are kept (the
        # lines of references always are: their object is an IRI)
        self._keep: dict[str, list[bool]] = {
            k: [p in (literals or ()) for _, p, _, _ in plan] for k, plan in PLANS.items()
        }

    def literal(self, value: object, col_type: str) -> str:
        if col_type in _CACHED_TYPES:
            key = (col_type, value)
            lit = self._lits.get(key)
            if lit is None:
                lit = self._lits[key] = literal(value, col_type, self.lang)
            return lit
        if col_type == "text":
            return f"{quoted(str(value))}@{self.lang}"
        return literal(value, col_type, self.lang)

    def add(self, r: Record) -> None:
        if self.kept is not None:
            self._add_keeping(r, self.kept.append)
            return
        out = self.out.append
        minter = self.minter
        kind = r.kind
        values = r.values
        g = minter.graph(r.file)
        s = minter.record(kind, r.id)
        classes = _CLASS_TEXT[kind.name]
        if kind.class_by:
            chosen = classes.get(values.get(kind.class_by[0]))
            out(f"{s} {_TYPE} {chosen or classes[None]} {g} .\n")
            if chosen != classes[None]:
                out(f"{s} {_TYPE} {classes[None]} {g} .\n")
        else:
            out(f"{s} {_TYPE} {classes[None]} {g} .\n")
        if r.file not in self._files:  # the graph's file, once (see the module's docstring)
            self._files.add(r.file)
            out(f"{g} {_FILE} {quoted(r.file)} {g} .\n")
        out(f'{s} {_ROW} "{r.row}"^^<{XSD}integer> {g} .\n')
        for name, p, mode, col_type in PLANS[kind.name]:
            if name not in values:
                continue
            value = values[name]
            if mode == _REF:
                for target in cast("list[str]", value):  # a ref column holds a list of ids
                    out(f"{s} {p} {minter.ref(target)} {g} .\n")
            elif mode == _LIT:
                out(f"{s} {p} {self.literal(value, col_type)} {g} .\n")
            elif mode == _INV:
                for target in cast("list[str]", value):
                    out(f"{minter.ref(target)} {p} {s} {g} .\n")
            else:
                for part in str(value).split("|"):
                    if part.strip():
                        out(f"{s} {p} {literal(part.strip(), col_type, self.lang)} {g} .\n")
        direct = _DIRECT_TEXT.get(kind.name)
        if direct:
            a, p, b = direct
            for x in refs(values, a):
                for y in refs(values, b):
                    out(f"{minter.ref(x)} {p} {minter.ref(y)} {g} .\n")
                    typed = _TYPED_DIRECT.get((kind.name, values.get("type")))
                    if typed:  # the type's sub-property, so a property path can follow one type
                        out(f"{minter.ref(x)} {typed} {minter.ref(y)} {g} .\n")

    def _add_keeping(self, r: Record, keep: Callable[[Terms], None]) -> None:
        """:meth:`add`, the same lines in the same order, keeping the taken ones' terms too.
        A copy of add() rather than a test per line in it: add() is the hot loop of every
        load, and of imports and diffs that keep nothing (tests/test_loadspeed.py checks the
        two give the same text)."""
        out = self.out.append
        minter = self.minter
        kind = r.kind
        values = r.values
        g = minter.graph(r.file)
        s = minter.record(kind, r.id)
        classes = _CLASS_TEXT[kind.name]
        if kind.class_by:
            chosen = classes.get(values.get(kind.class_by[0]))
            c = chosen or classes[None]
            out(line := f"{s} {_TYPE} {c} {g} .\n")
            keep((s, _TYPE, c, g, line))
            if chosen != classes[None]:
                out(line := f"{s} {_TYPE} {classes[None]} {g} .\n")
                keep((s, _TYPE, classes[None], g, line))
        else:
            out(line := f"{s} {_TYPE} {classes[None]} {g} .\n")
            keep((s, _TYPE, classes[None], g, line))
        if r.file not in self._files:  # the graph's file, once (see the module's docstring)
            self._files.add(r.file)
            out(f"{g} {_FILE} {quoted(r.file)} {g} .\n")
        out(f'{s} {_ROW} "{r.row}"^^<{XSD}integer> {g} .\n')
        for (name, p, mode, col_type), kept in zip(
            PLANS[kind.name], self._keep[kind.name], strict=True
        ):
            if name not in values:
                continue
            value = values[name]
            if mode == _REF:
                for target in cast("list[str]", value):  # a ref column holds a list of ids
                    o = minter.ref(target)
                    out(line := f"{s} {p} {o} {g} .\n")
                    keep((s, p, o, g, line))
            elif mode == _LIT:
                o = self.literal(value, col_type)
                out(line := f"{s} {p} {o} {g} .\n")
                if kept:
                    keep((s, p, o, g, line))
            elif mode == _INV:
                for target in cast("list[str]", value):
                    o = minter.ref(target)
                    out(line := f"{o} {p} {s} {g} .\n")
                    keep((o, p, s, g, line))
            else:
                for part in str(value).split("|"):
                    if part.strip():
                        o = literal(part.strip(), col_type, self.lang)
                        out(line := f"{s} {p} {o} {g} .\n")
                        if kept:
                            keep((s, p, o, g, line))
        direct = _DIRECT_TEXT.get(kind.name)
        if direct:
            a, p, b = direct
            for x in refs(values, a):
                for y in refs(values, b):
                    rx, ry = minter.ref(x), minter.ref(y)
                    out(line := f"{rx} {p} {ry} {g} .\n")
                    keep((rx, p, ry, g, line))
                    typed = _TYPED_DIRECT.get((kind.name, values.get("type")))
                    if typed:  # the type's sub-property, so a property path can follow one type
                        out(line := f"{rx} {typed} {ry} {g} .\n")
                        keep((rx, typed, ry, g, line))


LANG_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")


def dataset_nquads(
    records: list[Record],
    base: str,
    lang: str,
    lines: int = CHUNK,
    release: bool = False,
    sink: TermSink | None = None,
) -> Iterator[bytes]:
    """The N-Quads of all ``records`` in record order, as UTF-8 chunks of about ``lines`` lines.

    ``release`` empties ``records`` on the way (for a caller that needs them no more): the
    memory of the records written so far is free for the store's load of their lines.
    ``sink`` gets the terms of the lines it takes, chunk by chunk, before each chunk is
    yielded (see :class:`TermSink`)."""
    minter = Minter(base, {r.id: r.kind for r in records if r.kind.has_id})
    builder = _Lines(minter, lang, sink.literals if sink is not None else None)
    add = builder.add
    if release:
        records.reverse()  # popped from the end: in record order, each dropped once written
    for r in _popped(records) if release else records:
        add(r)
        if len(builder.out) >= lines:
            yield _chunk(builder, sink)
    if builder.out:
        yield _chunk(builder, sink)


def _chunk(builder: _Lines, sink: TermSink | None) -> bytes:
    """The lines built so far as one chunk (handing their kept terms to ``sink``); emptied."""
    if sink is not None and builder.kept is not None:
        sink.rows(builder.kept)
        builder.kept = []
    chunk = "".join(builder.out).encode()
    builder.out.clear()
    return chunk


def _popped(records: list[Record]) -> Iterator[Record]:
    while records:
        yield records.pop()


def parse_nquads(chunks: Iterable[bytes]) -> list[Quad]:
    """pyoxigraph quads from N-Quads chunks (for callers that want terms, not text)."""
    return [q for chunk in chunks for q in parse(chunk, format=RdfFormat.N_QUADS)]


def dataset_quads(records: list[Record], base: str, lang: str) -> list[Quad]:
    """The quads of all ``records`` as pyoxigraph terms, in record order."""
    return parse_nquads(dataset_nquads(records, base, lang))
