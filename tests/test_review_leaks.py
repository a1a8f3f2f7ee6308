"""Two objects that must be freed when their users let go (the collector may be off: ``kg load``
runs with it off for the whole command).

- A picker's texts, kept per networkx view (views.common.per_graph, weak keys), must not hold
  their view: every new store generation or edit would otherwise keep the old view for ever.
- The question ``kg load`` asks of the new generation before the switch
  (graph.answers.viewrows.ask_ahead: the status query, since the fourteenth round the only one;
  the reports and the certainty lookups come from the load's lines): when it fails, its error
  may not keep the store it asked alive (the writer and its lock on the folder).
"""

from __future__ import annotations

import gc
import weakref

import networkx as nx
import pytest

from graph.answers import overview, sure, viewrows
from graph.store import open_store
from views import common as C


def test_a_pickers_texts_do_not_keep_their_view() -> None:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_node("urn:a", label="Alfa", kind="Project")
    fmt = C.node_format(g, {"Project"})
    assert fmt("urn:a").startswith("Alfa (")
    seen = weakref.ref(g)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del fmt, g
        assert seen() is None  # freed by reference counting alone: no cycle through the texts
    finally:
        if enabled:
            gc.enable()


def test_a_failing_question_ahead_leaves_no_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def status_fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("status")

    def lookup_asked(*args: object, **kwargs: object) -> None:
        asked.append("lookup")

    monkeypatch.setattr(overview, "status_query", status_fails)
    monkeypatch.setattr(sure, "lookup", lookup_asked)
    store = open_store("memory")
    kept = weakref.ref(store)
    enabled = gc.isenabled()
    gc.disable()  # as kg load runs
    try:
        with pytest.raises(RuntimeError, match="status"):
            viewrows.ask_ahead(store, "nb")
        del store
        assert kept() is None  # no error kept in a cycle with the store it asked
        assert asked == []  # the certainty is not asked of the store ahead any more
    finally:
        if enabled:
            gc.enable()
