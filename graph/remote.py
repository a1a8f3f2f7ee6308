"""A remote SPARQL endpoint as a store: SPARQL 1.1 Protocol to read, Graph Store Protocol to write.

Queries are checked (:func:`graph.safety.check_sparql`), parameters bound as RDF terms
(:func:`graph.binding.bind`) and the ``kg:``, ``skos:`` … prefixes declared, then POSTed as
``application/sparql-query``. The answer (``application/sparql-results+json``) is read as a
stream and each term converted by :func:`graph.values.to_python`, the same conversion the
embedded store uses, so both return identical values. The time limit is the HTTP timeout plus a
deadline while reading; the row limit stops reading. The protocol has no way to cancel a query
on the server, so give the server its own limit too (``oxigraph serve --timeout-s``).

The queries expect the union of the named graphs as the default graph. ``dataset="union"``
(default) asks for exactly that with the standard ``default-graph-uri`` / ``named-graph-uri``
parameters, one per graph; ``dataset="server"`` sends none and uses the server's own default
graph (for a server configured with a union default graph). Oxigraph answers about ten times
faster that way: ``query_url=http://…/query?union-default-graph`` with ``dataset="server"`` (or
``oxigraph serve --union-default-graph``); see bench/backends_bench.py.

:meth:`SparqlStore.replace` writes one named graph per source graph with the Graph Store
Protocol (PUT, N-Triples). The protocol has no transactions: each PUT is atomic on its own, so
the store saves each graph it will touch first (GET) and, if a step fails, puts the saved graphs
back (and deletes new ones). Only a client that dies mid-way can leave a mix; pushing again
repairs it.
"""

from __future__ import annotations

import base64
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from http.client import HTTPResponse
from typing import Any, Literal, overload

import pyoxigraph as ox

from graph.binding import bind
from graph.config import read_password
from graph.safety import check_sparql
from graph.store import Capability, LimitExceeded, Limits, NotSupported, QueryError, Result, Store
from graph.values import to_python, to_term
from ontology.terms import PREFIXES

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
# On the query's first line, so that the server's error positions still match the user's lines.
PROLOGUE = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + " "
MAX_URL = 6000  # longer dataset parameters go in a form-encoded body (also the standard protocol)


C = Capability
READ_ONLY = frozenset({C.QUADS, C.DUMP, C.LEN})


