"""The impact traversal's input on disk, in a form a new process opens in milliseconds.

A one-shot ``kg impact X`` used to import networkx and unpickle the whole networkx view
(~0.3 s at 1M triples) to walk a few hundred links. What the walk reads is small: per node its
code, label and kind, and per effect the links that carry it (graph/propagation.py's
:class:`~graph.propagation.Carrying` index: next node, hop strength, and the edge's predicate,
type, rationale, source, locator and evidence). :func:`write` keeps exactly that, as flat
arrays in one file next to the view's pickle (``<store>/views/<gen>.<view>.<code>.carry``),
when :func:`graph.netx.to_networkx` builds the view; :func:`open_view` maps it and hands out a
:class:`CompactView` that :func:`graph.propagation.propagate` and
:func:`graph.answers.scenarios.impact` take in place of the networkx graph, so the rows are
those of the networkx path by construction (tests/test_carryfile.py compares them).

The file is named by the store generation it was made from (a generation never changes: an
edit or a load makes a new one) and by a hash of the code and ontology that decide its
content, so a file that does not match is never read; one that cannot be read is ignored and
the caller uses the networkx view. This module imports neither networkx nor pyoxigraph.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import struct
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from graph import aside
from graph.store import IRI
from ontology.terms import KG_NS

if TYPE_CHECKING:
    import networkx as nx

HERE = Path(__file__).resolve().parent
MAGIC = b"KGCARRY1"
EFFECTS = ("accountability", "schedule", "service")  # graph.propagation.EFFECTS, sorted
NODE_KEYS = ("code", "label", "kind")  # what the impact answer reads of a node
EDGE_KEYS = ("predicate", "type", "rationale", "source", "locator", "evidence")  # ... of a link
NONE, ABSENT = -1, -2  # string ids of a value that is None, and of a key the dict lacks
SUFFIX = ".carry"


def code_hash() -> str:
    """A hash of what decides a file's content: the view's code, the propagation model and its
    ontology, and this module (a change to any of them names new files). CRC-32, not hashlib:
    importing hashlib loads OpenSSL, a tenth of a one-shot command's budget; this guards
    against stale code, not against an adversary."""
    h = 0
    for rel in ("netx.py", "certainty.py", "propagation.py", "carryfile.py", "../ontology/kg.ttl"):
        h = zlib.crc32((HERE / rel).read_bytes(), h)
    return f"{h:08x}"


def path_for(generation: Path, view: str, code: str | None = None) -> Path:
    """The file of ``view`` (``netx-nb-0``) made from the store generation folder ``generation``."""
    return generation.parent / "views" / f"{generation.name}.{view}.{code or code_hash()}{SUFFIX}"


class _Strings:
    """Strings interned to ids, written as one UTF-8 blob, its offsets and whether each is an
    :class:`~graph.store.IRI` (a result's IRI, as the view keeps a node or a source)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, bool], int] = {}
        self.blob = bytearray()
        self.offsets = array("q", [0])
        self.iri = array("b")

    def id(self, value: object, present: bool = True) -> int:
        if not present:
            return ABSENT
        if value is None:
            return NONE
        if type(value) not in (str, IRI):
            raise TypeError(f"not a string: {value!r}")  # the file keeps strings only
        key = (str(value), type(value) is IRI)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.iri)
            self.blob += key[0].encode("utf-8")
            self.offsets.append(len(self.blob))
            self.iri.append(key[1])
        return found


Best = dict[str, dict[int, dict[int, tuple[float, dict[str, Any]]]]]


