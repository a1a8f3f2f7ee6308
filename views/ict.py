"""ICT portfolio: domain × municipality matrix of systems with the chosen system marked,
evaluation scores, systems to phase out, and the operators (IKS) and their wind-down."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import answers as V
from views import common as C
from views import links as L
from views.i18n import in_language, lang, t

CHOSEN = "✓"


def _system_summary(g, pf: V.Portfolio, system: str) -> None:
    """What the portfolio says about one system: where it is chosen, used and replaced."""
    chosen = [r for r in pf.rows if system in r["chosen"] and not r["inherited"]]
    used = [(m, r["name"]) for r in pf.rows for m, ss in r["cells"].items() if system in ss]
    replaced = [r for r in pf.rows if system in r["replaces"]]
    name = V.name(g, system)
    if chosen:
        for r in chosen:
            st.success(
                t(
                    "ict.chosen_for",
                    system=C.md(name),
                    domain=C.md(r["name"]),
                    decision=t(f"decision.{r['status']}") if r["status"] else "",
                    by=C.md(r["decided_by"] or "?"),
                    date=r["date"] or "?",
                    reason=C.md(r["reason"]),
                )
            )
    if replaced:
        st.warning(
            t(
                "ict.replaced_in",
                system=C.md(name),
                domains=", ".join(f"«{C.md(r['name'])}»" for r in replaced),
            )
        )
    if used:
        st.markdown(
            t(
                "ict.used_by",
                system=C.md(name),
                where="; ".join(f"{C.md(V.name(g, m))} ({C.md(d)})" for m, d in used),
            )
        )
    if not (chosen or replaced or used):
        st.info(t("ict.not_in_portfolio", system=C.md(name)))


def _matrix(g, pf: V.Portfolio, mark: str | None) -> None:
    heads = (
        [t("col.service_area"), t("col.domain")]
        + [V.name(g, m) for m in pf.municipalities]
        + [t("col.chosen"), t("col.decision"), t("col.reason"), t("col.certainty")]
    )
    rows = []
    for r in pf.rows:

        def cell(systems: list[str], chosen: list[str] = r["chosen"]) -> str:
            return ", ".join(V.name(g, s) + (f" {CHOSEN}" if s in chosen else "") for s in systems)

        rows.append(
            [r["area"], r["name"] + (f" ({r['parent']})" if r["parent"] else "")]
            + [cell(r["cells"][m]) for m in pf.municipalities]
            + [
                ", ".join(f"{CHOSEN} {V.name(g, s)}" for s in r["chosen"])
                + (f" (↑ {r['parent']})" if r["inherited"] else ""),
                t(f"decision.{r['status']}") if r["status"] else "",
                r["reason"],
                t(f"certainty.{r['certainty']}"),
            ]
        )
    frame = pd.DataFrame(rows, columns=heads)
    marked = V.name(g, mark) if mark else None

    def paint(v) -> str:
        s = str(v or "")
        if marked and marked in [x.replace(CHOSEN, "").strip() for x in s.split(",")]:
            return "background-color: #ffe08a; font-weight: bold"
        if CHOSEN in s:
            return "background-color: #dff3e4"
        return ""

    # The chosen system comes right after the domain (pinned with it), so it stays in view.
    C.dataframe(
        frame.style.map(paint, subset=heads[2:-3]),
        frame,
        height=min(900, 40 + 35 * len(rows)),
        key="ict_matrix",
        order=[heads[1], heads[-4]],
        config={
            heads[0]: st.column_config.Column(pinned=True),
            heads[1]: st.column_config.Column(pinned=True),
            heads[-4]: st.column_config.Column(pinned=True),
            t("col.reason"): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(t("ict.matrix.help"))


def _municipalities(g) -> list[str]:
    return C.per_graph(g, "ict_municipalities", lambda: V.ict_municipalities(g))


def warm(store, g, lg: str) -> None:
    """The page's first run with its widgets as they start (views/warm.py): the whole-graph
    reads behind it are kept per store generation (graph.netx.cached), so only the first start
    after a load makes them (~2 s of queries at 1M) and no visitor waits for them."""
    every = _municipalities(g)
    shown = V.default_municipalities(every) if len(every) > V.ICT_COLUMNS else every
    # the keys the page keeps them under (render): its widgets as they start
    V.phase_out(store, g, _portfolio(store, g, shown, False))
    chosen = shown if len(every) > V.ICT_COLUMNS else None
    with in_language(lg):
        C.per_graph(
            g,
            _evaluations_key(lg, False, chosen),
            lambda: _evaluation_rows(store, g, False, chosen),
        )
    V.companies(store, g, lg)
    C.find(g, "gerica", {"System"})


def _portfolio(store, g, shown: list[str], stated: bool) -> V.Portfolio:
    """The portfolio of the columns ``shown``, kept per view, columns and toggle (the page and
    its warm-up): a visit reads it, not the whole portfolio again."""
    return C.per_graph(
        g, ("ict_portfolio", tuple(shown), stated), lambda: V.ict_portfolio(store, g, shown, stated)
    )


def _evaluations_key(lg: str, stated: bool, chosen: list[str] | None) -> tuple:
    """The key the evaluations' rows are kept under per view (the page and its warm-up)."""
    return ("ict_evaluations", lg, stated, tuple(chosen) if chosen is not None else None)


