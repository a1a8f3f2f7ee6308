"""What every page shares: the language, the current dataset, cached stores and graphs, and
small helpers to show tables and graphs.

The bundled graph lives in the persistent store (``$KG_STORE`` or ``./.kg/store``); it is
built from data/nye-asker on first use and then opened read-only and cached for all sessions
(``st.cache_resource`` keyed by store path and generation, so a ``kg load`` while the app runs
is picked up). A dataset uploaded in a session lives in that session's ``st.session_state``
only, in its own in-memory store: no other session can see it.
"""

from __future__ import annotations

import gc
import os
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import unquote

import pandas as pd
import streamlit as st

from graph import answers as V
from graph.render import GraphSpec, choose_layout, legend_for, to_html
from graph.store import QueryError, default_path, open_store
from views import backend
from views import drawing as D
from views.i18n import KIND_KEYS, RELATION_KEYS, detect_language, lang, t

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = ROOT / "data" / "nye-asker"
BUNDLED = "bundled"
UPLOADS = "kg_uploads"  # session_state: key → Upload
DATASET = "w_dataset"  # session_state: key of the dataset shown
T = TypeVar("T")


def max_nodes() -> int:
    default = int(os.environ.get("KG_MAX_NODES", V.DEFAULT_MAX_NODES))
    return int(st.session_state.get("w_max_nodes", default))


# -- widget state that survives page switches ----------------------------------------------


def keep_widget_state() -> None:
    """Keep the values of widgets (keys starting with ``w_``) when their page is not shown.

    Streamlit forgets a widget's value when a run does not draw it; writing the value back
    at the start of each run keeps selections across pages.
    """
    for k in list(st.session_state.keys()):
        if isinstance(k, str) and k.startswith("w_"):
            st.session_state[k] = st.session_state[k]


def valid(key: str, options: list, default: Any) -> None:
    """Reset ``key`` to ``default`` if its value is not (all) among ``options`` (e.g. after a
    dataset switch)."""
    if key not in st.session_state:
        st.session_state[key] = default
        return
    v = st.session_state[key]
    if isinstance(v, list):
        kept = [x for x in v if x in options]
        if kept != v:
            st.session_state[key] = kept or default
    elif v not in options:
        st.session_state[key] = default


# A picker sends every option to the browser and formats each twice on every run: at national
# scale (4.8·10⁴ projects, 9.6·10⁴ milestones) that was most of a page's time, and no list to
# scroll. Above this many options the planner searches first (issue 16).
PICKER_LIMIT = 2000


def picker(
    where: Any,
    label: str,
    key: str,
    options: list[str],
    text: Callable[[str], str],
    multi: bool = False,
    **widget: Any,
) -> Any:
    """A select box (``multi``: a multiselect) in ``where`` (``st`` or a column) of
    ``options``, each shown as ``text(option)``: all of them when there are at most
    PICKER_LIMIT; else a search box first (part of the option's text, any case), the first
    PICKER_LIMIT matches, and the value(s) chosen kept in (a link or a default may point
    outside the matches). ``widget``: the widget's other arguments (the placeholder defaults
    to «Velg …»)."""
    offered = options if len(options) <= PICKER_LIMIT else _found(where, key, options, text)
    make = where.multiselect if multi else where.selectbox
    widget.setdefault("placeholder", t("widget.choose"))
    return make(label, offered, key=key, format_func=text, **widget)


def _found(where: Any, key: str, options: list[str], text: Callable[[str], str]) -> list[str]:
    """The options :func:`picker` offers of more than PICKER_LIMIT, below their search box.
    Each dataset keeps its own search text: one typed on a county must not filter the next
    dataset chosen (it stays for when the planner comes back)."""
    shown_set = st.session_state.get(DATASET, BUNDLED)
    query = where.text_input(
        t("picker.search", n=len(options)),
        key=f"{key}_search" if shown_set == BUNDLED else f"{key}_search@{shown_set}",
        placeholder=t("picker.search.placeholder"),
    )
    needle = (query or "").strip().lower()
    chosen = st.session_state.get(key)
    kept = [c for c in (chosen if isinstance(chosen, list) else [chosen]) if c is not None]
    if needle:
        matches = [o for o in options if needle in text(o).lower() or needle in _id_of(o)]
    else:
        matches = options
    fresh = [o for o in matches[: PICKER_LIMIT + len(kept)] if o not in kept]
    shown = (kept + fresh)[: max(PICKER_LIMIT, len(kept))]
    if needle and not matches:
        where.caption(t("picker.none", q=md(query.strip())))
    elif len(matches) + len(kept) > len(shown):
        # the options shown of all there are to show: the matches and the chosen value(s)
        total = len(set(matches).union(kept))
        if total > len(shown):
            where.caption(t("picker.more", m=len(shown), n=total))
    return shown


