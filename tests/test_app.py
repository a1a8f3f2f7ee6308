"""The Streamlit app, page by page, with streamlit.testing (AppTest) on the bundled nye Asker graph.

The graph is built once into a temporary ``KG_STORE`` with :func:`graph.load.load`; every
assertion checks content from the source documents (A4's dependencies, Gerica chosen for
«Pleie og omsorg», the programme launch on 1.1.2020 …). The builders in graph/answers/ and the
renderer in graph/render.py are tested directly too.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, ROOT, copy_store, write_dataset
from streamlit.testing.v1 import AppTest

from graph import answers as V
from graph.load import load
from graph.render import GEdge, GNode, GraphSpec, script_json, to_html
from graph.store import open_store
from views import drawing as D

APP = str(ROOT / "app.py")
XSS = ROOT / "tests" / "xss"
PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<a href="javascript:window.__xss=1">x</a>',
)


@pytest.fixture(scope="session")
def bundled(kg_store):
    store = open_store("embedded", path=kg_store, read_only=True)
    return store, V.graph_for(store, "nb")


def app(kg_store, locale: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if locale:
        at.context = {"locale": locale}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """All text the page shows in markdown, alerts, captions, titles and headers."""
    parts = (
        [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.title]
    )
    parts += [m.value for m in at.subheader] + [m.value for m in at.header]
    for kind in (at.error, at.warning, at.info, at.success):
        parts += [m.value for m in kind]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))  # markdown escapes removed


def frame(at: AppTest, *columns: str, without: str | None = None):
    """The first table that has all ``columns`` (and not ``without``)."""
    for d in at.dataframe:
        cols = [str(c) for c in d.value.columns]
        if all(c in cols for c in columns) and (without is None or without not in cols):
            return d.value
    raise AssertionError(f"no table with columns {columns}")


def frame_text(at: AppTest, *columns: str, without: str | None = None) -> str:
    return frame(at, *columns, without=without).to_csv(index=False)


def frames(at: AppTest) -> str:
    return "\n".join(d.value.to_csv(index=False) for d in at.dataframe)


def iframes(at: AppTest) -> list[str]:
    return [f.proto.srcdoc for f in at.get("iframe")]


def zipped(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"{folder.name}/{f.name}")
    return buf.getvalue()


# -- pages ---------------------------------------------------------------------------------


def test_overview_status_milestones_and_quality(kg_store):
    at = app(kg_store)
    assert at.title[0].value == "Oversikt"
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Prosjekter"]) >= 20 and int(metrics["Avhengigheter"]) >= 100
    status = frame_text(at, "Fremdrift")
    a4 = next(line for line in status.splitlines() if line.startswith("A4,"))
    assert (
        "● På plan" in a4 and "▲ Mindre forsinkelse som kan tas igjen" in a4
    )  # latest and previous, as text
    assert "▲ Medium" in status  # risk Medium is amber, shown with its text
    milestones = frame_text(at, "Milepæl")
    assert "★ Nye Asker kommune lanseres" in milestones and "2020-01-01" in milestones
    assert "SHACL" in texts(at)
    assert at.success or at.warning  # the data-quality verdict is shown either way


def test_a_large_graph_runs_the_shacl_check_when_asked(tmp_path, monkeypatch, nye_asker_store):
    path = copy_store(nye_asker_store, tmp_path / "store")  # data/nye-asker, this test's own
    monkeypatch.setenv("KG_STORE", str(path))
    monkeypatch.setattr(V, "QUALITY_AUTO", 1000)  # nye Asker counts as large here
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception and not at.success and not at.warning  # not run by itself
    assert "SHACL-kontrollen kan ta flere minutter" in at.info[0].value
    at.button(key="run_quality").click().run()
    assert not at.exception and (at.success or at.warning)
    # Kept for this generation: the next session shows it without asking.
    again = AppTest.from_file(APP, default_timeout=180).run()
    assert (again.success or again.warning) and not again.info


def test_first_run_builds_the_bundled_graph(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "fresh"))
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception
    assert (tmp_path / "fresh" / "current").exists()
    (status,) = at.status  # the build was shown with a progress bar and its steps
    assert status.label == "Grafen er bygget" and status.get("progress")
    assert at.title[0].value == "Oversikt" and frame_text(at, "Fremdrift")


def test_overview_questions_lead_to_the_answers(kg_store):
    at = app(kg_store)
    at.button(key="q_depends").click().run()
    assert at.title[0].value == "Avhengigheter"
    assert at.session_state["w_dep_depth"] == 2
    at = app(kg_store)
    at.button(key="q_late").click().run()
    assert "Nye Asker kommune lanseres" in texts(at)


def test_explorer_a4_lists_its_dependencies_with_sources(kg_store):
    at = app(kg_store, page="explorer")
    reached = frame_text(at, "Navn", "Ledd", without="Fra")
    for project in (
        "Prosjekt A2 - Organisering og tjenesteutvikling",
        "Prosjekt A1 - Sektor- og temaplaner",
        "Prosjekt A3 - Kommunikasjon",
        "Prosjekt A5 - Styring, økonomi og anskaffelser",
        "Prosjekt A6 - Eiendom",
    ):
        assert project in reached
    assert "viktigste" in reached  # A2 is A4's primary dependency
    links = frame_text(at, "Fra", "Begrunnelse (sitat)")
    assert "Viktigste avhengighet: A2 - Organisasjon og tjenesteutvikling" in links
    assert "S000 L1857-1860" in links
    (page,) = iframes(at)
    assert "vis-network" in page and "Prosjekt A2" in page
    assert "<script src" not in page and "https://cdn" not in page  # nothing from the network


def test_explorer_direction_depth_and_relations(kg_store):
    at = app(kg_store, page="explorer")
    at.multiselect(key="w_dep_projects").set_value(
        [V.find_node(V.graph_for(open_store("embedded", path=kg_store, read_only=True)), "A2")]
    ).run()
    at.segmented_control(key="w_dep_direction").set_value("down").run()
    down = frame_text(at, "Navn", "Ledd", without="Fra")
    assert "A4" in down  # A4 depends on A2
    before = len(at.dataframe[0].value)
    at.multiselect(key="w_dep_relations").set_value(["depends", "governance", "structure"]).run()
    at.slider(key="w_dep_depth").set_value(2).run()
    assert len(at.dataframe[0].value) > before
    at.segmented_control(key="w_dep_layout").set_value("force").run()
    assert '"physics":true' in iframes(at)[0]


def test_big_graph_is_aggregated_with_a_message(kg_store):
    at = app(kg_store, page="explorer")
    at.number_input(key="w_max_nodes").set_value(40).run()
    at.multiselect(key="w_dep_relations").set_value(list(V.RELATIONS)).run()
    at.segmented_control(key="w_dep_direction").set_value("both").run()
    at.slider(key="w_dep_depth").set_value(3).run()
    assert any("slått sammen" in i.value for i in at.info)
    data = json.loads(
        re.search(
            r'<script id="graph-data" type="application/json">(.*?)</script>', iframes(at)[0], re.S
        ).group(1)
    )
    assert len(data["nodes"]) <= 40


def chart_rows(at: AppTest) -> list[dict]:
    """The data rows of the page's Altair (Vega-Lite) charts, every dataset."""
    import pyarrow as pa

    return [
        row
        for c in at.get("vega_lite_chart")
        for d in c.proto.datasets
        for row in pa.ipc.open_stream(d.data.data).read_all().to_pylist()
    ]


