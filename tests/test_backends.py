"""One contract for every backend: embedded, Neo4j (after a push) and a SPARQL endpoint (after a push).

The same named questions on the nye Asker graph must give the same rows everywhere (compared as
sets after normalising: IRIs and strings as text, numbers by value, dates as ISO text, joined
lists as sets, and SAMPLE() columns that may legitimately pick another of several values only
as present/absent). Then the faults: a server killed in the middle of a push, wrong password,
wrong port, an old server version, writes smuggled into queries, a query that runs too long.
The servers are real (tests/servers.py); nothing here mocks a driver.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest
from conftest import copy_store
from servers import (  # noqa: F401
    ROOT,
    ServerFailed,
    free_port,
    neo4j_server,
    new_neo4j,
    oxigraph_server,
    unavailable,
)

from graph import queries, snapshots
from graph.embedded import EmbeddedStore
from graph.load import load
from graph.neo4j import Neo4jStore, check_version, parse_version
from graph.pgmap import RDF_TYPE, to_property_graph
from graph.push import push
from graph.remote import SparqlStore
from graph.snapshots import SnapshotStore
from graph.store import (
    IRI,
    Capability,
    LimitExceeded,
    Limits,
    NotSupported,
    QueryError,
    Store,
    open_store,
)
from ontology import terms

BACKENDS = ["embedded", "neo4j", "sparql"]
JOINED = {
    "companies": {"relation": ", ", "events": " | "},
    "trace_down": {"values": "; "},
    "trace_up": {"values": "; "},
    "ict_portfolio": {"in_use": "; ", "chosen": ", ", "phase_out": ", ", "operated_by": ", "},
}
SAMPLED = {  # SAMPLE() over several candidates (another language, notation vs identifier)
    "companies": {"company_name"},
    "ict_portfolio": {"domain_name", "service_area", "decision", "reason"},
    "gap_actions_without_kpi": {"label", "project"},
    "gap_projects_without_goal": {"code"},
    "gap_kpis_without_measurement": {"label"},
    "gap_targets_without_project": {"as_written"},
}


def norm(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def row_set(name: str, result) -> set[tuple]:
    joined, sampled = JOINED.get(name, {}), SAMPLED.get(name, set())
    out = set()
    for row in result.rows:
        cells = []
        for col, v in zip(result.columns, row, strict=True):
            if col in sampled:
                cells.append(v is not None)
            elif col in joined and isinstance(v, str):
                cells.append(frozenset(v.split(joined[col])))
            else:
                cells.append(norm(v))
        out.add(tuple(cells))
    return out


@pytest.fixture(scope="module")  # the server is emptied for the next module
def neo4j_store(neo4j_server, asker):  # noqa: F811
    store = neo4j_server.store()
    push(asker, store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def sparql_store(oxigraph_server, asker):  # noqa: F811
    store = SparqlStore(oxigraph_server.query_url, oxigraph_server.store_url)
    push(asker, store)
    return store


@pytest.fixture(params=BACKENDS)
def store(request, asker):
    return (
        asker if request.param == "embedded" else request.getfixturevalue(f"{request.param}_store")
    )


def run(store, name, **params):
    return queries.run(store, name, params, lang="nb").dicts()


# -- the contract: same rows -----------------------------------------------------------------

CYPHER = sorted(n for n, q in queries.library().items() if q.cypher)


def test_every_named_question_has_cypher():
    wanted = {
        "dependencies",
        "dependents",
        "impact",
        "accountability",
        "ict_portfolio",
        "companies",
        "trace_down",
        "trace_up",
        "status_overview",
    } | {n for n in queries.library() if n.startswith("gap_")}
    assert wanted <= set(CYPHER)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_sparql_endpoint_gives_the_same_rows(sparql_store, asker, name):
    want, got = queries.run(asker, name), queries.run(sparql_store, name)
    assert got.columns == want.columns
    assert row_set(name, got) == row_set(name, want)


@pytest.mark.parametrize("name", CYPHER)
def test_neo4j_gives_the_same_rows(neo4j_store, asker, name):
    for lang in ("nb", "en"):
        want, got = queries.run(asker, name, lang=lang), queries.run(neo4j_store, name, lang=lang)
        assert got.columns == want.columns
        assert row_set(name, got) == row_set(name, want), lang


# -- the contract: what the questions say, on every backend --------------------------------


def test_what_a4_depends_on(store):
    rows = {r["code"]: r for r in run(store, "dependencies", project="A4")}
    assert rows["A2"]["depth"] == 1 and rows["A2"]["criticality"] == "primary"
    assert {"A1", "A3", "A5", "A6", "d-ikt", "lh-ikt"} <= {
        c for c, r in rows.items() if r["depth"] == 1
    }
    assert all(r["rationale"] and r["source"] for r in rows.values())


def test_what_depends_on_a2_and_its_impact(store):
    assert {"A4"} <= {r["code"] for r in run(store, "dependents", project="A2") if r["depth"] == 1}
    impact = run(store, "impact", node="A2")
    # A4's main dependency is A2 (S000 L1857-1860); the programme's launch (S000 L1920) is reached.
    assert {"A4", "program"} <= {r["code"] for r in impact if r["kind"] == "Project"}
    assert "ms-2020-01-01" in {r["code"] for r in impact if r["kind"] == "Milestone"}
    # A3 only cooperates with A4 (S000 L671) and the others only report to programme management
    # (S002 L11): a change in A2 must not reach them, nor any governance body.
    assert not {"A3", "A5", "A6", "AP1", "lokalisering"} & {r["code"] for r in impact}
    assert "GovernanceBody" not in {r["kind"] for r in impact}


@pytest.mark.parametrize("start", ["A2", "A3", "gerica", "fellesnemnda", "d-ikt"])
def test_impact_is_the_propagation_model_on_every_backend(store, asker, start):
    # The named query is generated from ontology/kg.ttl like the networkx walk: same nodes.
    from graph import propagation
    from graph.netx import to_networkx

    node = queries.resolve_node(asker, start)
    want = {r.node for r in propagation.propagate(to_networkx(asker), node, min_strength=0.0).rows}
    assert {str(r["affected"]) for r in run(store, "impact", node=start)} == want


def test_accountability_chain_of_a4(store):
    rows = run(store, "accountability", project="A4")
    roles = {(r["role"], r["code"]) for r in rows}
    assert {
        ("owner", "lars-bjerke"),
        ("leader", "ragnar-husum"),
        ("steering_body", "prosjektstyre-a4"),
    } <= roles
    councils = {
        r["code"]: r["depth"]
        for r in rows
        if r["role"] == "above" and r["code"].startswith("kommunestyre")
    }
    assert councils == {"kommunestyre-asker": 3, "kommunestyre-hurum": 3, "kommunestyre-royken": 3}


def test_chosen_system_per_domain(store):
    rows = {r["domain_name"]: r for r in run(store, "ict_portfolio")}
    assert (
        rows["Pleie og omsorg"]["chosen"] == "Gerica"
        and rows["Pleie og omsorg"]["phase_out"] == "Profil"
    )
    assert rows["Booking og ressursstyring"]["decision"] == "continued"
    assert rows["Saksbehandling og arkiv"]["decision"] == "pending"


def test_fate_of_d_ikt_and_lh_ikt(store):
    rows = run(store, "companies")
    fate = {(r["municipality_name"], r["company"].rsplit("/", 1)[1]): r for r in rows}
    assert (
        "dissolution: Drammensregionen IKT vedtatt avviklet (2020-01-01)"
        in fate[("Røyken kommune", "d-ikt")]["events"]
    )
    assert (
        "dissolution: Lier og Hurum IKT vedtatt avviklet (2017)"
        in fate[("Hurum kommune", "lh-ikt")]["events"]
    )
    assert set(fate[("Hurum kommune", "lh-ikt")]["relation"].split(", ")) == {
        "owner_customer",
        "served_by",
    }


def test_gap_reports(store):
    assert [r["code"] for r in run(store, "gap_kpis_without_measurement")] == ["K4", "K5"]
    assert {"A7", "harmonisering"} <= {r["code"] for r in run(store, "gap_projects_without_goal")}
    assert {"kommunestyre-asker", "programkontor"} <= {
        r["code"] for r in run(store, "gap_bodies_without_members")
    }
    assert len(run(store, "gap_actions_without_kpi")) >= 1


def test_row_limit_sets_truncated(store):
    text = (
        "MATCH (n:Resource) RETURN n.iri AS n"
        if store.language == "cypher"
        else "SELECT ?n WHERE { ?n a ?c }"
    )
    res = store.query(text, None, Limits(seconds=30, rows=5))
    assert len(res.rows) == 5 and res.truncated


def test_values_are_plain(store):
    rows = run(store, "status_overview")
    assert all(isinstance(r["project"], IRI) for r in rows)
    assert any(isinstance(r["date"], dt.date) for r in rows)


# -- Neo4j specifics and faults ---------------------------------------------------------------


def test_neo4j_knows_what_was_pushed(neo4j_store, asker):
    assert neo4j_store.graphs() == asker.graphs()
    assert neo4j_store.version >= (5, 9)
    assert queries.resolve_node(neo4j_store, "A4", ("projects",)).endswith("/project/A4")


def test_version_check_from_components():
    old = [{"name": "Neo4j Kernel", "versions": ["4.4.30"], "edition": "community"}]
    assert parse_version(old) == (4, 4, 30)
    with pytest.raises(QueryError) as info:
        check_version(parse_version(old), "at bolt://x")
    assert "4.4.30" in info.value.message("en") and "needs Neo4j 5" in info.value.message("en")
    assert parse_version([], "Neo4j/5.26.0") == (5, 26, 0)
    assert parse_version([{"name": "Neo4j Kernel", "versions": ["5.27-aura"]}]) == (5, 27)
    check_version((5, 26, 30))


def test_wrong_password_is_one_clear_line(neo4j_server):  # noqa: F811
    secret = "not-the-password-123"
    store = Neo4jStore(neo4j_server.uri, "neo4j", password=secret)
    with pytest.raises(QueryError) as info:
        store.query("RETURN 1")
    for lang in ("en", "nb"):
        text = info.value.message(lang)
        assert "\n" not in text and secret not in text and "neo4j" in text
    assert "wrong user name or password" in info.value.message("en")
    assert secret not in repr(store)


def test_wrong_port_is_one_clear_line():
    store = Neo4jStore(f"bolt://127.0.0.1:{free_port()}", "neo4j", password="x", connect_timeout=2)
    with pytest.raises(QueryError) as info:
        store.query("RETURN 1")
    assert "cannot reach Neo4j" in info.value.message(
        "en"
    ) and "får ikke kontakt" in info.value.message("nb")


WRITES = [
    "CREATE (n:Evil) RETURN n",
    "MATCH (n) SET n.x = 1 RETURN n",
    "MATCH (n) DETACH DELETE n",
    "MERGE (n:Evil {id: 1}) RETURN n",
    "MATCH (n) REMOVE n:Project RETURN n",
    "CALL dbms.security.createUser('eve', 'pw', false)",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "MATCH (n) WITH n LIMIT 1 CALL { WITH n DELETE n } RETURN 1",
    "/* harmless */ MATCH (n) // comment\n DELETE n",
]


@pytest.mark.parametrize("text", WRITES)
def test_cypher_writes_refused_before_sending(text):
    offline = Neo4jStore(f"bolt://127.0.0.1:{free_port()}", "neo4j", password="x")
    with pytest.raises(QueryError) as info:  # refused, not "cannot reach": nothing was sent
        offline.query(text)
    assert info.value.message("en").startswith("refused")


def test_read_session_refuses_a_write_the_check_missed(neo4j_store):
    before = neo4j_store.query("MATCH (n) RETURN count(n)").rows[0][0]
    with pytest.raises(QueryError) as info:
        neo4j_store._read(
            "CREATE (n:Smuggled) RETURN n", None, Limits(), None
        )  # bypasses check_cypher
    assert "only read queries" in info.value.message("en")
    assert neo4j_store.query("MATCH (n) RETURN count(n)").rows[0][0] == before


def test_sparql_update_refused_before_sending():
    offline = SparqlStore(f"http://127.0.0.1:{free_port()}/query")
    for text in (
        "INSERT DATA { <a:b> <a:c> 1 }",
        "DROP ALL",
        "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    ):
        with pytest.raises(QueryError) as info:
            offline.query(text)
        assert info.value.message("en").startswith("refused")


def test_sparql_unreachable_is_one_clear_line():
    with pytest.raises(QueryError) as info:
        SparqlStore(f"http://127.0.0.1:{free_port()}/query").query("ASK {}")
    assert "cannot reach the SPARQL endpoint" in info.value.message("en")


@pytest.mark.parametrize("backend", ["neo4j", "sparql"])
def test_query_that_runs_too_long(request, backend):
    store = request.getfixturevalue(f"{backend}_store")
    text = (
        "MATCH (a), (b), (c) WHERE a.iri + b.iri + c.iri = 'x' RETURN count(*)"
        if backend == "neo4j"
        else "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    )
    with pytest.raises(LimitExceeded) as info:
        store.query(text, None, Limits(seconds=1, rows=10))
    assert "time limit" in info.value.message("en") and "tidsgrensen" in info.value.message("nb")


def test_sparql_replace_puts_back_the_previous_graphs_on_failure(sparql_store, asker):
    before = queries.run(sparql_store, "dependencies", {"project": "A4"}).rows
    size = len(sparql_store)

    def fail_after_three(en, nb):
        if en.startswith("graph 3/"):
            raise RuntimeError("the network went away")

    with pytest.raises(RuntimeError):
        sparql_store.replace(
            set(asker.graphs()), [], progress=fail_after_three
        )  # would empty the store
    assert len(sparql_store) == size
    assert queries.run(sparql_store, "dependencies", {"project": "A4"}).rows == before


def test_push_retries_a_transient_error(neo4j_store, asker):
    from neo4j.exceptions import TransientError

    seen = {"failed": False, "retries": []}

    def flaky(en, nb):
        if en.startswith("nodes") and not seen["failed"]:
            seen["failed"] = True
            raise TransientError("injected deadlock")
        if en.startswith("transient error"):
            seen["retries"].append(en)

    report = push(asker, neo4j_store, progress=flaky, backoff=0.01)
    assert len(seen["retries"]) == 1 and report.removed_nodes == 0
    assert queries.run(neo4j_store, "dependencies", {"project": "A4"}).rows


def changed_graph(asker, mini, retype: str = "/project/A4"):
    """nye Asker without its dependencies, with one project retyped, plus another dataset."""
    changed = open_store("memory")
    changed.replace(
        [], (q for q in asker.quads() if not q.graph_name.value.endswith("dependencies.csv"))
    )
    load(changed, mini)
    node = next(q.subject for q in asker.quads() if q.subject.value.endswith(retype))
    graph = next(g for g in changed.graphs() if g.endswith("projects.csv"))
    kind = ox.Quad(
        node, ox.NamedNode(RDF_TYPE), ox.NamedNode(terms.iri("kg:SubProject")), ox.NamedNode(graph)
    )
    changed.replace([], [kind])  # a label more: the push must add it, and the next remove it
    return changed


def frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def assert_same_graph(neo4j_store, source) -> None:
    """Neo4j holds exactly the mapping of ``source``: every node with its labels and properties,
    every relationship (as a multiset) with its properties; nothing else."""
    pg = to_property_graph(source.quads())
    big = Limits(seconds=120, rows=10**7)
    got_nodes = {
        iri: (frozenset(labels), frozen({k: v for k, v in props.items() if k != "kg_sync"}))
        for iri, labels, props in neo4j_store.query(
            "MATCH (n:Resource) RETURN n.iri, labels(n), properties(n)", None, big
        ).rows
    }
    want_nodes = {n.iri: (frozenset(n.labels), frozen(n.props)) for n in pg.nodes.values()}
    assert set(got_nodes) == set(want_nodes)
    assert got_nodes == want_nodes
    got_rels = Counter(
        (a, t, b, frozen({k: v for k, v in props.items() if k != "kg_sync"}))
        for a, t, b, props in neo4j_store.query(
            "MATCH (a:Resource)-[x]->(b:Resource) RETURN a.iri, type(x), b.iri, properties(x)",
            None,
            big,
        ).rows
    )
    want_rels = Counter(
        (r.start, r.type, r.end, frozen({**r.props, "key": r.key})) for r in pg.rels
    )
    assert got_rels == want_rels
    # besides the graph: the push record, and the RDF the app reads (graph/neo4jrdf.py)
    assert {
        tuple(r[0])
        for r in neo4j_store.query("MATCH (n) WHERE NOT n:Resource RETURN labels(n)").rows
    } == {("KgMeta",), ("KgRdf",)}
    sync = neo4j_store.query("MATCH (m:KgMeta) RETURN m.sync").rows[0][0]
    stamps = "MATCH (n:Resource) RETURN DISTINCT n.kg_sync UNION MATCH ()-[x]->() RETURN DISTINCT x.kg_sync AS `n.kg_sync`"
    assert neo4j_store.query(stamps).rows == [(sync,)]  # everything is of the completed push
    assert neo4j_store.push_state()["pushing"] is None


@pytest.fixture
def scratch_neo4j(neo4j_store, asker):
    """The shared Neo4j, given back holding nye Asker whatever the test did to it."""
    yield neo4j_store
    push(asker, neo4j_store)


@pytest.mark.parametrize("labels_from", ["parameters", "query text"])
def test_push_in_many_small_transactions_gives_exactly_the_source(
    scratch_neo4j, asker, mini, labels_from, monkeypatch
):
    """Tiny batches and transactions: nodes, labels, relationships and removals come out exact,
    from 5.26's $(…) labels and types as well as from the per-label-set queries older servers get."""
    import graph.push

    if labels_from == "query text":
        monkeypatch.setattr(graph.push, "DYNAMIC", (99,))
    changed = changed_graph(asker, mini)
    report = push(changed, scratch_neo4j, batch_size=7, tx_rows=30)
    assert report.transactions >= (report.nodes + report.relationships) / 28  # 4 batches of 7
    assert report.removed_nodes > 0 and report.removed_relationships > 0  # the dependencies
    assert_same_graph(scratch_neo4j, changed)
    labels = "MATCH (n:Resource) WHERE n.iri ENDS WITH '/project/A4' RETURN labels(n)"
    assert "SubProject" in scratch_neo4j.query(labels).rows[0][0]
    report = push(asker, scratch_neo4j, batch_size=7, tx_rows=30)  # and back: A4 loses the label
    assert report.removed_nodes > 0 and report.transactions > 100
    assert_same_graph(scratch_neo4j, asker)
    assert "SubProject" not in scratch_neo4j.query(labels).rows[0][0]


