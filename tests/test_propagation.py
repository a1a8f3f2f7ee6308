"""The propagation model (graph/propagation.py, declared in ontology/kg.ttl): what a change reaches,
why, and what it must NOT reach. Golden answers cite the source documents (data/nye-asker rows
give the document and line of each relation)."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import analysis, propagation, queries
from graph.netx import to_networkx
from graph.store import QueryError
from graph.whatif import dataset_date, parse_date, who_must_act

ROOT = propagation.ROOT


@pytest.fixture(scope="module")
def g(asker):
    return to_networkx(asker)


def node(store, key: str) -> str:
    return str(queries.resolve_node(store, key))


def test_generated_query_and_docs_are_up_to_date():
    for rel, make in propagation.GENERATED.items():
        assert (ROOT / rel).read_text(encoding="utf-8") == make(), (
            "run: python -m graph.propagation"
        )


def test_reporting_membership_and_coordination_carry_nothing():
    r = propagation.rules()
    for name in ("depReportsVia", "depCooperates", "depRefersTo", "depGuidedBy", "depOverlaps"):
        assert not r[name].effects, name
    assert "reportsTo" not in r and "memberOf" not in r
    assert "schedule" in r["depDependsOn"].effects and not r["depDependsOn"].forward
    assert r["partOf"].forward and r["partOf"].effects == {"schedule"}


def test_a2_reaches_a4_first_with_the_stated_reason(asker, g):
    # S000 L1857-1860: A4's «Viktigste avhengighet: A2 - Organisasjon og tjenesteutvikling».
    ans = propagation.propagate(g, node(asker, "A2"))
    first = ans.rows[0]
    assert g.nodes[first.node]["code"] == "A4" and first.depth == 1 and first.strength == 1.0
    hop = first.hops[0]
    assert hop.locator == "L1857-1860" and hop.document.endswith("S000") and not hop.interpreted
    assert "Viktigste avhengighet" in hop.rationale


def test_gerica_reaches_a4_with_the_rationale_of_s001_l282(asker, g):
    # S001 L282: «Pleie og omsorg: Omforent ønske om valg av Gerica – Brukes i Røyken og Asker».
    ans = propagation.propagate(g, node(asker, "gerica"))
    a4 = next(r for r in ans.rows if g.nodes[r.node].get("code") == "A4")
    assert a4.depth == 1 and a4.hops[0].locator == "L282" and "Gerica" in a4.hops[0].rationale
    users = {
        g.nodes[r.node].get("code") or r.node.rsplit("/", 1)[-1] for r in ans.rows if r.depth == 1
    }
    assert {"asker", "royken"} <= users  # S001 L282 «Brukes i Røyken og Asker»
    assert "hurum" not in users  # Hurum uses Profil, not Gerica (S000 L1639)


def test_a5_slip_reaches_a1_through_a_stated_link(asker, g):
    # S000 L726: A5 is «leverandør til A1-prosjektene … økonomiske rammebetingelser» (explicit).
    ans = propagation.propagate(g, node(asker, "A5"), frozenset({"schedule"}))
    a1 = next(r for r in ans.rows if g.nodes[r.node].get("code") == "A1")
    assert a1.depth == 1 and a1.hops[0].locator == "L726" and not a1.hops[0].interpreted


def test_no_spread_through_reporting_to_programme_management(asker, g):
    # Every project reports to programme management (S002 L11 «Prosjektene rapporterer til
    # programledelsen»); that alone must not link them. A3 gives programme management
    # communication support (S000 L678); that must not make every project depend on Gerica.
    projects = {"A1", "A3", "A5", "A6", "AP1", "AP2", "AP3", "lokalisering", "innbyggertorg"}
    for start in ("A2", "gerica", "A3"):
        ans = propagation.propagate(g, node(asker, start), min_strength=0.0)
        reached = {g.nodes[r.node].get("code") or r.node.rsplit("/", 1)[-1] for r in ans.rows}
        assert not (projects - {start}) & reached, (start, (projects - {start}) & reached)
    a3 = propagation.propagate(g, node(asker, "A3"), min_strength=0.0)
    assert node(asker, "programledelse") in {r.node for r in a3.rows}  # reached, but a dead end
    assert node(asker, "gerica") not in {r.node for r in a3.rows}


def test_presenting_to_the_joint_committee_is_not_a_dependency(asker, g):
    # A1's grunnlagsdokument «Behandles i Fellesnemnda 16. juni» (project link reports_to): the
    # committee hearing a case does not make A1 depend on it. The committee owns the programme
    # (projects.csv: program owner fellesnemnda), so a change in it reaches the programme only
    # as a change in accountability.
    ans = propagation.propagate(g, node(asker, "fellesnemnda"), min_strength=0.0)
    assert [(g.nodes[r.node].get("code"), r.hops[0].effects) for r in ans.rows] == [
        ("program", ("accountability",))
    ]


def test_impact_sizes_are_no_longer_every_project(asker, g):
    main = {
        n
        for n, d in g.nodes(data=True)
        if d.get("kind") in {"Project", "SubProject", "Study", "Task"}
    }
    for start in ("A2", "A3", "gerica", "fellesnemnda"):
        ans = propagation.propagate(g, node(asker, start), min_strength=0.0)
        hit = {r.node for r in ans.rows} & main
        assert len(hit) <= 3, (start, len(hit))


def test_the_three_answers_are_the_same_on_the_bundled_graph(asker, g):
    for key in ("A2", "gerica", "fellesnemnda"):
        start = node(asker, key)
        rq = {str(r[1]) for r in queries.run(asker, "impact", {"node": start}).rows}
        ans = propagation.propagate(g, start, min_strength=0.0)
        assert rq == {r.node for r in ans.rows}, key


def test_a2_slip_puts_the_launch_at_risk_and_names_who_must_act(asker, g):
    # S000 L1920 «01.01.20: Nye Asker kommune lanseres»; the programme's owner is Fellesnemnda and
    # its steering body Programledelse (S000 L241-243 «Fellesnemnda → Programledelse»).
    as_of = dataset_date(asker, node(asker, "A2"))
    assert as_of is not None and as_of.year < 2020
    w = analysis.slip(g, node(asker, "A2"), 8, as_of)
    launch = next(m for m in w.milestones if m["label"] == "Nye Asker kommune lanseres")
    assert launch["date"] == dt.date(2020, 1, 1) and launch["new_date"] == dt.date(2020, 2, 26)
    act = who_must_act(g, launch["owner"])
    assert act == {
        "owner": ["Fellesnemnda"],
        "board": ["Programledelse"],
        "decides": ["Fellesnemnda"],
    }
    assert any(g.nodes[n].get("code") == "A4" for d in w.delays for n in d.path)
    # Only open milestones: nothing done, nothing dated before the as-of date, no meetings.
    for m in w.milestones:
        assert m["date"] >= as_of and g.nodes[m["milestone"]].get("mtype") != "meeting"
        assert not str(g.nodes[m["milestone"]].get("status") or "").startswith("done")


def test_dates_as_people_write_them():
    assert parse_date("2024-02-20") == dt.date(2024, 2, 20)
    assert parse_date("20.02.2024") == dt.date(2024, 2, 20)
    assert parse_date("2024-02") == dt.date(2024, 2, 1)
    with pytest.raises(ValueError):
        parse_date("20/02/2024")


def test_codes_are_case_insensitive_and_a_typo_gets_suggestions(asker):
    assert queries.resolve_node(asker, "a4") == queries.resolve_node(asker, "A4")
    with pytest.raises(QueryError) as e:
        queries.resolve_node(asker, "gerika")
    assert "gerica" in str(e.value.args[0]) or "gerica" in str(e.value)


# -- property test on generated graphs --------------------------------------------------------

PREDICATES = [
    "dependsOn",
    "reportsTo",
    "memberOf",
    "partOf",
    "usesSystem",
    "milestoneOf",
    "concerns",
    "goalOf",
]
TYPES = ["depends_on", "supplies", "cooperates", "reports_via", "refers_to", "precedes"]
LINK_TYPES = {
    "depends_on": "decides",
    "supplies": "delivers",
    "cooperates": "reports_to",
    "reports_via": "concerns",
    "refers_to": "owns_topic",
    "precedes": "uses",
}
edges = st.lists(
    st.tuples(
        st.integers(0, 7), st.integers(0, 7), st.sampled_from(PREDICATES), st.sampled_from(TYPES)
    ),
    max_size=25,
)


def _graph(es) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from((str(i), {"kind": "Project"}) for i in range(8))
    for u, v, p, t in es:
        if u != v:
            typ = {"dependsOn": t, "concerns": LINK_TYPES[t]}.get(p)
            g.add_edge(str(u), str(v), predicate=p, **({"type": typ} if typ else {}))
    return g


def _carries(d: dict, effects: frozenset[str]) -> bool:
    r = propagation.rule_for(d["predicate"], d)
    return r is not None and bool(r.effects & effects)


@settings(max_examples=150, deadline=None)
@given(edges, st.sampled_from([frozenset({"schedule"}), frozenset({"service"}), propagation.ALL]))
def test_every_row_has_a_carrying_path_and_non_carrying_links_change_nothing(es, effects):
    g = _graph(es)
    ans = propagation.propagate(g, "0", effects, min_strength=0.0)
    for row in ans.rows:
        for h in row.hops:  # each hop stands for an edge that carries one of the effects, its way
            fwd = [
                d
                for d in (g.get_edge_data(h.frm, h.to) or {}).values()
                if _carries(d, effects) and propagation.rule_for(d["predicate"], d).forward
            ]
            back = [
                d
                for d in (g.get_edge_data(h.to, h.frm) or {}).values()
                if _carries(d, effects) and not propagation.rule_for(d["predicate"], d).forward
            ]
            assert fwd or back
    pruned = g.copy()
    pruned.remove_edges_from(
        [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if not _carries(d, effects)]
    )
    again = propagation.propagate(pruned, "0", effects, min_strength=0.0)
    assert [(r.node, r.strength, r.path) for r in again.rows] == [
        (r.node, r.strength, r.path) for r in ans.rows
    ]


def test_critical_path_of_the_launch_ignores_programme_membership(asker, g):
    from graph import schedule

    # The launch (S000 L1920) is decided by the programme's digital deliveries, which A4 makes
    # (S000 L1948-1950 «Digitale leveranser»), and A4's main dependency A2 (S000 L1857-1860);
    # NOT by every project being part of the programme, and not by reporting lines.
    chain = schedule.critical_chain(g, node(asker, "ms-2020-01-01"))
    codes = [g.nodes[link.node].get("code") or link.node.rsplit("/", 1)[-1] for link in chain]
    assert codes[-1] == "ms-2020-01-01" and codes[:2] == ["A2", "A4"]
    assert all(link.hop.predicate not in ("partOf", "reportsTo") for link in chain if link.hop)
    assert len(chain) <= 6


def test_timeline_moves_what_a_slip_moves(asker, g):
    from graph import schedule

    w = analysis.slip(g, node(asker, "A2"), 8, dataset_date(asker, node(asker, "A2")))
    bars = {b.node: b for b in schedule.timeline(g, {d.node: d.weeks for d in w.delays})}
    a4 = bars[node(asker, "A4")]
    # A4 ends 01.01.2020 (S000 L2042 «Slutt dato 01.01.2020»); 8 weeks later is 26.02.2020.
    assert a4.end == dt.date(2020, 1, 1) and a4.new_end == dt.date(2020, 2, 26)
    a6 = bars.get(node(asker, "A6"))
    assert a6 is None or a6.new_end is None  # A6 only reports to the same programme management


def test_as_of_is_the_start_nodes_own_dataset_date_not_an_imports(tmp_path):
    # With Nye Vestby's 2024 Prosjektportalen import in the same store, a what-if on A2 must
    # still be dated by nye Asker's newest status report (1.2.2017: status_reports.csv, S000),
    # or every nye Asker milestone has "passed" and none is at risk.
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "importers"))
    import vestby

    store = vestby.store(tmp_path)
    from graph.netx import reference_date

    assert reference_date(store).year == 2024  # the store-wide date is the import's
    a2 = node(store, "A2")
    assert dataset_date(store, a2) == dt.date(2017, 2, 1)
    w = analysis.slip(to_networkx(store), a2, 8, dataset_date(store, a2))
    assert any(m["label"] == "Nye Asker kommune lanseres" for m in w.milestones)


def test_whole_graph_critical_path_does_not_run_through_the_programme(asker, g):
    # «Rapportering og koordinering via programmet» (S000 L1855, a reports_via dependency) and
    # the programme's supplied digital deliveries made a 3,721-day chain through the programme
    # node; reporting carries no delay, so the programme is not on the chain.
    path, days = analysis.critical_path(g)
    assert node(asker, "program") not in path and days < 3721
    assert all(g.nodes[n].get("kind") != "GovernanceBody" for n in path)
