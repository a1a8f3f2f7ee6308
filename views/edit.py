"""Edit page: add, change or remove a dependency of the bundled graph, with its history.

Shown in the navigation only to editors and admins (app.py); the page checks the role again
and the library refuses a reader's save whatever the browser sends (graph/edits.py). A save
is validated (record rules and SHACL), written all or nothing as a new store generation with
a change set (who, when, why, before/after), and the other sessions see it at their next rerun.
The version the form showed is sent with the save: if someone else saved the same dependency
in between, the save is refused with their change and nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph import changes, edits
from graph.access import AccessDenied
from loaders.schema import KIND
from views import auth, common
from views.i18n import lang

NEW = "__new__"
DEP = KIND["dependencies"]
TEXT = {
    "title": ("Edit dependencies", "Rediger avhengigheter"),
    "nav": ("Edit", "Rediger"),
    "intro": (
        "Add a dependency or change one; every save is recorded with your name, the time and your reason.",
        "Legg til en avhengighet eller endre en; hver lagring logges med navnet ditt, tidspunktet og begrunnelsen.",
    ),
    "no_access": (
        "Only editors can edit. Sign in with an editor account.",
        "Bare redaktører kan redigere. Logg inn med en redaktørkonto.",
    ),
    "bundled_only": (
        "Edits are made to the bundled graph; choose it under Dataset.",
        "Endringer gjøres i den medfølgende grafen; velg den under Datasett.",
    ),
    "record": ("Dependency", "Avhengighet"),
    "new": ("➕ New dependency", "➕ Ny avhengighet"),
    "id": ("Id", "Id"),
    "from": ("From (the one that depends)", "Fra (den som er avhengig)"),
    "to": ("To (the one depended on)", "Til (det som avhenges av)"),
    "type": ("Type", "Type"),
    "criticality": ("Criticality", "Kritikalitet"),
    "evidence": ("Evidence", "Belegg"),
    "rationale": ("Rationale", "Begrunnelse"),
    "source": ("Source document", "Kildedokument"),
    "locator": ("Where in the source", "Hvor i kilden"),
    "reason": (
        "Why this change (shown in the history)",
        "Hvorfor denne endringen (vises i historikken)",
    ),
    "remove": ("Remove this dependency", "Fjern denne avhengigheten"),
    "save": ("Save", "Lagre"),
    "saved": (
        "Saved: {action} {key} ({seconds:.1f} s).",
        "Lagret: {action} {key} ({seconds:.1f} s).",
    ),
    "history": ("History of {key} ({n})", "Historikk for {key} ({n})"),
    "no_history": (
        "No edits yet: the values come from the loaded files.",
        "Ingen endringer ennå: verdiene kommer fra de innleste filene.",
    ),
    "undo": ("Undo the latest change", "Angre siste endring"),
    "undo_reason": ("Why undo", "Hvorfor angre"),
    "tried": ("What you tried to save:", "Det du prøvde å lagre:"),
}
ACTIONS = {
    "add": ("added", "la til"),
    "change": ("changed", "endret"),
    "remove": ("removed", "fjernet"),
}


def tr(key: str, /, **values: Any) -> str:
    en, nb = TEXT[key]
    return (nb if lang() == "nb" else en).format(**values)


OPTIONS = """
SELECT ?id (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?cls { kg:Project kg:GovernanceBody kg:Organization kg:System kg:Milestone kg:Decision }
  ?s a ?cls ; dct:identifier ?id .
  OPTIONAL { ?s skos:prefLabel ?l FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "nb")) }
} GROUP BY ?id ORDER BY ?id
"""
SOURCES = "SELECT ?id (SAMPLE(?t) AS ?title) WHERE { ?s a kg:SourceDocument ; dct:identifier ?id . OPTIONAL { ?s dct:title ?t } } GROUP BY ?id ORDER BY ?id"
DEPS = "SELECT ?id WHERE { ?d a kg:Dependency ; dct:identifier ?id } ORDER BY ?id"


def _choices(store, query: str) -> dict[str, str]:
    return {str(i): f"{i} – {label}" if label else str(i) for i, label in store.query(query).rows}


def _next_id(existing: list[str]) -> str:
    nums = [int(x[1:]) for x in existing if x[:1] == "D" and x[1:].isdigit()]
    return f"D{max(nums, default=0) + 1}"


def _diff(before: dict[str, str], after: dict[str, str]) -> str:
    keys = sorted(set(before) | set(after))
    return "; ".join(
        f"{k}: {before.get(k, '—')} → {after.get(k, '—')}"
        for k in keys
        if before.get(k) != after.get(k)
    )


def history(store, base: str, item_iri: str, key: str) -> list[changes.Change]:
    """An expander with the change sets of one record, newest first."""
    rows = changes.history(store, base, item_iri)
    with st.expander(tr("history", key=key, n=len(rows)), expanded=bool(rows)):
        if not rows:
            st.caption(tr("no_history"))
        for c in rows:
            en, nb = ACTIONS.get(c.action, (c.action, c.action))
            st.markdown(
                f"**{common.md(c.who)}** · {c.when[:19].replace('T', ' ')} UTC · "
                f"{nb if lang() == 'nb' else en} · _{common.md(c.reason)}_"
            )
            st.caption(common.md(_diff(c.before, c.after)))
    return rows


def _flash() -> None:
    msg = st.session_state.pop("edit_flash", None)
    if msg:
        st.success(msg)


st.title(tr("title"))
identity = auth.current_identity()
if not auth.can_edit(identity):
    st.warning(tr("no_access"))
    st.stop()
cur = common.current()
if cur.bundled is None:
    st.info(tr("bundled_only"))
    st.stop()
path, _gen = cur.bundled
store = common.bundled_store(*cur.bundled)
ds = edits.dataset(store)
st.caption(tr("intro"))
_flash()

deps = [str(r[0]) for r in store.query(DEPS).rows]
if "edit_dep_next" in st.session_state:  # a widget's value can only be set before it is drawn
    st.session_state["edit_dep"] = st.session_state.pop("edit_dep_next")
common.valid("edit_dep", [NEW, *deps], NEW)
choice = st.selectbox(
    tr("record"), [NEW, *deps], key="edit_dep", format_func=lambda d: tr("new") if d == NEW else d
)
item = edits.read_item(store, ds, "dependencies", choice) if choice != NEW else None
shown = item.values if item else {}
version = item.version if item else ""
# The version this session last showed for the choice: what a save is checked against.
seen_key = f"edit_seen_{choice}"
expected = st.session_state.get(seen_key, version)
nodes = _choices(store, OPTIONS)
sources = _choices(store, SOURCES)


def pick(label: str, options: list[str], value: str, key: str, fmt=None) -> str:
    index = options.index(value) if value in options else 0
    return st.selectbox(
        label,
        options,
        index=index,
        key=f"{key}_{choice}_{expected}",
        format_func=fmt or (lambda x: x or "—"),
    )


with st.form(f"edit_form_{choice}"):
    values: dict[str, str] = {}
    if choice == NEW:
        values["id"] = st.text_input(tr("id"), value=_next_id(deps), key=f"f_id_{expected}")
    else:
        values["id"] = choice
    keys = list(nodes)
    values["from"] = pick(tr("from"), keys, shown.get("from", "A4"), "f_from", nodes.get)
    values["to"] = pick(tr("to"), keys, shown.get("to", ""), "f_to", nodes.get)
    c1, c2, c3 = st.columns(3)
    with c1:
        values["type"] = pick(
            tr("type"), list(DEP.by_name["type"].values), shown.get("type", "depends_on"), "f_type"
        )
    with c2:
        values["criticality"] = pick(
            tr("criticality"),
            ["", *DEP.by_name["criticality"].values],
            shown.get("criticality", ""),
            "f_crit",
        )
    with c3:
        values["evidence"] = pick(
            tr("evidence"),
            list(DEP.by_name["evidence"].values),
            shown.get("evidence", "explicit"),
            "f_evidence",
        )
    values["rationale"] = st.text_area(
        tr("rationale"), value=shown.get("rationale", ""), key=f"f_rationale_{choice}_{expected}"
    )
    c4, c5 = st.columns(2)
    with c4:
        values["source"] = pick(
            tr("source"), list(sources), shown.get("source", ""), "f_source", sources.get
        )
    with c5:
        values["locator"] = st.text_input(
            tr("locator"), value=shown.get("locator", ""), key=f"f_locator_{choice}_{expected}"
        )
    for extra in ("lag_weeks", "note"):  # kept as they are: the form does not edit them
        if shown.get(extra):
            values[extra] = shown[extra]
    reason = st.text_input(tr("reason"), key=f"f_reason_{choice}_{expected}")
    remove = st.checkbox(tr("remove"), key=f"f_remove_{choice}_{expected}") if item else False
    submitted = st.form_submit_button(tr("save"), type="primary")

if submitted:
    writer = common.writer_for(path)  # embedded: edits opens its own writer; else the server
    try:
        saved = edits.save(
            writer,
            identity,
            "dependencies",
            None if remove else values,
            reason=reason,
            key=None if choice == NEW else choice,
            expected=expected,
        )
    except (edits.EditError, AccessDenied) as e:
        st.error(e.message(lang()))
        if isinstance(e, edits.Conflict):
            st.caption(tr("tried"))
            st.json(values)
            st.session_state[seen_key] = (
                version  # the next save is checked against what is shown now
            )
    else:
        en, nb = ACTIONS[saved.change.action]
        st.session_state["edit_flash"] = tr(
            "saved",
            action=nb if lang() == "nb" else en,
            key=saved.change.key,
            seconds=saved.seconds,
        )
        st.session_state.pop(seen_key, None)
        if saved.change.action == "add":
            st.session_state["edit_dep_next"] = saved.change.key
        st.rerun()
    finally:
        common.release(writer)
else:
    st.session_state[seen_key] = version

if item is not None:
    rows = history(store, ds.base, item.iri, choice)
    if rows:
        with st.form(f"undo_form_{choice}"):
            why = st.text_input(tr("undo_reason"), key=f"undo_reason_{choice}")
            if st.form_submit_button(tr("undo")):
                writer = common.writer_for(path)
                try:
                    done = edits.undo(writer, identity, rows[0].id, reason=why)
                except (edits.EditError, AccessDenied) as e:
                    st.error(e.message(lang()))
                else:
                    st.session_state["edit_flash"] = tr(
                        "saved", action="undo", key=done.change.key, seconds=done.seconds
                    )
                    st.session_state.pop(seen_key, None)
                    st.rerun()
                finally:
                    common.release(writer)
