"""History: each project's status over time as a strip in Prosjektportalen colours (one cell per
snapshot date and status dimension), and what changed between any two snapshot dates.

The rows are the answers of :mod:`graph.answers.history`, the same as ``kg status-history`` and
``kg diff``. The history is the dated snapshots beside the store (every load and import keeps
one), so an uploaded dataset, which lives in this session's memory, has none.
"""

from __future__ import annotations

import hashlib
import html
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from graph import snapshots
from graph.answers import history as H
from graph.answers.answer import Answer
from graph.exports import RAG_COLOURS
from views import common as C
from views import links as L
from views.downloads import buttons
from views.i18n import lang, number, t

PALETTE = {**RAG_COLOURS, "grey": "#c8c8c8"}
LEGEND = ("green", "amber", "red", "grey", "before")


def _stamp(root: Path, dataset: str) -> tuple[tuple[str, int, int], ...]:
    """What the cached answers depend on: the snapshot files (a new import changes it)."""
    out = []
    for s in snapshots.listing(root, dataset):
        st_ = s.path.stat()
        out.append((s.path.name, st_.st_mtime_ns, st_.st_size))
    return tuple(out)


# The answers read whole snapshots (a 1M-triple snapshot: 7 s of CPU for the strip, twice that
# for a diff), so they are kept on disk beside the snapshots, per snapshot files (their names,
# times and sizes) and code: any process, and the next start, reads them back. views/warm.py
# makes the page's defaults once after a new snapshot.
_CODE = hashlib.sha1(
    b"".join(
        (Path(H.__file__).parent.parent / f).read_bytes()
        for f in ("answers/history.py", "diff.py", "snapshots.py")
    )
).hexdigest()[:10]
_KEEPING: dict[str, threading.Lock] = {}
_KEEPING_LOCK = threading.Lock()


def _kept_path(root: str, dataset: str, kind: str, stamp: tuple) -> Path:
    """Where :func:`_kept` keeps an answer of these snapshots and this code."""
    digest = hashlib.sha1(repr((stamp, _CODE)).encode()).hexdigest()[:16]
    # snapshots.listing reads only *.nq beside the folder
    return Path(root) / dataset / ".kept" / f"{kind}.{digest}.pickle"


