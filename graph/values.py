"""RDF terms ↔ plain Python values: the one conversion every SPARQL backend uses.

A query result holds plain values (:class:`graph.store.IRI` for IRIs, ``str``, ``int``,
``Decimal``, ``float``, ``bool``, ``datetime.date`` for literals); parameters go the other way,
as RDF terms bound into the query (never pasted into its text). The embedded store, the remote
SPARQL store and the property-graph mapping all convert here, so they return identical values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from graph.store import IRI

XSD = "http://www.w3.org/2001/XMLSchema#"


def to_python(term: Any) -> Any:
    """An oxigraph term → a plain Python value.

    >>> to_python(ox.NamedNode("https://example.org/a"))
    'https://example.org/a'
    >>> type(to_python(ox.NamedNode("https://example.org/a"))).__name__
    'IRI'
    >>> to_python(ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")))
    42
    >>> to_python(ox.Literal("2017-01-01", datatype=ox.NamedNode(XSD + "date")))
    datetime.date(2017, 1, 1)
    >>> to_python(ox.Literal("not a date", datatype=ox.NamedNode(XSD + "date")))
    'not a date'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        v = term.value
        try:
            if dtype in (XSD + "integer", XSD + "int", XSD + "long"):
                return int(v)
            if dtype == XSD + "decimal":
                return Decimal(v)
            if dtype in (XSD + "double", XSD + "float"):
                return float(v)
            if dtype == XSD + "boolean":
                return v == "true"
            if dtype == XSD + "date":
                return dt.date.fromisoformat(v)
        except ValueError:  # a malformed typed literal stays readable as its text
            return v
        return v
    return str(term)


def to_term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python parameter value → an oxigraph term, for binding.

    >>> to_term(IRI("https://example.org/a"))
    <NamedNode value=https://example.org/a>
    >>> to_term(True).value, to_term(3).datatype.value == XSD + "integer"
    ('true', True)
    >>> to_term("A4") == ox.Literal("A4")
    True
    """
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, IRI):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float | Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))