@pytest.mark.parametrize(
    "stop_at", ["nodes", "relationships", "removed nodes", "removed relationships"]
)
def test_interrupted_multi_transaction_push_converges(scratch_neo4j, asker, mini, stop_at):
    """A push that stops after some of its transactions committed (here the client fails) leaves
    the previous push recorded as complete; the next push ends in exactly its source."""
    before = scratch_neo4j.push_state()
    changed = changed_graph(asker, mini)
    seen = []

    def stop(en, nb):
        if en.startswith(stop_at + " "):
            seen.append(en)
            if len(seen) == 2:
                raise RuntimeError("the client went away")

    with pytest.raises(QueryError) as info:
        push(changed, scratch_neo4j, progress=stop, batch_size=5, tx_rows=10)
    assert "stopped midway" in info.value.message("en") and len(seen) == 2
    state = scratch_neo4j.push_state()
    assert state["sync"] == before["sync"] and state["pushing"] not in (None, before["sync"])
    assert scratch_neo4j.graphs() == asker.graphs()
    written = "MATCH (n:Resource) WHERE n.kg_sync = $t RETURN count(n)"
    assert scratch_neo4j.query(written, {"t": state["pushing"]}).rows[0][0] > 0  # some committed
    push(changed, scratch_neo4j, batch_size=5, tx_rows=10)
    assert_same_graph(scratch_neo4j, changed)
    assert set(scratch_neo4j.graphs()) == set(changed.graphs())