def _id_of(option: str) -> str:
    """The id an option ends with, lower case: a node's IRI ends with its record's id (the
    synthetic data's names do not carry it; a planner may know «k0301-p1» or «gerica»)."""
    return unquote(option.rsplit("/", 1)[-1].rsplit("#", 1)[-1]).lower()


# -- the bundled store ---------------------------------------------------------------------


def project_picker(g, label: str, key: str, default_code: str):
    """A project select box that starts on ``default_code`` (or the first project)."""
    from views.links import from_url

    projects = options(g, V.PROJECT_KINDS)
    default = find(g, default_code, V.PROJECT_KINDS)
    from_url("project", key, "node", projects, g)
    valid(key, projects, default or (projects[0] if projects else None))
    return picker(st, label, key, projects, names(g, V.PROJECT_KINDS))


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


def _generation(path: Path) -> str | None:
    cur = path / "current"
    return cur.resolve().name if cur.exists() else None


def ensure_bundled() -> tuple[str, str]:
    """(store path, generation) of the bundled graph, building it once if there is none yet."""
    path = Path(default_path())
    gen = _generation(path)
    if gen:
        return str(path), gen
    with _build_lock():
        gen = _generation(path)
        if gen:
            return str(path), gen
        from graph.load import load
        from loaders.errors import LoadError

        with st.status(t("build.running"), expanded=True) as box:
            bar = st.progress(0.0, text=t("build.running"))
            steps = [0]

            def progress(en: str, nb: str) -> None:
                steps[0] += 1
                msg = nb if lang() == "nb" else en
                box.write(msg)
                bar.progress(min(1.0, steps[0] / 3), text=msg)

            store = open_store("embedded", path=path)
            try:
                load(store, BUNDLED_DATA, progress)
            except LoadError as e:
                box.update(label=t("build.failed"), state="error")
                st.error(t("build.failed") + "\n\n" + e.text(lang()))
                st.stop()
            finally:
                store.close()
                del store
            box.update(label=t("build.done"), state="complete", expanded=False)
    return str(path), _generation(path) or ""


@st.cache_resource(show_spinner=False, max_entries=4)
def bundled_store(path: str, generation: str):
    if backend.is_server(path):  # KG_BACKEND=neo4j|sparql: one handle per process, any version
        return backend.store_for(path)
    return open_store("embedded", path=path, read_only=True)


def writer_for(path: str):
    """The store an edit is saved through: the embedded folder (its own writer handle), or the
    server; give it back with :func:`release`."""
    if backend.is_server(path):
        return backend.store_for(path)
    return open_store("embedded", path=path, read_only=True)


def release(store) -> None:
    if store.name == "embedded":  # the server handle is shared by the process: keep it open
        store.close()


@st.cache_resource(show_spinner=False, max_entries=8)
def bundled_graph(path: str, generation: str, language: str):
    g = V.graph_for(bundled_store(path, generation), language)
    keep_out_of_gc()
    return g


