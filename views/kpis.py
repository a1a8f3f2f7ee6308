"""KPIs, budgets and risks: each KPI's baseline, measurements and target per municipality as a
chart (Altair, drawn offline by Streamlit), with the goal it measures and the SDG it serves; the
budget lines per year, kind and municipality with sums; the risk register."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from graph import answers as V
from views import common as C
from views import links as L
from views.i18n import t

SECTIONS = ["kpis", "budget", "risks"]

MEASUREMENTS = """SELECT ?kpi ?area ?year ?type ?value ?text WHERE {
  ?m a kg:Measurement ; kg:kpi ?kpi ; kg:refArea ?area ; kg:year ?year ; kg:measurementType ?type .
  OPTIONAL { ?m kg:value ?value } OPTIONAL { ?m kg:valueText ?text } }"""
KPI_INFO = """SELECT ?kpi ?unit ?measures ?sdg WHERE { ?kpi a kg:KPI .
  OPTIONAL { ?kpi kg:unit ?unit } OPTIONAL { ?kpi kg:measures ?measures } OPTIONAL { ?kpi kg:indicatorFor ?sdg } }"""
BUDGET = """SELECT ?b ?type ?amount ?year ?org ?project ?currency WHERE { ?b a kg:BudgetLine ; kg:budgetType ?type ;
  kg:amount ?amount . OPTIONAL { ?b kg:period ?year } OPTIONAL { ?b kg:budgetOf ?org }
  OPTIONAL { ?b kg:funds ?project } OPTIONAL { ?b kg:currency ?currency } }"""
RISKS = """SELECT ?r ?project ?lb ?cb ?la ?ca ?measures ?status WHERE { ?r a kg:Risk .
  OPTIONAL { ?r kg:riskOf ?project } OPTIONAL { ?r kg:likelihoodBefore ?lb } OPTIONAL { ?r kg:consequenceBefore ?cb }
  OPTIONAL { ?r kg:likelihoodAfter ?la } OPTIONAL { ?r kg:consequenceAfter ?ca }
  OPTIONAL { ?r kg:riskMeasures ?measures } OPTIONAL { ?r kg:riskStatus ?status } }"""


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float, Decimal)) else None


def _name(g, iri: Any) -> str:
    return V.name(g, str(iri)) if iri is not None else ""


def _kpis(store, g) -> None:
    rows = store.query(MEASUREMENTS).rows
    if not rows:
        st.info(t("kpis.none"))
        return
    kpis = sorted({str(r[0]) for r in rows}, key=lambda k: V.natural(V.code(g, k)))
    L.from_url("kpi", "w_kpi", "node", kpis, g)
    C.valid("w_kpi", kpis, kpis[0])
    kpi = st.selectbox(t("kpis.kpi"), kpis, key="w_kpi", placeholder=t("widget.choose"),
                       format_func=lambda k: f"{V.code(g, k)} {V.name(g, k)}")  # fmt: skip
    L.to_url({"view": ("w_kpi_section", "text"), "kpi": ("w_kpi", "node")}, g)
    info = [r for r in store.query(KPI_INFO).rows if str(r[0]) == kpi]
    unit = next((r[1] for r in info if r[1]), "")
    goals = sorted({_name(g, r[2]) for r in info if r[2]})
    sdgs = sorted({V.code(g, str(r[3])) for r in info if r[3]})
    st.caption(" · ".join(x for x in (f"{t('kpis.unit')}: {unit}" if unit else "",
                                      f"{t('kpis.goal')}: {', '.join(goals)}" if goals else "",
                                      f"{t('kpis.sdg')}: {', '.join(sdgs)}" if sdgs else "") if x))  # fmt: skip
    data = [{"area": _name(g, r[1]), "year": int(r[2]), "type": t(f"mtype.{r[3]}"), "value": _num(r[4]),
             "text": r[5] or ""} for r in rows if str(r[0]) == kpi]  # fmt: skip
    frame = pd.DataFrame(data).sort_values(["area", "year"])
    heads = {"area": t("col.municipality"), "year": t("col.year"), "type": t("col.type"), "value": t("col.value"),
             "text": t("col.as_written")}  # fmt: skip
    chart = (
        alt.Chart(frame.dropna(subset=["value"]))
        .mark_line(point=alt.OverlayMarkDef(size=90, filled=True))
        .encode(
            x=alt.X("year:O", title=heads["year"]),
            y=alt.Y("value:Q", title=unit or heads["value"]),
            color=alt.Color("area:N", title=heads["area"]),
            shape=alt.Shape("type:N", title=heads["type"]),
            tooltip=[alt.Tooltip(k, title=v) for k, v in heads.items()],
        )  # fmt: skip
    )
    st.altair_chart(chart, width="stretch")
    shown = frame.rename(columns=heads)
    C.dataframe(shown, shown, key="kpi_values", name=V.code(g, kpi))


def _budget(store, g) -> None:
    rows = store.query(BUDGET).rows
    if not rows:
        st.info(t("kpis.budget.none"))
        return
    data = [{t("col.year"): str(r[3] or ""), t("col.type"): t(f"btype.{r[1]}"), t("col.municipality"): _name(g, r[4]),
             t("col.project"): _name(g, r[5]), t("col.amount"): _num(r[2]), t("col.currency"): r[6] or ""}
            for r in rows]  # fmt: skip
    frame = pd.DataFrame(data).sort_values([t("col.year"), t("col.type"), t("col.municipality")])
    sums = frame.groupby([t("col.year"), t("col.type"), t("col.currency")], as_index=False)[
        t("col.amount")
    ].sum()
    st.markdown(f"**{t('kpis.budget.sums')}**")
    C.dataframe(sums, sums, key="budget_sums", name="budsjett-summer")
    st.markdown(f"**{t('kpis.budget.lines', n=len(frame))}**")
    C.dataframe(frame, frame, key="budget_lines", name="budsjettlinjer")


def _risks(store, g) -> None:
    rows = store.query(RISKS).rows
    if not rows:
        st.info(t("kpis.risks.none"))
        return
    data = [{t("col.risk"): _name(g, r[0]), t("col.project"): _name(g, r[1]), t("col.before"): _score(r[2], r[3]),
             t("col.after"): _score(r[4], r[5]), t("col.measures"): r[6] or "", t("col.status"): r[7] or ""}
            for r in rows]  # fmt: skip
    frame = pd.DataFrame(data).sort_values(t("col.risk"))
    st.markdown(f"**{t('kpis.risks.count', n=len(frame))}**")
    C.dataframe(frame, frame, key="risk_register", name="risikoregister")


def _score(likelihood: Any, consequence: Any) -> str:
    if likelihood is None and consequence is None:
        return ""
    return f"S{likelihood or '?'} × K{consequence or '?'}"


def render() -> None:
    cur = C.current()
    g = cur.graph()
    st.title(t("kpis.title"))
    st.caption(t("kpis.intro"))
    L.from_url("view", "w_kpi_section", "text", SECTIONS)
    C.valid("w_kpi_section", SECTIONS, "kpis")
    section = st.segmented_control(t("kpis.section"), SECTIONS, key="w_kpi_section", required=True,
                                   format_func=t.prefixed("kpis.section."), label_visibility="collapsed")  # fmt: skip
    if section == "budget":
        L.to_url({"view": ("w_kpi_section", "text")})
        _budget(cur.store, g)
    elif section == "risks":
        L.to_url({"view": ("w_kpi_section", "text")})
        _risks(cur.store, g)
    else:
        _kpis(cur.store, g)


if __name__ == "__main__":
    render()
