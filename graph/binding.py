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
    """Insert ``VALUES (?a ?b) { (t1 t2) }`` as the first element of every group pattern.

    Every group, not just the WHERE clause: SPARQL evaluates nested groups (an OPTIONAL inside
    an OPTIONAL, a sub-query, a UNION branch) bottom-up, so a filter there would not see a
    parameter bound only at the top. Joining a one-row VALUES block is neutral everywhere else.
    Braces that are not groups (a CONSTRUCT template, a VALUES data block) and the braces around
    a sub-query are left alone.
    """
    if not terms:
        return text
    for name in terms:
        if not _NAME.match(name):
            raise ValueError(f"bad parameter name {name!r}")
    bare = masked(text)
    spots = []
    for m in re.finditer(r"\{", bare):
        before = bare[: m.start()]
        if _NOT_GROUP.search(before) or re.match(r"\s*SELECT\b", bare[m.end() :], re.I):
            continue  # a sub-query's braces hold only the sub-query; its own WHERE gets a block
        spots.append(m.end())
    if not spots:
        return text  # no group to bind into; the store will report the malformed query
    names = " ".join(f"?{n}" for n in terms)
    values = " ".join(str(t) for t in terms.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    for at in reversed(spots):
        text = text[:at] + block + text[at:]
    return text


_NOT_GROUP = re.compile(r"(\bCONSTRUCT|\bVALUES\s*(\([^)]*\)|[?$]\w+))\s*$", re.I)