def keep_out_of_gc() -> None:
    """Put what is alive now (a view just read: millions of objects at 1M) out of the garbage
    collector's reach. Streamlit collects garbage after every page run (``runner.postScriptGC``)
    and a full collection walks every tracked object: 0.17 s of CPU per run at 1M, for objects
    that live as long as their store generation. Frozen objects are never collected, so what
    was frozen before (a view dropped since) is unfrozen and collected first."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner=False, max_entries=4)
def bundled_quality(path: str, generation: str) -> list[dict]:
    return V.quality(bundled_store(path, generation))


@st.cache_resource(show_spinner=False, max_entries=4)
def bundled_size(path: str, generation: str) -> int:
    return V.size_of(bundled_store(path, generation))  # a count: once per generation


@st.cache_resource(show_spinner=False, max_entries=4)
def bundled_system_domains(path: str, generation: str) -> dict[str, str]:
    """:func:`graph.answers.system_domains` of the bundled store (views/warm.py asks for it)."""
    return V.system_domains(bundled_store(path, generation))


# -- the current dataset -------------------------------------------------------------------


@dataclass
class Upload:
    """A dataset loaded in this session: its own in-memory store and derived views."""

    store: Any
    name: str
    title: dict[str, str]
    file: str
    records: int
    triples: int
    graphs: dict
    quality: list[dict] | None = None
    system_domains: dict[str, str] | None = None


@dataclass
class Current:
    key: str
    store: Any
    bundled: tuple[str, str] | None
    upload: Upload | None

    def graph(self):
        if self.upload is not None:
            if lang() not in self.upload.graphs:
                self.upload.graphs[lang()] = V.graph_for(self.store, lang())
            return self.upload.graphs[lang()]
        return bundled_graph(*self.bundled, lang())

    def quality(self) -> list[dict]:
        if self.upload is not None:
            if self.upload.quality is None:
                self.upload.quality = V.quality(self.store)
            return self.upload.quality
        return bundled_quality(*self.bundled)

    def size(self) -> int:
        """Triples in the current store (an upload's in-memory store counts fast)."""
        return len(self.store) if self.upload is not None else bundled_size(*self.bundled)

    def quality_if_cheap(self) -> list[dict] | None:
        """The SHACL findings if known or quick to find; None for a large graph not yet checked."""
        if self.upload is not None or self.size() <= V.QUALITY_AUTO:
            return self.quality()
        return V.quality_known(self.store)

    def system_domains(self) -> dict[str, str]:
        if self.upload is not None:
            if self.upload.system_domains is None:
                self.upload.system_domains = V.system_domains(self.store)
            return self.upload.system_domains
        return bundled_system_domains(*self.bundled)

    def title(self) -> str:
        if self.upload is not None:
            return self.upload.title.get(lang()) or self.upload.title.get("nb") or self.upload.name
        return main_label()


def main_label() -> str:
    """The name of the graph every session shares: the bundled one, or whatever was pushed to
    the server the app runs on (KG_BACKEND), which need not be nye Asker."""
    try:
        return t("dataset.bundled" if backend.name() == "embedded" else "dataset.shared")
    except QueryError:
        return t("dataset.bundled")


def uploads() -> dict[str, Upload]:
    return st.session_state.setdefault(UPLOADS, {})


def dataset_keys() -> list[str]:
    return [BUNDLED] + list(uploads())


def dataset_format():
    """A format function for the dataset picker, with the labels of this run."""
    labels = {k: dataset_label(k) for k in dataset_keys()}
    return lambda k: labels.get(k, str(k))


def dataset_label(key: str) -> str:
    if key == BUNDLED:
        return main_label()
    u = uploads().get(key)
    if u is None:
        return key
    return f"{u.title.get(lang()) or u.title.get('nb') or u.name} ({u.file})"


def current() -> Current:
    """The dataset this session looks at (the bundled graph unless an upload is chosen)."""
    key = st.session_state.get(DATASET, BUNDLED)
    up = uploads().get(key)
    if up is not None:
        return Current(key, up.store, None, up)
    try:
        on = backend.name()
    except QueryError as e:  # a misspelt KG_BACKEND: say so on the page, no private fallback
        st.error(e.message(lang()))
        st.stop()
    path, gen = ensure_bundled() if on == "embedded" else backend.current()
    return Current(BUNDLED, bundled_store(path, gen), (path, gen), None)


def streamlit_texts() -> None:
    """Streamlit's own words that have no setting, in the UI language by CSS: the file
    uploader's button and its English size line (the page's caption already gives the limit)."""
    label = t("upload.button").replace("\\", "").replace('"', "")
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after '
        f'{{ content: "{label}"; }}'
        "</style>"
    )


# -- language ------------------------------------------------------------------------------


def init_language() -> None:
    if "w_lang" not in st.session_state:
        locale = None
        try:
            locale = st.context.locale or st.context.headers.get("Accept-Language")
        except Exception:  # not available in every runtime
            locale = None
        st.session_state["w_lang"] = detect_language(locale)


def kind_names() -> dict[str, str]:
    return {k: t(key) for k, key in KIND_KEYS.items()}


def kind_name(k: str) -> str:
    key = KIND_KEYS.get(k)
    return t(key) if key else k


def relation_names() -> dict[str, str]:
    return {k: t(key) for k, key in RELATION_KEYS.items()}


def relation(predicate: str, typ: str | None = None) -> str:
    names = relation_names()
    return names.get(typ or "", "") or names.get(predicate, predicate)


