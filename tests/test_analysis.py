"""Analysis on small graphs built in code: SDG interactions, gaps, cycles, critical path."""

from __future__ import annotations

import copy

from conftest import MINI, write_dataset

from graph import analysis, queries
from graph.load import load
from graph.netx import to_networkx
from graph.store import open_store


def sdg_dataset(tmp_path):
    t = copy.deepcopy(MINI)
    t["local_goals"] = [
        {"id": "lg-bolig", "title": "Flere boliger", "type": "local_goal"},
        {"id": "lg-natur", "title": "Mer natur", "type": "local_goal"},
        {
            "id": "lg-helse",
            "title": "Kommunen har ansvar for helse",
            "type": "significance",
            "sdg": "sdg:3",
        },
    ]
    t["target_links"] = [
        {"target": "sdg:11.1", "local_goal": "lg-bolig"},
        {"target": "sdg:15.1", "local_goal": "lg-natur"},
        {"target": "sdg:3.4", "local_goal": "lg-helse"},
    ]
    t["actions"] = [
        {"id": "act-bolig", "title": "Bygge boliger", "project": "P1", "local_goals": "lg-bolig"},
        {"id": "act-natur", "title": "Verne skog", "project": "P2", "local_goals": "lg-natur"},
    ]
    t["kpis"] = [{"id": "K-bolig", "title": "Nye boliger", "measures": "act-bolig"}]
    t["measurements"] = [
        {"kpi": "K-bolig", "area": "kommune-a", "year": "2020", "type": "target", "value": "100"}
    ]
    t["interactions"] = [
        {
            "from": "sdg:11.1",
            "to": "sdg:15.1",
            "score": "-2",
            "rationale": "Boliger tar skogareal",
            "assessor": "Planavdelingen",
            "date": "2024-03-01",
        },
    ]
    store = open_store("memory")
    load(store, write_dataset(tmp_path / "sdg", t))
    return store


def test_interactions_propagate_to_projects_in_networkx_and_sparql(tmp_path):
    store = sdg_dataset(tmp_path)
    g = to_networkx(store)
    found = [
        (g.nodes[i.project_a]["code"], g.nodes[i.project_b]["code"], i.score)
        for i in analysis.interplays(g)
    ]
    assert found == [("P1", "P2", -2)]
    rows = queries.run(store, "interactions", {}).dicts()
    assert [
        (r["project_from"].rsplit("/", 1)[-1], r["project_to"].rsplit("/", 1)[-1], r["score"])
        for r in rows
    ] == [("P1", "P2", -2)]


def test_gap_reports_on_a_small_programme(tmp_path):
    store = sdg_dataset(tmp_path)
    # 3.4 is only covered by a statement of goal 3's significance: still a gap
    assert set(queries.run(store, "gap_targets_without_project", {}).column("code")) == {"3.4"}
    assert set(queries.run(store, "gap_actions_without_kpi", {}).column("label")) == {"Verne skog"}
    assert set(queries.run(store, "gap_kpis_without_measurement", {}).column("code")) == {"K-bolig"}
    assert set(queries.run(store, "gap_bodies_without_members", {}).column("code")) == {
        "styret",
        "radet",
    }
    no_goal = set(queries.run(store, "gap_projects_without_goal", {}).column("code"))
    assert no_goal == set()  # both projects serve a local goal through an action


def test_cycles_phases_and_critical_path(tmp_path):
    t = copy.deepcopy(MINI)
    t["projects"] += [
        {
            "id": "P3",
            "title": "Tredje",
            "type": "project",
            "start": "2017-01-01",
            "end": "2017-12-31",
        },
        {
            "id": "P4",
            "title": "Fjerde",
            "type": "project",
            "start": "2018-01-01",
            "end": "2018-06-30",
        },
    ]
    t["projects"][0].update(start="2016-01-01", end="2016-12-31")
    t["dependencies"] += [
        {
            "id": "D2",
            "from": "P3",
            "to": "P2",
            "type": "depends_on",
            "evidence": "explicit",
            "rationale": "x",
        },
        {
            "id": "D3",
            "from": "P4",
            "to": "P3",
            "type": "depends_on",
            "evidence": "explicit",
            "rationale": "y",
        },
        {
            "id": "D4",
            "from": "P2",
            "to": "P4",
            "type": "feeds",
            "evidence": "implied",
            "rationale": "z",
        },
    ]
    store = open_store("memory")
    load(store, write_dataset(tmp_path / "cyc", t))
    g = to_networkx(store)
    code = {n: d["code"] for n, d in g.nodes(data=True)}
    assert [sorted(code[n] for n in c) for c in analysis.cycles(g)] == [["P2", "P3", "P4"]]
    assert [[code[n] for n in p] for p in analysis.phases(g)] == [
        ["P1"],
        sorted(["P2", "P3", "P4"]),
    ]
    ranked = analysis.centrality(g)
    assert (code[ranked[0][0]], ranked[0][1]) == ("P1", 3)  # everything else depends on P1
    path, days = analysis.critical_path(g)
    assert code[path[0]] == "P1" and days >= 365  # P1 (2016) starts every chain


def test_slip_absorbs_slack_when_dates_are_known(tmp_path):
    t = copy.deepcopy(MINI)
    t["projects"][0].update(start="2017-01-01", end="2017-03-31")  # P1
    t["projects"][1].update(
        start="2017-01-01", end="2017-05-31"
    )  # P2 depends on P1, 8 weeks of slack
    t["milestones"] = [{"id": "m1", "title": "Leveranse", "project": "P2", "date": "2017-05-31"}]
    store = open_store("memory")
    load(store, write_dataset(tmp_path / "slack", t))
    g = to_networkx(store)
    p1 = queries.resolve_node(store, "P1")
    small = analysis.slip(g, p1, 4)
    assert [g.nodes[d.node]["code"] for d in small.delays] == ["P1"] and small.milestones == []
    big = analysis.slip(g, p1, 12)
    delays = {g.nodes[d.node]["code"]: d.weeks for d in big.delays}
    assert delays["P2"] == 3.3  # 12 weeks from 31 March is 23 June: 23 days past 31 May
    assert big.milestones[0]["late_weeks"] == 3.3


def test_docstring_examples_of_the_analysis_hold():
    import doctest

    import graph.analysis

    result = doctest.testmod(graph.analysis)
    assert result.attempted >= 10 and result.failed == 0