def test_first_push_to_an_empty_database_plans_relationships_to_expand(scratch_neo4j, asker):
    """Planned while the database has no relationships, the relationship MERGE reads all of them
    for every row, and keeps that plan for the rest of the transaction (a first push of 100k
    triples ran into the transaction timeout). Seen from another session while the push's first
    full transaction of relationships is open, the cached plan must expand from the start node."""
    from graph.push import relationship_query

    scratch_neo4j.write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())
    scratch_neo4j.write(lambda tx: tx.run("CALL db.clearQueryCaches()").consume())

    def operators(plan) -> list[str]:
        return [plan["operatorType"].split("@")[0]] + [
            op for child in plan.get("children", []) for op in operators(child)
        ]

    def cached_plan(size: int) -> list[str]:  # rows that match nothing: PROFILE writes nothing
        rows = [["no-such-node", "no-such-node", "", None, "DEPENDS_ON"]] * size
        text = "PROFILE " + relationship_query(None)
        return operators(
            scratch_neo4j.write(lambda tx: tx.run(text, rows=rows, t="").consume().profile)
        )

    plans = []

    def check(en, nb):
        if (
            en.startswith("relationships ")
            and int(en.split()[1].split("/")[0]) >= 1000
            and not plans
        ):
            plans.append(cached_plan(100))  # the push's batch size

    push(asker, scratch_neo4j, progress=check, batch_size=100, tx_rows=1000)
    assert plans and "Expand(Into)" in plans[0]
    assert not [op for op in plans[0] if "RelationshipsScan" in op]
    assert_same_graph(scratch_neo4j, asker)


