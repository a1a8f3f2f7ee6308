"""The KPI, budget and risk page (AppTest on the bundled graph, built into a temporary store).

Golden values from the sources, not from our code: K1 «Fastnett: 100 Mb/s ->» has 2016
baselines A: 94 %, R: 85 %, H: 77 % and the 2020 target 99 % (S000 000_e491e6ce0476e96d.txt
L1762: «Fastnett: 100 Mb/s -> A: 94 % R: 85 % H: 77 % 99 %»). The ICT operating budget 2017
is Asker 42 952 000 and Røyken 13 435 000 (S001 L294, data/nye-asker/budget_lines.csv).
"""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from streamlit.testing.v1 import AppTest


def page(kg_store: Path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("views/kpis.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_kpi_chart_and_values_from_the_document(kg_store):
    at = page(kg_store)
    assert at.title[0].value == "KPI-er, budsjett og risiko"
    assert at.selectbox(key="w_kpi").value.endswith("/K1") or "K1" in str(
        at.selectbox(key="w_kpi").value
    )
    table = at.dataframe[0].value
    got = {(r["Kommune"], r["År"], r["Type"]): r["Verdi"] for _, r in table.iterrows()}
    assert got[("Asker kommune", 2016, "utgangspunkt")] == 94
    assert got[("Røyken kommune", 2016, "utgangspunkt")] == 85
    assert got[("Hurum kommune", 2016, "utgangspunkt")] == 77
    assert any(k[1] == 2020 and k[2] == "mål" and v == 99 for k, v in got.items())
    assert "baseline" not in set(table["Type"]) and "target" not in set(
        table["Type"]
    )  # nb, not codes
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")  # the chart is drawn


def test_budget_sums_and_risk_register(kg_store):
    at = page(kg_store)
    at.segmented_control(key="w_kpi_section").set_value("budget").run()
    lines = at.dataframe[1].value
    drift17 = lines[(lines["År"] == "2017") & (lines["Type"] == "drift")]
    assert set(drift17["Beløp"]) >= {42952000.0, 13435000.0}
    sums = at.dataframe[0].value
    row = sums[(sums["År"] == "2017") & (sums["Type"] == "drift")].iloc[0]
    assert (
        row["Beløp"] == drift17["Beløp"].sum()
    )  # the sum is of the lines, «Samlet» not stored twice
    at.segmented_control(key="w_kpi_section").set_value("risks").run()
    assert any("15 risikoer" in m.value for m in at.markdown)  # risks.csv holds 15 risks
