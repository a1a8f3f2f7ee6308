"""KPIs, budgets and risks: each KPI's baseline, measurements and target per municipality as a
chart (Altair, drawn offline by Streamlit), with the goal it measures and the SDG it serves; the
budget lines per year, kind and municipality with sums; the risk register. The rows are the
answers of :mod:`graph.answers.kpis` (the same as ``kg kpis``, ``kg budget``, ``kg risks``)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from graph import answers as V
from graph.answers import kpis as K
from views import common as C
from views import links as L
from views.i18n import lang, t

SECTIONS = ["kpis", "budget", "risks"]


def _heading(column: Any, language: str) -> str:
    """A column's heading; the certainty column reads as on every other page."""
    return t("col.certainty") if column.key == "certainty" else column.heading(language)


def _frame(answer: Any, language: str) -> pd.DataFrame:
    """The answer's shown columns with their headings in the page's language."""
    heads = {c.key: _heading(c, language) for c in answer.columns}
    rows = C.certainty_text(answer.shown())
    return pd.DataFrame(rows, columns=list(heads)).rename(columns=heads)


# A KPI's answer reads every measurement record of the graph (a scan per visit: ~0.25 s at 10M
# triples): the list and each KPI's answer asked are kept per view (a view never changes once
# built). The page only reads them (Answer.shown copies the rows it translates).


def _list(store, g) -> list[str]:
    return C.per_graph(g, "kpi_list", lambda: K.kpi_list(store, g))


def _answer(store, g, lg: str, kpi: str, stated: bool):
    return C.per_graph(g, ("kpis", lg, kpi, stated), lambda: K.kpis(store, g, lg, kpi, stated))


def _kpis(store, g) -> None:
    kpis = _list(store, g)
    if not kpis:
        st.info(t("kpis.none"))
        return
    L.from_url("kpi", "w_kpi", "node", kpis, g)
    C.valid("w_kpi", kpis, kpis[0])
    kpi = st.selectbox(
        t("kpis.kpi"),
        kpis,
        key="w_kpi",
        placeholder=t("widget.choose"),
        format_func=lambda k: f"{V.code(g, k)} {V.name(g, k)}",
    )
    L.to_url({"view": ("w_kpi_section", "text"), "kpi": ("w_kpi", "node")}, g)
    answer = _answer(store, g, lang(), kpi, C.stated_toggle("w_kpi_stated"))
    info = answer.notes[0] if answer.notes else {"unit": "", "goals": "", "sdgs": ""}
    unit = info["unit"]
    st.caption(
        " · ".join(
            x
            for x in (
                f"{t('kpis.unit')}: {unit}" if unit else "",
                f"{t('kpis.goal')}: {info['goals']}" if info["goals"] else "",
                f"{t('kpis.sdg')}: {info['sdgs']}" if info["sdgs"] else "",
            )
            if x
        )
    )
    frame = pd.DataFrame(C.certainty_text(answer.shown()), columns=answer.keys).drop(
        columns=["kpi"]
    )  # one KPI: its code is in the picker
    heads = {c.key: _heading(c, lang()) for c in answer.columns if c.key != "kpi"}
    chart = (
        alt.Chart(frame.dropna(subset=["value"]))
        .mark_line(point=alt.OverlayMarkDef(size=90, filled=True))
        .encode(
            x=alt.X("year:O", title=heads["year"]),
            y=alt.Y("value:Q", title=unit or heads["value"]),
            color=alt.Color("area:N", title=heads["area"]),
            shape=alt.Shape("type:N", title=heads["type"]),
            tooltip=[alt.Tooltip(k, title=v) for k, v in heads.items()],
        )
    )
    st.altair_chart(chart, width="stretch")
    shown = frame.rename(columns=heads)
    C.dataframe(shown, shown, key="kpi_values", name=V.code(g, kpi))


def _budget(store, g) -> None:
    answer = K.budget(store, g, lang(), C.stated_toggle("w_budget_stated"))
    if not answer.rows:
        st.info(t("kpis.budget.none"))
        return
    sums, lines = answer.sections
    st.markdown(f"**{t('kpis.budget.sums')}**")
    frame = _frame(sums, lang())
    C.dataframe(frame, frame, key="budget_sums", name="budsjett-summer")
    st.markdown(f"**{t('kpis.budget.lines', n=len(lines.rows))}**")
    frame = _frame(lines, lang())
    C.dataframe(frame, frame, key="budget_lines", name="budsjettlinjer")


def _risks(store, g) -> None:
    answer = K.risks(store, g, lang(), C.stated_toggle("w_risks_stated"))
    if not answer.rows:
        st.info(t("kpis.risks.none"))
        return
    st.markdown(f"**{t('kpis.risks.count', n=len(answer.rows))}**")
    frame = _frame(answer, lang())
    C.dataframe(frame, frame, key="risk_register", name="risikoregister")


def warm(store, g, lg: str) -> None:
    """The page's first run as it starts (views/warm.py): the first KPI. Its named queries are
    kept per store generation, so only the first start after a load runs them (~1 s at 1M)."""
    kpis = _list(store, g)
    if kpis:
        _answer(store, g, lg, kpis[0], False)


def render() -> None:
    cur = C.current()
    g = cur.graph()
    st.title(t("kpis.title"))
    st.caption(t("kpis.intro"))
    L.from_url("view", "w_kpi_section", "text", SECTIONS)
    C.valid("w_kpi_section", SECTIONS, "kpis")
    section = st.segmented_control(
        t("kpis.section"),
        SECTIONS,
        key="w_kpi_section",
        required=True,
        format_func=t.prefixed("kpis.section."),
        label_visibility="collapsed",
    )
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