def test_server_killed_in_the_middle_of_a_push(tmp_path, asker, mini):
    """A server that dies mid-push still records the previous push as the complete one, removes
    nothing, and the next push ends in exactly the new source graph."""
    server = new_neo4j(tmp_path / "neo4j")
    try:
        server.start()
    except ServerFailed as e:
        unavailable(f"Neo4j did not start: {e}")
    first = server.store()
    try:
        push(asker, first)
        count = "MATCH (n:Resource) RETURN count(n)"
        nodes_before = first.query(count).rows[0][0]
        sync_before = first.push_state()["sync"]
        changed = changed_graph(asker, mini)
        batches = []

        def kill_midway(en, nb):
            if en.startswith("relationships"):
                batches.append(en)
                if len(batches) == 3:
                    os.killpg(server.proc.pid, signal.SIGKILL)  # a crash, not a clean stop

        with pytest.raises(QueryError) as info:  # one batch a transaction: some have committed
            push(
                changed,
                first,
                progress=kill_midway,
                batch_size=50,
                tx_rows=50,
                retry_seconds=1,
                backoff=0.1,
            )
        assert "stopped midway" in info.value.message("en") and "på nytt" in info.value.message(
            "nb"
        )
        assert len(batches) == 3
        server.proc.wait(10)
        server.start()  # same data folder, new port
        again = server.store()
        state = again.push_state()
        assert state["sync"] == sync_before and state["pushing"] not in (None, sync_before)
        assert set(again.graphs()) == set(asker.graphs())  # what the last complete push had
        # The old and new graph overlap: nothing is removed before the push completes.
        assert again.query(count).rows[0][0] > nodes_before
        assert (
            again.query(
                "MATCH (d:Dependency) WHERE d.iri CONTAINS 'nye-asker' RETURN count(d)"
            ).rows[0][0]
            > 0
        )
        report = push(changed, again)
        assert_same_graph(again, changed)
        assert report.removed_nodes > 0 and again.query(count).rows[0][0] == report.nodes
        assert set(again.graphs()) == set(changed.graphs())
        assert again.push_state()["pushing"] is None
        again.close()
    finally:
        first.close()
        server.stop()