_SNAKE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")


def heading(column: str) -> str:
    """A query result column (``as_written``) as a heading in the UI language."""
    for key in (f"qcol.{column}", f"col.{column}"):
        if t.has(key):
            return t(key)
    return column.replace("_", " ").capitalize()


def value_text(value: Any) -> Any:
    """A raw code in a result cell (``depends_on``, ``Project``, ``done``) in the UI language;
    other values unchanged."""
    if not isinstance(value, str) or not value or " " in value:
        return value
    bare = value.split(":", 1)[1] if value.startswith("kg:") else value
    if bare in RELATION_KEYS:
        return t(RELATION_KEYS[bare])
    if bare in KIND_KEYS:
        return t(KIND_KEYS[bare])
    if t.has(f"status.{bare}"):
        return t(f"status.{bare}")
    if _SNAKE.match(bare):
        return bare.replace("_", " ")
    return value


def code_text(prefix: str, value: Any) -> str:
    """A coded value (``done``, ``kommunal_virksomhet``) in the UI language via ``prefix.value``;
    an unknown code is shown with spaces for underscores rather than raw."""
    if value is None or value == "":
        return ""
    key = f"{prefix}.{value}"
    return t(key) if t.has(key) else str(value).replace("_", " ")


_EVENT = re.compile(r"(^|\| )([a-z_]+): ")


def events_text(text: str) -> str:
    """``dissolution: … | transfer: …`` with each event kind in the UI language."""
    return _EVENT.sub(lambda m: m.group(1) + code_text("event", m.group(2)) + ": ", text or "")


# -- output helpers ------------------------------------------------------------------------

_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: Any) -> str:
    """Data text made literal for Streamlit markdown (no links, no formatting, no HTML)."""
    return _MD.sub(r"\\\1", "" if text is None else str(text))


