"""Impact: what a change to a node reaches (ranked, each row with its why-path), what-if ("A2
slips 8 weeks" with who must act on each late milestone, "Gerica is switched off" with users,
decisions and what is affected), and the timeline with a critical path.

Every table here is an answer of graph/answers/scenarios.py, the very answer ``kg impact``,
``kg whatif``, ``kg timeline`` and ``kg critical-path`` print (issue 11: one answer per question)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from graph import answers as V
from graph.answers.answer import Answer, Column
from views import common as C
from views import drawing as D
from views import links as L
from views import timeline as T
from views.i18n import in_language, lang, t

MODES = ["slip", "switch_off", "impact"]
PAGE = 25  # ranked impact rows on the first page (the counts cover them all)
MORE = 100  # rows «show more» adds
TIMELINE_ROWS = 200  # bars drawn at most (the critical path and what moved, when more)
MARKS = ("interpreted", "assumed")  # columns holding the answers' "yes" mark


def _examples(g) -> None:
    a2 = C.find(g, "A2", V.PROJECT_KINDS)
    gerica = C.find(g, "gerica", {"System"}) or C.find(g, "Gerica", {"System"})
    c1, c2, _ = st.columns([1, 1, 2])
    if a2 and c1.button(t("impact.example.slip", project=V.code(g, a2), weeks=8), key="ex_slip"):
        st.session_state.update({"w_imp_mode": "slip", "w_imp_project": a2, "w_imp_weeks": 8})
        st.rerun()
    if gerica and c2.button(t("impact.example.off", system=V.name(g, gerica)), key="ex_off"):
        st.session_state.update({"w_imp_mode": "switch_off", "w_imp_system": gerica})
        st.rerun()


def _head(c: Column, lg: str) -> str:
    h = c.heading(lg)
    return h[:1].upper() + h[1:]


def _table(ans: Answer, key: str, hide: tuple[str, ...] = (), height: int | str = "auto") -> None:
    """An answer's rows under its own headings in the chosen language."""
    lg = lang()
    shown = [c for c in ans.columns if c.key not in hide]
    frame = pd.DataFrame(
        [{_head(c, lg): _cell(c.key, r.get(c.key)) for c in shown} for r in ans.rows],
        columns=[_head(c, lg) for c in shown],
    )
    C.dataframe(frame, frame, key=key, name=ans.title_in(lg), height=height)  # with the downloads


def _cell(key: str, value: object) -> object:
    """A cell as the reader sees it: marks as yes, node kinds in the UI language."""
    if key in MARKS:
        return t("yes") if value else value
    if key == "kind" and isinstance(value, str) and value:
        return C.kind_name(value)
    if key == "relation_to_next" and isinstance(value, str) and value:
        return C.relation(value, value)
    return value


def _notes(ans: Answer) -> None:
    for n in ans.notes:
        if n.get("at") == "top":
            st.caption(n.get(lang()) or n.get("nb", ""))


def _section(ans: Answer, key: str) -> Answer:
    return next(s for s in ans.sections if s.key == key)


def _graph(g, spec) -> None:
    layout = C.graph_controls("imp")
    C.show_graph(spec, layout=layout, direction="LR", height=460, title=t("impact.title"))


def _names() -> dict:
    return {"kind_names": C.kind_names(), "relation_names": C.relation_names()}


def _limit(start: str, weak: bool) -> int | None:
    """How many ranked rows to show of ``start``'s answer: the first page, until «show more»
    or «show all» asks for more (kept per start; another start begins at the first page)."""
    kept = st.session_state.get("w_imp_limit")
    if isinstance(kept, tuple) and kept[:2] == (start, weak):
        return kept[2]  # type: ignore[no-any-return]
    return PAGE


