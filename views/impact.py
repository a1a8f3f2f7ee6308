"""Impact: everything that depends on a node (project, system, company, body, SDG target),
or a what-if ("A2 slips 8 weeks", "Gerica is switched off"), grouped by kind with the path for
each, and the milestones at risk – above all the programme's own (1.1.2020)."""

from __future__ import annotations

import streamlit as st

from graph import answers as V
from graph.whatif import dataset_date
from views import common as C
from views import drawing as D
from views import links as L
from views.i18n import t

MODES = ["slip", "switch_off", "impact"]


def _examples(g) -> None:
    a2 = V.find_node(g, "A2", V.PROJECT_KINDS)
    gerica = V.find_node(g, "gerica", {"System"}) or V.find_node(g, "Gerica", {"System"})
    c1, c2, _ = st.columns([1, 1, 2])
    if a2 and c1.button(t("impact.example.slip", project=V.code(g, a2), weeks=8), key="ex_slip"):
        st.session_state.update({"w_imp_mode": "slip", "w_imp_project": a2, "w_imp_weeks": 8})
        st.rerun()
    if gerica and c2.button(t("impact.example.off", system=V.name(g, gerica)), key="ex_off"):
        st.session_state.update({"w_imp_mode": "switch_off", "w_imp_system": gerica})
        st.rerun()


def _programme(sc: V.Scenario) -> None:
    """The headline: is the programme's own milestone (the launch on 1.1.2020) at risk?"""
    if not sc.programme_milestones:
        return
    key = sc.programme_milestones[0]  # the latest programme milestone (the launch)
    if key["at_risk"]:
        late = key["late_weeks"]
        if late:
            st.error(t("impact.programme.late", title=C.md(key["title"]), date=key["date"], weeks=f"{late:g}",
                       new=key["new_date"] or "?", path=C.md(key["path"])))  # fmt: skip
        else:
            st.error(
                t(
                    "impact.programme.risk",
                    title=C.md(key["title"]),
                    date=key["date"],
                    path=C.md(key["path"]),
                )
            )
    else:
        st.success(t("impact.programme.ok", title=C.md(key["title"]), date=key["date"]))


def _affected(g, sc_affected: dict[str, list[V.ImpactRow]]) -> None:
    total = sum(len(v) for v in sc_affected.values())
    st.subheader(t("impact.affected", n=total))
    if not total:
        st.info(t("impact.affected.none"))
        return
    order = sorted(sc_affected, key=lambda k: (-len(sc_affected[k]), C.kind_name(k)))
    cols = st.columns(min(6, len(order)))
    for i, k in enumerate(order[:6]):
        cols[i].metric(C.kind_name(k), len(sc_affected[k]))
    for k in order:
        rows = [{"code": r.code, "name": r.name, "depth": r.depth, "path": r.path,
                 "relation": C.relation(r.predicate, r.type), "rationale": r.rationale, "source": r.source}
                for r in sc_affected[k]]  # fmt: skip
        with st.expander(
            f"{C.kind_name(k)} ({len(rows)})", expanded=k in ("Project", "SubProject", "Program")
        ):
            C.table(rows, {"name": "col.name", "depth": "col.depth", "path": "col.path", "relation": "col.relation",
                           "rationale": "col.rationale", "source": "col.source"}, key=f"imp_{k}")  # fmt: skip


