"""The store seam: one small interface for the embedded store, Neo4j and remote SPARQL.

A backend is chosen by name (:func:`open_store`) and always answers with a :class:`Result`
of plain Python values: IRIs as :class:`IRI` (a ``str``), literals as ``str``, ``int``,
``Decimal``, ``bool`` or ``datetime.date``. Conversion of RDF terms or Neo4j records happens
inside each backend and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class IRI(str):
    """An IRI in a result (as opposed to a literal string)."""

    __slots__ = ()


@dataclass
class Limits:
    """Bounds for one query: wall-clock seconds and rows. Both configurable by env."""

    seconds: float = float(os.environ.get("KG_QUERY_SECONDS", "10"))
    rows: int = int(os.environ.get("KG_QUERY_ROWS", "10000"))


@dataclass
class Result:
    """Rows of a query. ``truncated`` is set when the row limit cut the answer short."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    boolean: bool | None = None
    elapsed: float = 0.0
    notes: list[str] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


class QueryError(Exception):
    """A query that was refused or failed; ``message(lang)`` explains it to a user."""

    def __init__(self, en: str, nb: str, query_name: str | None = None):
        self.en, self.nb, self.query_name = en, nb, query_name
        super().__init__(en)

    def message(self, lang: str = "en") -> str:
        text = self.nb if lang == "nb" else self.en
        return f"{self.query_name}: {text}" if self.query_name else text


class LimitExceeded(QueryError):
    """The query ran past its time limit."""


class Store(Protocol):
    """What every backend offers. Writes go through :meth:`replace`, all or nothing."""

    name: str
    language: str  # "sparql" or "cypher"

    def query(
        self, text: str, params: dict[str, Any] | None = None, limits: Limits | None = None
    ) -> Result: ...

    def replace(self, graphs: Iterable[str], quads: Iterable[Any]) -> int: ...

    def graphs(self) -> list[str]: ...

    def close(self) -> None: ...


def default_path() -> Path:
    return Path(os.environ.get("KG_STORE", Path.cwd() / ".kg" / "store"))


def open_store(name: str = "embedded", **options: Any) -> Store:
    """Open a backend by name: ``embedded`` (default), ``memory``, ``sparql`` or ``neo4j``."""
    if name in ("embedded", "memory"):
        from graph.embedded import EmbeddedStore

        path = None if name == "memory" else options.get("path", default_path())
        return EmbeddedStore(path, read_only=options.get("read_only", False))
    if name == "sparql":
        from graph.remote import SparqlStore

        return SparqlStore(**options)
    if name == "neo4j":
        from graph.neo4j import Neo4jStore

        return Neo4jStore(**options)
    raise ValueError(f"unknown backend {name!r} (embedded, memory, sparql, neo4j)")
