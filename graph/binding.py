"""Bind query parameters as RDF terms: a ``VALUES`` block at the start of the WHERE clause.

Oxigraph's substitutions only reach projected variables, and the SPARQL protocol has no
parameters at all, so both the embedded and the remote store bind this way. Each value is
serialised as an RDF term (an IRI in ``<…>``, an escaped, typed literal), never pasted as
raw text, so a value cannot change the shape of the query.
"""

from __future__ import annotations

import re
from typing import Any

_MASK = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def masked(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out, same length (for finding keywords)."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), text)


def bind(text: str, terms: dict[str, Any]) -> str:
    """Insert ``VALUES (?a ?b) { (t1 t2) }`` as the first element of every WHERE group.

    Every group, so that a sub-query sees the parameters too (variables in a sub-query are
    its own unless bound inside it).
    """
    if not terms:
        return text
    for name in terms:
        if not _NAME.match(name):
            raise ValueError(f"bad parameter name {name!r}")
    bare = masked(text)
    spots = [m.end() for m in re.finditer(r"\bWHERE\s*\{", bare, re.I)]
    if not spots:
        brace = bare.find("{")
        if brace < 0:
            return text  # no group to bind into; the store will report the malformed query
        spots = [brace + 1]
    names = " ".join(f"?{n}" for n in terms)
    values = " ".join(str(t) for t in terms.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    for at in reversed(spots):
        text = text[:at] + block + text[at:]
    return text
