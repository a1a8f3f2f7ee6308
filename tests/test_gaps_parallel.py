"""The gap reports run two at a time on the embedded store (graph/answers/named.py): the same
sections, in the same order, as one by one, and a query that fails fails the answer with its own
error (not a thread's wrapper, not a missing section)."""

from __future__ import annotations

import pytest

from graph import queries
from graph.answers import named
from graph.load import load
from graph.store import QueryError, open_store
from tests.conftest import NYE_ASKER


@pytest.fixture(scope="module")
def store():
    s = open_store("memory")
    load(s, NYE_ASKER)
    return s


def _plain(answer) -> list[tuple[str, list]]:
    return [(s.key, [sorted(r.items()) for r in s.rows]) for s in answer.sections]


def test_side_by_side_gives_what_one_by_one_gives(store, monkeypatch) -> None:
    assert store.parallel_reads
    together = named.gaps(store, "nb")
    monkeypatch.setattr(store, "parallel_reads", False)
    alone = named.gaps(store, "nb")
    assert [s.key for s in together.sections] == list(named.GAPS)
    assert _plain(together) == _plain(alone)
    assert any(s.rows for s in together.sections)  # not an empty comparison


def test_a_failing_gap_query_fails_the_answer(store, monkeypatch) -> None:
    run = queries.run

    def failing(st, name, *a, **k):
        if name == "gap_actions_without_kpi":
            raise QueryError("boom", "bom", name)
        return run(st, name, *a, **k)

    monkeypatch.setattr(queries, "run", failing)
    with pytest.raises(QueryError) as info:
        named.gaps(store, "nb")
    assert info.value.message("en") == "gap_actions_without_kpi: boom"
    assert info.value.message("nb") == "gap_actions_without_kpi: bom"
