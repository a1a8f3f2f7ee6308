"""Import on the data page: a Prosjektportalen export or an ICT system register, as it is sent.

The planner uploads the file; the app proposes the column mapping with the same function as
``kg import suggest`` (:func:`graph.imports.suggest_mapping`), shows one choice per column of
the header (and per value the importer does not know) to correct, offers the result as a
mapping file (the YAML ``kg import --mapping`` reads), and imports with
:func:`graph.imports.import_file` into an in-memory store of this session only. The report and
the diff against the previous snapshot are the Answers the CLI prints
(:mod:`graph.answers.imports`). Snapshots go to a temporary folder of the session, never next
to the bundled store.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import yaml

from graph import answers as V
from graph.answers.answer import Answer
from loaders.errors import LoadError, Problems
from views import common as C
from views.i18n import lang, t

STATE = "kg_import"  # session_state: the uploaded file and its proposal
RESULT = "kg_import_result"  # session_state: what the last import did
STORES = "kg_import_stores"  # session_state: dataset → (in-memory store, snapshot folder)
TYPES = ("xlsx", "xlsm", "csv")


# -- the proposal (no Streamlit: tests call these) -------------------------------------------


def header_columns(path: Path, sheet: str | None, row: int | None) -> list[str]:
    """The column names of the header the suggestion found (its sheet and Excel row number)."""
    from loaders.spreadsheet import read_sheets

    for s in read_sheets(path, Problems()):
        if s.name == sheet:  # a CSV file's one table has no name, as in the suggestion
            for number, cells in s.rows:
                if number == row:
                    return [c for c in cells if c and c.strip()]
    return []


def field_labels(kind: str) -> list[str]:
    """Every field of the importer by its default label, in the vocabulary's order."""
    from graph.imports import vocabulary

    vocab = vocabulary(kind)
    return [vocab.label(f) for f in vocab.aliases if f not in vocab.ignored]


def proposal(path: Path, kind: str | None, mapping: Path | None = None) -> dict[str, Any]:
    """The importer, sheet, header row and a field label (or None) per column of the header.

    Known columns get the field they are recognised as; unknown ones the draft of
    ``kg import suggest`` (its best guess, or None where it has none or the field is taken).
    """
    from graph.imports import suggest_mapping, vocabulary
    from loaders.mapping import IGNORE, load_mapping, matcher

    s = suggest_mapping(path, kind, mapping)
    vocab = vocabulary(s.importer)
    m = load_mapping(mapping, vocab, Problems()) if mapping else None
    draft = (yaml.safe_load(s.yaml()) or {}).get("columns") or {}
    match = matcher(vocab, m)
    columns: dict[str, str | None] = {}
    for name in header_columns(path, s.sheet, s.header_row):
        f = match(name)
        if name in draft:
            columns[name] = draft[name]
        elif f is None or f == IGNORE:
            columns[name] = None
        else:
            columns[name] = vocab.label(f)
    return {
        "importer": s.importer,
        "sheet": s.sheet,
        "header_row": s.header_row,
        "columns": columns,
    }


def mapping_yaml(
    kind: str,
    sheet: str | None,
    header_row: int | None,
    chosen: dict[str, str | None],
    values: dict[str, dict[str, str | None]] | None = None,
    kept: dict[str, Any] | None = None,
) -> str:
    """The mapping file for the user's choices: every column whose choice is not what the
    importer recognises by itself (None: not used), the value table, and the project-code
    rule of a saved mapping file the user started from (``kept``)."""
    doc: dict[str, Any] = {"importer": kind}
    if kept and kept.get("project_code"):  # a saved file's own rule for codes inside titles
        doc["project_code"] = kept["project_code"]
    if sheet:
        doc["sheet"] = sheet
    if header_row:
        doc["header_row"] = header_row
    from graph.imports import vocabulary
    from loaders.mapping import IGNORE, matcher

    match = matcher(vocabulary(kind), None)
    cols: dict[str, str | None] = {}
    for name, field in chosen.items():
        known = match(name)
        if known is None or known == IGNORE or field != vocabulary(kind).label(known):
            cols[name] = field
    doc["columns"] = cols
    if values:
        doc["values"] = values
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def value_proposal(
    path: Path, kind: str, mapping: Path
) -> list[tuple[str, str, str, list[str], list[str]]]:
    """The values the importer does not know (after ``mapping``), as (column, field label,
    value, close known values as ``kg import suggest`` finds them, every value the field takes).
    A mapping file's value table is keyed by the field, not by the file's column name."""
    from graph.imports import suggest_mapping, vocabulary
    from loaders.mapping import load_mapping, matcher

    s = suggest_mapping(path, kind, mapping)
    vocab = vocabulary(kind)
    match = matcher(vocab, load_mapping(mapping, vocab, Problems()))
    out: list[tuple[str, str, str, list[str], list[str]]] = []
    for column, items in s.values.items():
        f = match(column) or ""
        allowed = list(vocab.values.get(f, ()))
        out += [(column, vocab.label(f) if f else column, v, c, allowed) for v, c in items]
    return out