def _carrying(g: nx.MultiDiGraph[str], ids: dict[str, int]) -> Best:
    """Per effect, node id and next node id, the link that carries it: what
    :meth:`graph.propagation.Carrying.out` answers for every node, in one pass over the edges
    (asking each node in turn costs seconds at 1M). The same rule per edge, the same strength,
    the same choice between links of one pair: the strongest, then :func:`~graph.propagation._tie`;
    links that tie on both give the same hop whichever is kept (tests/test_carryfile.py)."""
    from graph.propagation import _tie, hop_factor, rule_for

    rules: dict[tuple[str, Any], Any] = {}
    best: Best = {m: {} for m in EFFECTS}
    for u, v, d in g.edges(data=True):
        k = (d["predicate"], d.get("type"))
        r = rules[k] if k in rules else rules.setdefault(k, rule_for(d["predicate"], d))
        if r is None or not r.effects:
            continue
        # u → v: the effect goes u → v if it goes subject → object, else v → u
        owner, nxt = (ids[u], ids[v]) if r.forward else (ids[v], ids[u])
        f = hop_factor(r, d)
        for m in r.effects:
            at = best[m].setdefault(owner, {})
            old = at.get(nxt)
            if old is None or (f, _tie(d)) > (old[0], _tie(old[1])):
                at[nxt] = (f, d)
    return best


def _sections(
    g: nx.MultiDiGraph[str],
) -> tuple[dict[str, array[Any] | bytes], set[tuple[str, str | None]]]:
    """The file's arrays, and the (predicate, type) of every carrying link."""
    nodes = sorted(g)  # by IRI: ids then compare as the IRIs do (the traversal's ties)
    ids = {n: i for i, n in enumerate(nodes)}
    iris = _Strings()
    for n in nodes:
        iris.id(n)
    if len(iris.iri) != len(nodes):  # the same IRI as str and as IRI: not a view we made
        raise ValueError("a node twice")
    strings = _Strings()
    out: dict[str, array[Any] | bytes] = {
        "iri_off": iris.offsets,
        "iri_blob": bytes(iris.blob),
        "iri_iri": iris.iri,
    }
    data = [g.nodes[n] for n in nodes]
    for key in NODE_KEYS:
        out[f"node_{key}"] = array("i", (strings.id(d.get(key), key in d) for d in data))
    attrs: dict[tuple[int, ...], int] = {}
    seen: dict[int, int] = {}  # id() of an edge's dict (alive in g meanwhile) → its attr row
    attr_rows = array("i")
    pairs: set[tuple[str, str | None]] = set()
    for m, by_node in _carrying(g, ids).items():
        off, nxt, strength, attr = array("q", [0]), array("i"), array("d"), array("i")
        for i in range(len(nodes)):
            at = by_node.get(i)
            for v in sorted(at) if at else ():  # by next node, as Carrying.out
                f, d = at[v]  # type: ignore[index]
                a = seen.get(id(d))  # the same edge carries several effects: encode it once
                if a is None:
                    row = tuple(strings.id(d.get(k), k in d) for k in EDGE_KEYS)
                    a = attrs.get(row)
                    if a is None:
                        a = attrs[row] = len(attrs)
                        attr_rows.extend(row)
                        pairs.add((d["predicate"], d.get("type")))
                    seen[id(d)] = a
                nxt.append(v)
                strength.append(f)
                attr.append(a)
            off.append(len(nxt))
        out[f"{m}_off"], out[f"{m}_next"], out[f"{m}_f"], out[f"{m}_attr"] = (
            off,
            nxt,
            strength,
            attr,
        )
    out["attr"] = attr_rows
    out["str_off"], out["str_blob"], out["str_iri"] = (
        strings.offsets,
        bytes(strings.blob),
        strings.iri,
    )
    return out, pairs


def _relations(pairs: set[tuple[str, str | None]]) -> list[tuple[str, str | None, str, str]]:
    """The words for each link's relation (:func:`graph.propagation.relation_label`), in both
    languages: read with the file, they spare a one-shot command parsing the ontology."""
    from graph.propagation import relation_label

    return [
        (p, t, lang, relation_label(p, t, lang))
        for p, t in sorted(pairs, key=str)
        for lang in ("nb", "en")
    ]