def _kept(root: str, dataset: str, kind: str, stamp: tuple, build: Callable[[], Answer]) -> Answer:
    """``build()``, or what it gave before for the same snapshots and code (one at a time per
    answer: a visitor asking while the warm-up makes it waits for it, rather than doing it twice).
    A file that cannot be read or written is ignored (the answer is built as if there were none)."""
    path = _kept_path(root, dataset, kind, stamp)
    folder = path.parent
    with _KEEPING_LOCK:
        lock = _KEEPING.setdefault(str(path), threading.Lock())
    with lock:
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except Exception:  # none yet, or torn or foreign: build it
            pass
        answer = build()
        try:
            folder.mkdir(exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(answer, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for old in folder.glob(f"{kind}.*.pickle"):  # the same answer of older snapshots
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        return answer


@dataclass(frozen=True)
class _Strip:
    """The strip's answer with what the page derives from all its rows, made once per answer
    (a national strip has ~10⁵ rows: scanning and framing them on every visit cost seconds)."""

    answer: Answer
    names: dict[str, str]  # project code (or name) → name, in the answer's order
    rows_of: dict[str, list[dict[str, Any]]]  # code → that project's rows
    everything: pd.DataFrame  # every row, under the headings of the strip's language


# Kept as they are (st.cache_resource): st.cache_data pickled the whole answer back on every
# visit. The page only reads them.
@st.cache_resource(show_spinner=False, max_entries=16)
def _strip(root: str, dataset: str, language: str, stamp: tuple) -> _Strip:
    answer = _kept(
        root,
        dataset,
        f"strip-{language}",
        stamp,
        lambda: H.status_strip(Path(root), dataset, language),
    )
    names: dict[str, str] = {}
    rows_of: dict[str, list[dict[str, Any]]] = {}
    for r in answer.rows:
        code = r["code"] or r["project"]
        names[code] = r["project"]  # the last, as a dict built row by row keeps
        rows_of.setdefault(code, []).append(r)
    return _Strip(answer, names, rows_of, _frame(answer, answer.rows, language))


@st.cache_resource(show_spinner=False, max_entries=32)
def _diff(
    root: str, dataset: str, a: str, b: str, language: str, stamp: tuple
) -> tuple[Answer, pd.DataFrame]:
    """What changed from ``a`` to ``b``, with the table of all its rows."""
    answer = _kept(
        root,
        dataset,
        f"diff-{a}-{b}-{language}",
        stamp,
        lambda: H.changes_between(Path(root), a, b, dataset, language),
    )
    return answer, _frame(answer, answer.rows, language)


def _default_dataset(known: dict) -> str:
    return sorted(known, key=lambda d: (-len(known[d]), d))[0]  # the longest history first


def warm(store: Any, g: Any, lg: str) -> None:
    """The page's first run as it starts (views/warm.py): the strip of the dataset with the
    longest history and what changed between its last two snapshots, kept on disk."""
    root = snapshots.root_of(store)
    known = H.datasets(root) if root is not None else {}
    if not known:
        return
    dataset = _default_dataset(known)
    stamp = _stamp(root, dataset)
    dates = [d.isoformat() for d in known[dataset]]
    _strip(str(root), dataset, lg, stamp)
    if len(dates) >= 2 and H.snapshot_bytes(root, dataset, dates[-2], dates[-1]) <= H.DIFF_ASKED:
        _diff(str(root), dataset, dates[-2], dates[-1], lg, stamp)


def _day(iso: str) -> str:
    return H.date_text(iso, lang())  # a report may be dated by month or year only


def _value(text: str) -> str:
    """A status value from the data (Norwegian, as Prosjektportalen writes it) in the UI language."""
    return t(f"status.{text}") if text and t.has(f"status.{text}") else text


def _frame(answer: Answer, rows: list[dict[str, Any]], language: str | None = None) -> pd.DataFrame:
    heads = {c.key: c.heading(language or lang()) for c in answer.columns}
    frame = pd.DataFrame([{k: r.get(k) for k in heads} for r in rows], columns=list(heads))
    return frame.rename(columns=heads)


def _strip_html(answer: Answer, rows: list[dict[str, Any]], dates: list[str]) -> str:
    """The strip as an HTML table: a row per dimension, a coloured cell per snapshot date, the
    value written in the cell (never colour alone) and its report date in the tooltip."""
    head = "".join(f"<th>{html.escape(_day(d))}</th>" for d in dates)
    body = []
    for r in rows:
        cells = []
        for d in dates:
            text = r.get(d) or ""
            state = r["states"][d]
            shown = _value(text) if state == "value" else text
            tip = shown
            if r["reported"].get(d):
                tip += " · " + t("history.reported", date=_day(r["reported"][d]))
            colour = r["colours"].get(d)
            style = f"background:{PALETTE[colour]};color:#111" if colour else ""
            cells.append(
                f'<td class="kg-cell kg-{state}" data-date="{d}" data-colour="{colour or ""}" '
                f'style="{style}" title="{html.escape(tip, quote=True)}">{html.escape(shown)}</td>'
            )
        body.append(
            f'<tr data-field="{r["field"]}"><th scope="row">{html.escape(r["dimension"])}</th>'
            + "".join(cells)
            + "</tr>"
        )
    return (
        "<style>"
        ".kg-strip{border-collapse:separate;border-spacing:3px;font-size:14px;width:100%}"
        ".kg-scroll{overflow-x:auto}"
        ".kg-strip th{text-align:left;font-weight:600;padding:4px 8px;white-space:nowrap}"
        # many snapshot dates scroll sideways; the dimension names stay in view
        ".kg-strip tbody th{position:sticky;left:0;background:#fff;z-index:1}"
        ".kg-strip td{padding:6px 8px;border-radius:4px;min-width:7em;border:1px solid #ddd}"
        ".kg-strip td.kg-before{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#f2f2f2 4px,#f2f2f2 8px)}"
        ".kg-strip td.kg-absent{font-style:italic}"
        ".kg-legend{display:flex;flex-wrap:wrap;gap:14px;font-size:13px;margin-top:6px}"
        ".kg-legend span.sw{display:inline-block;width:14px;height:14px;border-radius:3px;"
        "border:1px solid #bbb;vertical-align:middle;margin-right:5px}"
        "</style>"
        f'<div class="kg-scroll"><table class="kg-strip" data-testid="kg-status-strip"><thead><tr><th>{html.escape(t("history.dimension"))}</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _painted(frame: pd.DataFrame, rows: list[dict[str, Any]], dates: list[str]) -> Any:
    """The all-projects table with each date cell in its Prosjektportalen colour."""
    at = {d: i + 2 for i, d in enumerate(dates)}  # after the project and dimension columns

    def paint(row: pd.Series) -> list[str]:
        colours = rows[int(str(row.name))]["colours"]
        out = [""] * len(row)
        for d, j in at.items():
            c = colours.get(d)
            out[j] = f"background-color: {PALETTE[c]}; color: #111" if c else ""
        return out

    return frame.style.apply(paint, axis=1)


def _legend() -> str:
    parts = []
    for key in LEGEND:
        bg = (
            PALETTE[key]
            if key in PALETTE
            else "repeating-linear-gradient(45deg,#fff,#fff 4px,#f2f2f2 4px,#f2f2f2 8px)"
        )
        parts.append(
            f'<span><span class="sw" style="background:{bg}"></span>'
            f"{html.escape(t(f'history.legend.{key}'))}</span>"
        )
    return '<div class="kg-legend" data-testid="kg-status-legend">' + "".join(parts) + "</div>"


def _status(root: Path, dataset: str, stamp: tuple) -> str | None:
    """The time strip of the chosen project; returns the project's name (for the diff filter)."""
    st.subheader(t("history.status"))
    strip = _strip(str(root), dataset, lang(), stamp)
    answer, names = strip.answer, strip.names
    dates: list[str] = answer.facts["dates"]
    if not answer.rows:
        st.info(t("history.no_status"))
        return None
    codes = list(names)
    L.from_url("project", "w_hist_project", "text", codes)
    C.valid("w_hist_project", codes, codes[0])
    code = C.picker(st, t("history.project"), "w_hist_project", codes, names.__getitem__)
    rows = strip.rows_of.get(code, []) if code is not None else []
    st.caption(t("history.strip.caption", n=len(dates)))
    st.html(_strip_html(answer, rows, dates) + _legend())
    frame = _frame(answer, rows)
    buttons(frame, f"status-{code}".replace("/", "-"), "history_strip")
    with st.expander(t("history.all", n=len(names))):
        C.dataframe(
            _painted(strip.everything, answer.rows, dates),
            strip.everything,
            key="history_all",
            name=f"statushistorikk-{dataset}",
        )
    return names.get(code)


def _changes(root: Path, dataset: str, dates: list[str], project: str | None, stamp: tuple) -> None:
    st.subheader(t("history.diff"))
    if len(dates) < 2:
        st.info(t("history.one_snapshot", date=_day(dates[0])))
        return
    L.from_url("from", "w_hist_from", "text", dates)
    L.from_url("to", "w_hist_to", "text", dates)
    C.valid("w_hist_from", dates, dates[-2])
    C.valid("w_hist_to", dates, dates[-1])
    left, right = st.columns(2)
    a = left.selectbox(
        t("history.from"),
        dates,
        key="w_hist_from",
        format_func=_day,
        placeholder=t("widget.choose"),
    )
    b = right.selectbox(
        t("history.to"), dates, key="w_hist_to", format_func=_day, placeholder=t("widget.choose")
    )
    size = H.snapshot_bytes(root, dataset, a, b)
    known = _kept_path(str(root), dataset, f"diff-{a}-{b}-{lang()}", stamp).exists()
    # asked once in this session: shown on later runs too, also when it could not be kept
    asked: set[tuple[str, str, str, tuple]] = st.session_state.setdefault("hist_diff_asked", set())
    if size > H.DIFF_ASKED and not known and (dataset, a, b, stamp) not in asked:
        st.info(t("history.diff.large", gb=number(round(size / 1e9, 1))))
        if not st.button(t("history.diff.ask", a=_day(a), b=_day(b)), key="hist_diff_ask"):
            return
        asked.add((dataset, a, b, stamp))
    answer, frame = _diff(str(root), dataset, a, b, lang(), stamp)
    rows = answer.rows
    if project and st.checkbox(t("history.only_project", project=project), key="w_hist_only"):
        rows = [r for r in rows if r["subject"] == project]
        frame = _frame(answer, rows)
    st.markdown(f"**{C.md(t('history.diff.count', n=len(rows), a=_day(a), b=_day(b)))}**")
    if not rows:
        st.info(t("history.diff.none"))
        return
    C.dataframe(frame, frame, key="history_diff", name=f"endringer-{a}-{b}")


def _column(name: str) -> str:
    key = f"history.edits.col.{name}"
    return t(key) if t.has(key) else C.heading(name)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "–"
    key = f"history.edits.value.{value}"
    return t(key) if t.has(key) else str(C.value_text(value))


def _edits(store: Any, dataset: str) -> None:
    """The change sets of edits made in the app (``kg changes``): edits write no snapshot, so
    they are listed here beside the imports' history."""
    from graph.edits import EditError

    try:
        answer = H.edit_log(store, dataset, lang=lang())
    except EditError:
        return  # the store holds no such dataset to edit (an import-only history)
    with st.expander(t("history.edits", n=len(answer.rows)), expanded=False):
        if not answer.rows:
            st.caption(t("history.edits.none"))
            return
        rows = [
            {
                **r,
                "when": str(r["when"])[:16].replace("T", " "),
                # the record's columns and codes in the UI language (criticality high → Kritikalitet: høy)
                "values": "; ".join(
                    f"{_column(k)}: {_cell(b)} → {_cell(a)}" for k, b, a in r["changed"]
                ),
            }
            for r in answer.rows
        ]
        C.table(
            rows,
            {
                "when": "history.edits.when",
                "who": "history.edits.who",
                "action_text": "history.edits.action",
                "kind_text": "history.edits.kind",
                "key": "history.edits.key",
                "reason": "history.edits.reason",
                "values": "history.edits.values",
            },
            key="history_edits",
            name=f"endringslogg-{dataset}",
        )


def render() -> None:
    cur = C.current()
    st.title(t("history.title"))
    st.caption(t("history.intro"))
    root = snapshots.root_of(cur.store)
    if root is None:
        st.info(t("history.no_store"))
        return
    known = H.datasets(root)
    if not known:
        st.info(t("history.none"))
        return
    names = sorted(known, key=lambda d: (-len(known[d]), d))  # the longest history first
    L.from_url("dataset", "w_hist_dataset", "text", names)
    C.valid("w_hist_dataset", names, _default_dataset(known))
    dataset = st.selectbox(
        t("history.dataset"), names, key="w_hist_dataset", placeholder=t("widget.choose")
    )
    stamp = _stamp(root, dataset)
    dates = [d.isoformat() for d in known[dataset]]
    project = _status(root, dataset, stamp)
    _changes(root, dataset, dates, project, stamp)
    _edits(cur.store, dataset)
    L.to_url(
        {
            "dataset": ("w_hist_dataset", "text"),
            "project": ("w_hist_project", "text"),
            "from": ("w_hist_from", "text"),
            "to": ("w_hist_to", "text"),
        }
    )


if __name__ == "__main__":
    render()
