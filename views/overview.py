"""Overview: headline numbers, the latest status per project (Prosjektportalen colours with the
status text), upcoming milestones, and SHACL data-quality warnings."""

from __future__ import annotations

import streamlit as st

from graph import answers as V
from views import common as C
from views.i18n import in_language, lang, t

# What the page shows of the whole graph, kept per view (a server store's view is per version,
# so an edit shows at the next run); views/warm.py asks for the defaults before the first visit.


def _counts(store, g) -> dict:
    return C.per_graph(g, "counts", lambda: V.counts_of(store, g))


def _status(store, g, lg: str, stated: bool) -> list:
    return C.per_graph(g, ("status", lg, stated), lambda: V.status(store, g, lg, stated))


STATUS_HEADS = {
    "code": "col.code",
    "name": "col.project",
    "date": "col.reported",
    "phase": "col.phase",
    "time": "col.status_time",
    "budget": "col.status_budget",
    "risk": "col.status_risk",
    "gain": "col.status_gain",
    "previous": "col.previous",
    "certainty": "col.certainty",
}


def _status_shown(rows: list) -> list[dict]:
    """The status rows as the table shows them, in the UI language."""
    # a status value or certainty has a few values: each translated once, not per row
    rag = C.memo(C.rag_text)
    sure = C.memo(lambda c: t(f"certainty.{c}"))
    return [
        {
            "code": r.code,
            "name": r.name,
            "date": r.date,
            "phase": r.phase or "",
            **{f: rag(f, r.fields.get(f)) for f in ("time", "budget", "risk", "gain")},
            "previous": (
                f"{r.previous_date}: {rag('time', r.previous_time)}" if r.previous_date else ""
            ),
            "certainty": sure(r.certainty),
        }
        for r in rows
    ]


def _status_frame(store, g, lg: str, stated: bool):
    """The status table of every project, kept per view and language like its answer (a
    national table has ~5·10⁴ rows: 0.4 s to frame on each visit)."""
    return C.per_graph(
        g,
        ("status_frame", lg, stated),
        lambda: C.frame_of(_status_shown(_status(store, g, lg, stated)), STATUS_HEADS),
    )


def _day(store, g):
    return C.per_graph(g, "as_of", lambda: V.as_of(store))  # a query over every report


def _milestones(store, g, since: str | None, stated: bool) -> list:
    return C.per_graph(
        g, ("milestones", since, stated), lambda: V.milestones(store, g, since, stated)
    )


def warm(store, g, lg: str) -> None:
    """What the page's first run asks for with its widgets as they start (views/warm.py)."""
    C.find(g, "A4", V.PROJECT_KINDS)
    C.find(g, "A2", V.PROJECT_KINDS)
    _counts(store, g)
    with in_language(lg):  # the table's headings and values in the view's language
        _status_frame(store, g, lg, False)
    day = _day(store, g)
    _milestones(store, g, day.isoformat() if day else None, False)


def _questions(g) -> None:
    """Three buttons that answer the planners' first questions in one click each."""
    a4 = C.find(g, "A4", V.PROJECT_KINDS)
    a2 = C.find(g, "A2", V.PROJECT_KINDS)
    if not (a4 and a2):
        return
    st.subheader(t("overview.questions"))
    c1, c2, c3 = st.columns(3)
    if c1.button(
        t("overview.q.depends", project=V.code(g, a4)),
        key="q_depends",
        width="stretch",
        icon=":material/account_tree:",
    ):
        st.session_state.update(
            {
                "w_dep_projects": [a4],
                "w_dep_direction": "up",
                "w_dep_depth": 2,
                "w_dep_relations": ["depends"],
            }
        )
        st.switch_page("views/explorer.py")
    if c2.button(
        t("overview.q.decides", project=V.code(g, a4)),
        key="q_decides",
        width="stretch",
        icon=":material/account_balance:",
    ):
        st.session_state.update({"w_gov_project": a4, "w_gov_section": "project"})
        st.switch_page("views/governance.py")
    if c3.button(
        t("overview.q.late", project=V.code(g, a2), weeks=8),
        key="q_late",
        width="stretch",
        icon=":material/crisis_alert:",
    ):
        st.session_state.update({"w_imp_mode": "slip", "w_imp_project": a2, "w_imp_weeks": 8})
        st.switch_page("views/impact.py")


