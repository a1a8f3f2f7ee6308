"""The contract of the impact answers (graph/answers/scenarios.py) on every backend: the impact
answer with its why-paths, the slip what-if with who must act, and the system switch-off, on the
embedded store, Neo4j (after a push) and an Oxigraph SPARQL server (after a push).

Each answer is computed the way ``kg impact`` / ``kg whatif`` compute it (the networkx view of
the store, graph.netx.to_networkx, plus the store's own queries through the Store seam) and
must give the same rows everywhere. The golden facts come from the documents, lines cited; the
negative cases say where a change must NOT spread. The servers are real (tests/servers.py).
"""

from __future__ import annotations

import pytest
from servers import neo4j_server, oxigraph_server  # noqa: F401

from graph import queries
from graph.answers import scenarios
from graph.netx import to_networkx
from graph.push import push
from graph.remote import SparqlStore

BACKENDS = ["embedded", "neo4j", "sparql"]
# Projects that only report to programme management (S002 L11 «Prosjektene rapporterer til
# programledelsen») or only cooperate with A4 (A3, S000 L671): a change in A2 must not reach them.
NOT_FROM_A2 = {"A3", "A5", "A6", "AP1", "AP2", "AP3", "lokalisering", "innbyggertorg"}


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, asker):
    """(store, its networkx view) for each backend; the view as the CLI builds it."""
    store = (
        asker if request.param == "embedded" else request.getfixturevalue(f"{request.param}_store")
    )
    return request.param, store, to_networkx(store, "nb")


@pytest.fixture(scope="module")
def embedded(asker):
    return asker, to_networkx(asker, "nb")


def node(store, key: str) -> str:
    return str(queries.resolve_node(store, key))


def impact(store, g, key: str):
    return scenarios.impact(g, node(store, key))


def slip(store, g, key: str, weeks: float = 8):
    start = node(store, key)
    as_of, given = scenarios.as_of_for(store, start, None)
    return scenarios.slip(store, g, start, weeks, as_of, given)


def switch_off(store, g, key: str):
    start = node(store, key)
    as_of, given = scenarios.as_of_for(store, start, None)
    return scenarios.switch_off(store, g, start, as_of, "nb", given)


def section(answer, key: str):
    return next(s for s in answer.sections if s.key == key)


# -- golden facts from the documents, on every backend --------------------------------------


def test_impact_of_a2_reaches_a4_first_with_its_stated_reason(backend):
    name, store, g = backend
    ans = impact(store, g, "A2")
    first = ans.rows[0]
    # S000 L1857-1860: A4's «Viktigste avhengighet: A2 - Organisasjon og tjenesteutvikling».
    assert (first["code"], first["depth"], first["strength"]) == ("A4", 1, 1.0), name
    assert first["source"] == "S000 L1857-1860" and "Viktigste avhengighet" in first["rationale"]
    assert first["interpreted"] == "" and first["hops"][0]["from"] == "A2"
    assert ans.why[0][0].source == "A2" and ans.why[0][0].target == "A4"
    # The programme's launch (S000 L1920 «01.01.20: Nye Asker kommune lanseres») is reached.
    assert "ms-2020-01-01" in {r["code"] for r in ans.rows if r["kind"] == "Milestone"}
    # Negative: reporting to programme management (S002 L11) and cooperation (S000 L671) carry
    # nothing: no other project, no governance body.
    assert not NOT_FROM_A2 & {r["code"] for r in ans.rows}, name
    assert "GovernanceBody" not in {r["kind"] for r in ans.rows}, name


def test_impact_of_gerica_reaches_a4_and_its_users(backend):
    name, store, g = backend
    ans = impact(store, g, "gerica")
    rows = {r["code"]: r for r in ans.rows}
    # S001 L282 «Pleie og omsorg: Omforent ønske om valg av Gerica – Brukes i Røyken og Asker».
    assert rows["A4"]["depth"] == 1 and rows["A4"]["source"] == "S001 L282", name
    assert "Gerica" in rows["A4"]["rationale"]
    direct = {c for c, r in rows.items() if r["depth"] == 1}
    assert {"asker", "royken"} <= direct, name
    assert "hurum" not in direct  # Hurum uses Profil, not Gerica (S000 L1639)
    # Negative: Gerica's loss does not spread through A4's reporting to every project (S002 L11).
    assert not NOT_FROM_A2 & set(rows), name