def test_impact_a2_slips_eight_weeks(kg_store):
    at = app(kg_store, page="impact")
    assert at.session_state["w_imp_mode"] == "slip" and at.session_state["w_imp_weeks"] == 8
    # The as-of date is the dataset's own (status_reports.csv: newest report 2017-02-01), printed.
    assert "Per dato: 2017-02-01 (datasettets statusdato)" in texts(at)
    assert "as-of" not in texts(at)  # no English word on the Norwegian page
    headline = " ".join(e.value for e in at.error)
    assert (
        "Nye Asker kommune lanseres" in headline
        and "2020-01-01" in headline
        and "2020-02-26" in headline
    )
    ms = frame(at, "Milepæl", "Ny dato", "Eier", "Styre", "Beslutter")
    launch = ms[ms["Milepæl"] == "★ Nye Asker kommune lanseres"].iloc[0]
    assert launch["Ny dato"] == "2020-02-26" and launch["Uker for sent"] == 8
    # Who must act on the launch, as names: the programme's owner Fellesnemnda, its steering
    # body Programledelse, and the body Programledelse reports to (S000 L241-243).
    assert (launch["Eier"], launch["Styre"], launch["Beslutter"]) == (
        "Fellesnemnda",
        "Programledelse",
        "Fellesnemnda",
    )
    # Passed milestones (before 2017-02-01) are not at risk.
    assert all(d >= "2017-02-01" for d in ms["Dato"] if d)
    delays = frame_text(at, "Forsinkelse (uker)")
    assert "Prosjekt A4 - Digitale Asker 2020" in delays
    assert iframes(at), "the what-if graph is drawn"