def write(g: nx.MultiDiGraph[str], path: Path, forms: list[list[str]] | None = None) -> None:
    """Write the compact form of the view ``g`` to ``path`` (atomically); ``forms``: the
    language tags and datatypes of the store's labels (:func:`label_forms`; None: unknown)."""
    sections, pairs = _sections(g)
    layout: dict[str, list[Any]] = {}
    at = 0
    for name, data in sections.items():
        size = len(data) * (data.itemsize if isinstance(data, array) else 1)
        code = data.typecode if isinstance(data, array) else "B"
        layout[name] = [at, code, len(data)]
        at += (size + 7) // 8 * 8  # every section starts 8-aligned, as memoryview.cast needs
    header = json.dumps(
        {"sections": layout, "nodes": len(g), "label_forms": forms, "relations": _relations(pairs)}
    ).encode()
    start = (len(MAGIC) + 8 + len(header) + 7) // 8 * 8
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    path.parent.mkdir(exist_ok=True)
    with open(tmp, "wb") as f:
        f.write(MAGIC + struct.pack("<q", len(header)) + header)
        f.write(b"\0" * (start - f.tell()))
        for name, data in sections.items():
            pad = layout[name][0] + start - f.tell()
            f.write(b"\0" * pad)
            f.write(data.tobytes() if isinstance(data, array) else data)
    os.replace(tmp, path)


LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name",
)  # graph.queries.NODE_LOOKUP finds a node by these by their text in any language
KEYS = (
    "http://purl.org/dc/terms/identifier",
    "http://www.w3.org/2004/02/skos/core#notation",
)  # ... and by these as plain strings
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def label_forms(store: Any) -> list[list[str]] | None:
    """Every (language tag, "") or ("", datatype) the store's labels have: :func:`resolve`
    looks a name up as each of them, which finds what the lookup query's scan of every label's
    text finds. None when a label has a datatype whose text the store may rewrite (a number)."""
    import pyoxigraph as ox

    known = getattr(store, "label_forms", None)
    if known is not None:  # the views' lines know them (graph.answers.viewrows.ViewRows)
        return cast("list[list[str]] | None", known())
    forms: set[tuple[str, str]] = set()
    for p in LABELS:
        for q in store.quads(None, ox.NamedNode(p), None):
            o = q.object
            if not isinstance(o, ox.Literal):
                continue
            if o.language:
                forms.add((o.language, ""))
            elif o.datatype.value == XSD_STRING:
                forms.add(("", XSD_STRING))
            else:
                return None
    return [list(f) for f in sorted(forms)]


def write_for(store: Any, view: str, g: nx.MultiDiGraph[str]) -> None:
    """:func:`write` for the view ``view`` of the store generation ``store`` reads (none on a
    store without generations), and drop the files of generations gone and of older code. A
    file that cannot be written is left out: the reader then uses the networkx view."""
    from graph.store import Capability

    generation = store.opened if store.supports(Capability.GENERATIONS) else None
    if generation is None:
        return
    path = path_for(Path(generation), view)
    try:
        write(g, path, label_forms(store))
    except (OSError, TypeError, KeyError, ValueError):
        path.with_suffix(f".{os.getpid()}.tmp").unlink(missing_ok=True)
        return
    aside.drop_stale(path.parent)  # what a writer killed mid-write left
    live = {p.name for p in path.parent.parent.glob("gen-*")}
    for old in path.parent.glob(f"*{SUFFIX}"):
        gen, name = old.name.split(".", 2)[:2]
        if gen not in live or (name == view and old.name != path.name):
            with contextlib.suppress(OSError):
                old.unlink()


