"""rdflib's own in-memory store as the reference: the same quads, the same named queries.

rdflib's SPARQL engine evaluates the queries of queries/*.rq as written (bound parameters as a
VALUES block, prefixes given), so the figures are directly comparable with ours; the worker
reports ours as ratios to these.
"""

from __future__ import annotations

import time
from typing import Any

import pyoxigraph as ox
import rdflib

from bench.timing import Timeout, guarded, summary
from graph.binding import bind
from graph.values import to_term
from ontology.terms import PREFIXES


class Reference:
    def __init__(self, nquads: bytes):
        started = time.perf_counter()
        self.ds = rdflib.Dataset(default_union=True)
        self.ds.parse(data=nquads, format="nquads")
        self.load_seconds = time.perf_counter() - started
        self.triples = len(self.ds)
        self.ns = {k: rdflib.Namespace(v) for k, v in PREFIXES.items()}

    @classmethod
    def from_store(cls, store) -> Reference:
        return cls(store.dump(ox.RdfFormat.N_QUADS))

    def run(self, text: str, params: dict[str, Any] | None = None) -> int:
        text = bind(text, {k: to_term(v) for k, v in (params or {}).items()})
        return len(list(self.ds.query(text, initNs=self.ns)))

    def time(
        self, text: str, params_list: list[dict], guard: float, budget: float
    ) -> dict[str, Any]:
        """Time ``text`` for each parameter set until ``budget`` seconds are spent."""
        times, started = [], time.perf_counter()
        for params in params_list:
            t0 = time.perf_counter()
            try:
                guarded(lambda p=params: self.run(text, p), guard)
            except Timeout:
                out = summary(times)
                out["timeout_s"] = guard
                return out
            except Exception as e:  # rdflib cannot run this query
                return {**summary(times), "error": f"{type(e).__name__}: {e}"[:200]}
            times.append(time.perf_counter() - t0)
            if time.perf_counter() - started > budget:
                break
        return summary(times)