def _impact(g, start: str) -> None:
    weak = st.checkbox(t("impact.weak"), key="w_imp_weak", help=t("impact.weak.help"))
    limit = _limit(start, weak)
    # The first page and the counts of the rest (a national system reaches thousands; ranking
    # and formatting only the rows shown keeps the page in milliseconds): the answer kg impact
    # --limit prints.
    ans = V.impact(g, start, show_all=weak, lang=lang(), limit=limit)
    total = int(ans.facts.get("total", len(ans.rows)))
    st.markdown(t("impact.summary.node", node=C.md(V.name(g, start)), n=total))
    st.subheader(t("impact.ranked", n=V.thousands(total)))
    _table(ans, "imp_ranked", height=min(420, 38 + 35 * max(1, len(ans.rows))))
    if ans.truncated:
        shown = len(ans.rows)
        st.caption(t("impact.shown", shown=V.thousands(shown), n=V.thousands(total)))
        c1, c2, _ = st.columns([1, 1, 3])
        if c1.button(t("impact.more", n=V.thousands(min(MORE, total - shown))), key="imp_more"):
            st.session_state["w_imp_limit"] = (start, weak, shown + MORE)
            st.rerun()
        if c2.button(t("impact.every"), key="imp_every"):
            st.session_state["w_imp_limit"] = (start, weak, None)
            st.rerun()
    if ans.facts["left_out"]:
        st.info(t("impact.left_out", n=ans.facts["left_out"], min=ans.facts["min_strength"]))
    st.caption(t("impact.interpreted.help"))
    with st.expander(t("impact.graph"), expanded=True):
        _graph(g, D.why_spec(g, start, [r["links"] for r in ans.rows], **_names()))


def _slip(store, g, start: str, weeks: float, as_of, given: bool) -> None:
    ans = V.slip(store, g, start, float(weeks), as_of, given)
    delays, late = _section(ans, "delays"), _section(ans, "milestones")
    _notes(ans)
    st.markdown(
        t(
            "impact.summary.slip",
            node=C.md(V.name(g, start)),
            weeks=weeks,
            n=len(delays.rows) - 1,
            m=len(late.rows),
        )
    )
    own = sorted((m for m in late.rows if m["programme"]), key=lambda m: m["date"], reverse=True)
    for m in own[:1]:  # the headline: the programme's last milestone (the launch) at risk
        st.error(
            t(
                "impact.programme.late",
                title=C.md(m["milestone"]),
                date=m["date"],
                weeks=f"{m['late_weeks']:g}",
                new=m["new_date"] or "?",
                path=C.md(m["path"]),
            )
        )
    st.subheader(t("impact.milestones", n=len(late.rows)))
    if late.rows:
        st.caption(t("impact.who"))
        shown = Answer(
            late.key,
            late.title,
            late.columns,
            [
                {**m, "milestone": ("★ " if m["programme"] else "") + m["milestone"]}
                for m in late.rows
            ],
        )
        _table(shown, "imp_milestones", height=min(380, 38 + 35 * len(late.rows)))
    else:
        st.info(t("impact.milestones.none", date=str(as_of or "")))
    st.subheader(t("impact.graph.whatif"))
    paths = [d["nodes"] for d in delays.rows] + [m["nodes"] for m in late.rows]
    _graph(g, D.scenario_spec(g, start, paths, **_names()))
    st.subheader(t("impact.delays", n=len(delays.rows)))
    _table(delays, "imp_delays", height=min(420, 38 + 35 * len(delays.rows)))
    st.caption(t("impact.assumed.help"))


def _switch_off(store, g, start: str, as_of, given: bool) -> None:
    ans = V.switch_off(store, g, start, as_of, lang(), given)
    users, decisions, hit = (_section(ans, k) for k in ("users", "decisions", "affected"))
    _notes(ans)
    st.markdown(
        t(
            "impact.summary.off",
            node=C.md(V.name(g, start)),
            n=len(hit.rows),
            m=sum(r["kind"] == "Milestone" for r in hit.rows),
        )
    )
    for part, key in ((users, "imp_users"), (decisions, "imp_decisions"), (hit, "imp_affected")):
        st.subheader(f"{part.title_in(lang())} ({len(part.rows)})")
        _table(part, key)
    if ans.facts["left_out"]:
        st.caption(t("impact.left_out", n=ans.facts["left_out"], min=ans.facts["min_strength"]))
    st.caption(t("impact.interpreted.help"))
    st.subheader(t("impact.graph.whatif"))
    _graph(g, D.why_spec(g, start, [r["links"] for r in hit.rows], **_names()))


# The timeline covers every project and milestone of the graph (10⁵ rows nationally): its
# answer and what the page draws of it are kept per view, slip and milestone (a view never
# changes once built), so a visit costs the chart, not a walk over the whole timeline.


def _timeline_answer(store, g, slipping: str | None, weeks: float | None):
    if not slipping:
        return C.per_graph(g, ("timeline", None, None), lambda: V.timeline(store, g))
    w = float(weeks or 0)
    return C.per_graph(g, ("timeline", slipping, w), lambda: V.timeline(store, g, slipping, w))