def export_kind_of(filename: str, data: bytes) -> str | None:
    """'pp' or 'register' when an upload refused as a dataset is an export to import instead."""
    from graph.imports import export_kind

    suffix = Path(filename).suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        return None
    with tempfile.TemporaryDirectory(prefix="kg-hint-") as tmp:
        path = Path(tmp) / (re.sub(r"[\\/\x00-\x1f]+", "_", Path(filename).name) or f"x{suffix}")
        path.write_bytes(data)
        try:
            if _dataset_like(path):
                return None
            kind = export_kind(path)  # kg load's hint: Prosjektportalen's own labels
            if kind is None:
                # renamed labels: the header names at least three fields of one importer
                from graph.imports import suggest_mapping

                s = suggest_mapping(path)
                kind = s.importer if s.known >= 3 else None
            return kind
        except Exception:  # noqa: BLE001 - only a hint: an unreadable file gets none
            return None


def _dataset_like(path: Path) -> bool:
    """A sheet (or CSV file) named as one of our record kinds, or a manifest: a dataset of ours
    (its own columns name Prosjektportalen fields too: «title», «phase» …)."""
    from loaders.kind_names import kind_of  # a kind's code or its Norwegian name
    from loaders.spreadsheet import read_sheets

    names = {s.name or "" for s in read_sheets(path, Problems())} | {path.stem}
    return any(n == "manifest" or kind_of(n) for n in names)


# -- state -------------------------------------------------------------------------------------


def _folder() -> Path:
    """A temporary folder of this session (removed when the session's state goes)."""
    holder = st.session_state.get("kg_import_tmp")
    if holder is None:
        holder = tempfile.TemporaryDirectory(prefix="kg-import-")
        st.session_state["kg_import_tmp"] = holder
    return Path(holder.name)


def _on_file() -> None:
    f = st.session_state.get("kg_import_file")
    st.session_state.pop(RESULT, None)
    # A refused dataset upload above (its hint led here) is done with: its table goes.
    # (views/data.py's OUTCOME; named here, as data.py imports this module.)
    outcome = st.session_state.get("kg_upload_outcome")
    if outcome is not None and not outcome.get("ok"):
        st.session_state.pop("kg_upload_outcome", None)
    if f is None:
        st.session_state.pop(STATE, None)
        return
    token = int(st.session_state.get(STATE, {}).get("token", 0)) + 1
    # The file's own name is kept (the import date may come from it); only separators go.
    name = re.sub(r"[\\/\x00-\x1f]+", "_", Path(f.name).name) or "eksport.xlsx"
    folder = _folder() / f"upload-{token}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    state: dict[str, Any] = {"token": token, "file": f.name, "path": str(path)}
    if len(f.getvalue()) > V.MAX_UPLOAD_MB * 1024 * 1024:
        state["error"] = {
            "nb": f"Filen er over {V.MAX_UPLOAD_MB} MB",
            "en": f"The file is over {V.MAX_UPLOAD_MB} MB",
        }
        st.session_state[STATE] = state
        return
    path.write_bytes(f.getvalue())
    try:
        found = proposal(path, None)  # the importer that knows most of its columns
        state["proposal"], state["kind"] = {(found["importer"], ""): found}, found["importer"]
    except LoadError as e:
        state["problems"] = _problems(e)
    except Exception as e:  # an unreadable file must not take the page down
        state["error"] = {"nb": str(e), "en": str(e)}
    st.session_state[STATE] = state


def _problems(e: LoadError) -> list[dict[str, Any]]:
    return [
        {
            "file": p.file,
            "row": p.row,
            "column": p.column or "",
            "value": "" if p.params.get("value") is None else str(p.params.get("value")),
            "message_nb": p.message("nb"),
            "message_en": p.message("en"),
        }
        for p in e.problems
    ]


def _saved_mapping(folder: Path) -> tuple[Path | None, str]:
    """A mapping file the user saved before and uploaded again: its path here, and an id
    that changes with it (the choices start again from it)."""
    f = st.session_state.get("kg_import_mapping")
    if f is None:
        return None, ""
    path = folder / ("lagret-" + re.sub(r"[^\w.-]+", "_", Path(f.name).name))
    if not path.exists() or path.read_bytes() != f.getvalue():
        path.write_bytes(f.getvalue())
    return path, f.file_id


