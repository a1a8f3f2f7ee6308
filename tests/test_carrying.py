"""The carrying index of graph/propagation.py (issue 12/16: a hub's impact walks only the links
that carry an effect): it answers as asking every edge does, and the answer does not depend on
the order a backend returned the edges in."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import propagation

PREDICATES = ["dependsOn", "reportsTo", "memberOf", "partOf", "usesSystem", "concerns"]
TYPES = ["depends_on", "supplies", "cooperates", "reports_via", "decides", "delivers"]
edges = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 5),
        st.sampled_from(PREDICATES),
        st.sampled_from(TYPES),
        st.sampled_from([None, "primary", "low"]),
        st.sampled_from(["S000", "S001"]),
    ),
    max_size=20,
)


def _graph(es) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from((str(i), {"kind": "Project"}) for i in range(6))
    for i, (u, v, p, t, crit, src) in enumerate(es):
        g.add_edge(
            str(u),
            str(v),
            key=i,
            predicate=p,
            type=t if p in ("dependsOn", "concerns") else None,
            criticality=crit,
            source=src,
            locator=f"L{i}",
        )
    return g


@settings(max_examples=150, deadline=None)
@given(edges)
def test_the_index_answers_as_asking_every_edge(es):
    g = _graph(es)
    for n in g:
        for m in sorted(propagation.ALL):
            got = propagation._steps(g, n, frozenset({m}))
            assert got == propagation._scan(g, n, frozenset({m})), (n, m)
    # Several effects at once are asked edge by edge, as before.
    assert propagation._steps(g, "0", propagation.ALL) == propagation._scan(g, "0", propagation.ALL)


@settings(max_examples=150, deadline=None)
@given(edges, st.randoms(use_true_random=False))
def test_the_answer_does_not_depend_on_the_edge_order(es, rnd):
    # Two links of one pair with the same strength (the same fact stated in two documents): the
    # row must name the same one whatever order the store gave the records in.
    g = _graph(es)
    shuffled = list(enumerate(es))
    rnd.shuffle(shuffled)
    h = nx.MultiDiGraph()
    h.add_nodes_from(g.nodes(data=True))
    for i, _ in shuffled:
        u, v, k, d = next((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if k == i)
        h.add_edge(u, v, key=k, **d)
    a = propagation.propagate(g, "0", min_strength=0.0)
    b = propagation.propagate(h, "0", min_strength=0.0)
    assert [(r.node, r.strength, r.depth, r.path, r.hops) for r in a.rows] == [
        (r.node, r.strength, r.depth, r.path, r.hops) for r in b.rows
    ]


def test_a_changed_graph_is_walked_again_after_forget():
    g = nx.MultiDiGraph()
    g.add_nodes_from([("a", {"kind": "Project"}), ("b", {"kind": "Project"})])
    assert propagation.propagate(g, "a").rows == []
    g.add_edge("b", "a", predicate="dependsOn", type="depends_on")
    propagation.forget(g)  # the view is immutable; a caller that changes it says so
    assert [r.node for r in propagation.propagate(g, "a").rows] == ["b"]
    # Reporting carries nothing (S002 L11: every project reports to programme management).
    h = nx.MultiDiGraph()
    h.add_nodes_from([("a", {"kind": "Project"}), ("b", {"kind": "Project"})])
    h.add_edge("a", "pl", predicate="reportsTo")
    h.add_edge("b", "pl", predicate="reportsTo")
    assert propagation.propagate(h, "a", min_strength=0.0).rows == []


def _coded(es) -> nx.MultiDiGraph:
    # Nodes 1 and 2 share a code, so the ranking has ties that only the order of the rows decides.
    g = _graph(es)
    for n, code in (("1", "X"), ("2", "X"), ("3", "A")):
        g.nodes[n]["code"] = code
    return g


@settings(max_examples=150, deadline=None)
@given(edges, st.sampled_from([0.0, 0.3, 0.5, 0.9]))
def test_weak_rows_are_counted_as_the_ranked_answer_has_them(es, least):
    g = _coded(es)
    for start in g:
        every = propagation.propagate(g, start, min_strength=least)
        counted = propagation.propagate(g, start, min_strength=least, keep_weak=False)
        assert counted.rows == every.rows
        assert counted.left_out == every.left_out == len(every.weak)
        assert counted.weak == []  # counted, not made
        assert every.strong == counted.strong == len(every.rows)
        # Not ranked apart from the strong ones: no weak row is among the rows, no strong among the weak.
        assert all(r.strength >= least for r in every.rows)
        assert all(r.strength < least for r in every.weak)


@settings(max_examples=150, deadline=None)
@given(edges, st.integers(0, 7))
def test_the_first_page_is_the_start_of_the_whole_ranking(es, first):
    g = _coded(es)
    for start in g:
        whole = propagation.propagate(g, start, min_strength=0.0)
        page = propagation.propagate(g, start, min_strength=0.0, first=first)
        assert page.rows == whole.rows[:first]
        assert [r.hops for r in page.rows] == [r.hops for r in whole.rows[:first]]
        assert page.strong == len(whole.rows)  # the count is of them all, not of the page


@settings(max_examples=100, deadline=None)
@given(edges)
def test_answers_on_one_view_do_not_depend_on_what_was_asked_before(es):
    # The index keeps each link's hop for the next answer: an answer after others on the same
    # view must equal the one on a fresh copy (a new index).
    g = _coded(es)
    for start in g:
        propagation.propagate(g, start, min_strength=0.0)
    for start in sorted(g, reverse=True):
        again = propagation.propagate(g, start, min_strength=0.0)
        fresh = propagation.propagate(g.copy(), start, min_strength=0.0)
        assert [(r.node, r.strength, r.depth, r.path, r.hops) for r in again.rows] == [
            (r.node, r.strength, r.depth, r.path, r.hops) for r in fresh.rows
        ]


@settings(max_examples=100, deadline=None)
@given(edges, st.integers(0, 7))
def test_the_impact_answers_first_page_is_the_whole_answers_start(es, limit):
    from graph.answers import scenarios

    g = _coded(es)
    for start in g:
        whole = scenarios.impact(g, start, show_all=True, lang="en")
        page = scenarios.impact(g, start, show_all=True, lang="en", limit=limit)
        assert page.rows == whole.rows[:limit] and page.why == (whole.why or [])[:limit]
        assert page.facts["total"] == len(whole.rows) and "total" not in whole.facts
        assert page.truncated == (len(whole.rows) > limit) and not whole.truncated
        assert page.facts["not_shown"] == max(0, len(whole.rows) - limit)
        # The page says how many rows it shows of how many; the whole answer says nothing of it.
        more = [n for n in page.notes if n["en"].startswith("Showing ")]
        assert page.notes == more + whole.notes
        if page.truncated:
            assert (
                more[0]["en"]
                == f"Showing {limit} of {len(whole.rows)} rows; show more with --limit"
            )
        else:
            assert more == [] and not any(n["en"].startswith("Showing ") for n in whole.notes)
        # Each row's why text is its own path's, whatever rows were formatted before it.
        ranked = propagation.propagate(g, start, min_strength=0.0).rows
        assert [r["why"] for r in whole.rows] == [
            scenarios.why_text(g, r.hops, "en") for r in ranked
        ]