def _evaluation_rows(store, g, stated: bool, chosen: list[str] | None) -> list[dict]:
    """The evaluations table's rows in the UI language (kept per view by the caller: at
    national scale reading and formatting them was a third of the page)."""
    evals = C.certainty_text(V.evaluations(store, g, stated, chosen))
    rag = C.memo(C.rag_text)
    yes, no = t("yes"), t("no")
    return [
        {
            **e,
            "status": rag("evaluation", e["status"]),
            "computed": rag("evaluation", e["computed"]),
            "phase_out": "" if e["phase_out"] is None else (yes if e["phase_out"] else no),
        }
        for e in evals
    ]


def render() -> None:
    cur = C.current()
    g, store = cur.graph(), cur.store
    st.title(t("ict.title"))
    st.caption(t("ict.intro"))
    every = _municipalities(g)
    shown = every
    if len(every) > V.ICT_COLUMNS:  # a county or the country: choose the columns
        C.valid("w_ict_municipalities", every, V.default_municipalities(every))
        shown = st.multiselect(
            t("ict.municipalities"),
            every,
            key="w_ict_municipalities",
            format_func=lambda m: V.name(g, m),
            help=t("ict.municipalities.help", n=len(every)),
            placeholder=t("widget.choose"),
        )
    stated = C.stated_toggle("w_ict_stated")
    if every and not shown:  # every column deselected: there are systems, none is asked for
        st.info(t("ict.municipalities.empty"))
        return
    pf = _portfolio(store, g, shown, stated)
    if not pf.rows:
        st.info(t("ict.none"))
        return
    gerica = C.find(g, "gerica", {"System"})
    options = pf.systems
    L.from_url("system", "w_ict_system", "node", options, g)
    C.valid("w_ict_system", options, gerica if gerica in options else options[0])
    c1, _ = st.columns([2, 3])
    mark = c1.selectbox(
        t("ict.mark"),
        options,
        placeholder=t("widget.choose"),
        key="w_ict_system",
        format_func=lambda s: V.name(g, s),
        help=t("ict.mark.help"),
    )
    L.to_url({"system": ("w_ict_system", "node")}, g)
    if mark:
        _system_summary(g, pf, mark)

    st.subheader(t("ict.matrix"))
    _matrix(g, pf, mark)

    st.subheader(t("ict.evaluations"))
    # a county or the country: the evaluations of the municipalities chosen for the columns
    chosen = shown if len(every) > V.ICT_COLUMNS else None
    kept = _evaluations_key(lang(), stated, chosen)
    rows = C.per_graph(g, kept, lambda: _evaluation_rows(store, g, stated, chosen))
    if not rows:
        st.info(t("ict.evaluations.none"))
    else:
        heads = {
            "system": "col.system",
            "municipality": "col.municipality",
            "availability": "col.availability",
            "tasks": "col.m_tasks",
            "functions": "col.m_functions",
            "technology": "col.m_technology",
            "dataflow": "col.m_dataflow",
            "status": "col.status",
            "computed": "col.computed_status",
            "score": "col.score",
            "phase_out": "col.phase_out",
            "certainty": "col.certainty",
            "source": "col.source",
        }
        C.table(
            rows,
            heads,
            frame=C.per_graph(g, (*kept, "frame"), lambda: C.frame_of(rows, heads)),
            key="ict_evals",
            styler=lambda f: C.rag_style(
                f, {t("col.status"): "evaluation", t("col.computed_status"): "evaluation"}
            ),
        )
        st.caption(t("ict.evaluations.help"))
        if chosen is not None:
            st.caption(t("ict.evaluations.chosen", n=len(chosen)))

    st.subheader(t("ict.phase_out"))
    out = C.certainty_text(V.phase_out(store, g, pf, stated_only=stated))
    if not out:
        st.info(t("ict.phase_out.none"))
    else:
        for r in out:
            r["status"] = t(f"decision.{r['status']}") if r["status"] else ""
        C.table(
            out,
            {
                "system": "col.system",
                "domain": "col.domain",
                "replaced_by": "col.replaced_by",
                "status": "col.decision",
                "used_by": "col.used_by",
                "operated_by": "col.operated_by",
                "certainty": "col.certainty",
            },
            key="ict_phase_out",
        )

    st.subheader(t("ict.operators"))
    ops = C.certainty_text(V.operators(store, g, stated))
    if ops:
        for r in ops:
            r["kind"] = C.kind_name(r["kind"])
            r["wind_down"] = C.events_text(r.get("wind_down") or "")
        C.table(
            ops,
            {
                "operator": "col.operator",
                "kind": "col.kind",
                "customer": "col.customer",
                "service": "col.service",
                "from": "col.from_date",
                "to": "col.to_date",
                "wind_down": "col.wind_down",
                "certainty": "col.certainty",
            },
            key="ict_operators",
        )
    st.markdown(f"**{t('ict.companies')}**")
    comp = C.certainty_text(V.companies(store, g, lang(), stated))
    if not comp:
        st.info(t("ict.companies.none"))
    else:
        events = C.memo(C.events_text)
        form = C.memo(lambda x: C.code_text("orgform", x))
        role = C.memo(lambda x: C.code_text("ownrole", x))
        for r in comp:
            r["events"] = events(r["events"])
            r["form"] = form(r["form"])
            r["relation"] = role(r["relation"])
        C.table(
            comp,
            {
                "company": "col.company",
                "form": "col.form",
                "municipality": "col.municipality",
                "relation": "col.relation",
                "certainty": "col.certainty",
                "events": "col.wind_down",
            },
            key="ict_companies",
        )


if __name__ == "__main__":
    render()