def test_a2_slip_names_who_must_act_on_the_launch(backend):
    name, store, g = backend
    ans = slip(store, g, "A2")
    late = section(ans, "milestones").rows
    launch = next(m for m in late if m["milestone"] == "Nye Asker kommune lanseres")
    # S000 L1920 «01.01.20: Nye Asker kommune lanseres»; 8 weeks later is 2020-02-26.
    assert (launch["date"], launch["new_date"]) == ("2020-01-01", "2020-02-26"), name
    # The programme's owner is Fellesnemnda, its steering body Programledelse (S000 L241-243).
    assert (launch["owner"], launch["board"], launch["decides"]) == (
        "Fellesnemnda",
        "Programledelse",
        "Fellesnemnda",
    )
    delays = {r["code"] for r in section(ans, "delays").rows}
    assert "A4" in delays  # A4 depends on A2 (S000 L1857-1860)
    # Negative: projects that only report to programme management do not slip with A2.
    assert not NOT_FROM_A2 & delays, name
    # Only open milestones: none dated before the as-of date the answer prints.
    as_of = ans.facts["as_of"]
    assert as_of and all(m["date"] >= as_of for m in late if m["date"])


def test_switching_gerica_off_names_its_users_and_what_loses_it(backend):
    name, store, g = backend
    ans = switch_off(store, g, "gerica")
    users = section(ans, "users").rows
    # S001 L282: Gerica «Brukes i Røyken og Asker»; not in Hurum, which uses Profil (S000 L1639).
    places = {u["municipality"] for u in users}
    assert {"Asker kommune", "Røyken kommune"} <= places, (name, places)
    assert "Hurum kommune" not in places
    hit = {r["code"]: r for r in section(ans, "affected").rows}
    assert "A4" in hit and "Gerica" in hit["A4"]["rationale"], name  # S001 L282
    assert not NOT_FROM_A2 & set(hit), name


def same(got, want) -> None:
    """``got`` says what ``want`` says; a difference is named by its row."""
    assert (got.key, got.facts, got.notes) == (want.key, want.facts, want.notes)
    assert len(got.rows) == len(want.rows), (got.key, len(got.rows), len(want.rows))
    for i, (a, b) in enumerate(zip(got.rows, want.rows, strict=True)):
        assert a == b, (got.key, i, {k: (a.get(k), b.get(k)) for k in a if a.get(k) != b.get(k)})
    assert got.why == want.why
    assert len(got.sections) == len(want.sections)
    for a, b in zip(got.sections, want.sections, strict=True):
        same(a, b)


def test_the_same_answers_on_every_backend(backend, embedded):
    name, store, g = backend
    if name == "embedded":
        return
    ref_store, ref_g = embedded
    for key in ("A2", "gerica"):
        same(impact(store, g, key), impact(ref_store, ref_g, key))
    same(slip(store, g, "A2"), slip(ref_store, ref_g, "A2"))
    same(switch_off(store, g, "gerica"), switch_off(ref_store, ref_g, "gerica"))


def test_neo4j_reads_back_what_was_pushed(neo4j_store, asker):
    # graph/pgread.py is the inverse of graph/pgmap.py: every triple pushed comes back, with
    # its datatype (partial dates, decimals) and language, and nothing else. dct:modified is
    # the load's own clock, not data.
    from graph import pgread

    modified = "http://purl.org/dc/terms/modified"

    def triples(quads) -> set[tuple[str, str, str]]:
        return {
            (str(q.subject), str(q.predicate), str(q.object))
            for q in quads
            if q.predicate.value != modified
        }

    # What is pushed says each record's file (loaders/sourcefile.py: the graph says it once in
    # the store), so that is what must come back: per record, never as a line of the graph.
    from loaders.sourcefile import per_record

    got, want = triples(pgread.quads(neo4j_store)), triples(per_record(asker.quads()))
    assert got == want, (sorted(want - got)[:5], sorted(got - want)[:5])
    assert len(want) > 10_000
    assert pgread.readable(asker) is asker  # a SPARQL store is read as it is