def test_password_file_and_env_settings(monkeypatch, tmp_path, neo4j_server):  # noqa: F811
    from graph.config import backend_options

    monkeypatch.setenv("KG_NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("KG_NEO4J_PASSWORD_FILE", str(neo4j_server.password_file))
    monkeypatch.delenv("KG_NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("KG_CONFIG", str(tmp_path / "none.toml"))
    options = backend_options("neo4j")
    assert options["uri"] == neo4j_server.uri and "password" not in options
    store = Neo4jStore(**options)
    assert store.query("RETURN 1 AS one").rows == [(1,)]


def test_sparql_push_keeps_other_graphs_and_drops_vanished_ones(oxigraph_server, asker):  # noqa: F811
    store = SparqlStore(oxigraph_server.query_url, oxigraph_server.store_url)
    foreign = "https://example.org/not-ours"
    vanished = asker.graphs()[1].rsplit("/", 1)[0] + "/gone.csv"
    store._put(
        foreign, b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
    )
    store._put(
        vanished, b"<https://example.org/x> <https://example.org/y> <https://example.org/z> .\n"
    )
    push(asker, store)
    assert foreign in store.graphs() and vanished not in store.graphs()
    store._put(foreign, None)
    assert store.graphs() == asker.graphs()


def test_kg_push_command(oxigraph_server, monkeypatch, tmp_path, nye_asker_store):  # noqa: F811
    from graph.cli import build_parser

    parser = build_parser()
    store_dir = copy_store(nye_asker_store, tmp_path / "store")  # data/nye-asker
    monkeypatch.setenv("KG_SPARQL_QUERY_URL", oxigraph_server.query_url)
    monkeypatch.setenv("KG_SPARQL_STORE_URL", oxigraph_server.store_url)
    monkeypatch.setenv("KG_CONFIG", str(tmp_path / "none.toml"))
    args = parser.parse_args(["--store", str(store_dir), "--lang", "en", "push", "--to", "sparql"])
    assert args.run(args).startswith("Pushed")
    store = SparqlStore(oxigraph_server.query_url)
    assert queries.run(store, "dependencies", {"project": "A4"}).rows


# -- the contract: what each backend can do (Capability), or NotSupported ---------------------

C = Capability
METHODS = {
    C.REPLACE: ["replace"],
    C.REPLACE_NQUADS: ["replace_nquads"],
    C.QUADS: ["quads"],
    C.DUMP: ["dump"],
    C.LEN: ["__len__"],
    C.GENERATIONS: ["root", "opened", "refresh"],
    C.COMPACT: ["compact"],
    C.LOOKUP_NODE: ["lookup_node"],
    C.AS_OF: ["as_of"],
    C.PUSH_TARGET: ["ready", "schema", "write", "push_state"],
}
# What each backend must offer, written out (not read from the code): a capability that goes
# missing, or one claimed without being tested here, fails.
EXPECTED = {
    "embedded": {C.REPLACE, C.REPLACE_NQUADS, C.QUADS, C.DUMP, C.LEN, C.GENERATIONS, C.COMPACT},
    "memory": {C.REPLACE, C.REPLACE_NQUADS, C.QUADS, C.DUMP, C.LEN},
    "snapshot": {C.REPLACE, C.REPLACE_NQUADS, C.QUADS, C.DUMP, C.LEN, C.AS_OF},
    "neo4j": {C.LOOKUP_NODE, C.PUSH_TARGET},
    "sparql": {C.REPLACE, C.QUADS, C.DUMP, C.LEN},
    "sparql-read-only": {C.QUADS, C.DUMP, C.LEN},
}
SCRATCH = "urn:kg-contract-test"  # a graph no dataset uses; each check removes it again
SNAPSHOT_DAY = dt.date(2024, 1, 31)


def _overrides(cls: type, name: str) -> bool:
    return cls.__dict__.get(name) is not None or any(
        name in base.__dict__ for base in cls.__mro__[1 : cls.__mro__.index(Store)]
    )


@pytest.mark.parametrize("cls", [EmbeddedStore, SparqlStore, Neo4jStore, SnapshotStore])
def test_declared_capabilities_are_implemented(cls):
    """A backend class implements every capability it declares (the base class's methods only
    raise NotSupported). What it does not declare must refuse: see the test below."""
    for cap in cls.capabilities:
        missing = [n for n in METHODS[cap] if not _overrides(cls, n)]
        assert not missing, f"{cls.__name__} declares {cap} without implementing {missing}"


@pytest.fixture(params=list(EXPECTED))
def backend(request, tmp_path, mini):
    """(name, store, a code it holds, the IRI ending of that node) for each kind of backend."""
    name = request.param
    if name in ("embedded", "memory"):
        store = open_store(name, path=tmp_path / "store")
        load(store, mini)
        return name, store, "P1", "/project/P1"
    if name == "snapshot":
        source = open_store("memory")
        load(source, mini)
        snapshots.save(tmp_path / "snaps", "mini", SNAPSHOT_DAY, source.quads())
        return name, snapshots.as_of(tmp_path / "snaps", "2024-02-15"), "P1", "/project/P1"
    if name == "sparql-read-only":
        full = request.getfixturevalue("sparql_store")
        return name, SparqlStore(full.query_url), "A4", "/project/A4"
    return name, request.getfixturevalue(f"{name}_store"), "A4", "/project/A4"


def _scratch_quad() -> ox.Quad:
    return ox.Quad(
        ox.NamedNode("urn:kg:a"), ox.NamedNode("urn:kg:b"), ox.Literal("c"), ox.NamedNode(SCRATCH)
    )


def check_replace(store, code, ending):
    before = set(store.graphs())
    store.replace([SCRATCH], [_scratch_quad()])
    assert set(store.graphs()) == before | {SCRATCH}
    assert store.query('ASK { GRAPH ?g { <urn:kg:a> <urn:kg:b> "c" } }').boolean is True
    store.replace([SCRATCH], [])
    assert set(store.graphs()) == before  # nothing else was touched


def check_replace_nquads(store, code, ending):
    before = set(store.graphs())
    size, lines = store.replace_nquads([SCRATCH], iter([f"{_scratch_quad()} .\n".encode()]))
    assert lines == 1 and SCRATCH in store.graphs() and size == len(store)
    store.replace([SCRATCH], [])
    assert set(store.graphs()) == before


def check_quads(store, code, ending):
    quads = list(store.quads())
    assert quads and all(isinstance(q, ox.Quad) for q in quads)
    assert {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)} >= set(
        store.graphs()
    )
    assert any(q.subject.value.endswith(ending) for q in quads)
    # A pattern: the node's quads in one graph, then one exact quad, then a pattern with no match.
    q = next(
        q for q in quads if q.subject.value.endswith(ending) and isinstance(q.object, ox.Literal)
    )
    found = list(store.quads(q.subject, None, None, q.graph_name))
    assert q in found and {x.subject for x in found} == {q.subject}
    assert {x.graph_name for x in found} == {q.graph_name}
    assert set(found) == {
        x for x in quads if x.subject == q.subject and x.graph_name == q.graph_name
    }
    assert list(store.quads(q.subject, q.predicate, q.object, q.graph_name)) == [q]
    by_object = set(store.quads(None, q.predicate, q.object, None))
    assert q in by_object and all(
        x.predicate == q.predicate and x.object == q.object for x in by_object
    )
    assert (
        list(store.quads(q.subject, q.predicate, ox.Literal("no such value"), None)) == []
    )  # NOT all


def check_dump(store, code, ending):
    parsed = set(ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS))
    assert parsed == set(store.quads())