def resolve(store: Any, view: CompactView, key: str) -> str | None:
    """The node ``key`` names, as :func:`graph.queries.resolve_node` finds it (no kinds asked),
    by exact index lookups instead of its scan of every label; None when that is not one node
    or this cannot tell (the caller then asks :func:`~graph.queries.resolve_node`, which also
    words the errors)."""
    import pyoxigraph as ox

    if view.label_forms is None:
        return None
    key = key.strip()
    if re.match(r"^https?://", key):
        return key
    if key.lower().startswith("sdg:"):
        key = key[4:]
    kinds: dict[Any, bool] = {}

    def typed(node: Any) -> bool:  # has a kg: class, as the lookup query asks
        if node not in kinds:
            kinds[node] = any(
                q.object.value.startswith(KG_NS)
                for q in store.quads(node, ox.NamedNode(RDF_TYPE), None)
            )
        return kinds[node]

    for variant in dict.fromkeys((key, key.upper(), key.lower(), key.capitalize())):
        terms = [(p, ox.Literal(variant)) for p in KEYS]
        for lang, _ in view.label_forms:
            terms += [(p, ox.Literal(variant, language=lang or None)) for p in LABELS]
        hits = {
            q.subject
            for p, o in terms
            for q in store.quads(None, ox.NamedNode(p), o)
            if typed(q.subject)
        }
        if hits:
            (node,) = hits if len(hits) == 1 else (None,)
            return IRI(node.value) if isinstance(node, ox.NamedNode) else None
    return None


class _Nodes:
    """``view.nodes[iri]``: a node's code, label and kind as the networkx view has them."""

    def __init__(self, view: CompactView) -> None:
        self.view = view

    def __getitem__(self, iri: str) -> dict[str, Any]:
        i = self.view.id(iri)
        if i is None:
            raise KeyError(iri)
        return self.view.attrs(i)

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.view.id(iri) is not None