def _conflicts(store, stated: bool) -> None:
    """Where the documents disagree: both readings, their sources, how sure each is and what
    the graph uses (the answer ``kg conflicts`` prints)."""
    from graph.answers import conflicts

    answer = conflicts.conflicts(store, lang(), stated)
    st.subheader(t("overview.conflicts"))
    if not answer.rows:
        st.info(t("overview.conflicts.none"))
        return
    st.caption(t("overview.conflicts.help", n=answer.facts["disagreements"]))
    rows = C.certainty_text([dict(r) for r in answer.rows])
    for r in rows:
        r["value"] = "" if r["value"] is None else f"{r['value']:,}".replace(",", " ")
    C.table(
        rows,
        {
            "id": "col.id",
            "title": "col.question",
            "reading": "col.reading",
            "value": "col.value",
            "as_of": "col.date",
            "source": "col.source",
            "certainty": "col.certainty",
            "graph_uses": "col.graph_uses",
        },
        key="conflicts_table",
        height=360,
    )


def render() -> None:
    cur = C.current()
    g, store = cur.graph(), cur.store
    st.title(t("overview.title"))
    st.caption(C.md(cur.title()))
    _questions(g)

    st.subheader(t("overview.counts"))
    counts = _counts(store, g)
    cols = st.columns(5)
    for i, k in enumerate(V.COUNTED):
        cols[i % 5].metric(t(f"count.{k}"), counts[k])

    stated = C.stated_toggle("w_ov_stated")
    st.subheader(t("overview.status"))
    rows = _status(store, g, lang(), stated)
    if not rows:
        st.info(t("overview.status.none"))
    else:
        heads = STATUS_HEADS
        C.table(
            [],
            heads,
            frame=_status_frame(store, g, lang(), stated),
            key="status_table",
            styler=lambda f: C.rag_style(
                f, {t(heads[k]): k for k in ("time", "budget", "risk", "gain")}
            ),
        )
        st.caption(t("overview.status.legend"))

    st.subheader(t("overview.milestones"))
    default = _day(store, g)
    if "w_ov_asof" not in st.session_state:
        st.session_state["w_ov_asof"] = default
    after = st.date_input(
        t("overview.asof"), key="w_ov_asof", help=t("overview.asof.help"), format="YYYY-MM-DD"
    )
    since = after.isoformat() if after else None
    ms = _milestones(store, g, since, stated)
    st.caption(t("overview.milestones.count", n=len(ms), date=after.isoformat() if after else ""))
    mstype = C.memo(lambda x: t(f"mstype.{x}") if x else "")
    mstatus = C.memo(lambda x: C.code_text("mstatus", x))
    sure_ms = C.memo(lambda c: t(f"certainty.{c}"))
    C.table(
        [
            {
                "date": m.date,
                "title": ("★ " if m.programme else "") + m.title,
                "owner": m.owner_name,
                "type": mstype(m.type),
                "status": mstatus(m.status),
                "certainty": sure_ms(m.certainty),
            }
            for m in ms[:200]
        ],
        {
            "date": "col.date",
            "title": "col.milestone",
            "owner": "col.owner_project",
            "type": "col.type",
            "status": "col.status",
            "certainty": "col.certainty",
        },
        key="milestone_table",
        height=320,
    )
    st.caption(t("overview.milestones.star"))
    _conflicts(store, stated)

    st.subheader(t("overview.quality"))
    with st.spinner(t("overview.quality.running")):
        problems = cur.quality_if_cheap()
    if problems is None:  # a large graph: the check takes minutes, so it runs when asked
        st.info(t("overview.quality.large", n=cur.size()))
        if not st.button(t("overview.quality.run"), key="run_quality"):
            return
        with st.spinner(t("overview.quality.running")):
            problems = cur.quality()
    if not problems:
        st.success(t("overview.quality.ok"))
    else:
        st.warning(t("overview.quality.found", n=len(problems)))
        C.table(
            problems,
            {
                "severity": "col.severity",
                "file": "col.file",
                "row": "col.row",
                "focus": "col.focus",
                "path": "col.path",
                "message": "col.message",
                "value": "col.value",
            },
            key="quality_table",
        )


if __name__ == "__main__":
    render()