def test_impact_timeline_and_critical_path(kg_store):
    at = app(kg_store, page="impact")
    data = chart_rows(at)
    a4 = next(r for r in data if r.get("code") == "A4" and "new_end" in r)
    # A4 ends with the launch (projects.csv: 2020-01-01); A2's 8 weeks move it to 2020-02-26.
    assert (a4["end"], a4["new_end"]) == ("2020-01-01", "2020-02-26")
    assert any(r.get("edge") for r in data), "dependency arrows are drawn"
    assert at.session_state["w_imp_moved"], "after a slip, only what moves is drawn by default"
    chain = frame(at, "Steg", "Relasjon til neste")
    codes = list(chain["Kode"])
    # The launch waits for A4, which waits for A2 («Viktigste avhengighet: A2», S000 L1857-1860).
    assert codes[0] == "A2" and codes[-1] == "ms-2020-01-01" and "A4" in codes
    # Programme membership does not decide a date (issue 12): no partOf link in the chain.
    assert "partOf" not in set(chain["Relasjon til neste"])
    assert any(r.get("state") == "Kritisk sti" for r in data), "the chain is highlighted"


def test_impact_gerica_switched_off(kg_store):
    at = app(kg_store, page="impact")
    at.button(key="ex_off").click().run()
    assert at.session_state["w_imp_mode"] == "switch_off"
    assert "Hvis **Gerica** slås av" in texts(at)
    # «Omforent ønske om valg av Gerica – Brukes i Røyken og Asker» (S001 L282).
    users = frame(at, "Kommune", "Tjenesteområde", "Brukere")
    assert set(users["Kommune"]) == {"Asker kommune", "Røyken kommune"}
    assert list(frame(at, "Status", "Begrunnelse")["Status"]) == ["valgt for nye Asker"]
    hit = frame(at, "Hvorfor", "Styrke", "Dato")
    assert hit.iloc[0]["Kode"] == "A4" and "S001 L282" in hit.iloc[0]["Hvorfor"]
    # Must NOT happen (issue 12): every project listed through reporting links.
    assert "A3" not in set(hit["Kode"])