class CompactView:
    """The view as :func:`graph.answers.scenarios.impact` reads it, from a mapped file: node
    attributes (``nodes[iri]``), membership (``iri in view``) and the carrying links
    (:meth:`out`, what :class:`graph.propagation.Carrying` answers for the networkx view)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        buf = memoryview(self._map)
        if bytes(buf[: len(MAGIC)]) != MAGIC:
            raise ValueError(f"{path}: not a carrying file")
        (size,) = struct.unpack("<q", buf[len(MAGIC) : len(MAGIC) + 8])
        header = json.loads(bytes(buf[len(MAGIC) + 8 : len(MAGIC) + 8 + size]))
        start = (len(MAGIC) + 8 + size + 7) // 8 * 8
        if start + max((at for at, _, _ in header["sections"].values()), default=0) > len(buf):
            raise ValueError(f"{path}: cut short")
        self._s: dict[str, memoryview] = {}
        for name, (at, code, count) in header["sections"].items():
            width = struct.calcsize(code)
            part = buf[start + at : start + at + width * count]
            if len(part) != width * count:
                raise ValueError(f"{path}: cut short")
            self._s[name] = part if code == "B" else part.cast(code)
        self.size = int(header["nodes"])
        from graph.propagation import KNOWN_LABELS

        KNOWN_LABELS.update({(p, t, lang): text for p, t, lang, text in header["relations"]})
        forms = header.get("label_forms")
        self.label_forms: list[tuple[str, str]] | None = (
            [(str(a), str(b)) for a, b in forms] if forms is not None else None
        )
        self.nodes = _Nodes(self)
        self._ids: dict[str, int] = {}
        self._iris: dict[int, str] = {}
        self._attrs: dict[int, dict[str, Any]] = {}
        self._edges: dict[int, dict[str, Any]] = {}
        self._out: dict[str, dict[str, list[tuple[str, float, dict[str, Any]]]]] = {}
        self._hops: dict[tuple[str, str, str], Any] = {}

    # -- strings and nodes ---------------------------------------------------------------

    def _str(self, i: int, table: str = "str") -> str | None:
        if i < 0:
            return None
        off = self._s[f"{table}_off"]
        text = str(self._s[f"{table}_blob"][off[i] : off[i + 1]], "utf-8")
        return IRI(text) if self._s[f"{table}_iri"][i] else text

    def iri(self, i: int) -> str:
        """The node with id ``i`` (as the view keys it)."""
        found = self._iris.get(i)
        if found is None:
            found = self._iris[i] = cast(str, self._str(i, "iri"))
            self._ids[found] = i
        return found

    def id(self, iri: str) -> int | None:
        """The node's id, or None if the view has no such node (a binary search, once)."""
        found = self._ids.get(iri)
        if found is None:
            i = bisect_left(range(self.size), iri, key=self.iri)
            found = i if i < self.size and self.iri(i) == iri else None
        return found

    def attrs(self, i: int) -> dict[str, Any]:
        found = self._attrs.get(i)
        if found is None:
            found = {}
            for key in NODE_KEYS:
                s = self._s[f"node_{key}"][i]
                if s != ABSENT:
                    found[key] = self._str(s)
            self._attrs[i] = found
        return found

    def __contains__(self, iri: object) -> bool:
        return iri in self.nodes

    def __iter__(self) -> Iterator[str]:
        return (self.iri(i) for i in range(self.size))

    def __len__(self) -> int:
        return self.size

    # -- the carrying links --------------------------------------------------------------

    def _edge(self, a: int) -> dict[str, Any]:
        found = self._edges.get(a)
        if found is None:
            row = self._s["attr"][a * len(EDGE_KEYS) : (a + 1) * len(EDGE_KEYS)]
            found = {k: self._str(s) for k, s in zip(EDGE_KEYS, row, strict=True) if s != ABSENT}
            self._edges[a] = found
        return found

    def out(self, iri: str) -> dict[str, list[tuple[str, float, dict[str, Any]]]]:
        """Per effect, the links out of ``iri`` that carry it: (next node, strength, edge)."""
        found = self._out.get(iri)
        if found is not None:
            return found
        i = self.id(iri)
        found = {}
        if i is not None:
            s = self._s
            for m in EFFECTS:
                off = s[f"{m}_off"]
                a, b = off[i], off[i + 1]
                if a < b:
                    nxt, f, attr = s[f"{m}_next"], s[f"{m}_f"], s[f"{m}_attr"]
                    found[m] = [(self.iri(nxt[k]), f[k], self._edge(attr[k])) for k in range(a, b)]
        self._out[iri] = found
        return found

    def hop(self, frm: str, to: str, effect: str, f: float, d: dict[str, Any]) -> Any:
        """The propagation ``Hop`` of one link from :meth:`out`, made once per view, as
        :meth:`graph.propagation.Carrying.hop` makes it for the networkx view."""
        key = (frm, to, effect)
        found = self._hops.get(key)
        if found is None:
            from graph.propagation import _hop

            found = self._hops[key] = _hop(frm, to, (effect,), f, d)
        return found

    def carrying(self) -> CompactView:
        """What :func:`graph.propagation.carrying_index` uses for this view: itself."""
        return self


def open_view(generation: Path, view: str) -> CompactView | None:
    """The compact form of ``view`` for ``generation``, or None when there is none for this
    code or it cannot be read (the caller then uses the networkx view)."""
    try:
        return CompactView(path_for(generation, view))
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


# The compact views opened by shared_view, newest last: the views of one generation share one
# (what it has decoded serves them all), and only the last few generations are kept open.
_SHARED: dict[Path, CompactView] = {}
KEEP = 2


def shared_view(generation: Path, view: str) -> CompactView | None:
    """:func:`open_view`, opened once per file in this process (None is not kept: the file may
    be written later)."""
    path = path_for(generation, view)
    found = _SHARED.get(path)
    if found is None:
        found = open_view(generation, view)
        if found is not None:
            _SHARED[path] = found
            for old in list(_SHARED)[:-KEEP]:
                _SHARED.pop(old, None)
    return found


__all__ = [
    "CompactView",
    "open_view",
    "path_for",
    "resolve",
    "shared_view",
    "write",
    "write_for",
]
