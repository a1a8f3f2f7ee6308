"""SDG traceability: goal/target → local goals, plans, projects, actions, KPIs with values
(trace_down); project → targets (trace_up); coverage 17 goals × projects; the gap reports;
and the interaction view (−3..+3)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import answers as V
from views import common as C
from views import drawing as D
from views import links as L
from views.i18n import lang, t

SECTIONS = ["down", "up", "coverage", "gaps", "interactions"]


# The page's answers of the whole view, kept per view (a view never changes once built): the
# goal lists scan every node and edge (0.2 s at 1M), a trace asks the store once per KPI and
# target; views/warm.py asks for the defaults before the first visit.


def _goals(g) -> list[str]:
    return C.per_graph(g, "sdg_goals", lambda: V.sdg_goals(g))


def _linked(g) -> list[str]:
    return C.per_graph(g, "sdg_linked", lambda: V.sdg_linked(g))


def _options(g) -> list[str]:
    return C.per_graph(g, "sdg_options", lambda: list(dict.fromkeys(_goals(g) + _linked(g))))


def _default_target(g) -> str | None:
    options, linked = _options(g), _linked(g)
    if not options:
        return None
    goal11 = C.find(g, "11", {"SDGGoal"})
    return goal11 if goal11 in linked else (linked or options)[0]


def _trace_down(store, g, target: str, lg: str, stated: bool):
    return C.per_graph(
        g, ("trace_down", target, lg, stated), lambda: V.trace_down(store, g, target, lg, stated)
    )


def warm(store, g, lg: str) -> None:
    """What the page's first run asks for as it starts (views/warm.py): the default trace."""
    target = _default_target(g)
    if target is not None:
        _trace_down(store, g, target, lg, False)


def _down(cur, g) -> None:
    options = _options(g)
    if not options:
        st.info(t("sdg.none"))
        return
    default = _default_target(g)
    L.from_url("target", "w_sdg_target", "node", options, g)
    C.valid("w_sdg_target", options, default)
    target = st.selectbox(
        t("sdg.target"),
        options,
        placeholder=t("widget.choose"),
        key="w_sdg_target",
        format_func=lambda n: V.name(g, n),
        help=t("sdg.target.help"),
    )
    tr = _trace_down(cur.store, g, target, lang(), C.stated_toggle("w_sdg_down_stated"))
    if not tr.rows:
        st.info(t("sdg.down.none", target=C.md(V.name(g, target))))
        return
    st.markdown(
        t(
            "sdg.down.summary",
            target=C.md(V.name(g, target)),
            goals=len({r["local_goal"] for r in tr.rows}),
            projects=len({r["project"] for r in tr.rows if r["project"]}),
        )
    )
    rows = [
        {
            **r,
            "step_kind": C.kind_name(r["step_kind"]) if r["step_kind"] else "",
            "served": t("yes") if r["served"] else t("no"),
            "certainty": t(f"certainty.{r['certainty']}"),
        }
        for r in tr.rows
    ]
    C.table(
        rows,
        {
            "target": "col.target",
            "code_as_written": "col.code_as_written",
            "local_goal": "col.local_goal",
            "step": "col.plan_action",
            "step_kind": "col.kind",
            "project": "col.project",
            "served": "col.served",
            "certainty": "col.certainty",
            "kpi": "col.kpi",
            "values": "col.values",
        },
        config={
            "col.local_goal": st.column_config.TextColumn(width="medium"),  # the KPI stays in view
            "col.plan_action": st.column_config.TextColumn(width="medium"),
        },
        key="sdg_down",
        height=min(460, 40 + 35 * len(rows)),
    )
    C.show_graph(
        D.trace_spec(g, tr, kind_names=C.kind_names(), relation_names=C.relation_names()),
        layout="hierarchical",
        direction="UD",
        height=520,
        title=t("sdg.section.down"),
    )


def _up(cur, g) -> None:
    project = C.project_picker(g, t("sdg.project"), "w_sdg_project", "AP1")
    if not project:
        return
    tr = V.trace_up(cur.store, g, project, lang(), C.stated_toggle("w_sdg_up_stated"))
    if not tr.rows:
        st.info(t("sdg.up.none", project=C.md(V.name(g, project))))
        return
    goals = sorted({r["goal"] for r in tr.rows if r["goal"]}, key=lambda s: V.natural(str(s)))
    st.markdown(t("sdg.up.summary", project=C.md(V.name(g, project)), goals=C.md(", ".join(goals))))
    rows = [
        {
            **r,
            "step_kind": C.kind_name(r["step_kind"]),
            "served": t("yes") if r["served"] else t("no"),
            "certainty": t(f"certainty.{r['certainty']}"),
        }
        for r in tr.rows
    ]
    C.table(
        rows,
        {
            "step": "col.plan_action",
            "step_kind": "col.kind",
            "local_goal": "col.local_goal",
            "target": "col.target",
            "code_as_written": "col.code_as_written",
            "goal": "col.goal",
            "served": "col.served",
            "certainty": "col.certainty",
            "kpi": "col.kpi",
            "values": "col.values",
        },
        key="sdg_up",
        height=min(460, 40 + 35 * len(rows)),
    )
    C.show_graph(
        D.trace_spec(g, tr, kind_names=C.kind_names(), relation_names=C.relation_names()),
        layout="hierarchical",
        direction="UD",
        height=520,
        title=t("sdg.section.up"),
    )


