"""A question asked of a new generation before the switch that runs past its time limit.

``kg load`` asks the status queries of the compacted writer before it switches to it
(graph.embedded._compacting's ``compacted``); the collector is off for the whole load. A query
stopped at its limit left its thread reading the writer, and its error held the writer in a
reference cycle: the writer stayed open (RocksDB's lock on the folder held) when the load went
on to switch to it. It must be closed once the step returns.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import embedded
from graph.store import LimitExceeded, Limits

HEAVY = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c . ?d ?e ?f }"  # a cross product: never quick


def _writer(path: Path) -> ox.Store:
    s = ox.Store(str(path))
    s.bulk_extend(
        ox.Quad(
            ox.NamedNode(f"urn:s{i}"),
            ox.NamedNode("urn:p"),
            ox.Literal(str(i)),
            ox.NamedNode("urn:g"),
        )
        for i in range(2000)
    )
    return s


@pytest.mark.parametrize("collector", [True, False])
@pytest.mark.parametrize("seconds", [1e-6, 0.01])  # stopped while still reading, or by itself
def test_a_question_past_its_limit_leaves_the_writer_closed(
    tmp_path: Path, collector: bool, seconds: float
) -> None:
    path = tmp_path / "gen"
    stopped: list[BaseException] = []

    def ask(reader: embedded.EmbeddedStore) -> None:
        try:
            reader.query(HEAVY, None, Limits(seconds=seconds, rows=10**9), "x")
        except LimitExceeded as e:
            stopped.append(e)
            raise

    enabled = gc.isenabled()
    if not collector:
        gc.disable()  # as kg load runs
    try:
        writer = _writer(path)
        assert embedded._compacting(writer, None, ask) == 2000
        del writer
        stopped.clear()  # the caller's copy of the error is not what keeps the writer
        # the folder's lock is free: the writer is closed (it raised "lock hold by current
        # process" when the stopped query's thread or error kept it)
        again = ox.Store(str(path))
        assert len(again) == 2000
    finally:
        if enabled:
            gc.enable()
