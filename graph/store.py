"""The store seam: one small interface for the embedded store, Neo4j and remote SPARQL.

A backend is chosen by name (:func:`open_store`) and always answers with a :class:`Result`
of plain Python values: IRIs as :class:`IRI` (a ``str``), literals as ``str``, ``int``,
``Decimal``, ``bool`` or ``datetime.date``. RDF terms are converted in :mod:`graph.values`,
Neo4j records in :mod:`graph.neo4j`. What a backend can do beyond querying is declared in its
:attr:`Store.capabilities`; an operation it lacks raises :class:`NotSupported`.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Progress = Callable[[str, str], None]  # (english, norwegian)


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


class NotSupported(QueryError):
    """The backend does not offer this operation (see :attr:`Store.capabilities`)."""

    def __init__(self, backend: str, what: Capability, en: str = "", nb: str = ""):
        self.backend, self.capability = backend, what
        super().__init__(
            f"{what.value} is not supported by the {backend} backend" + (f": {en}" if en else ""),
            f"{what.value} støttes ikke av lageret {backend}" + (f": {nb}" if nb else ""),
        )


class Capability(enum.Enum):
    """What a backend can do beyond query() and graphs(), like the flags of an rdflib Store.

    Callers check ``store.supports(Capability.X)`` instead of probing for attributes; a
    backend without X raises :class:`NotSupported` from the method.
    """

    REPLACE = "replace"  # replace(graphs, quads): swap named graphs in one step
    REPLACE_NQUADS = "replace_nquads"  # replace_nquads(graphs, chunks): the same from N-Quads text
    QUADS = "quads"  # quads(s, p, o, g): the quads matching a pattern as oxigraph Quads (all by default)
    DUMP = "dump"  # dump(fmt): the whole store serialised
    LEN = "len"  # len(store): the number of quads
    GENERATIONS = "generations"  # root / opened / refresh(): immutable on-disk generations
    COMPACT = "compact"  # compact(): switch to a compacted copy after a bulk load
    LOOKUP_NODE = "lookup_node"  # lookup_node(key): its own node lookup (no SPARQL to run it)
    AS_OF = "as_of"  # as_of: the date of each dataset's snapshot the store holds
    PUSH_TARGET = "push_target"  # ready()/schema()/write()/push_state(): filled by graph.push


class Store:
    """What every backend offers: query() and graphs() always, the rest per :attr:`capabilities`.

    Each optional operation below raises :class:`NotSupported`; a backend overrides the ones it
    has and lists them in ``capabilities`` (a test checks that the two agree). An instance may
    offer fewer than its class: an in-memory embedded store has no generations on disk.
    """

    name: str = "store"
    language: str = "sparql"  # "sparql" or "cypher"
    capabilities: frozenset[Capability] = frozenset()
    # query() may be called from two threads at once and the queries then run side by side (not
    # a Capability: nothing to refuse, a caller only chooses to run its queries one by one)
    parallel_reads: bool = False

    def supports(self, what: Capability) -> bool:
        return what in self.capabilities

    def _missing(self, what: Capability) -> NotSupported:
        return NotSupported(self.name, what)

    def __bool__(self) -> bool:  # not len(): a store without LEN is still a store
        return True

    # -- always ----------------------------------------------------------------------------

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        raise NotImplementedError

    def graphs(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # -- per capability --------------------------------------------------------------------

    def replace(
        self, graphs: Iterable[str], quads: Iterable[Any], progress: Progress | None = None
    ) -> int:
        raise self._missing(Capability.REPLACE)

    def replace_nquads(
        self,
        graphs: Iterable[str],
        chunks: Iterable[bytes],
        lenient: bool = False,
        compact: bool = False,
        meanwhile: Callable[[], object] | None = None,
        compacted: Callable[[Store], object] | None = None,
    ) -> tuple[int, int]:
        raise self._missing(Capability.REPLACE_NQUADS)

    def quads(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph: Any = None
    ) -> Iterable[Any]:
        """The quads matching the pattern (oxigraph terms; None matches anything), as oxigraph
        Quads: every quad when called without arguments."""
        raise self._missing(Capability.QUADS)

    def dump(self, fmt: Any = None) -> bytes:
        raise self._missing(Capability.DUMP)

    def __len__(self) -> int:
        raise self._missing(Capability.LEN)

    @property
    def root(self) -> Path:
        """The store's folder (its generations, snapshots and views live beside it)."""
        raise self._missing(Capability.GENERATIONS)

    @property
    def opened(self) -> Path | None:
        """The generation folder this handle reads (None before the first load)."""
        raise self._missing(Capability.GENERATIONS)

    def refresh(self) -> bool:
        """Read the newest generation if a writer (maybe another process) made one since this
        handle opened its own; True if it moved."""
        raise self._missing(Capability.GENERATIONS)

    def compact(self, meanwhile: Callable[[], object] | None = None) -> bool:
        raise self._missing(Capability.COMPACT)

    def lookup_node(self, key: str) -> list[tuple[IRI, str]]:
        raise self._missing(Capability.LOOKUP_NODE)

    @property
    def as_of(self) -> dict[str, dt.date]:
        raise self._missing(Capability.AS_OF)

    def ready(self) -> tuple[int, ...]:
        raise self._missing(Capability.PUSH_TARGET)

    def schema(self, statements: list[str]) -> None:
        raise self._missing(Capability.PUSH_TARGET)

    def write(
        self,
        work: Callable[[Any], T],
        on_retry: Callable[[Exception | None, int], None] | None = None,
        timeout: float | None = None,
        retry_seconds: float = 15.0,
        retry_delay: float = 0.5,
    ) -> T:
        raise self._missing(Capability.PUSH_TARGET)

    def push_state(self) -> dict[str, Any]:
        raise self._missing(Capability.PUSH_TARGET)


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