def test_impact_of_any_node_ranked_with_why_and_weak_rows_on_request(kg_store):
    at = app(kg_store, page="impact")
    at.segmented_control(key="w_imp_mode").set_value("impact").run()
    store = open_store("embedded", path=kg_store, read_only=True)
    g = V.graph_for(store)
    at.selectbox(key="w_imp_node").set_value(V.find_node(g, "A2")).run()
    ranked = frame(at, "Styrke", "Hvorfor", "Tolket")
    first = ranked.iloc[0]
    # A4's «Viktigste avhengighet: A2» (S000 L1857-1860): first, direct, full strength.
    assert (first["Kode"], first["Dybde"], first["Styrke"]) == ("A4", 1, 1.0)
    assert "S000 L1857-1860" in first["Hvorfor"]
    left = next(i.value for i in at.info if "svakere treff er utelatt" in i.value)
    n = int(left.split()[0])
    whole = V.impact(g, V.find_node(g, "A2")).rows
    # The first page (issue 16): the start of the whole ranking, and how many there are.
    assert len(whole) > 25 and list(ranked["Kode"]) == [r["code"] for r in whole[:25]]
    assert any(f"Viser de 25 første av {len(whole)} treff" in c.value for c in at.caption)
    at.button(key="imp_more").click().run()
    more = frame(at, "Styrke", "Hvorfor", "Tolket")
    assert list(more["Kode"]) == [r["code"] for r in whole[:125]]
    assert n > 0 and len(more) == len(whole) and not any("Viser de" in c.value for c in at.caption)
    # A4 → del-grunnlagsdokument is an interpretation (S000 L583-586): marked.
    assert more[more["Kode"] == "del-grunnlagsdokument"].iloc[0]["Tolket"] == "ja"
    assert not {"A1", "A3", "A5", "A6"} & set(more["Kode"])  # no spread via reporting
    at.checkbox(key="w_imp_weak").check().run()  # another answer: its first page again
    assert any(f"første av {len(whole) + n} treff" in c.value for c in at.caption)
    at.button(key="imp_every").click().run()
    every = frame(at, "Styrke", "Hvorfor", "Tolket")
    assert len(every) == len(whole) + n
    assert not any("svakere treff er utelatt" in i.value for i in at.info)


def test_governance_accountability_mandate_and_matrix(kg_store):
    at = app(kg_store, page="governance")
    body = texts(at)
    for who in (
        "Lars Bjerke",
        "Ragnar Husum",
        "Prosjektstyre",
        "Fellesnemnda",
        "PROSJEKTMANDAT FOR DIGITALE ASKER 2020",
    ):
        assert who in body
    assert "Kommunestyret i Asker kommune" in body
    assert "ASKER" in frames(at) or frames(at)  # the mandate's items are listed
    assert iframes(at)
    at.segmented_control(key="w_gov_section").set_value("chart").run()
    (chart,) = iframes(at)
    assert "Fellesnemnda" in chart and '"level":' in chart  # bodies only: drawn top-down by level
    at.toggle(key="w_gov_with_projects").set_value(True).run()
    assert "Prosjekt A4 - Digitale Asker 2020" in iframes(at)[0]
    at.segmented_control(key="w_gov_section").set_value("raci").run()
    raci = frame_text(at, "Organ")
    assert "Prosjektstyre" in raci and "styrer" in raci and "eier" in raci


def test_ict_gerica_chosen_for_pleie_og_omsorg(kg_store):
    at = app(kg_store, page="ict")
    assert "**Gerica** er valgt for «Pleie og omsorg»" in texts(at)
    matrix = frame(at, "Delområde", "Valgt for nye Asker")
    row = matrix[matrix["Delområde"] == "Pleie og omsorg"].iloc[0]
    assert row["Asker kommune"] == "Gerica ✓" and row["Røyken kommune"] == "Gerica ✓"
    assert row["Hurum kommune"] == "" and row["Valgt for nye Asker"] == "✓ Gerica"
    assert "Profil" in frame_text(at, "Erstattes av")
    assert "Lier og Hurum IKT - IKS" in frame_text(at, "Driftsleverandør")
    evals = frame_text(at, "Modenhet: oppgaver")
    assert "● Grønn" in evals and "■ Rød" in evals