def check_len(store, code, ending):
    assert len(store) == len(set(store.quads())) > 0


def check_generations(store, code, ending):
    assert store.root.is_dir() and store.opened is not None
    assert store.opened.is_relative_to(store.root.resolve())
    # refresh(): a second handle on the folder follows a generation the first one wrote.
    other = open_store("embedded", path=store.root, read_only=True)
    try:
        assert other.refresh() is False  # nothing new: it stays where it is
        before = other.opened
        store.replace([SCRATCH], [_scratch_quad()])
        assert SCRATCH not in other.graphs() and other.opened == before  # not until asked
        assert other.refresh() is True
        assert other.opened == store.opened != before and SCRATCH in other.graphs()
    finally:
        store.replace([SCRATCH], [])
        other.close()


def check_compact(store, code, ending):
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    before, rows = store.opened, sorted(store.query(text).rows)
    assert store.compact() is True
    assert store.opened != before and sorted(store.query(text).rows) == rows


def check_lookup_node(store, code, ending):
    found = store.lookup_node(code)
    assert any(node.endswith(ending) and kind == "Project" for node, kind in found)
    assert store.lookup_node("no-such-code-anywhere") == []


def check_as_of(store, code, ending):
    assert store.as_of == {"mini": SNAPSHOT_DAY}


