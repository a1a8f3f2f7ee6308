"""The kept view lines (:mod:`graph.viewlines`) read into the maps the view queries are answered
from (:mod:`graph.answers.viewrows`), in one pass.

A load used to split every N-Quads line twice: once to decide whether the views need it, and
again, after the load, to read it. :meth:`Parsed.take` does both with one split while the
chunks pass to the store (the loading thread otherwise waits on the store's writers), so the
views are ready to be built the moment the data is live. :meth:`Parsed.read` reads a line known
to be kept (from a generation's kept-lines file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from graph.store import IRI

KG = "https://w3id.org/kommunegraf/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# The label predicates whose literals' forms are kept (graph.carryfile.label_forms asks).
LABELS = frozenset(
    ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://xmlns.com/foaf/0.1/name")
)
_KG_OBJ = f"<{KG}"

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


def _form(text: str) -> tuple[str, str]:
    """(language tag, "") or ("", datatype) of one N-Quads literal, as the store reads it."""
    suffix = text[text.rindex('"') + 1 :]
    if suffix.startswith("@"):
        return suffix[1:].lower(), ""
    if suffix.startswith("^^<"):
        return "", suffix[3:-1]
    return "", XSD + "string"


def _terms(line: str) -> tuple[str, str, str, str]:
    """(subject, predicate, object, graph) of one N-Quads line."""
    s, p, rest = line.split(" ", 2)
    o, g, _ = rest.rsplit(" ", 2)
    return s, p, o, g


class Parsed:
    """The view's maps, filled line by line: by predicate and subject, types, IRI edges."""

    def __init__(self, literals: set[str] | frozenset[str] = frozenset()) -> None:
        self.keep_p = literals  # predicates ("<iri>") whose literal values the views read
        self._graphs: set[str] = set()  # the named graphs the lines hold, as written ("<iri>")
        # Hashes of the triples seen (a triple in two graphs counts once: the default graph is
        # their union). Hashes, not the triples: a million tuples of strings would cost ~250 MB.
        # The hash of (s, p, o) rather than of the line's text: the three tokens' hashes are
        # computed once and kept by the strings, and the lookups in ``iris`` reuse them.
        self.seen: set[int] = set()
        # predicate → subject → values: the view queries ask for one predicate over every
        # subject (or one subject's few predicates), and a lookup by two strings needs no tuple
        # (a million (s, p) tuples made and hashed were a third of the views' time at 1M)
        self.by_p: dict[str, dict[str, list[tuple[Any, str | None]]]] = {}
        self.types: dict[str, list[str]] = {}
        self.edges: list[tuple[str, str, str]] = []
        self.iris: dict[str, str] = {}  # "<iri>" as written → one shared IRI (or blank node)
        # (language tag, "") or ("", datatype) of every label literal: as the store gives them
        self.label_forms: set[tuple[str, str]] = set()

    @property
    def graphs(self) -> set[str]:
        """The named graphs the lines hold."""
        return {g[1:-1] for g in self._graphs}

    def take(self, line: str) -> bool:
        """Read ``line`` if the views need it (see :func:`graph.viewlines.keep`); did they?"""
        s, p, rest = line.split(" ", 2)
        if p == TYPE:
            if not rest.startswith(_KG_OBJ):
                return False
        elif rest[0] != "<" and p not in self.keep_p:
            return False
        o, g, _ = rest.rsplit(" ", 2)
        self.add(s, p, o, g)
        return True

    def read(self, line: str) -> None:
        """Read a line the views need."""
        self.add_all((_terms(line),))

    def read_all(self, lines: Iterable[str]) -> None:
        """Read lines the views need."""
        self.add_all(_terms(line) for line in lines)

    def add(self, s: str, p: str, o: str, g: str) -> None:
        """Read the four terms of a line the views need, as N-Quads writes them."""
        self.add_all(((s, p, o, g),))

    def add_all(self, rows: Iterable[Sequence[str]]) -> None:
        """:meth:`add` for each of ``rows`` (subject, predicate, object, graph[, more])."""
        # The hot path of a load (~650 k lines at 1M): one loop with every lookup bound once
        # (a call per line and its attribute lookups were a third of the time).
        graphs, seen, iris, types, by_p, edges = (
            self._graphs,
            self.seen,
            self.iris,
            self.types,
            self.by_p,
            self.edges,
        )
        forms = self.label_forms
        for row in rows:
            s = row[0]
            p = row[1]
            o = row[2]
            graphs.add(row[3])
            h = hash((s, p, o))
            if h in seen:
                continue
            seen.add(h)
            si = iris.get(s)
            if si is None:
                si = iris[s] = IRI(s[1:-1]) if s[0] == "<" else s
            c = o[0]
            if p == TYPE:
                oi = iris.get(o)
                if oi is None:
                    oi = iris[o] = IRI(o[1:-1]) if c == "<" else o
                found = types.get(si)
                if found is None:
                    types[si] = [oi]
                else:
                    found.append(oi)
                continue
            pi = iris.get(p)
            if pi is None:
                pi = iris[p] = IRI(p[1:-1])
            value: tuple[Any, str | None]
            if c == "<" or c == "_":
                oi = iris.get(o)
                if oi is None:
                    oi = iris[o] = IRI(o[1:-1]) if c == "<" else o
                value = (oi, None)
                if c == "<":
                    edges.append((si, pi, oi))
            else:
                value = _term(o)
                if pi in LABELS:
                    forms.add(_form(o))
            of_p = by_p.get(pi)
            if of_p is None:
                of_p = by_p[pi] = {}
            found_sp = of_p.get(si)
            if found_sp is None:
                of_p[si] = [value]
            else:
                found_sp.append(value)