def test_sdg_trace_coverage_gaps_and_interactions(kg_store):
    at = app(kg_store, page="sdg")
    down = frame_text(at, "Lokalt mål", "Plan / tiltak")
    assert "Bolig, areal, transport" in down and "A/P 1" in down
    assert "13" not in {
        line.split(",")[0] for line in down.splitlines()
    }  # only goal 11 and its targets
    at.segmented_control(key="w_sdg_section").set_value("up").run()
    assert "11 Bærekraftige byer og lokalsamfunn" in frame_text(at, "Hovedmål")
    at.segmented_control(key="w_sdg_section").set_value("coverage").run()
    cov = at.dataframe[0].value
    assert len(cov) == 17 and "A/P 1" in cov.columns
    at.segmented_control(key="w_sdg_section").set_value("gaps").run()
    assert any("Tiltak uten KPI" in e.label for e in at.expander)
    at.segmented_control(key="w_sdg_section").set_value("interactions").run()
    assert any("−3" in i.value for i in at.info)  # the explanatory empty state


def test_console_named_query_sparql_refusal_and_downloads(kg_store):
    at = app(kg_store, page="console")
    assert at.session_state["w_q_named"] == "dependencies"
    at.button(key="q_run_named").click().run()
    result = at.dataframe[0].value.to_csv(index=False)
    assert "Prosjekt A2 - Organisering og tjenesteutvikling" in result
    assert {b.label for b in at.get("download_button")} >= {"Last ned CSV", "Last ned JSON"}
    at.segmented_control(key="w_q_view").set_value("graph").run()
    assert iframes(at)
    at.segmented_control(key="w_q_section").set_value("sparql").run()
    assert any("ikke konfigurert" in c.value for c in at.caption)  # no Neo4j: Cypher is off
    at.button(key="q_run").click().run()
    at.segmented_control(key="w_q_view").set_value("table").run()
    assert "A2" in at.dataframe[0].value.to_csv(index=False)
    at.text_area(key="w_q_text_sparql").set_value("DELETE WHERE { ?s ?p ?o }").run()
    at.button(key="q_run").click().run()
    assert any("avvist: DELETE" in e.value for e in at.error)
    at.radio(key="w_lang").set_value("en").run()
    at.button(key="q_run").click().run()
    assert any("refused: DELETE" in e.value for e in at.error)


def test_console_offers_cypher_only_with_a_neo4j_connection(kg_store, monkeypatch):
    monkeypatch.setenv("KG_NEO4J_URI", "bolt://127.0.0.1:9")  # nothing listens there
    at = app(kg_store, page="console")
    assert at.radio(key="w_q_language").options == ["SPARQL", "Cypher (Neo4j)"]
    at.radio(key="w_q_language").set_value("cypher").run()
    at.segmented_control(key="w_q_section").set_value("sparql").run()
    assert "MATCH" in at.text_area(key="w_q_text_cypher").value
    at.button(key="q_run").click().run()
    assert at.error and "Neo4j" in at.error[0].value  # a clear message, not a crash
    assert not at.exception


def test_invalid_upload_names_file_and_row_and_changes_nothing(kg_store, tmp_path):
    import copy

    tables = copy.deepcopy(MINI)
    tables["projects"][1]["start"] = "not a date"
    bad = write_dataset(tmp_path / "bad", tables)
    at = app(kg_store, page="data")
    at.file_uploader(key="kg_upload_file").set_value(
        ("bad.zip", zipped(bad), "application/zip")
    ).run()
    problems = frame_text(at, "Fil", "Rad", "Kolonne")
    assert "projects.csv" in problems and ",3,start," in problems and "not a date" in problems
    assert "bad.zip ble ikke lastet. Grafen er uendret: Nye Asker (medfølgende)" in texts(at)
    assert at.session_state["w_dataset"] == "bundled"
    at.switch_page("views/overview.py").run()
    assert "Oversikt" == at.title[0].value and "Nye Asker (medfølgende)" in texts(at)