def _kept(saved: Path | None) -> dict[str, Any]:
    """The value table and project-code rule of a saved mapping file (checked already)."""
    if saved is None:
        return {"values": {}}
    doc = yaml.safe_load(saved.read_text(encoding="utf-8")) or {}
    values = doc.get("values") if isinstance(doc, dict) else None
    return {
        "values": {
            str(f): {str(a): None if b in (None, "") else str(b) for a, b in table.items()}
            for f, table in (values or {}).items()
            if isinstance(table, dict)
        },
        "project_code": doc.get("project_code") if isinstance(doc, dict) else None,
    }


def _store(dataset: str) -> tuple[Any, Path]:
    """This session's in-memory store for ``dataset`` and its snapshot folder."""
    from graph.store import open_store

    stores = st.session_state.setdefault(STORES, {})
    if dataset not in stores:
        root = _folder() / "snapshots" / dataset
        root.mkdir(parents=True, exist_ok=True)
        stores[dataset] = (open_store("memory"), root)
    return stores[dataset]


def _import(kind: str, text: str) -> None:
    """Import the uploaded file with the mapping ``text`` (a button's callback)."""
    from graph import snapshots
    from graph.imports import import_file
    from loaders.spreadsheet import slug

    state = st.session_state[STATE]
    municipality = (st.session_state.get("w_imp_municipality") or "").strip()
    dataset = slug(municipality)
    store, root = _store(dataset)
    mapping = Path(state["path"]).with_name(f"kolonner-{state['token']}.yaml")
    mapping.write_text(text, encoding="utf-8")
    try:
        rep = import_file(
            store, state["path"], kind, municipality, mapping=mapping, snapshot_root=root
        )
    except LoadError as e:
        st.session_state[RESULT] = {"ok": False, "file": state["file"], "problems": _problems(e)}
        return
    except Exception as e:  # noqa: BLE001 - shown as a message, never as a traceback
        st.session_state[RESULT] = {
            "ok": False,
            "file": state["file"],
            "error": {"nb": str(e), "en": str(e)},
        }
        return
    snaps = [s for s in snapshots.listing(root, rep.dataset) if s.date <= rep.date]
    this = next((s for s in snaps if s.date == rep.date), None)
    before = [s for s in snaps if s.date < rep.date]
    ups = C.uploads()
    key = f"import:{rep.dataset}"
    ups[key] = C.Upload(
        store,
        rep.dataset,
        {"nb": municipality, "en": municipality},
        state["file"],
        rep.records,
        rep.store_size,
        {},
    )
    st.session_state[RESULT] = {
        "ok": True,
        "file": state["file"],
        "report": rep,
        "before": before[-1] if before else None,
        "this": this,
    }


# -- drawing -----------------------------------------------------------------------------------


def _answer_table(ans: Answer, key: str) -> None:
    frame = pd.DataFrame(
        [{c.heading(lang()): r.get(c.key) for c in ans.columns} for r in ans.rows],
        columns=[c.heading(lang()) for c in ans.columns],
    )
    C.dataframe(frame, frame, key=key)


def _show_problems(problems: list[dict[str, Any]], key: str) -> None:
    rows = [{**p, "message": p[f"message_{lang()}"]} for p in problems]
    C.table(
        rows,
        {
            "file": "col.file",
            "row": "col.row",
            "column": "col.column",
            "value": "imp.col.value",
            "message": "col.message",
        },
        key=key,
    )


def _result() -> None:
    from graph.answers.history import snapshot_changes
    from graph.answers.imports import import_report

    out = st.session_state.get(RESULT)
    if not out:
        return
    if not out["ok"]:
        st.error(t("imp.refused", file=C.md(out["file"])))
        if "error" in out:
            st.error(C.md(out["error"][lang()] or out["error"]["nb"]))
        else:
            _show_problems(out["problems"], "import_problems")
        return
    ans = import_report(out["report"], lang())
    st.subheader(t("imp.report"))
    notes = {n.get("kind"): n[lang()] for n in ans.notes}
    st.success(C.md(notes["head"]))
    if "date" in notes:
        st.info(C.md(notes["date"]))
    facts = ans.facts
    for part in ans.sections:
        st.markdown(f"**{C.md(part.title_in(lang()))}**")
        if part.rows:
            _answer_table(part, f"import_{part.key}")
        else:
            st.caption(t("imp.none"))
    if facts["unknown"]:
        st.warning(t("imp.unknown", columns=C.md(", ".join(facts["unknown"]))))
    if facts["ignored"]:
        st.caption(t("imp.ignored", columns=C.md(", ".join(facts["ignored"]))))
    st.caption(t("imp.private", dataset=C.md(out["report"].dataset)))

    st.subheader(t("imp.diff"))
    before, this = out["before"], out["this"]
    if before is None or this is None:
        st.info(t("imp.diff.first", date=str(out["report"].date)))
        return
    d = snapshot_changes(before, this, lang())
    st.markdown(C.md(d.title_in(lang())))
    if d.rows:
        _answer_table(d, "import_diff")


