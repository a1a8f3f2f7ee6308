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
from decimal import Decimal
from typing import Any

from graph.store import IRI

KG = "https://w3id.org/kommunegraf/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
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


class Parsed:
    """The view's maps, filled line by line: by (subject, predicate), types, IRI edges."""

    def __init__(self, literals: set[str] | frozenset[str] = frozenset()) -> None:
        self.keep_p = literals  # predicates ("<iri>") whose literal values the views read
        self.graphs: set[str] = set()  # the named graphs the lines hold
        # Hashes of the triples seen (a triple in two graphs counts once: the default graph is
        # their union). Hashes, not the triples: a million tuples of strings would cost ~250 MB.
        self.seen: set[int] = set()
        self.by_sp: dict[tuple[str, str], list[tuple[Any, str | None]]] = {}
        self.types: dict[str, list[str]] = {}
        self.edges: list[tuple[str, str, str]] = []
        self.iris: dict[str, str] = {}  # "<iri>" as written → one shared IRI (or blank node)

    def take(self, line: str) -> bool:
        """Read ``line`` if the views need it (see :func:`graph.viewlines.keep`); did they?"""
        s, p, rest = line.split(" ", 2)
        if p == TYPE:
            if not rest.startswith(_KG_OBJ):
                return False
        elif rest[0] != "<" and p not in self.keep_p:
            return False
        self._add(line, s, p, rest)
        return True

    def read(self, line: str) -> None:
        """Read a line the views need."""
        s, p, rest = line.split(" ", 2)
        self._add(line, s, p, rest)

    def _node(self, token: str) -> str:
        found = self.iris.get(token)
        if found is None:
            found = self.iris[token] = IRI(token[1:-1]) if token[0] == "<" else token
        return found

    def _add(self, line: str, s: str, p: str, rest: str) -> None:
        o, g, _ = rest.rsplit(" ", 2)
        h = hash(line[: len(line) - len(g) - 3])  # the triple, without its graph and " ."
        self.graphs.add(g[1:-1])
        if h in self.seen:
            return
        self.seen.add(h)
        node = self._node
        if p == TYPE:
            self.types.setdefault(node(s), []).append(node(o))
            return
        si, pi = node(s), node(p)
        if o[0] == "<" or o[0] == "_":
            oi = node(o)
            self.by_sp.setdefault((si, pi), []).append((oi, None))
            if o[0] == "<":
                self.edges.append((si, pi, oi))
        else:
            self.by_sp.setdefault((si, pi), []).append(_term(o))
