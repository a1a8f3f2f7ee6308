"""Dependency explorer: pick projects, direction, depth and relation kinds; the graph and,
beside it, the same links as a table with paths and sources."""

from __future__ import annotations

import streamlit as st

from graph import answers as V
from views import common as C
from views import links as L
from views.i18n import lang, t

DIRECTIONS = ["up", "down", "both"]
LINKED = {
    "project": ("w_dep_projects", "nodes"),
    "direction": ("w_dep_direction", "text"),
    "depth": ("w_dep_depth", "int"),
}


def render() -> None:
    cur = C.current()
    g = cur.graph()
    st.title(t("explorer.title"))
    st.caption(t("explorer.intro"))

    projects = C.options(g, V.PROJECT_KINDS)
    a4 = C.find(g, "A4", V.PROJECT_KINDS)
    L.from_url("project", "w_dep_projects", "nodes", projects, g)
    L.from_url("direction", "w_dep_direction", "text", DIRECTIONS)
    L.from_url("depth", "w_dep_depth", "int")
    C.valid("w_dep_projects", projects, [a4] if a4 else projects[:1])
    C.valid("w_dep_direction", DIRECTIONS, "up")
    C.valid("w_dep_relations", list(V.RELATIONS), ["depends"])
    if "w_dep_depth" not in st.session_state:
        st.session_state["w_dep_depth"] = 1

    c1, c2 = st.columns([3, 2])
    starts = C.picker(
        c1,
        t("explorer.projects"),
        "w_dep_projects",
        projects,
        C.names(g, V.PROJECT_KINDS),  # kept per view: 48 000 options nationally
        multi=True,
        placeholder=t("explorer.projects.placeholder"),
    )
    families = c2.multiselect(
        t("explorer.relations"),
        list(V.RELATIONS),
        key="w_dep_relations",
        format_func=t.prefixed("family."),
        help=t("explorer.relations.help"),
        placeholder=t("widget.choose"),
    )
    c3, c4, c5 = st.columns([2.2, 1.6, 2.2])
    direction = c3.segmented_control(
        t("explorer.direction"),
        DIRECTIONS,
        key="w_dep_direction",
        required=True,
        format_func=t.prefixed("explorer.direction."),
        help=t("explorer.direction.help"),
    )
    depth = c4.slider(t("explorer.depth"), 1, 8, key="w_dep_depth", help=t("explorer.depth.help"))
    with c5:
        layout = C.graph_controls("dep")
    stated = st.toggle(
        t("explorer.stated_only"), key="w_dep_stated", help=t("explorer.stated_only.help")
    )
    L.to_url(LINKED, g)
    if not starts:
        st.info(t("explorer.pick"))
        return

    from graph.certainty import stated_only

    view = stated_only(g) if stated else g  # interpretations and outside facts left out
    ex = V.explore(view, starts, direction or "up", depth, families or ["depends"])
    reached = [n for n in ex.nodes if n not in starts]
    names = ", ".join(V.code(g, n) for n in starts)
    if not reached:
        st.info(t("explorer.none", projects=C.md(names)))
    else:
        st.markdown(
            t(f"explorer.summary.{direction or 'up'}", projects=C.md(names), n=len(reached))
        )

    left, right = st.columns([3, 2], gap="medium")
    with left:
        C.show_graph(
            C.spec(g, ex.nodes, ex.links, starts=starts, level=ex.level),
            layout=layout,
            direction="LR",
            title=t("explorer.title"),
        )
    with right:
        st.markdown(f"**{t('explorer.reached')}**")
        rows = []
        for n in sorted(
            reached,
            key=lambda n: (
                ex.depth[n],
                V.kind(g, n) not in V.PROJECT_KINDS,
                V.natural(V.code(g, n)),
            ),
        ):
            r = ex.reached.get(n)
            step = r.steps[-1] if r and r.steps else None
            rel = C.relation(step.predicate, step.type) if step else ""
            crit = next(
                (
                    k.criticality
                    for k in ex.links
                    if n in (k.source, k.target) and k.criticality == "primary"
                ),
                None,
            )
            rows.append(
                {
                    "name": V.name(g, n),
                    "kind": C.kind_name(V.kind(g, n)),
                    "depth": ex.depth[n],
                    "relation": rel + (f" ({t('crit.primary')})" if crit else ""),
                }
            )
        C.table(
            rows,
            {
                "name": "col.name",
                "kind": "col.kind",
                "relation": "col.relation",
                "depth": "col.depth",
            },
            key="dep_reached",
            height=min(560, 38 + 35 * max(1, len(rows))),
        )

    st.subheader(t("explorer.links", n=len(ex.links)))
    links = V.link_rows(g, ex.links)
    for row in links:
        row["relation"] = C.relation(row["predicate"], row["type"])
        row["criticality"] = t(f"crit.{row['criticality']}") if row["criticality"] else ""
        row["certainty"] = t(f"certainty.{row['certainty']}")
    heads = {
        "from": "col.from",
        "relation": "col.relation",
        "to": "col.to",
        "certainty": "col.certainty",
        "criticality": "col.criticality",
        "depth": "col.depth",
        "path": "col.path",
        "rationale": "col.rationale",
        "source": "col.source",
        "document": "col.document",
    }
    C.table(links, heads, key="dep_links", name="lenker" if lang() == "nb" else "links")


if __name__ == "__main__":
    render()
