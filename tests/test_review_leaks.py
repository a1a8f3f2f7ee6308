"""Two objects that must be freed when their users let go (the collector may be off: ``kg load``
runs with it off for the whole command).

- A picker's texts, kept per networkx view (views.common.per_graph, weak keys), must not hold
  their view: every new store generation or edit would otherwise keep the old view for ever.
- The questions ``kg load`` asks before the switch (graph.answers.viewrows.ask_ahead) run on
  two threads; when both fail, neither error may keep the load's lines alive.
"""

from __future__ import annotations

import gc
import weakref

import networkx as nx
import pytest

from graph.answers import overview, sure, viewrows
from graph.store import open_store
from graph.viewparse import Parsed
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


def test_both_questions_failing_leave_no_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    def status_fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("status")

    def lookup_fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("lookup")

    monkeypatch.setattr(overview, "status_query", status_fails)
    monkeypatch.setattr(sure, "lookup", lookup_fails)
    parsed = Parsed()
    lines = weakref.ref(parsed)
    enabled = gc.isenabled()
    gc.disable()  # as kg load runs
    try:
        with pytest.raises(RuntimeError, match="status"):
            viewrows.ask_ahead(open_store("memory"), "nb", parsed)
        del parsed
        assert lines() is None  # no error kept in a cycle with the lines
    finally:
        if enabled:
            gc.enable()