def render() -> None:
    """The import section of the data page."""
    st.subheader(t("imp.title"))
    st.caption(t("imp.help", mb=V.MAX_UPLOAD_MB))
    st.file_uploader(
        t("imp.file"),
        type=list(TYPES),
        key="kg_import_file",
        on_change=_on_file,
        max_upload_size=V.MAX_UPLOAD_MB,
    )
    st.file_uploader(
        t("imp.saved"),
        type=["yaml", "yml"],
        key="kg_import_mapping",
        help=t("imp.saved.help"),
    )
    state = st.session_state.get(STATE)
    if state is not None:
        _mapping(state)
    _result()


def _mapping(state: dict[str, Any]) -> None:
    if "problems" in state:
        st.error(t("imp.unreadable", file=C.md(state["file"])))
        _show_problems(state["problems"], "import_read_problems")
        return
    if "error" in state:
        st.error(C.md(state["error"][lang()] or state["error"]["nb"]))
        return
    token, path = state["token"], Path(state["path"])
    kinds = ["pp", "register"]
    kind = st.radio(
        t("imp.kind"),
        kinds,
        index=kinds.index(state["kind"]),
        format_func=lambda k: t(f"imp.kind.{k}"),
        horizontal=True,
        key=f"imp_kind_{token}",
    )
    saved, mid = _saved_mapping(path.parent)
    if (kind, mid) not in state["proposal"]:
        try:
            state["proposal"][(kind, mid)] = proposal(path, kind, saved)
        except LoadError as e:  # a saved mapping file with a wrong field, or for the other importer
            _show_problems(_problems(e), "import_mapping_problems")
            return
    prop = state["proposal"][(kind, mid)]
    kept = _kept(saved)

    st.markdown(f"**{t('imp.columns')}**")
    st.caption(t("imp.columns.help"))
    unused = t("imp.unused")
    options = [unused, *field_labels(kind)]
    chosen: dict[str, str | None] = {}
    grid = st.columns(3)
    for i, (name, field) in enumerate(prop["columns"].items()):
        choice = grid[i % 3].selectbox(
            C.md(name),
            options,
            index=options.index(field) if field in options else 0,
            placeholder=t("widget.choose"),
            key=f"imp_col_{token}_{kind}_{mid}_{i}",
        )
        chosen[name] = None if choice == unused else choice
    text = mapping_yaml(kind, prop["sheet"], prop["header_row"], chosen, kept["values"], kept)

    # Values the importer does not know, now that the columns are mapped: one choice each.
    # Read once per set of column choices: every widget change reruns the page.
    seen = state.setdefault("values", {})
    if (kind, text) not in seen:
        draft = path.with_name(f"utkast-{token}.yaml")
        draft.write_text(text, encoding="utf-8")
        try:
            seen[(kind, text)] = value_proposal(path, kind, draft)
        except LoadError as e:
            _show_problems(_problems(e), "import_mapping_problems")
            return
    odd = seen[(kind, text)]
    values: dict[str, dict[str, str | None]] = {}
    if odd:
        st.markdown(f"**{t('imp.values')}**")
        st.caption(t("imp.values.help"))
        none = t("imp.no_status")
        grid = st.columns(3)
        for i, (column, label, value, close, allowed) in enumerate(odd):
            opts = [none, *dict.fromkeys([*close, *allowed])]
            pick = grid[i % 3].selectbox(
                t("imp.value", value=C.md(value), column=C.md(column)),
                opts,
                index=1 if close else 0,
                placeholder=t("widget.choose"),
                key=f"imp_val_{token}_{kind}_{mid}_{i}",
            )
            values.setdefault(label, {})[value] = None if pick == none else pick
        for label, table in kept["values"].items():
            values[label] = {**table, **values.get(label, {})}
        text = mapping_yaml(kind, prop["sheet"], prop["header_row"], chosen, values, kept)
    with st.expander(t("imp.mapping.show")):
        st.code(text, language="yaml")
    st.text_input(
        t("imp.municipality"),
        key="w_imp_municipality",
        placeholder=t("imp.municipality.placeholder"),
    )
    ready = bool((st.session_state.get("w_imp_municipality") or "").strip())
    a, b = st.columns(2)
    a.download_button(
        t("imp.mapping.download"),
        data=text.encode("utf-8"),
        file_name="kolonner.yaml",
        mime="application/x-yaml",
        key=f"imp_yaml_{token}",
        on_click="ignore",
    )
    b.button(
        t("imp.run"),
        type="primary",
        disabled=not ready,
        on_click=_import,
        args=(kind, text),
        key=f"imp_run_{token}",
    )
    if not ready:
        st.caption(t("imp.municipality.help"))
