"""Query console: read-only, bounded SPARQL (Cypher only when a Neo4j connection is configured),
the named query library with parameter forms, results as a table and a graph, CSV and JSON."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import streamlit as st

from graph import answers as V
from graph import queries
from graph.cancel import adhoc_query  # a worker process, killed at the time limit
from graph.output import to_json
from graph.store import IRI, Limits, QueryError
from views import common as C
from views import drawing as D
from views import links as L
from views.i18n import lang, number, t

SECTIONS = ["named", "sparql"]
RESULT = "kg_console_result"  # session_state: (dataset key, title, Result)


def neo4j_status() -> tuple[bool, str]:
    """(usable, message): Cypher is offered only with KG_NEO4J_URI set and a Neo4j backend present."""
    uri = os.environ.get("KG_NEO4J_URI")
    if not uri:
        return False, t("console.cypher.off")
    try:
        import graph.neo4j  # noqa: F401
    except ImportError:
        return False, t("console.cypher.no_backend", uri=uri)
    return True, t("console.cypher.on", uri=uri)


@st.cache_resource(show_spinner=False)
def neo4j_store(uri: str):
    """The Neo4j store (read-only sessions), opened once per URI with the configured settings."""
    from graph.config import backend_options
    from graph.store import open_store

    return open_store("neo4j", **backend_options("neo4j"))


def _language() -> str:
    """The query language of this run: SPARQL on the current dataset, or Cypher on Neo4j."""
    usable, message = neo4j_status()
    languages = ["sparql"] + (["cypher"] if usable else [])
    C.valid("w_q_language", languages, "sparql")
    c1, c2 = st.columns([2, 3])
    choice = c1.radio(
        t("console.language"),
        languages,
        key="w_q_language",
        horizontal=True,
        format_func={"sparql": "SPARQL", "cypher": "Cypher (Neo4j)"}.get,
    )
    c2.caption(message)
    return choice or "sparql"


def _target(cur, language: str):
    """The store a query runs on (raises QueryError if Neo4j cannot be reached)."""
    if language == "cypher":
        try:
            return neo4j_store(os.environ["KG_NEO4J_URI"])
        except QueryError:
            raise
        except Exception as e:  # driver errors become one line in the UI language
            raise QueryError(
                f"cannot connect to Neo4j: {e}", f"kan ikke koble til Neo4j: {e}"
            ) from None
    return cur.store


def _limits() -> Limits:
    base = Limits()
    rows = int(st.session_state.get("w_q_rows", min(base.rows, 1000)))
    return Limits(seconds=base.seconds, rows=max(1, min(rows, base.rows)))


def _run(title: str, fn) -> None:
    try:
        with st.spinner(t("console.running")):
            res = fn()
    except QueryError as e:
        st.session_state.pop(RESULT, None)
        st.error(t("console.error") + " " + C.md(e.message(lang())))
        return
    st.session_state[RESULT] = (C.current().key, title, res)


def _text(cur, language: str) -> None:
    key = f"w_q_text_{language}"
    if key not in st.session_state:
        st.session_state[key] = V.EXAMPLE_CYPHER if language == "cypher" else V.EXAMPLE_QUERY
    text = st.text_area(
        t("console.query"),
        key=key,
        height=220,
        help=t("console.query.help" if language == "sparql" else "console.query.help_cypher"),
    )
    if st.button(t("console.run"), type="primary", key="q_run"):
        _run(
            language.upper() if language == "sparql" else "Cypher",
            lambda: adhoc_query(_target(cur, language), text, None, _limits()),
        )


def _param_widget(g, q: queries.NamedQuery, p: queries.Param):
    label = p.label.get(lang()) or p.label.get("nb") or p.name
    key = f"w_qp_{q.name}_{p.name}"
    if p.type == "node":
        wanted = _kinds(p.kinds)
        options = C.options(g, wanted) if wanted else C.options(g)
        default = C.find(g, str(p.default), wanted) if p.default is not None else None
        C.valid(key, options, default or (options[0] if options else None))
        return C.picker(st, label, key, options, C.node_format(g, wanted))
    if p.type == "int":
        if key not in st.session_state:
            st.session_state[key] = int(p.default or 0)
        return st.number_input(label, step=1, key=key)
    if p.type == "decimal":
        if key not in st.session_state:
            st.session_state[key] = float(p.default or 0)
        return st.number_input(label, key=key)
    if p.type == "date":
        if key not in st.session_state:
            st.session_state[key] = (
                dt.date.fromisoformat(str(p.default)) if p.default else dt.date.today()
            )
        return st.date_input(label, key=key, format="YYYY-MM-DD")
    if p.type == "bool":
        if key not in st.session_state:
            st.session_state[key] = str(p.default).lower() in ("true", "1", "ja", "yes")
        return st.checkbox(label, key=key)
    if p.type == "enum":
        C.valid(key, list(p.values), p.default if p.default in p.values else p.values[0])
        return st.selectbox(label, list(p.values), placeholder=t("widget.choose"), key=key)
    if key not in st.session_state:
        st.session_state[key] = "" if p.default is None else str(p.default)
    return st.text_input(label, key=key)


# Parameter kinds (as in the query headers) → classes in the networkx view.
KINDS = {
    "projects": V.PROJECT_KINDS,
    "bodies": {"GovernanceBody"},
    "systems": {"System"},
    "organizations": V.ORG_KINDS,
    "people": {"Person"},
    "sdg": {"SDGGoal", "SDGTarget"},
    "local_goals": {"LocalGoal"},
    "kpis": {"KPI"},
    "domains": {"SystemDomain"},
}


def _kinds(kinds: tuple[str, ...]) -> set[str] | None:
    out: set[str] = set()
    for k in kinds:
        out |= KINDS.get(k, {k})
    return out or None


def _named(cur, g, language: str) -> None:
    lib = queries.library()
    names = sorted(lib, key=lambda n: (lib[n].group, lib[n].title.get(lang(), n)))
    L.from_url("query", "w_q_named", "text", names)
    C.valid("w_q_named", names, "dependencies" if "dependencies" in names else names[0])
    titles = {n: lib[n].title.get(lang()) or lib[n].title.get("nb") or n for n in names}
    name = st.selectbox(
        t("console.named"),
        names,
        placeholder=t("widget.choose"),
        key="w_q_named",
        format_func=titles.get,
    )
    L.to_url({"query": ("w_q_named", "text")})
    q = lib[name]
    st.caption(q.description.get(lang()) or q.description.get("nb") or "")
    values = {}
    if q.params:
        cols = st.columns(min(3, len(q.params)))
        for i, p in enumerate(q.params):
            with cols[i % len(cols)]:
                values[p.name] = _param_widget(g, q, p)
    with st.expander(t("console.show_text")):
        if language == "cypher":
            st.code(q.cypher or t("console.no_cypher"), language="cypher")
        else:
            st.code(q.sparql or "", language="sparql")
    if st.button(t("console.run"), type="primary", key="q_run_named"):
        params = {k: (IRI(v) if isinstance(v, str) and v in g else v) for k, v in values.items()}
        _run(
            q.title.get(lang()) or name,
            lambda: queries.run(_target(cur, language), name, params, _limits(), lang=lang()),
        )


def _result(cur, g) -> None:
    held = st.session_state.get(RESULT)
    if not held or held[0] != cur.key:
        return
    _, title, res = held
    st.subheader(t("console.result", title=title))
    if res.boolean is not None:
        st.markdown(t("console.boolean", value=t("yes") if res.boolean else t("no")))
    msg = t("console.rows", n=len(res.rows), seconds=number(round(res.elapsed, 2)))
    if res.truncated:
        st.warning(msg + " " + t("console.truncated", n=_limits().rows))
    else:
        st.caption(msg)
    C.valid("w_q_view", ["table", "graph"], "table")
    view = st.segmented_control(
        t("console.view"),
        ["table", "graph"],
        key="w_q_view",
        required=True,
        format_func=t.prefixed("console.view."),
    )
    if view == "graph":
        spec = D.result_spec(g, res)
        if not spec.nodes:
            st.info(t("console.graph.none"))
        else:
            C.show_graph(spec, layout="force", height=520, title=title)
    else:
        frame = pd.DataFrame(V.table_rows(res), columns=res.columns).map(C.value_text)
        frame.columns = [C.heading(c) for c in res.columns]
        C.dataframe(
            frame, frame, key="q_result_table", name="resultat" if lang() == "nb" else "result"
        )
    st.download_button(
        t("download.json"),
        to_json(res).encode("utf-8"),
        file_name="result.json",
        mime="application/json",
        key="q_json",
        on_click="ignore",
    )


def render() -> None:
    cur = C.current()
    g = cur.graph()
    st.title(t("console.title"))
    st.caption(t("console.intro", seconds=number(Limits().seconds), rows=Limits().rows))
    C.valid("w_q_section", SECTIONS, "named")
    section = st.segmented_control(
        t("console.section"),
        SECTIONS,
        key="w_q_section",
        required=True,
        format_func=t.prefixed("console.section."),
        label_visibility="collapsed",
    )
    if "w_q_rows" not in st.session_state:
        st.session_state["w_q_rows"] = min(Limits().rows, 1000)
    language = _language()
    if section == "sparql":
        _text(cur, language)
    else:
        _named(cur, g, language)
    st.number_input(
        t("console.max_rows"), min_value=1, max_value=Limits().rows, step=100, key="w_q_rows"
    )
    _result(cur, g)


if __name__ == "__main__":
    render()