def check_push_target(store, code, ending):
    assert store.ready() >= (5, 9)
    state = store.push_state()
    assert state["sync"] and state["pushing"] is None
    assert store.write(lambda tx: tx.run("RETURN 1 AS one").single()[0]) == 1


CHECKS = {
    C.REPLACE: check_replace,
    C.REPLACE_NQUADS: check_replace_nquads,
    C.QUADS: check_quads,
    C.DUMP: check_dump,
    C.LEN: check_len,
    C.GENERATIONS: check_generations,
    C.COMPACT: check_compact,
    C.LOOKUP_NODE: check_lookup_node,
    C.AS_OF: check_as_of,
    C.PUSH_TARGET: check_push_target,
}
REFUSED = {  # every method of each capability, called cheaply; a refusal must change nothing
    C.REPLACE: [lambda s: s.replace([SCRATCH], [])],
    C.REPLACE_NQUADS: [lambda s: s.replace_nquads([SCRATCH], iter([]))],
    C.QUADS: [
        lambda s: list(s.quads()),
        lambda s: list(s.quads(None, None, None, ox.NamedNode(SCRATCH))),
    ],
    C.DUMP: [lambda s: s.dump()],
    C.LEN: [len],
    C.GENERATIONS: [lambda s: s.opened, lambda s: s.root, lambda s: s.refresh()],
    C.COMPACT: [lambda s: s.compact()],
    C.LOOKUP_NODE: [lambda s: s.lookup_node("A4")],
    C.AS_OF: [lambda s: s.as_of],
    C.PUSH_TARGET: [
        lambda s: s.push_state(),
        lambda s: s.ready(),
        lambda s: s.schema([]),
        lambda s: s.write(lambda tx: None),
    ],
}