def table(
    rows: list[dict],
    columns: dict[str, str],
    *,
    key: str | None = None,
    height: int | str = "auto",
    config: dict | None = None,
    styler=None,
    name: str | None = None,
    order: list[str] | None = None,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Show ``rows`` with the given columns (data key → i18n key of the heading), with XLSX and
    CSV downloads under it. The first column (the row's key) is pinned so it stays visible
    when the table scrolls sideways; ``order`` (data keys) puts key columns first on screen.
    ``frame``: the table :func:`frame_of` made of the rows before (kept by the page: a
    national table has 10⁴–10⁵ rows, seconds to frame on every visit); ``rows`` is then unused."""
    if frame is None:
        frame = frame_of(rows, columns)
    shown = styler(frame) if styler is not None else frame
    dataframe(
        shown,
        frame,
        key=key or "table_" + "_".join(columns)[:60],
        name=name,
        config={t(k): v for k, v in (config or {}).items()},
        order=[t(columns[c]) for c in order] if order else None,
        height=height,
    )
    return frame


def frame_of(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """The rows as :func:`table` shows them: the given columns under their headings in the UI
    language. The page may keep it (it only reads it) and hand it to :func:`table` again."""
    heads = {c: t(h) for c, h in columns.items()}  # once per table, not per cell (lang() is dear)
    return pd.DataFrame([[r.get(c) for c in heads] for r in rows], columns=list(heads.values()))


def _styled(shown: Any) -> bool:
    """A pandas Styler, without importing it (it pulls in jinja2: 0.3 s at the first page)."""
    return type(shown).__name__ == "Styler" and hasattr(shown, "export")


STYLED_ROWS = 300  # a coloured table longer than this is shown a page at a time


def pager(total: int, key: str, size: int = STYLED_ROWS) -> slice:
    """The rows of a long table to show: a page picker and which rows of how many are shown
    (the downloads under the table still give every row)."""
    pages = -(-total // size)
    page = st.number_input(
        t("table.page", pages=pages), min_value=1, max_value=pages, step=1, key=f"{key}__page"
    )
    start = (int(page) - 1) * size
    end = min(total, start + size)
    st.caption(t("table.rows", a=start + 1, b=end, n=total))
    return slice(start, end)


def dataframe(
    shown: Any,
    frame: pd.DataFrame,
    *,
    key: str,
    name: str | None = None,
    config: dict | None = None,
    order: list[str] | None = None,
    height: int | str = "auto",
    pin: bool = True,
    index: bool = False,
) -> None:
    """``st.dataframe`` with the key column pinned and the two Excel-friendly downloads."""
    from views.downloads import buttons

    config = dict(config or {})
    cols = list(frame.columns)
    if _styled(shown) and len(frame) > STYLED_ROWS:
        # pandas styles every cell in Python (seconds for thousands of rows): a page at a time
        part = shown.data.iloc[pager(len(frame), key)].style
        part.use(shown.export())
        shown = part
    first = (order or cols)[:1]
    if pin and first and first[0] not in config and len(cols) > 2:
        config[first[0]] = st.column_config.Column(pinned=True)
    st.dataframe(
        shown,
        hide_index=not index,
        width="stretch",
        height=height,
        key=key,
        column_config=config,
        column_order=(order + [c for c in cols if c not in order]) if order else None,
    )
    if len(frame):
        buttons(frame.reset_index() if index else frame, name or key, key)


def graph_controls(key: str, default_layout: str = "auto") -> str:
    opts = ["auto", "hierarchical", "force"]
    valid(f"w_{key}_layout", opts, default_layout)
    return st.segmented_control(
        t("graph.layout"),
        opts,
        key=f"w_{key}_layout",
        format_func=t.prefixed("graph.layout."),
        required=True,
    )


def show_graph(
    spec: GraphSpec,
    *,
    layout: str = "auto",
    direction: str = "LR",
    height: int = 560,
    title: str = "",
) -> None:
    """Draw ``spec`` (folded into groups above the node limit, with a message)."""
    cur = current()
    limit = max_nodes()
    if len(spec.nodes) > limit:
        spec = D.aggregate(spec, cur.graph(), limit, cur.system_domains(), kind_names())
    if spec.aggregated_from:
        st.info(
            t("graph.aggregated", before=spec.aggregated_from, after=len(spec.nodes), limit=limit)
        )
    if not spec.nodes:
        st.caption(t("graph.empty"))
        return
    if layout == "auto":
        layout = choose_layout(spec)
    add_reserve(spec, cur.graph())
    legend = [(grp, t(f"group.{grp}")) for grp in legend_for(spec)]
    words = {
        k: t(f"graph.{k}")
        for k in (
            "search",
            "expanded",
            "notFound",
            "edge.plain",
            "edge.dashed",
            "edge.high",
            "edge.primary",
            "dblclick",
        )
    }
    page = to_html(
        spec,
        layout=layout,
        direction=direction,
        height=height,
        legend=legend,
        title=title,
        lang=lang(),
        fit_label=t("graph.fit"),
        texts=words,
    )
    st.iframe(page, height=height + 56)
    st.caption(t("graph.help", nodes=len(spec.nodes), edges=len(spec.edges)))


def add_reserve(spec: GraphSpec, g, per_node: int = 25, total: int = 1500) -> None:
    """Put the drawn nodes' undrawn neighbours into ``spec.reserve_*`` for double-click expand."""
    drawn = {n.id for n in spec.nodes}
    if not drawn or not all(n in g for n in list(drawn)[:5]):
        return  # an aggregated graph: its group nodes are not nodes of ``g``
    more: set[str] = set()
    links: list[tuple[str, str, str]] = []
    for n in spec.nodes:
        if n.id not in g:
            continue
        seen = 0
        for u, v, d in list(g.out_edges(n.id, data=True)) + list(g.in_edges(n.id, data=True)):
            other = v if u == n.id else u
            if other in drawn or seen >= per_node:
                continue
            seen += 1
            more.add(other)
            links.append((u, v, d.get("predicate", "")))
        if len(more) >= total:
            break
    if not more:
        return
    extra = D.spec_from(
        g,
        sorted(more) + sorted(drawn),
        links,
        kind_names=kind_names(),
        relation_names=relation_names(),
    )
    spec.reserve_nodes = [x for x in extra.nodes if x.id in more]
    spec.reserve_edges = extra.edges


def spec(g, nodes, links, **kw) -> GraphSpec:
    return D.spec_from(
        g, nodes, links, kind_names=kind_names(), relation_names=relation_names(), **kw
    )


class _Texts(dict[str, str]):
    """Node → picker text (name and kind), each made when first asked for. Kept by
    :func:`per_graph` with the view as its weak key: it reaches the view only through a weak
    reference, or the view could never be freed."""

    def __init__(self, g: Any, kinds: dict[str, str]) -> None:
        super().__init__()
        self.view = weakref.ref(g)
        self.kinds = kinds

    def __missing__(self, n: str) -> str:
        g = self.view()
        kind = V.kind(g, n) if g is not None else ""
        found = f"{V.name(g, n)} ({self.kinds.get(kind, kind)})" if g is not None else n
        self[n] = found
        return found


def node_format(g, kinds: Any = None):
    """A format function for node pickers (name and kind), bound to this run's language: the
    lookup of a dict kept per view and language, each text made once (Streamlit formats every
    option twice on each run: 4.8·10⁴ projects nationally, and a Python call per option was a
    third of the console's run). ``kinds``: those of the picker's options (texts apart)."""
    wanted = frozenset(kinds) if kinds else None
    known: _Texts = per_graph(g, ("node_format", lang(), wanted), lambda: _Texts(g, kind_names()))
    return known.__getitem__


def rag_text(field: str, value: Any) -> str:
    """A status value with its colour as a symbol and a word, never colour alone."""
    if value is None or value == "":
        return ""
    colour = V.rag(field, value)
    symbol = {"green": "●", "amber": "▲", "red": "■"}.get(colour or "", "")
    shown = t(f"status.{value}") if t.has(f"status.{value}") else str(value)
    return f"{symbol} {shown}".strip()


def rag_style(frame: pd.DataFrame, fields: dict[str, str]):
    """Colour the status cells (column heading → status field) in Prosjektportalen colours."""
    colours = {"●": V.RAG_COLOURS["green"], "▲": V.RAG_COLOURS["amber"], "■": V.RAG_COLOURS["red"]}

    def paint(v: Any) -> str:
        s = str(v or "")
        c = colours.get(s[:1])
        return f"background-color: {c}; color: #111" if c else ""

    cols = [c for c in fields if c in frame.columns]
    return frame.style.map(paint, subset=cols)


# -- certainty (issue 13): every table of facts says how sure each row is --------------------


def stated_toggle(key: str) -> bool:
    """The page's "stated facts only" switch (the builders leave out the rest when it is on)."""
    return bool(st.toggle(t("explorer.stated_only"), key=key, help=t("explorer.stated_only.help")))


def certainty_text(rows: list[dict]) -> list[dict]:
    """The rows with ``certainty`` in the UI language (in place; returned for chaining)."""
    word = memo(lambda c: t(f"certainty.{c}"))
    for r in rows:
        if r.get("certainty"):
            r["certainty"] = word(r["certainty"])
    return rows


def memo(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn`` remembering its answers for this call site's run: a translation per distinct
    value instead of per row (each ``t`` reads the session's language: ~10 µs)."""
    seen: dict[tuple, T] = {}

    def call(*args: Any) -> T:
        if args not in seen:
            seen[args] = fn(*args)
        return seen[args]

    return call


_PER_GRAPH: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()
_PER_GRAPH_LOCK = threading.Lock()


def per_graph(g: Any, key: Any, build: Callable[[], T]) -> T:
    """``build()`` once per networkx view (a view never changes once built: a new store
    generation or edit gives a new one), for what a page derives from the whole view (the
    municipalities with systems, a node found by code). Shared: callers must not change it."""
    with _PER_GRAPH_LOCK:
        kept = _PER_GRAPH.setdefault(g, {})
    if key not in kept:
        kept[key] = build()
    return cast(T, kept[key])


def find(g: Any, key: str, kinds: Any = None) -> str | None:
    """:func:`graph.answers.find_node` (a scan of every node) once per view and question."""
    wanted = frozenset(kinds) if kinds else None
    return per_graph(g, ("find", key, wanted), lambda: V.find_node(g, key, wanted))


def options(g: Any, kinds: Any = None) -> list[str]:
    """:func:`graph.answers.node_options` (every node of some kinds, sorted) once per view."""
    wanted = frozenset(kinds) if kinds else None
    return per_graph(g, ("options", wanted), lambda: V.node_options(g, wanted))


def names(g: Any, kinds: Any = None) -> Callable[[str], str]:
    """A format function for a picker of :func:`options`: each node's :func:`graph.answers.name`,
    kept per view (Streamlit formats every option on every run: 5·10⁴ projects nationally)."""
    wanted = frozenset(kinds) if kinds else None
    known: dict[str, str] = per_graph(
        g, ("names", wanted), lambda: {n: V.name(g, n) for n in options(g, kinds)}
    )

    return known.__getitem__  # Streamlit formats only the options, each of them known