class SparqlStore(Store):
    """A SPARQL 1.1 endpoint (Oxigraph, Fuseki, GraphDB …) behind the Store interface."""

    name = "sparql"
    language = "sparql"
    capabilities = READ_ONLY | {C.REPLACE}  # REPLACE only with a Graph Store Protocol URL

    def __init__(
        self,
        query_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 30.0,
        update_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        password_file: str | None = None,
        dataset: str = "union",
    ):
        self.query_url = query_url or os.environ.get("KG_SPARQL_QUERY_URL") or ""
        if not self.query_url.startswith(("http://", "https://")):
            raise QueryError(
                "no SPARQL endpoint: set KG_SPARQL_QUERY_URL (http://…/query)",
                "mangler SPARQL-endepunkt: sett KG_SPARQL_QUERY_URL (http://…/query)",
            )
        self.store_url = store_url or os.environ.get("KG_SPARQL_STORE_URL") or None
        # SPARQL 1.1 Update: what the app's edits need (one request is one atomic step there)
        self.update_url = update_url or os.environ.get("KG_SPARQL_UPDATE_URL") or None
        self.capabilities = READ_ONLY | {C.REPLACE} if self.store_url else READ_ONLY
        self.timeout = float(timeout)
        if dataset not in ("union", "server"):
            raise QueryError(
                f"dataset must be 'union' or 'server', not '{dataset}'",
                f"dataset må være 'union' eller 'server', ikke '{dataset}'",
            )
        self.dataset = dataset
        user = user or os.environ.get("KG_SPARQL_USER")
        secret = read_password(
            password or os.environ.get("KG_SPARQL_PASSWORD"),
            password_file or os.environ.get("KG_SPARQL_PASSWORD_FILE"),
            "SPARQL",
        )
        token = base64.b64encode(f"{user}:{secret or ''}".encode()).decode() if user else None
        self._headers = (
            {"Authorization": f"Basic {token}"} if token else {}
        )  # never shown: see __repr__

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r}, store_url={self.store_url!r})"

    # -- HTTP -----------------------------------------------------------------------------

    @overload
    def _open(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float,
        name: str | None = None,
        ok_missing: Literal[False] = False,
    ) -> HTTPResponse: ...

    @overload
    def _open(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float,
        name: str | None = None,
        *,
        ok_missing: bool,
    ) -> HTTPResponse | None: ...

    def _open(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float,
        name: str | None = None,
        ok_missing: bool = False,
    ) -> HTTPResponse | None:
        """The server's response; None only for a missing graph (HTTP 404) when ``ok_missing``."""
        request = urllib.request.Request(
            url, data=body, method=method, headers={**self._headers, **headers}
        )
        try:
            # typeshed types urlopen's result as Any; for an http(s) URL it is an HTTPResponse
            response: HTTPResponse = urllib.request.urlopen(request, timeout=timeout)
            return response
        except urllib.error.HTTPError as e:
            if ok_missing and e.code == 404:
                return None
            detail = " ".join(e.read(2000).decode("utf-8", "replace").split())[:300]
            if e.code in (401, 403):
                raise QueryError(
                    f"the SPARQL endpoint {url.split('?')[0]} refused the login (HTTP {e.code})",
                    f"SPARQL-endepunktet {url.split('?')[0]} avviste innloggingen (HTTP {e.code})",
                    name,
                ) from None
            if e.code == 400:
                raise QueryError(
                    f"malformed query: {detail}", f"feil i spørringen: {detail}", name
                ) from None
            raise QueryError(
                f"the SPARQL endpoint answered HTTP {e.code}: {detail}",
                f"SPARQL-endepunktet svarte HTTP {e.code}: {detail}",
                name,
            ) from None
        except TimeoutError:
            raise _too_long(timeout, name) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _too_long(timeout, name) from None
            raise QueryError(
                f"cannot reach the SPARQL endpoint {url.split('?')[0]}: {reason}",
                f"får ikke kontakt med SPARQL-endepunktet {url.split('?')[0]}: {reason}",
                name,
            ) from None

    def _post_query(
        self, text: str, seconds: float, name: str | None, accept: str = JSON, dataset: bool = True
    ) -> HTTPResponse:
        pairs: list[tuple[str, str]] = []
        if dataset and self.dataset == "union":
            graphs = self.graphs()
            pairs = [("default-graph-uri", g) for g in graphs] + [
                ("named-graph-uri", g) for g in graphs
            ]
        # The URL may carry its own parameters already, e.g. Oxigraph's …/query?union-default-graph
        joiner = "&" if "?" in self.query_url else "?"
        url = self.query_url + (joiner + urllib.parse.urlencode(pairs) if pairs else "")
        headers = {"Accept": accept}
        if len(url) <= MAX_URL:
            headers["Content-Type"] = "application/sparql-query; charset=utf-8"
            return self._open("POST", url, text.encode(), headers, seconds, name)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode([("query", text), *pairs]).encode()
        return self._open("POST", self.query_url, body, headers, seconds, name)

    # -- reading --------------------------------------------------------------------------

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        """Run a read-only SPARQL query with bound parameters, within time and row limits."""
        check_sparql(text, name)
        limits = limits or Limits()
        full = PROLOGUE + bind(text, {k: to_term(v) for k, v in (params or {}).items()})
        started = time.perf_counter()
        response = self._post_query(full, limits.seconds, name, accept=f"{JSON}, {NTRIPLES};q=0.9")
        try:
            with response:
                result = self._collect(response, limits, started)
        except (TimeoutError, LimitExceeded):
            raise _too_long(limits.seconds, name) from None
        except SyntaxError as e:
            raise QueryError(
                f"unreadable answer from the endpoint: {e}",
                f"uleselig svar fra endepunktet: {e}",
                name,
            ) from None
        result.elapsed = time.perf_counter() - started
        return result

    def _collect(self, response: HTTPResponse, limits: Limits, started: float) -> Result:
        deadline = started + limits.seconds
        answer: Iterable[ox.Quad] | ox.QuerySolutions
        if NTRIPLES in (response.headers.get("Content-Type") or ""):  # CONSTRUCT / DESCRIBE
            columns, answer = (
                ["subject", "predicate", "object"],
                ox.parse(response, ox.RdfFormat.N_TRIPLES),
            )
            cells: Callable[[Any], tuple[Any, ...]] = lambda t: (t.subject, t.predicate, t.object)  # noqa: E731
        else:
            solutions = ox.parse_query_results(response, ox.QueryResultsFormat.JSON)
            if isinstance(solutions, ox.QueryBoolean):
                return Result(["answer"], [(bool(solutions),)], boolean=bool(solutions))
            answer = solutions
            columns = [v.value for v in solutions.variables]
            cells = lambda s: tuple(s[c] for c in columns)  # noqa: E731
        rows: list[tuple[Any, ...]] = []
        for item in answer:
            if len(rows) >= limits.rows:
                return Result(columns, rows, truncated=True)
            rows.append(tuple(to_python(t) for t in cells(item)))
            if time.perf_counter() > deadline:
                raise LimitExceeded("", "")
        return Result(columns, rows)

    def graphs(self) -> list[str]:
        """The named graphs on the server (not only ours: the endpoint may hold others)."""
        with self._post_query(
            "SELECT ?g WHERE { GRAPH ?g { } }", self.timeout, None, dataset=False
        ) as r:
            answer = ox.parse_query_results(r, ox.QueryResultsFormat.JSON)
            assert isinstance(answer, ox.QuerySolutions)  # a SELECT answers solutions
            return sorted(s["g"].value for s in answer if isinstance(s["g"], ox.NamedNode))

    def quads(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph: Any = None
    ) -> Iterable[ox.Quad]:
        """The quads in the named graphs that match the pattern (every one by default: to push
        from an endpoint to another backend). The server's default graph is not read, so
        ``graph=DefaultGraph()`` matches nothing."""
        if isinstance(graph, ox.DefaultGraph):
            return []
        fixed = {"s": subject, "p": predicate, "o": object, "g": graph}
        for v, term in fixed.items():
            if isinstance(term, ox.BlankNode):  # in a query a blank node is a variable
                raise QueryError(
                    f"a blank node cannot be looked up on a SPARQL endpoint ({v})",
                    f"en blank node kan ikke slås opp på et SPARQL-endepunkt ({v})",
                )
        # Each given term is written as an RDF term (oxigraph escapes it), never as raw text.
        at = {v: str(term) if term is not None else f"?{v}" for v, term in fixed.items()}
        free = " ".join(f"?{v}" for v, term in fixed.items() if term is None) or "*"
        if free == "*":
            text = f"ASK {{ GRAPH {at['g']} {{ {at['s']} {at['p']} {at['o']} }} }}"
        else:
            text = f"SELECT {free} WHERE {{ GRAPH {at['g']} {{ {at['s']} {at['p']} {at['o']} }} }}"
        with self._post_query(text, self.timeout * 10, None, dataset=False) as r:
            answer = ox.parse_query_results(r, ox.QueryResultsFormat.JSON)
            if isinstance(answer, ox.QueryBoolean):
                return [ox.Quad(subject, predicate, object, graph)] if bool(answer) else []
            return [
                ox.Quad(*(term if term is not None else s[v] for v, term in fixed.items()))
                for s in answer
            ]

    def dump(self, fmt: ox.RdfFormat | None = None) -> bytes:
        """Every quad in the named graphs, serialised (N-Quads unless ``fmt`` says otherwise)."""
        data = ox.serialize(self.quads(), format=fmt or ox.RdfFormat.N_QUADS)
        assert data is not None  # None only when given an output file to write to
        return data

    def __len__(self) -> int:
        """Triples in the named graphs (all that a push writes)."""
        text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        with self._post_query(text, self.timeout, None, dataset=False) as r:
            answer = ox.parse_query_results(r, ox.QueryResultsFormat.JSON)
            assert isinstance(answer, ox.QuerySolutions)  # a SELECT answers solutions
            return int(next(iter(answer))["n"].value)

    # -- writing --------------------------------------------------------------------------

    def _graph_url(self, graph: str | None) -> str:
        if not self.store_url:
            raise NotSupported(
                self.name,
                C.REPLACE,
                "this endpoint is read-only here: set KG_SPARQL_STORE_URL (Graph Store Protocol)",
                "endepunktet er skrivebeskyttet her: sett KG_SPARQL_STORE_URL (Graph Store Protocol)",
            )
        return self.store_url + (
            "?default" if graph is None else "?" + urllib.parse.urlencode({"graph": graph})
        )

    def _get(self, graph: str | None) -> bytes | None:
        r = self._open(
            "GET", self._graph_url(graph), None, {"Accept": NTRIPLES}, self.timeout, ok_missing=True
        )
        if r is None:
            return None
        with r:
            return r.read()

    def _put(self, graph: str | None, data: bytes | None, merge: bool = False) -> None:
        if data is None:
            r = self._open(
                "DELETE", self._graph_url(graph), None, {}, self.timeout, ok_missing=True
            )
        else:
            method = "POST" if merge else "PUT"
            r = self._open(
                method, self._graph_url(graph), data, {"Content-Type": NTRIPLES}, self.timeout
            )
        if r is not None:
            r.close()

    def update(self, text: str, name: str | None = None) -> None:
        """Send one SPARQL 1.1 Update request (the caller builds it from RDF terms, never from
        user text); needs ``update_url`` (``KG_SPARQL_UPDATE_URL``, Oxigraph: ``…/update``)."""
        if not self.update_url:
            raise NotSupported(
                self.name,
                C.REPLACE,
                "editing needs SPARQL Update here: set KG_SPARQL_UPDATE_URL (http://…/update)",
                "redigering krever SPARQL Update her: sett KG_SPARQL_UPDATE_URL (http://…/update)",
            )
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        self._open("POST", self.update_url, text.encode(), headers, self.timeout, name).close()

    def replace(
        self,
        graphs: Iterable[str],
        quads: Iterable[ox.Quad],
        progress: Callable[[str, str], None] | None = None,
    ) -> int:
        """Swap the named ``graphs`` for ``quads`` graph by graph; on failure restore what was there."""
        drop = set(graphs)
        groups: dict[str | None, list[ox.Triple]] = defaultdict(list)
        for q in quads:
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            groups[g].append(ox.Triple(q.subject, q.predicate, q.object))
        # Serialise everything before touching the server: a bad term fails here, not halfway.
        new = {g: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES) for g, ts in groups.items()}
        touched = sorted(set(new) | drop, key=lambda g: (g is None, g or ""))
        saved = {g: self._get(g) for g in touched}
        done: list[str | None] = []
        try:
            for i, g in enumerate(touched, 1):
                self._put(g, new.get(g), merge=g not in drop and g in new)
                done.append(g)
                if progress:
                    progress(
                        f"graph {i}/{len(touched)} written", f"graf {i}/{len(touched)} skrevet"
                    )
        except BaseException as e:
            for g in done:  # best effort: a server that is gone cannot be repaired from here
                try:
                    self._put(g, saved[g])
                except QueryError:
                    pass
            if isinstance(e, QueryError):
                raise QueryError(
                    f"writing to the SPARQL endpoint failed; the previous graphs were put back: {e.en}",
                    f"skriving til SPARQL-endepunktet feilet; de forrige grafene ble lagt tilbake: {e.nb}",
                ) from None
            raise
        return len(self)


def _too_long(seconds: float, name: str | None) -> LimitExceeded:
    return LimitExceeded(
        f"the query ran longer than the time limit of {seconds:g} s and was stopped",
        f"spørringen brukte mer enn tidsgrensen på {seconds:g} s og ble stoppet",
        name,
    )