def test_upload_is_private_to_the_session_and_can_be_switched(kg_store, tmp_path):
    mini = write_dataset(tmp_path / "mini", MINI)
    at = app(kg_store, page="data")
    at.file_uploader(key="kg_upload_file").set_value(
        ("mini.zip", zipped(mini), "application/zip")
    ).run()
    assert at.session_state["w_dataset"].startswith("upload:mini")
    assert "Lastet mini.zip" in texts(at)
    at.switch_page("views/explorer.py").run()
    assert at.multiselect(key="w_dep_projects").options == [
        "P1 Første prosjekt",
        "P2 Andre prosjekt",
    ]
    at.segmented_control(key="w_dep_direction").set_value("down").run()
    assert "P2 trenger P1" in frame_text(at, "Fra", "Begrunnelse (sitat)")
    other = app(kg_store, page="data")  # another session sees only the bundled graph
    assert other.selectbox(key="w_dataset").options == ["Nye Asker (medfølgende)"]
    at.switch_page("views/data.py").run()
    at.button(key="use_bundled").click().run()
    assert at.session_state["w_dataset"] == "bundled"


def test_rdf_upload_and_export(kg_store, tmp_path):
    at = app(kg_store, page="data")
    assert {b.label for b in at.get("download_button")} >= {
        "Turtle (.ttl)",
        "N-Triples (.nt)",
        "JSON-LD (.jsonld)",
    }
    ttl = b'@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<https://example.org/a> skos:prefLabel "A"@nb .\n'
    at.file_uploader(key="kg_upload_file").set_value(("tiny.ttl", ttl, "text/turtle")).run()
    assert at.session_state["w_dataset"].startswith("upload:")
    for page in ("overview", "explorer", "impact", "governance", "ict", "sdg", "console", "data"):
        at.switch_page(
            f"views/{page}.py"
        ).run()  # a graph with none of the usual records still works
        assert not at.exception, (page, [e.value for e in at.exception])
    at.file_uploader(key="kg_upload_file").set_value(
        ("broken.ttl", b"<a> <b> .", "text/turtle")
    ).run()
    assert "broken.ttl ble ikke lastet" in texts(at)


def test_english_from_browser_locale_and_labels_in_english(kg_store):
    at = app(kg_store, locale="en-US", page="explorer")
    assert at.title[0].value == "Dependency explorer"
    assert at.session_state["w_lang"] == "en"
    assert "Project A4 – Digital Asker 2020" in texts(at) + frames(at) + "".join(
        o for o in at.multiselect(key="w_dep_projects").options
    )
    at.radio(key="w_lang").set_value("nb").run()
    assert at.title[0].value == "Avhengigheter"
    nb = app(kg_store, locale="nb-NO")
    assert nb.session_state["w_lang"] == "nb"
    assert app(kg_store).session_state["w_lang"] == "nb"  # no locale known → nb


def test_xss_dataset_is_shown_as_text(tmp_path):
    path = tmp_path / "store"
    store = open_store("embedded", path=path)
    load(store, XSS)
    store.close()
    old = os.environ.get("KG_STORE")
    os.environ["KG_STORE"] = str(path)
    try:
        for page in ("explorer", "impact", "governance", "sdg"):
            at = app(path, page=page)
            for doc in iframes(at):
                for p in PAYLOADS:
                    assert p not in doc
                assert "\\u003cscript\\u003ewindow.__xss=1" in doc
                assert "default-src 'none'" in doc
    finally:
        if old is None:
            os.environ.pop("KG_STORE", None)
        else:
            os.environ["KG_STORE"] = old


# -- library: builders and renderer --------------------------------------------------------


def test_every_ui_string_has_both_languages():
    from views.i18n import STRINGS

    used = set()
    for f in [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]:
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_][\w.\-]*)["']""", f.read_text(encoding="utf-8"))
        )
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, missing
    for key, entry in STRINGS.items():
        assert entry.get("nb") and entry.get("en"), key