def render() -> None:
    cur = C.current()
    g, store = cur.graph(), cur.store
    st.title(t("impact.title"))
    st.caption(t("impact.intro"))
    _examples(g)

    L.from_url("scenario", "w_imp_mode", "text", MODES)
    C.valid("w_imp_mode", MODES, "slip")
    mode = st.segmented_control(t("impact.mode"), MODES, key="w_imp_mode", required=True,
                                format_func=t.prefixed("impact.mode."))  # fmt: skip
    projects = V.node_options(g, V.PROJECT_KINDS)
    systems = V.node_options(g, {"System"})
    a2 = V.find_node(g, "A2", V.PROJECT_KINDS)
    gerica = V.find_node(g, "gerica", {"System"})
    if "w_imp_asof" not in st.session_state:
        # The start's own dataset's status date, not that of an import loaded next to it.
        st.session_state["w_imp_asof"] = (dataset_date(store, a2) if a2 else None) or V.as_of(store)

    c1, c2, c3 = st.columns([3, 1.2, 1.4])
    linked = {"scenario": ("w_imp_mode", "text")}
    if mode == "slip":
        L.from_url("project", "w_imp_project", "node", projects, g)
        L.from_url("weeks", "w_imp_weeks", "int")
        linked |= {"project": ("w_imp_project", "node"), "weeks": ("w_imp_weeks", "int")}
        C.valid("w_imp_project", projects, a2 or (projects[0] if projects else None))
        start = c1.selectbox(
            t("impact.project"),
            projects,
            placeholder=t("widget.choose"),
            key="w_imp_project",
            format_func=lambda n: V.name(g, n),
        )
        if "w_imp_weeks" not in st.session_state:
            st.session_state["w_imp_weeks"] = 8
        weeks = c2.number_input(
            t("impact.weeks"), min_value=1, max_value=104, step=1, key="w_imp_weeks"
        )
    elif mode == "switch_off":
        L.from_url("system", "w_imp_system", "node", systems, g)
        linked["system"] = ("w_imp_system", "node")
        C.valid("w_imp_system", systems, gerica or (systems[0] if systems else None))
        start = c1.selectbox(
            t("impact.system"),
            systems,
            placeholder=t("widget.choose"),
            key="w_imp_system",
            format_func=lambda n: V.name(g, n),
        )
        weeks = None
    else:
        everything = V.node_options(g)
        L.from_url("node", "w_imp_node", "node", everything, g)
        linked["node"] = ("w_imp_node", "node")
        C.valid("w_imp_node", everything, a2 or (everything[0] if everything else None))
        start = c1.selectbox(t("impact.node"), everything, placeholder=t("widget.choose"), key="w_imp_node",
                             format_func=C.node_format(g), help=t("impact.node.help"))  # fmt: skip
        weeks = None
    after = c3.date_input(
        t("impact.asof"), key="w_imp_asof", help=t("impact.asof.help"), format="YYYY-MM-DD"
    )
    L.to_url(linked, g)
    if not start:
        st.info(t("impact.pick"))
        return
    after_text = after.isoformat() if after else None

    if mode == "impact":
        groups = V.impact(g, start)
        st.markdown(t("impact.summary.node", node=C.md(V.name(g, start)),
                      n=sum(len(v) for v in groups.values())))  # fmt: skip
        _affected(g, groups)
        with st.expander(t("impact.graph"), expanded=True):
            layout = C.graph_controls("imp")
            C.show_graph(D.impact_graph(g, start, kind_names=C.kind_names(), relation_names=C.relation_names()),
                         layout=layout, direction="LR", title=t("impact.title"))  # fmt: skip
        return

    sc = (
        V.slip(g, store, start, float(weeks), after_text)
        if mode == "slip"
        else V.switch_off(g, store, start, after_text)
    )
    if mode == "slip":
        st.markdown(t("impact.summary.slip", node=C.md(V.name(g, start)), weeks=weeks,
                      n=len(sc.delays) - 1, m=len(sc.milestones)))  # fmt: skip
    else:
        st.markdown(t("impact.summary.off", node=C.md(V.name(g, start)), n=sum(len(v) for v in sc.affected.values()),
                      m=len(sc.milestones)))  # fmt: skip
    _programme(sc)

    st.subheader(t("impact.milestones", n=len(sc.milestones)))
    if sc.milestones:
        rows = [{**m, "title": ("★ " if m["programme"] else "") + m["title"],
                 "late": (f"+{m['late_weeks']:g}" if m["late_weeks"] else t("impact.unknown")),
                 "assumed": t("yes") if m["assumed"] else ""} for m in sc.milestones]  # fmt: skip
        C.table(rows, {"date": "col.date", "title": "col.milestone", "owner": "col.owner_project",
                       "who": "col.who_must_act", "late": "col.late_weeks", "new_date": "col.new_date",
                       "assumed": "col.assumed", "path": "col.path"}, key="imp_milestones", height=min(380, 38 + 35 * len(rows)))  # fmt: skip
        st.caption(t("impact.assumed.help"))
    else:
        st.info(t("impact.milestones.none", date=after_text or ""))

    st.subheader(t("impact.graph.whatif"))
    layout = C.graph_controls("imp")
    C.show_graph(D.scenario_spec(g, sc, kind_names=C.kind_names(), relation_names=C.relation_names()),
                 layout=layout, direction="LR", height=460, title=t("impact.title"))  # fmt: skip

    if mode == "slip":
        st.subheader(t("impact.delays", n=len(sc.delays)))
        rows = [{**d, "kind": C.kind_name(d["kind"]), "weeks": f"+{d['weeks']:g}",
                 "assumed": t("yes") if d["assumed"] else ""} for d in sc.delays]  # fmt: skip
        C.table(rows, {"name": "col.name", "kind": "col.kind", "weeks": "col.delay_weeks", "assumed": "col.assumed",
                       "path": "col.path"}, key="imp_delays", height=min(420, 38 + 35 * len(rows)))  # fmt: skip

    _affected(g, sc.affected)


if __name__ == "__main__":
    render()
