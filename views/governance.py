"""Governance: bodies and reporting lines as a graph; for a project its accountability chain
(named query ``accountability``) and mandate; a responsibility matrix bodies × projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import answers as V
from views import common as C
from views import drawing as D
from views import links as L
from views.i18n import lang, t

SECTIONS = ["project", "chart", "raci"]


def warm(store, g, lg: str) -> None:
    """What the page's first run asks for as it starts (views/warm.py): the project picker."""
    C.options(g, V.PROJECT_KINDS)
    C.names(g, V.PROJECT_KINDS)
    C.find(g, "A4", V.PROJECT_KINDS)


def _project(cur, g) -> None:
    project = C.project_picker(g, t("gov.project"), "w_gov_project", "A4")
    if not project:
        return
    stated = C.stated_toggle("w_gov_stated")
    chain = V.accountability(cur.store, g, project, lang(), stated)
    left, right = st.columns([1.3, 3], gap="medium")
    with left:
        st.markdown(f"**{t('gov.chain')}**")
        if not chain:
            st.info(t("gov.chain.none"))
        for role in (
            "owner",
            "leader",
            "steering_body",
            "steering_member",
            "mandate",
            "mandate_decided_by",
        ):
            who = [r for r in chain if r["role"] == role]
            if who:
                st.markdown(
                    f"- **{t(f'role.{role}')}:** "
                    + ", ".join(
                        f"{C.md(r['name'])} ({C.md(r.get('member_role') or C.kind_name(r['kind']))})"
                        + (f" – {C.md(r['date'])}" if r["date"] else "")
                        + _unsure(r)
                        for r in who
                    )
                )
        above = sorted((r for r in chain if r["role"] == "above"), key=lambda r: r["level"])
        if above:
            st.markdown(f"**{t('gov.above')}**")
            for r in above:
                st.markdown(
                    f"{'　' * (r['level'] - 1)}↑ {C.md(r['name'])} · {t('gov.level', n=r['level'])}"
                    + _unsure(r)
                )
    with right:
        spec = D.chain_spec(
            g, project, chain, kind_names=C.kind_names(), relation_names=C.relation_names()
        )
        C.show_graph(spec, layout="hierarchical", direction="UD", height=460, title=t("gov.chain"))

    st.markdown(f"#### {t('gov.mandate')}")
    mandates = V.mandates(cur.store, g, project, stated)
    if not mandates:
        st.info(t("gov.mandate.none"))
    for m in mandates:
        st.markdown(f"**{C.md(m['title'])}**")
        facts = [
            (t("gov.decided_by"), m["decided_by"]),
            (t("gov.decided_on"), m["decided_on"]),
            (t("gov.status"), m["status"]),
            (t("col.certainty"), t(f"certainty.{m['certainty']}")),
            (t("col.source"), m["source"]),
        ]
        st.markdown(" · ".join(f"{k}: {C.md(v)}" for k, v in facts if v) or " ")
        if m["items"]:
            rows = [
                {
                    "seq": i["seq"],
                    "text": i["text"],
                    "type": t("gov.deliverable") if i["deliverable"] else t("gov.task"),
                    "due": i["due"],
                    "certainty": t(f"certainty.{i['certainty']}"),
                }
                for i in m["items"]
            ]
            C.table(
                rows,
                {
                    "seq": "col.seq",
                    "text": "col.item",
                    "type": "col.type",
                    "due": "col.due",
                    "certainty": "col.certainty",
                },
                key=f"mandate_{m['mandate']}",
            )


def _unsure(r: dict) -> str:
    """« · tolket» after a row of the chain the documents do not state outright."""
    sure = r.get("certainty", "stated")
    return "" if sure == "stated" else " · " + t(f"certainty.{sure}")


def _stated_view(g, key: str):
    """The graph, or only its stated links when the page's switch is on."""
    from graph.certainty import stated_only

    return stated_only(g) if C.stated_toggle(key) else g


def _chart(g) -> None:
    c1, c2, c3 = st.columns([1, 1, 2])
    with_projects = c1.toggle(t("gov.with_projects"), key="w_gov_with_projects")
    with_people = c2.toggle(t("gov.with_people"), key="w_gov_with_people")
    with c3:
        layout = C.graph_controls("gov")
    g = _stated_view(g, "w_gov_chart_stated")
    spec = D.governance_spec(
        g, with_projects, with_people, kind_names=C.kind_names(), relation_names=C.relation_names()
    )
    C.show_graph(spec, layout=layout, direction="UD", height=680, title=t("gov.chart"))
    st.caption(t("gov.chart.help"))
    alone = V.unconnected_bodies(g)
    if alone:
        st.caption(
            t("gov.unconnected", n=len(alone), names=C.md(", ".join(V.name(g, b) for b in alone)))
        )


def _raci(g) -> None:
    g = _stated_view(g, "w_gov_raci_stated")
    bodies, projects, cells = V.raci(g)
    sureness = V.raci_certainty(g)
    if not cells:
        st.info(t("gov.raci.none"))
        return
    st.caption(t("gov.raci.help"))
    rows = []
    for b in bodies:
        row = {t("col.body"): V.name(g, b)}
        for p in projects:
            row[V.code(g, p)] = ", ".join(
                t(f"raci.{r}") + _unsure({"certainty": sureness.get((b, p, r), "stated")})
                for r in cells.get((b, p), [])
            )
        rows.append(row)
    frame = pd.DataFrame(rows)

    def paint(v) -> str:
        return "background-color: #e8f0fb" if v else ""

    C.dataframe(
        frame.style.map(paint, subset=frame.columns[1:]),
        frame,
        height=min(760, 40 + 35 * len(rows)),
        key="raci_table",
    )
    st.caption(" · ".join(f"{t(f'raci.{r}')}: {t(f'raci.{r}.help')}" for r in V.RACI_ROLES))


def render() -> None:
    cur = C.current()
    g = cur.graph()
    st.title(t("gov.title"))
    st.caption(t("gov.intro"))
    L.from_url("view", "w_gov_section", "text", SECTIONS)
    C.valid("w_gov_section", SECTIONS, "project")
    section = st.segmented_control(
        t("gov.section"),
        SECTIONS,
        key="w_gov_section",
        required=True,
        format_func=t.prefixed("gov.section."),
        label_visibility="collapsed",
    )
    if section == "chart":
        _chart(g)
    elif section == "raci":
        _raci(g)
    else:
        _project(cur, g)
    linked = {"view": ("w_gov_section", "text")}
    L.to_url(linked | ({"project": ("w_gov_project", "node")} if section == "project" else {}), g)


if __name__ == "__main__":
    render()