def test_builders_answer_the_planner_questions(bundled):
    store, g = bundled
    a4, a2 = V.find_node(g, "A4"), V.find_node(g, "A2")
    ex = V.explore(g, [a4], "up", 1)
    assert {"A1", "A2", "A3", "A5", "A6"} <= {V.code(g, n) for n in ex.nodes}
    chain = V.accountability(store, g, a4, "nb")
    assert {"owner", "leader", "steering_body", "mandate"} <= {r["role"] for r in chain}
    sc = V.slip(store, g, a2, 8, V.as_of(store))
    late = next(s for s in sc.sections if s.key == "milestones").rows
    launch = next(m for m in late if m["date"] == "2020-01-01" and m["programme"])
    assert launch["new_date"] == "2020-02-26"
    pf = V.ict_portfolio(store, g)
    row = next(r for r in pf.rows if r["name"] == "Pleie og omsorg")
    assert [V.name(g, s) for s in row["chosen"]] == ["Gerica"]
    # The columns can be limited (a county or the country has too many for one table).
    users = V.ict_municipalities(g)
    assert [V.name(g, m) for m in users] == ["Asker kommune", "Hurum kommune", "Røyken kommune"]
    hurum = users[1]
    one = V.ict_portfolio(store, g, [hurum])
    assert one.municipalities == [hurum]
    full = {r["domain"]: r["cells"][hurum] for r in pf.rows if r["cells"].get(hurum)}
    assert (
        full and {r["domain"]: r["cells"][hurum] for r in one.rows if r["cells"].get(hurum)} == full
    )


def test_render_escapes_data_and_needs_no_network():
    spec = GraphSpec(
        [
            GNode("a", PAYLOADS[0], "Project", PAYLOADS[1], start=True),
            GNode("b", PAYLOADS[2], "System"),
        ],
        [GEdge("a", "b", "x</script><script>alert(1)</script>", PAYLOADS[1])],
    )
    page = to_html(spec, title=PAYLOADS[0], legend=[("project", PAYLOADS[2])])
    for p in PAYLOADS + ("</script><script>alert(1)",):
        assert p not in page
    from graph.render import vis_assets

    assert (
        page.count("<script") - vis_assets()[0].count("<script") == 3 and "<script src" not in page
    )
    assert re.search(r"script-src 'sha256-[^']+' 'sha256-[^']+'", page)
    assert "http://" not in page.split("<style>")[0] and "https://" not in page.split("<style>")[0]
    assert script_json({"s": "</script>&"}) == '{"s":"\\u003c/script\\u003e\\u0026"}'
    data = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1))
    # Labels are plain text (the canvas draws them, tooltips use innerText): not HTML-escaped,
    # which showed "&amp;"; the JSON escaping above keeps them inert inside the page.
    assert data["nodes"][0]["label"] == PAYLOADS[0]
    assert "&lt;" not in json.dumps(data["nodes"]) and "&amp;" not in json.dumps(data["edges"])


def test_aggregation_groups_by_project(bundled):
    store, g = bundled
    a4 = V.find_node(g, "A4")
    ex = V.explore(g, [a4], "both", 3, list(V.RELATIONS))
    spec = D.spec_from(g, ex.nodes, ex.links, starts=[a4], level=ex.level)
    folded = D.aggregate(spec, g, 60, V.system_domains(store))
    assert len(spec.nodes) > 60 >= len(folded.nodes) and folded.aggregated_from == len(spec.nodes)
    assert any(n.id == a4 for n in folded.nodes)  # the start stays itself
    assert any(n.count > 1 for n in folded.nodes)


