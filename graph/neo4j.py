"""The Neo4j backend: Cypher over the official driver, read-only and bounded for every query.

The graph gets into Neo4j by :func:`graph.push.push` (the mapping is :mod:`graph.pgmap`), in many
small transactions; ``:KgMeta`` says which push is complete (:meth:`Neo4jStore.push_state`). This
store only reads. Ad-hoc Cypher is checked (:func:`graph.safety.check_cypher`) before it is sent
and then runs in a READ session, so the server refuses a write the check might miss. Every query
carries the time limit as a transaction timeout (the server stops it) and stops reading at the
row limit. Records come back as plain values: a node as its ``iri`` (:class:`graph.store.IRI`),
a Neo4j date as :class:`datetime.date`. Connection problems become one :class:`QueryError` line
in Norwegian and English; the password is never part of a message, a log line or ``repr``.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx

from graph.config import read_password
from graph.safety import check_cypher
from graph.store import (
    IRI,
    Capability,
    LimitExceeded,
    Limits,
    NotSupported,
    QueryError,
    Result,
    Store,
)

T = TypeVar("T")
# The driver logs each retry of a managed transaction as a warning; graph.push reports retries
# through its progress callback instead, so the CLI shows no stray log lines.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
# Neo4j 5; the named questions use quantified path patterns (5.9) and COLLECT {} (5.6).
MIN_VERSION = (5, 9)
META = "KgMeta"  # the one node that records what was pushed (graphs, time, mapping version)
RETRY_SECONDS = 15.0  # how long the driver keeps retrying one write transaction
RETRY_DELAY = 0.5  # its first wait; each next one doubles (with jitter)


def parse_version(components: list[dict[str, Any]], agent: str = "") -> tuple[int, ...]:
    """The kernel version from ``CALL dbms.components()`` rows (or the ``Neo4j/5.26.0`` agent)."""
    texts = [
        v for c in components if c.get("name") == "Neo4j Kernel" for v in c.get("versions", [])
    ]
    for text in texts + [agent.partition("/")[2]]:
        m = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", text or "")
        if m:
            return tuple(int(x) for x in m.groups() if x is not None)
    return ()


def check_version(version: tuple[int, ...], where: str = "") -> None:
    if not version or version < MIN_VERSION:
        shown = ".".join(map(str, version)) or "unknown"
        need = ".".join(map(str, MIN_VERSION))
        raise QueryError(
            f"Neo4j {where} is version {shown}; Kommunegraf needs Neo4j {need} or newer",
            f"Neo4j {where} har versjon {shown}; Kommunegraf trenger Neo4j {need} eller nyere",
        )


def plain(value: Any) -> Any:
    """A value from a Neo4j record → the plain Python value every backend returns."""
    if isinstance(value, neo4j.graph.Node):
        return IRI(value["iri"]) if value.get("iri") else f"node:{value.element_id}"
    if isinstance(value, neo4j.graph.Relationship):
        return IRI(value["relation"]) if value.get("relation") else value.type
    if isinstance(value, neo4j.graph.Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.to_native()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    return value


def to_param(value: Any) -> Any:
    """A typed parameter (see :mod:`graph.queries`) → a value the driver sends as is."""
    if isinstance(value, IRI):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


class Neo4jStore(Store):
    """A Neo4j 5 server behind the :class:`graph.store.Store` interface (reads; pushes write)."""

    name = "neo4j"
    language = "cypher"
    capabilities = frozenset({Capability.LOOKUP_NODE, Capability.PUSH_TARGET})

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        password_file: str | None = None,
        database: str | None = None,
        connect_timeout: float = 5.0,
    ):
        self.uri = uri or os.environ.get("KG_NEO4J_URI") or "bolt://127.0.0.1:7687"
        self.user = user or os.environ.get("KG_NEO4J_USER") or "neo4j"
        self.database = database or os.environ.get("KG_NEO4J_DATABASE") or None
        secret = read_password(
            password or os.environ.get("KG_NEO4J_PASSWORD"),
            password_file or os.environ.get("KG_NEO4J_PASSWORD_FILE"),
            "Neo4j",
        )
        if secret is None:
            raise QueryError(
                "no Neo4j password: set KG_NEO4J_PASSWORD or KG_NEO4J_PASSWORD_FILE",
                "mangler passord til Neo4j: sett KG_NEO4J_PASSWORD eller KG_NEO4J_PASSWORD_FILE",
            )
        self.version: tuple[int, ...] = ()
        try:  # the driver keeps the secret; this object does not, so no repr or log can show it
            self._driver = neo4j.GraphDatabase.driver(
                self.uri,
                auth=(self.user, secret),
                connection_timeout=connect_timeout,
                connection_acquisition_timeout=connect_timeout * 2,
                notifications_min_severity="OFF",
            )
        except (ValueError, nx.ConfigurationError) as e:
            raise QueryError(
                f"bad Neo4j address '{self.where}': {e}",
                f"ugyldig Neo4j-adresse '{self.where}': {e}",
            ) from None

    @property
    def where(self) -> str:
        return re.sub(r"//[^@/]*@", "//", self.uri)  # never show user info in an address

    def __repr__(self) -> str:
        return f"Neo4jStore({self.where!r}, user={self.user!r})"

    # -- errors ---------------------------------------------------------------------------

    def failure(self, e: Exception, name: str | None = None) -> QueryError:
        """One clear line for what went wrong; no driver trace, no password."""
        code = getattr(e, "code", "") or ""
        if isinstance(e, QueryError):
            return e
        if isinstance(e, nx.AuthError) or "Security.Unauthorized" in code:
            return QueryError(
                f"Neo4j at {self.where} refused user '{self.user}': wrong user name or password",
                f"Neo4j på {self.where} avviste brukeren '{self.user}': feil brukernavn eller passord",
                name,
            )
        if isinstance(e, nx.ServiceUnavailable | nx.SessionExpired | OSError):
            return QueryError(
                f"cannot reach Neo4j at {self.where}: is the server running (KG_NEO4J_URI)?",
                f"får ikke kontakt med Neo4j på {self.where}: kjører tjeneren (KG_NEO4J_URI)?",
                name,
            )
        message = getattr(e, "message", None) or str(e)
        if "TransactionTimedOut" in code or "Transaction.Terminated" in code:
            return LimitExceeded(
                "the query ran longer than the time limit and was stopped",
                "spørringen brukte mer enn tidsgrensen og ble stoppet",
                name,
            )
        if "AccessMode" in code or "Security.Forbidden" in code:
            return QueryError(
                f"refused by Neo4j: only read queries are allowed ({message})",
                f"avvist av Neo4j: bare lesespørringer er tillatt ({message})",
                name,
            )
        if "SyntaxError" in code or "ArgumentError" in code or "TypeError" in code:
            return QueryError(f"malformed query: {message}", f"feil i spørringen: {message}", name)
        return QueryError(
            f"Neo4j query failed: {message}", f"Neo4j-spørringen feilet: {message}", name
        )

    # -- connection -----------------------------------------------------------------------

    def _session(self, mode: str = neo4j.READ_ACCESS, **kw: Any) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode, **kw)

    def ready(self) -> tuple[int, ...]:
        """Connect once, log in and check the server version (refuses one older than MIN_VERSION)."""
        if self.version:
            return self.version
        try:
            with self._session() as s:
                rows = s.run(
                    "CALL dbms.components() YIELD name, versions RETURN name, versions"
                ).data()
                agent = s.run("RETURN 1").consume().server.agent
        except Exception as e:
            raise self.failure(e) from None
        version = parse_version(rows, agent)
        check_version(version, f"at {self.where}")
        self.version = version
        return version

    # -- reading --------------------------------------------------------------------------

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        """Run read-only Cypher with parameters, within the time and row limits."""
        check_cypher(text, name)
        return self._read(text, params, limits or Limits(), name)

    def _read(
        self, text: str, params: dict[str, Any] | None, limits: Limits, name: str | None
    ) -> Result:
        self.ready()
        started = time.perf_counter()
        values = {k: to_param(v) for k, v in (params or {}).items()}
        rows: list[tuple[Any, ...]] = []
        truncated = False
        try:
            with self._session(fetch_size=max(1, min(limits.rows + 1, 1000))) as s:
                answer = s.run(neo4j.Query(text, timeout=limits.seconds), values)
                columns = list(answer.keys())
                for record in answer:
                    if len(rows) >= limits.rows:
                        truncated = True
                        break
                    rows.append(tuple(plain(v) for v in record.values()))
                    if time.perf_counter() - started > limits.seconds:
                        raise LimitExceeded("", "")
        except LimitExceeded:
            raise LimitExceeded(
                f"the query ran longer than the time limit of {limits.seconds:g} s and was stopped",
                f"spørringen brukte mer enn tidsgrensen på {limits.seconds:g} s og ble stoppet",
                name,
            ) from None
        except Exception as e:
            raise self.failure(e, name) from None
        return Result(columns, rows, truncated=truncated, elapsed=time.perf_counter() - started)

    def lookup_node(self, key: str) -> list[tuple[IRI, str]]:
        """(IRI, kg: class) for each node whose identifier, notation or exact label is ``key``."""
        from graph.pgmap import BASE_LABEL, subclasses

        text = """MATCH (n:Resource) WHERE n.identifier = $key OR n.notation = $key
          OR any(k IN keys(n) WHERE (k STARTS WITH 'prefLabel' OR k STARTS WITH 'name_' OR k = 'name') AND n[k] = $key)
          RETURN n.iri AS node, labels(n) AS kinds"""
        kinds = set(subclasses())
        rows = self._read(text, {"key": key}, Limits(seconds=30, rows=1000), None).rows
        return [(IRI(n), k) for n, ks in rows for k in ks if k != BASE_LABEL and k in kinds]

    def graphs(self) -> list[str]:
        """The named graphs of the last completed push."""
        rows = self._read(
            f"MATCH (m:{META} {{id: 'kommunegraf'}}) RETURN m.graphs", None, Limits(), None
        ).rows
        return sorted(rows[0][0] or []) if rows else []

    def push_state(self) -> dict[str, Any]:
        """What ``:KgMeta`` says about pushes: ``sync`` (the last completed push), ``pushedAt``,
        and ``pushing`` (a push under way or interrupted; the graph is then the old and the new
        one overlapping, see graph.push). Empty before the first push."""
        rows = self._read(
            f"MATCH (m:{META} {{id: 'kommunegraf'}}) RETURN m.sync, m.pushedAt, m.pushing, m.pushStartedAt",
            None,
            Limits(),
            None,
        ).rows
        keys = ("sync", "pushedAt", "pushing", "pushStartedAt")
        return dict(zip(keys, rows[0], strict=True)) if rows else {}

    # -- writing (only graph.push uses this) -----------------------------------------------

    def replace(self, graphs: Any, quads: Any, progress: Any = None) -> int:
        raise NotSupported(
            self.name,
            Capability.REPLACE,
            "Neo4j is filled from the embedded store with 'kg push', not loaded directly",
            "Neo4j fylles fra det innebygde lageret med 'kg push', ikke ved lasting direkte",
        )

    def write(
        self,
        work: Callable[[neo4j.ManagedTransaction], T],
        on_retry: Callable[[Exception | None, int], None] | None = None,
        timeout: float | None = None,
        retry_seconds: float = RETRY_SECONDS,
        retry_delay: float = RETRY_DELAY,
    ) -> T:
        """Run ``work`` in ONE write transaction managed by the driver (``execute_write``).

        The driver runs it again, whole, after a transient error (a deadlock, a leader switch, a
        dropped connection), waiting ``retry_delay`` and doubling, for up to ``retry_seconds``;
        ``on_retry(error, attempt)`` hears of each retry (the error is None when the transaction
        failed outside ``work``: connecting or committing). graph.push calls this once per batch
        of rows, so that no transaction outgrows the server's timeout and a retry repeats one
        batch, not the whole push; ``work`` must therefore be safe to run again.
        """
        self.ready()
        calls: list[Exception | None] = []

        def unit(tx: neo4j.ManagedTransaction) -> T:
            if calls and on_retry:
                on_retry(calls[-1], len(calls))
            calls.append(None)
            try:
                return work(tx)
            except Exception as e:
                calls[-1] = e
                raise

        config = {"max_transaction_retry_time": retry_seconds, "initial_retry_delay": retry_delay}
        try:
            with self._session(neo4j.WRITE_ACCESS, **config) as s:
                return s.execute_write(neo4j.unit_of_work(timeout=timeout)(unit))
        except Exception as e:
            raise self.failure(e) from None

    def schema(self, statements: list[str]) -> None:
        """Schema changes (constraints, indexes) each in its own transaction, as Neo4j requires."""
        self.ready()
        try:
            with self._session(neo4j.WRITE_ACCESS) as s:
                for statement in statements:
                    s.run(statement).consume()
        except Exception as e:
            raise self.failure(e) from None

    def close(self) -> None:
        self._driver.close()