def _labels(g, nodes: list[str]):
    """The milestone picker's format function (C.node_format's), each of ``nodes`` made now."""
    fmt = C.node_format(g, {"Milestone"})
    for n in nodes:
        fmt(n)
    return fmt


def _milestones(g, tl, slipping: str | None, weeks: float | None) -> list[str]:
    """The critical path's milestones (those with an end) of the timeline ``tl``, kept."""
    return C.per_graph(
        g,
        ("timeline_ms", slipping, weeks),
        lambda: [r["node"] for r in tl.rows if r["kind"] == "Milestone" and r["end"]],
    )


def _milestone_texts(g, ms: list[str], slipping: str | None, weeks: float | None, lg: str):
    """The milestone picker's texts in ``lg``, kept per view and slip."""
    return C.per_graph(g, ("timeline_ms_names", slipping, weeks, lg), lambda: _labels(g, ms))


def _drawn_kept(g, tl, slipping, weeks, moved_only: bool, chosen: str | None, chain: set[str]):
    """:func:`_drawn`, kept per view, slip, toggle and chosen milestone."""
    return C.per_graph(
        g,
        ("timeline_drawn", slipping, weeks, moved_only, chosen),
        lambda: _drawn(tl, moved_only, chain),
    )


def _drawn(tl, moved_only: bool, chain: set[str]):
    """The timeline answer with the rows the chart draws, and how many it would draw."""
    everything = T.drawn_rows(tl, moved_only, chain)
    if len(everything) > TIMELINE_ROWS:
        # a national timeline (10⁴ bars) is no chart to read, and costs seconds to send: the
        # critical path and what the slip moves, the rest counted
        focus = [r for r in everything if r["node"] in chain or r["new_end"]][:TIMELINE_ROWS]
        return dataclasses.replace(tl, rows=focus), len(everything)
    # the drawn rows only: the chart picks them again from what it is given (the same rows),
    # not from the whole timeline on every visit
    return dataclasses.replace(tl, rows=everything), len(everything)


def _timeline(store, g, slipping: str | None, weeks: float | None) -> None:
    """The timeline before and after the slip, and the critical path of a chosen milestone."""
    st.subheader(t("impact.timeline"))
    st.caption(t("impact.timeline.help"))
    tl = _timeline_answer(store, g, slipping, weeks)
    ms = _milestones(g, tl, slipping, weeks)
    launch = C.find(g, "ms-2020-01-01")
    C.valid("w_imp_cp", ms, launch if launch in ms else (ms[0] if ms else None))
    c1, c2 = st.columns([2, 1])
    chosen = C.picker(
        c1,
        t("impact.critical.milestone"),
        "w_imp_cp",
        ms,
        _milestone_texts(g, ms, slipping, weeks, lang()),
        help=t("impact.critical.help"),
    )
    # The default follows the slip (on once a slip is drawn), set through the session state
    # only: a widget given both a value and a kept state makes Streamlit warn on every run.
    if st.session_state.get("w_imp_moved_for") != bool(slipping):
        st.session_state["w_imp_moved_for"] = bool(slipping)
        st.session_state["w_imp_moved"] = bool(slipping)
    moved = c2.checkbox(t("impact.timeline.moved"), key="w_imp_moved")
    cp = V.critical_path(g, chosen) if chosen else None
    chain = {r["node"] for r in cp.rows} if cp else set()
    labels = {"before": t("impact.timeline.before"), "critical": t("impact.critical")}
    moved_only = moved and bool(slipping)
    tl, total = _drawn_kept(g, tl, slipping, weeks, moved_only, chosen, chain)
    if total > len(tl.rows):
        st.caption(t("impact.timeline.limited", shown=len(tl.rows), n=total))
    drawn = T.chart(tl, labels, moved_only=moved_only, highlight=chain)
    if drawn is None:
        st.info(t("impact.timeline.none"))
    else:
        st.altair_chart(drawn, width="stretch")
    if cp is not None:
        st.markdown(f"**{C.md(cp.title_in(lang()))}**")
        if len(cp.rows) > 1:
            _table(cp, "imp_critical")
        else:
            st.info(t("impact.critical.none"))