def _coverage(g) -> None:
    if C.stated_toggle("w_sdg_cov_stated"):  # count only the links the documents state
        from graph.certainty import stated_only

        g = stated_only(g)
    goals, projects, cells = V.coverage(g)
    st.caption(t("sdg.coverage.help"))
    rows = []
    for goal in goals:
        row = {t("col.goal"): V.name(g, goal)}
        for p in projects:
            n = cells.get((goal, p), 0)
            row[V.code(g, p)] = str(n) if n else ""
        total = sum(cells.get((goal, p), 0) for p in projects)
        row[t("col.total")] = str(total) if total else ""
        rows.append(row)
    frame = pd.DataFrame(rows)
    numeric = list(frame.columns[1:])

    def paint(v) -> str:
        if not v:
            return ""
        return (
            "background-color: #1e8449; color: white"
            if int(v) >= 5
            else "background-color: #a9dfbf"
        )

    C.dataframe(
        frame.style.map(paint, subset=numeric),
        frame,
        height=40 + 35 * len(rows),
        key="sdg_coverage",
    )
    uncovered = [
        V.name(g, goal) for goal in goals if not any(cells.get((goal, p)) for p in projects)
    ]
    if uncovered:
        st.caption(t("sdg.coverage.gaps", n=len(uncovered)))


def _gaps(cur, g) -> None:
    for gap in V.gaps(cur.store, g, lang()):
        n = len(gap["rows"])
        with st.expander(f"{'⚠️' if n else '✅'} {gap['title']} ({n})", expanded=False):
            st.caption(gap["description"])
            if n:
                frame = pd.DataFrame(gap["rows"], columns=[C.heading(c) for c in gap["columns"]])
                C.dataframe(frame.map(C.value_text), frame, key=f"gap_{gap['name']}")
            else:
                st.success(t("sdg.gap.none"))


def _interactions(cur, g) -> None:
    rows = C.certainty_text(
        V.interactions(cur.store, g, lang(), C.stated_toggle("w_sdg_inter_stated"))
    )
    if not rows:
        st.info(t("sdg.interactions.empty"))
        scale = [{"score": s, "meaning": t(f"nilsson.{s}")} for s in range(3, -4, -1)]
        C.table(scale, {"score": "col.score", "meaning": "col.meaning"}, key="nilsson_scale")
        return
    conflicts = [r for r in rows if r["score"] < 0]
    if conflicts:
        st.warning(t("sdg.interactions.conflicts", n=len(conflicts)))
    for r in rows:
        r["meaning"] = t(f"nilsson.{r['score']}") if -3 <= r["score"] <= 3 else ""
    C.table(
        rows,
        {
            "from": "col.from",
            "to": "col.to",
            "score": "col.score",
            "meaning": "col.meaning",
            "projects_from": "col.projects_from",
            "projects_to": "col.projects_to",
            "rationale": "col.rationale",
            "assessor": "col.assessor",
            "date": "col.date",
            "certainty": "col.certainty",
        },
        key="sdg_interactions",
        styler=lambda f: f.style.map(
            lambda v: (
                "background-color: #f5b7b1"
                if isinstance(v, int) and v < 0
                else "background-color: #a9dfbf"
                if isinstance(v, int) and v > 0
                else ""
            ),
            subset=[t("col.score")],
        ),
    )
    pivot = pd.DataFrame(rows).pivot_table(
        index="from", columns="to", values="score", aggfunc="mean"
    )
    frame = pivot.map(lambda v: "" if pd.isna(v) else f"{v:+.0f}")

    def paint(v) -> str:
        if not v:
            return ""
        return (
            "background-color: #a9dfbf"
            if float(v) > 0
            else "background-color: #f5b7b1"
            if float(v) < 0
            else ""
        )

    st.markdown(f"**{t('sdg.interactions.matrix')}**")
    C.dataframe(frame.style.map(paint), frame, key="sdg_interaction_matrix", index=True)


def render() -> None:
    cur = C.current()
    g = cur.graph()
    st.title(t("sdg.title"))
    st.caption(t("sdg.intro"))
    L.from_url("view", "w_sdg_section", "text", SECTIONS)
    C.valid("w_sdg_section", SECTIONS, "down")
    section = st.segmented_control(
        t("sdg.section"),
        SECTIONS,
        key="w_sdg_section",
        required=True,
        format_func=t.prefixed("sdg.section."),
        label_visibility="collapsed",
    )
    if section == "up":
        _up(cur, g)
    elif section == "coverage":
        _coverage(g)
    elif section == "gaps":
        _gaps(cur, g)
    elif section == "interactions":
        _interactions(cur, g)
    else:
        _down(cur, g)
    extra = {
        "up": {"project": ("w_sdg_project", "node")},
        "down": {"target": ("w_sdg_target", "node")},
    }
    L.to_url({"view": ("w_sdg_section", "text")} | extra.get(section or "down", {}), g)


if __name__ == "__main__":
    render()
