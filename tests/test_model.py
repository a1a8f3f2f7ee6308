"""The ontology, the generated shapes and docs, the other input formats, and query safety."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
import rdflib
import yaml
from conftest import MINI, ROOT, write_dataset

import ontology
from graph import queries
from graph.load import load
from graph.safety import check_cypher, check_sparql
from graph.store import LimitExceeded, Limits, QueryError, open_store
from graph.validate import to_rdflib, validate_graph
from loaders import docs, shapes
from loaders.dataset import read_dataset
from loaders.schema import KINDS
from ontology import terms


def test_a_misspelled_term_fails_at_import():
    assert terms.KG.dependsOn.endswith("#dependsOn")
    with pytest.raises(AttributeError, match="kg:dependOn is not declared"):
        terms.KG.dependOn  # noqa: B018
    code = "from ontology.terms import KG\nX = KG.Projcet\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0 and "kg:Projcet is not declared" in out.stderr


def test_every_ontology_term_has_labels_and_definitions_in_both_languages():
    g = rdflib.Graph().parse(data=ontology.read("kg.ttl"), format="turtle")
    kg_terms = {s for s in g.subjects() if str(s).startswith(terms.KG_NS) and str(s) != terms.KG_NS}
    assert {str(s)[len(terms.KG_NS) :] for s in kg_terms} == set(terms.declared())
    for s in kg_terms:
        for prop in (rdflib.RDFS.label, rdflib.SKOS.definition):
            langs = {o.language for o in g.objects(s, prop)}
            assert {"nb", "en"} <= langs, (s, prop)


def test_generated_files_are_up_to_date():
    assert ontology.read("shapes.ttl") == shapes.generate(), "run: python -m loaders.shapes"
    assert docs.DOCS.read_text(encoding="utf-8") == docs.generate(), "run: python -m loaders.docs"


def test_shapes_catch_what_a_turtle_import_gets_wrong(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        """@prefix kg: <https://w3id.org/kommunegraf/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/p/X> a kg:Project ; kg:phase "Ferdig" ; kg:sourceFile "x.csv" ; kg:sourceRow 7 .
""",
        encoding="utf-8",
    )
    store = open_store("memory")
    load(store, bad)
    found = {(v.file, v.row, v.path) for v in validate_graph(to_rdflib(store.dump()))}
    assert ("x.csv", 7, "kg:phase") in found  # not one of the Prosjektportalen phases
    assert ("x.csv", 7, "skos:prefLabel") in found  # a title is required


def test_xlsx_and_yaml_load_the_same_graph_as_csv(tmp_path):
    folder = write_dataset(tmp_path / "csv", MINI)
    book = openpyxl.Workbook()
    book.remove(book.active)
    meta = book.create_sheet("manifest")
    meta.append(["key", "value"])
    meta.append(["name", "mini"])
    meta.append(["base", "https://example.org/mini/"])
    as_yaml = {"manifest": {"name": "mini", "base": "https://example.org/mini/"}}
    for kind, rows in MINI.items():
        rows = [{"source": "S1", **r} for r in rows]
        header = list(dict.fromkeys(k for r in rows for k in r))
        sheet = book.create_sheet(kind)
        sheet.append(header)
        for r in rows:
            sheet.append([r.get(h) for h in header])
        as_yaml[kind] = rows
    book.save(tmp_path / "mini.xlsx")
    (tmp_path / "mini.yaml").write_text(
        yaml.safe_dump(as_yaml, allow_unicode=True), encoding="utf-8"
    )

    def triples(path, skip=("sourceFile", "modified")):
        ds = read_dataset(path)
        return {
            (q.subject, q.predicate, q.object)
            for q in ds.quads
            if not any(s in q.predicate.value for s in skip)
        }

    reference = triples(folder)
    assert triples(tmp_path / "mini.xlsx") == reference
    # YAML rows are numbered by their line in the file, so positions differ there
    skip = ("sourceFile", "modified", "sourceRow")
    assert triples(tmp_path / "mini.yaml", skip) == triples(folder, skip)


def test_xlsx_errors_name_the_sheet_and_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "projects"
    sheet.append(["id", "title", "type", "source"])
    sheet.append(["P1", "Et prosjekt", "projekt", "S1"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(Exception) as info:
        read_dataset(tmp_path / "x.xlsx")
    texts = [p.text() for p in info.value.problems]
    assert texts[0].startswith(
        "x.xlsx [projects], row 2, column 'type': 'projekt' is not allowed; use one of:"
    )


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a> <b> <c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/x>",
        "CLEAR ALL",
        "DROP GRAPH <g>",
        "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <a> <b> <c> }",
        "PREFIX x: <http://e/>\nWITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_and_service_are_refused(text):
    with pytest.raises(QueryError):
        check_sparql(text)


def test_keywords_inside_strings_and_names_are_not_refused():
    check_sparql('SELECT ?delete WHERE { ?s kg:drop "INSERT DATA" } # CLEAR')
    check_cypher("MATCH (n) WHERE n.name = 'DELETE' RETURN n.create AS `set`, $merge AS m")


@pytest.mark.parametrize(
    "text",
    [
        "CREATE (n)",
        "MATCH (n) SET n.x = 1",
        "MERGE (n:X)",
        "MATCH (n) DETACH DELETE n",
        "CALL dbms.security.createUser('x','y')",
        "LOAD CSV FROM 'file:///x' AS r RETURN r",
        "MATCH (n) REMOVE n.x",
        "CALL { CREATE (n) }",
    ],
)
def test_cypher_writes_are_refused(text):
    with pytest.raises(QueryError):
        check_cypher(text)


def test_a_query_that_runs_too_long_is_stopped(asker):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    with pytest.raises(LimitExceeded) as info:
        asker.query(slow, limits=Limits(seconds=0.5))
    assert (
        info.value.message("nb") == "spørringen brukte mer enn tidsgrensen på 0.5 s og ble stoppet"
    )


def test_a_parameter_cannot_change_the_query(asker):
    sneaky = 'A4" } ; DROP ALL ; SELECT * WHERE { "'
    with pytest.raises(QueryError, match="nothing is called"):
        queries.run(asker, "dependencies", {"project": sneaky})
    res = asker.query("SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": sneaky})
    assert res.rows == [(sneaky,)]


def test_parameter_types_are_checked(mini):
    store = open_store("memory")
    load(store, mini)
    q = queries.NamedQuery(
        "probe",
        {},
        {},
        (
            queries.Param("weeks", "int"),
            queries.Param("when", "date", required=False),
            queries.Param("dir", "enum", "up", values=("up", "down")),
            queries.Param("p", "node", kinds=("projects",)),
        ),
        "SELECT * WHERE { }",
        None,
    )
    good = queries.convert(store, q, {"weeks": "8", "when": "2020-01-01", "p": "P2"})
    assert good["weeks"] == 8 and str(good["when"]) == "2020-01-01" and good["dir"] == "up"
    assert good["p"].endswith("/project/P2")
    for raw, message in [
        ({"weeks": "åtte", "p": "P1"}, "parameter 'weeks': 'åtte' is not a whole number"),
        (
            {"weeks": "1", "when": "1.1.2020", "p": "P1"},
            "parameter 'when': '1.1.2020' is not a date (YYYY-MM-DD)",
        ),
        (
            {"weeks": "1", "dir": "sideways", "p": "P1"},
            "parameter 'dir': 'sideways' is not one of up, down",
        ),
        (
            {"weeks": "1", "p": "styret"},
            "parameter 'p': nothing is called 'styret' (projects); it names a GovernanceBody",
        ),
        (
            {"weeks": "1", "p": "P9"},
            "parameter 'p': nothing is called 'P9' (projects); did you mean P2, P1?",
        ),
        ({"p": "P1"}, "parameter 'weeks' is required"),
    ]:
        with pytest.raises(QueryError) as info:
            queries.convert(store, q, raw)
        assert info.value.message("en") == f"probe: {message}"


def test_every_kind_documents_every_column():
    text = docs.DOCS.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"## {kind.file}" in text
        for col in kind.columns:
            assert f"| `{col.name}` |" in text


def test_parameters_reach_nested_groups(mini):
    """A filter two OPTIONALs deep still sees a bound parameter (SPARQL scopes bottom-up)."""
    store = open_store("memory")
    load(store, mini)
    text = """SELECT ?t WHERE { ?p skos:notation "P1" OPTIONAL { ?p kg:phase ?ph
                OPTIONAL { ?p skos:prefLabel ?t FILTER(LANG(?t) = ?lang) } } }"""
    assert store.query(text, {"lang": "nb"}).rows == [("Første prosjekt",)]
    sub = """SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?p skos:notation ?c FILTER(?c = ?code) } } }"""
    assert store.query(sub, {"code": "P2"}).rows == [(1,)]


def test_only_groups_that_mention_a_parameter_get_its_values_block():
    from graph.binding import bind

    text = "SELECT * WHERE { ?m kg:kpi $kpi OPTIONAL { ?m kg:value ?v } OPTIONAL { ?m kg:year ?y . ?y kg:after ?min } }"
    out = bind(text, {"kpi": "<urn:k>", "min": "2020"})
    assert out.count("VALUES") == 2
    assert (
        "OPTIONAL { ?m kg:value ?v }" in out
    )  # untouched: a block here makes Oxigraph scan every value
    assert (
        "WHERE { VALUES (?kpi ?min) { (<urn:k> 2020) }  ?m kg:kpi" in out
    )  # both occur (one nested)
    assert "OPTIONAL { VALUES (?min) { (2020) }  ?m kg:year" in out  # in a pattern: bound here


def test_an_optional_filter_sees_the_enclosing_block(mini):
    """An OPTIONAL whose only mention of a parameter is its own FILTER gets no block: the filter
    is the OPTIONAL's join condition and sees the enclosing group's block (a block inside made
    Oxigraph join the label pattern over the whole graph: ``companies`` 7× slower at 1M). A
    FILTER of a nested OPTIONAL, or of a UNION branch, still needs the block of its own group."""
    from graph.binding import bind

    text = (
        "SELECT * WHERE { ?p skos:notation ?c OPTIONAL { ?p skos:prefLabel ?l "
        "FILTER(LANGMATCHES(LANG(?l), $lang)) } OPTIONAL { ?p kg:phase ?ph "
        "OPTIONAL { ?p skos:prefLabel ?t FILTER(LANG(?t) = $lang) } } "
        "{ ?p a kg:Project FILTER(STRLEN($lang) = 2) } }"
    )
    out = bind(text, {"lang": '"nb"'})
    assert "OPTIONAL { ?p skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), $lang)) }" in out
    assert 'OPTIONAL { VALUES (?lang) { ("nb") }  ?p kg:phase ?ph' in out  # its nested filter
    assert "OPTIONAL { ?p skos:prefLabel ?t FILTER(LANG(?t) = $lang) }" in out
    assert '{ VALUES (?lang) { ("nb") }  ?p a kg:Project' in out  # a plain group: bottom-up
    assert out.count("VALUES") == 3
    # and the answers are those of the data (tests/conftest.py MINI: P1 «Første prosjekt»@nb)
    store = open_store("memory")
    load(store, mini)
    asked = (
        'SELECT ?l WHERE { ?p skos:notation "P1" OPTIONAL { ?p skos:prefLabel ?l '
        "FILTER(LANGMATCHES(LANG(?l), $lang)) } }"
    )
    assert store.query(asked, {"lang": "nb"}).rows == [("Første prosjekt",)]
    assert store.query(asked, {"lang": "de"}).rows == [(None,)]  # NOT every label of P1