def warm(store, g, lg: str) -> None:
    """The page's first run as it starts (views/warm.py): A2 (or the first project) slips 8
    weeks. What it keeps per view (the node pickers' options and names, the timeline of that
    slip and what the chart draws of it, the carrying index) and the chart library's first
    chart are made before the first visitor."""
    projects = C.options(g, V.PROJECT_KINDS)
    C.options(g, {"System"})
    C.find(g, "gerica", {"System"})
    C.find(g, "ms-2020-01-01")
    start = C.find(g, "A2", V.PROJECT_KINDS) or (projects[0] if projects else None)
    if start is None:
        return
    as_of, _ = V.as_of_for(store, start, None)
    V.slip(store, g, start, 8.0, as_of, False)
    C.names(g, V.PROJECT_KINDS)
    C.names(g, {"System"})
    # the timeline as _timeline keeps it: after the slip, what moved, the launch's critical path
    tl = _timeline_answer(store, g, start, 8)
    ms = _milestones(g, tl, start, 8)
    launch = C.find(g, "ms-2020-01-01")
    chosen = launch if launch in ms else (ms[0] if ms else None)
    with in_language(lg):  # the milestone picker's texts, in the view's language
        _milestone_texts(g, ms, start, 8, lg)
    cp = V.critical_path(g, chosen) if chosen else None
    chain = {r["node"] for r in cp.rows} if cp else set()
    shown, _ = _drawn_kept(g, tl, start, 8, True, chosen, chain)
    drawn = T.chart(shown, {"before": "", "critical": " "}, True, chain)
    if drawn is not None:
        drawn.to_dict()


def render() -> None:
    cur = C.current()
    g, store = cur.graph(), cur.store
    st.title(t("impact.title"))
    st.caption(t("impact.intro"))
    _examples(g)

    L.from_url("scenario", "w_imp_mode", "text", MODES)
    C.valid("w_imp_mode", MODES, "slip")
    mode = st.segmented_control(
        t("impact.mode"),
        MODES,
        key="w_imp_mode",
        required=True,
        format_func=t.prefixed("impact.mode."),
    )
    projects = C.options(g, V.PROJECT_KINDS)
    systems = C.options(g, {"System"})
    a2 = C.find(g, "A2", V.PROJECT_KINDS)
    gerica = C.find(g, "gerica", {"System"})

    c1, c2, c3 = st.columns([3, 1.2, 1.4])
    weeks = None
    linked = {"scenario": ("w_imp_mode", "text")}
    if mode == "slip":
        L.from_url("project", "w_imp_project", "node", projects, g)
        L.from_url("weeks", "w_imp_weeks", "int")
        linked |= {"project": ("w_imp_project", "node"), "weeks": ("w_imp_weeks", "int")}
        C.valid("w_imp_project", projects, a2 or (projects[0] if projects else None))
        start = C.picker(
            c1, t("impact.project"), "w_imp_project", projects, C.names(g, V.PROJECT_KINDS)
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
        start = C.picker(c1, t("impact.system"), "w_imp_system", systems, C.names(g, {"System"}))
    else:
        everything = C.options(g)
        L.from_url("node", "w_imp_node", "node", everything, g)
        linked["node"] = ("w_imp_node", "node")
        C.valid("w_imp_node", everything, a2 or (everything[0] if everything else None))
        start = C.picker(
            c1,
            t("impact.node"),
            "w_imp_node",
            everything,
            C.node_format(g),
            help=t("impact.node.help"),
        )
    L.to_url(linked, g)
    if not start:
        st.info(t("impact.pick"))
        return
    # The start's own dataset's status date (not that of an import loaded next to it), unless
    # the user picks another day; the answer prints which one it used.
    dataset_day, _ = V.as_of_for(store, start, None)
    if st.session_state.get("w_imp_asof_for") != start:
        st.session_state["w_imp_asof_for"] = start
        st.session_state["w_imp_asof"] = dataset_day
    as_of = c3.date_input(
        t("impact.asof"), key="w_imp_asof", help=t("impact.asof.help"), format="YYYY-MM-DD"
    )
    given = as_of != dataset_day

    if mode == "impact":
        _impact(g, start)
    elif mode == "slip":
        _slip(store, g, start, float(weeks or 0), as_of, given)
    else:
        _switch_off(store, g, start, as_of, given)
    _timeline(store, g, start if mode == "slip" else None, weeks)


if __name__ == "__main__":
    render()