@pytest.mark.parametrize("cap", list(Capability), ids=lambda c: c.value)
def test_capability_works_or_is_refused(backend, cap):
    """Each capability per backend: declared ones do what they say, the others raise the one
    NotSupported error (in both languages) and change nothing."""
    name, store, code, ending = backend
    assert set(store.capabilities) == EXPECTED[name]
    assert store.supports(cap) == (cap in EXPECTED[name])
    if store.supports(cap):
        CHECKS[cap](store, code, ending)
        return
    graphs = store.graphs()
    for call in REFUSED[cap]:
        with pytest.raises(NotSupported) as info:
            call(store)
        assert info.value.capability is cap and isinstance(info.value, QueryError)
        assert f"not supported by the {store.name} backend" in info.value.message("en")
        assert f"støttes ikke av lageret {store.name}" in info.value.message("nb")
    assert store.graphs() == graphs


def test_a_store_without_len_is_still_true(neo4j_store):
    assert bool(neo4j_store) and not neo4j_store.supports(C.LEN)  # `if store:` must not count


def test_neo4j_refuses_a_direct_load_and_says_push(neo4j_store, mini):
    with pytest.raises(NotSupported) as info:
        load(neo4j_store, mini)
    assert "kg push" in info.value.message("en") and "kg push" in info.value.message("nb")