def test_upload_staging_refuses_unsafe_archives(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../evil.csv", "x")
    with pytest.raises(V.UploadError):
        V.stage_upload("evil.zip", buf.getvalue(), tmp_path)
    with pytest.raises(V.UploadError):
        V.stage_upload("x.exe", b"MZ", tmp_path)
    with pytest.raises(V.UploadError):
        V.stage_upload("x.zip", b"not a zip", tmp_path)


def test_a_single_csv_upload_is_one_kind_or_a_clear_refusal(tmp_path):
    """One CSV file on the dataset upload (issue 18): a kind's file that stands on its own is
    loaded (named by its kind, in Norwegian or as its code); one that points into other files
    is refused with those problems; any other name is refused before it is read, in nb and en.
    """
    from loaders.errors import LoadError

    kilder = "id;title;doc_type;source\nS1;Prosjektplan;report;S1\nS2;Referat;report;S1\n"
    loaded = V.load_upload("Kilder.csv", kilder.encode())
    assert (loaded.records, loaded.title["nb"], loaded.title["en"]) == (2, "Kilder", "Sources")
    milestones = "id;title;date;source\nM1;Ny kommune;2020-01-01;S9\n"  # S9: in sources.csv
    with pytest.raises(LoadError) as e:
        V.load_upload("milepæler.csv", milestones.encode())
    assert [(p.code, p.row, p.column) for p in e.value.problems] == [("unknown_ref", 2, "source")]
    assert e.value.problems[0].file == "milepæler.csv"  # the name as uploaded, ø and all
    assert "viser ikke til noen post i kilder" in e.value.problems[0].message("nb")
    with pytest.raises(V.UploadError) as u:
        V.load_upload("Porteføljeoversikt.csv", b"Tittel;Fase\nNy skole;Planlegge\n")
    assert "har ikke navnet til en posttype" in u.value.message("nb")
    assert "prosjekter.csv" in u.value.message("nb") and "projects.csv" in u.value.message("en")
    assert "not allowed" not in u.value.message("en")


def test_export_formats(bundled):
    store, _ = bundled
    assert V.export(store, "turtle").startswith(b"@prefix")
    assert json.loads(V.export(store, "jsonld"))
    assert b" ." in V.export(store, "ntriples")[:2000]


def test_interactions_with_the_projects_behind_each_side(tmp_path, monkeypatch):
    import copy

    tables = copy.deepcopy(MINI)
    tables["local_goals"] = [
        {"id": "lg1", "title": "Tett by", "type": "local_goal", "owner": "P1", "sdg": "sdg:11.1"},
        {
            "id": "lg2",
            "title": "Mindre utslipp",
            "type": "local_goal",
            "owner": "P2",
            "sdg": "sdg:13.2",
        },
    ]
    tables["interactions"] = [
        {
            "from": "lg1",
            "to": "lg2",
            "score": "-2",
            "rationale": "Arealbruk mot klima",
            "assessor": "KG",
            "date": "2024-01-01",
        }
    ]
    store = open_store("memory")
    load(store, write_dataset(tmp_path / "ia", tables))
    g = V.graph_for(store)
    (row,) = V.interactions(store, g)
    assert (row["from"], row["to"], row["score"]) == ("Tett by", "Mindre utslipp", -2)
    assert row["projects_from"] == "P1" and row["projects_to"] == "P2"
    disk = open_store("embedded", path=tmp_path / "store")
    load(disk, tmp_path / "ia")
    disk.close()
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    at = app(tmp_path / "store", page="sdg")
    at.segmented_control(key="w_sdg_section").set_value("interactions").run()
    assert "1 målkonflikt " in texts(at) and "1 målkonflikter" not in texts(at)  # singular (Babel)
    assert "−2 motvirker" in frame_text(at, "Prosjekter (fra)")


def test_history_of_a_project_whose_reports_are_dated_by_month(kg_store):
    # The documents date some of A4's status reports by month only («2017-02»); the History
    # page showed a ValueError for them. It must show the strip, with the month as written.
    at = app(kg_store, page="history")
    box = next(s for s in at.selectbox if s.label == "Prosjekt")
    a4 = next(o for o in box.options if "A4" in o)
    box.set_value(a4).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_misspelt_backend_is_refused_not_replaced_by_the_bundled_graph(kg_store, monkeypatch):
    """KG_BACKEND=neo4jj (a typo for the shared server) must not quietly open a private copy:
    the page says which values are allowed, in the UI language, and shows no graph."""
    monkeypatch.setenv("KG_BACKEND", "neo4jj")
    at = AppTest.from_file(APP, default_timeout=180)
    at.context = {"locale": "nb-NO"}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [str(e.value) for e in at.error]
    assert any(
        "KG_BACKEND må være embedded, sparql eller neo4j, ikke 'neo4jj'" in e for e in errors
    )
    assert not at.dataframe  # nothing from the bundled graph is shown
