"""``kg kpis``, ``kg budget``, ``kg risks`` and the one GraphML export (issues 18 item 3, 11).

Golden values from the sources, not from our code:
- K1 «Fastnett: 100 Mb/s ->»: 2016 baselines A: 94 %, R: 85 %, H: 77 % and the 2020 target 99 %
  (S000 000_e491e6ce0476e96d.txt L1762: «Fastnett: 100 Mb/s -> A: 94 % R: 85 % H: 77 % 99 %»).
- ICT budget «Drift 2017 42 952 000 13 435 000 9 368 000 65 755 000» (Asker, Røyken, Hurum,
  Samlet) and «Investering 2017 10 000 000 9 624 000 3 000 000 22 624 000» (S001 L294); the
  «Samlet» column is the sum of the lines, not a line of its own.
- The risk register holds 15 risks (data/nye-asker/risks.csv); RK4 «Risikovurdering Digitale
  Asker 2020» goes from Sannsynlighet 4 × Konsekvens 4 to 3 × 3 after the measures (S000 L1536-1550).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from graph import answers as V
from graph.answers import kpis as K
from graph.store import open_store


def kg(*args: str, store: Path, lang: str = "nb") -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE": str(store), "KG_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def rows_of(path: Path, *args: str, lang: str = "nb") -> dict:
    out = kg(*args, "--format", "json", "--lang", lang, store=path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_kpis_k1_baselines_and_target_from_the_document(kg_store):
    names = {
        "nb": ("Asker kommune", "Røyken kommune", "Hurum kommune"),
        "en": ("Asker municipality (old)", "Røyken municipality", "Hurum municipality"),
    }
    for lang, baseline, target in (("nb", "utgangspunkt", "mål"), ("en", "baseline", "target")):
        rows = rows_of(kg_store, "kpis", "K1", lang=lang)["rows"]
        got = {(r["area"], r["year"], r["type"]): r["value"] for r in rows}
        asker, royken, hurum = names[lang]
        assert got[(asker, 2016, baseline)] == 94
        assert got[(royken, 2016, baseline)] == 85
        assert got[(hurum, 2016, baseline)] == 77
        assert [v for (_, y, t), v in got.items() if t == target] == [99]
        assert {r["kpi"] for r in rows} == {"K1"}  # one KPI asked, no other KPI's rows
    every = rows_of(kg_store, "kpis")["rows"]
    assert {r["kpi"] for r in every} >= {f"K{i}" for i in range(1, 10)}  # K1–K9 (issue 18)


def test_kpis_table_names_the_unit_and_the_goal(kg_store):
    out = kg("kpis", "K1", store=kg_store)
    assert out.returncode == 0, out.stderr
    assert "% (dekning)" in out.stdout  # kpis.csv K1 unit, S000 L1762
    assert "Døgnåpen forvaltning med digitale selvbetjeningsløsninger" in out.stdout
    assert "baseline" not in out.stdout  # nb, not the data's codes


def test_unknown_kpi_is_a_user_error_in_both_languages(kg_store):
    for lang, word in (("nb", "ingen KPI 'K99'"), ("en", "no KPI 'K99'")):
        out = kg("kpis", "K99", "--lang", lang, store=kg_store)
        assert out.returncode == 1 and word in out.stderr and "K1" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr and out.stdout == ""


def test_budget_2017_lines_and_sums_from_the_document(kg_store):
    body = rows_of(kg_store, "budget")
    sections = {s["key"]: s["rows"] for s in body["sections"]}
    lines, sums = sections["budget_lines"], sections["budget_sums"]
    drift17 = {
        r["area"]: r["amount"] for r in lines if r["year"] == "2017" and r["type"] == "drift"
    }
    assert drift17 == {
        "Asker kommune": 42952000,
        "Røyken kommune": 13435000,
        "Hurum kommune": 9368000,
    }
    by = {(r["year"], r["type"], r["currency"]): r for r in sums}
    assert by[("2017", "drift", "NOK")]["amount"] == 65755000  # «Samlet»
    assert by[("2017", "drift", "NOK")]["lines"] == 3  # the total is not stored as a fourth line
    assert by[("2017", "investering", "NOK")]["amount"] == 22624000
    assert len(lines) == 51  # issue 18: 51 budget lines
    en = {s["key"]: s["rows"] for s in rows_of(kg_store, "budget", lang="en")["sections"]}
    assert any(r["type"] == "operating" and r["year"] == "2017" for r in en["budget_sums"])
    assert not any(r["type"] == "drift" for r in en["budget_sums"])  # en, not the nb code


def test_budget_table_has_both_parts_with_headings(kg_store):
    out = kg("budget", store=kg_store)
    assert out.returncode == 0, out.stderr
    assert "## Summer per år og type (" in out.stdout and "## Budsjettlinjer (51)" in out.stdout


def test_risk_register_and_scores(kg_store):
    rows = rows_of(kg_store, "risks")["rows"]
    assert len({r["risk"] for r in rows}) == 15
    rk4 = [r for r in rows if r["risk"].startswith("Risikovurdering Digitale Asker 2020")]
    assert rk4 and rk4[0]["before"] == "S4 × K4" and rk4[0]["after"] == "S3 × K3"
    en = rows_of(kg_store, "risks", lang="en")["rows"]
    assert any(r["before"] == "L4 × C4" for r in en)


def test_cli_prints_the_rows_the_app_is_built_from(kg_store):
    """The app's KPI page renders graph.answers.kpis; the CLI prints the same rows."""
    store = open_store("embedded", path=kg_store, read_only=True)
    g = V.graph_for(store, "nb")
    assert rows_of(kg_store, "risks")["rows"] == json.loads(
        json.dumps(K.risks(store, g, "nb").shown())
    )
    k1 = K.resolve_kpi(store, g, "K1")
    assert rows_of(kg_store, "kpis", "K1")["rows"] == K.kpis(store, g, "nb", k1).shown()


def test_views_hold_no_queries_for_kpis():
    """views/kpis.py renders the answers; it must not run SPARQL of its own."""
    text = (ROOT / "views" / "kpis.py").read_text(encoding="utf-8")
    assert "SELECT" not in text and "store.query" not in text


def test_graphml_is_built_once_and_the_cli_and_app_give_the_same_bytes(kg_store, tmp_path):
    from views import exporting

    out = tmp_path / "g.graphml"
    done = kg("export", "--to", "graphml", "--output", str(out), "--lang", "nb", store=kg_store)
    assert done.returncode == 0, done.stderr
    store = open_store("embedded", path=kg_store, read_only=True)
    app = exporting.graphml(store, "nb")
    assert app.startswith(b"<graphml") or b"<graphml" in app[:300]
    assert b"Digitale Asker 2020" in app
    assert out.read_bytes() == app
    for front in ("graph/cli/build.py", "views/exporting.py"):  # no second builder left behind
        assert "generate_graphml" not in (ROOT / front).read_text(encoding="utf-8"), front
