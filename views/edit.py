"""Edit page: add, change or remove dependencies, status reports, milestones, risks and
decisions of the bundled graph, each with its history and an undo.

Shown in the navigation only to editors and admins (app.py); the page checks the role again
and the library refuses a reader's save whatever the browser sends (graph/edits.py). A save
is validated (record rules and SHACL), written all or nothing as a new store generation with
a change set (who, when, why, before/after), and the other sessions see it at their next rerun.
The version the form showed is sent with the save: if someone else saved the same record
in between, the save is refused with their change and nothing is overwritten. The forms'
fields are described in views/editforms.py.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph import changes, edits
from graph.access import AccessDenied
from views import auth, common
from views import editforms as F
from views.i18n import lang, t

NEW = "__new__"
TEXT = {
    "kind": ("What to edit", "Hva vil du redigere"),
    "intro": (
        "Add a record or change one; every save is recorded with your name, the time and your reason.",
        "Legg til en post eller endre en; hver lagring logges med navnet ditt, tidspunktet og begrunnelsen.",
    ),
    "no_access": (
        "Only editors can edit. Sign in with an editor account.",
        "Bare redaktører kan redigere. Logg inn med en redaktørkonto.",
    ),
    "bundled_only": (
        "Edits are made to the bundled graph; choose it under Dataset.",
        "Endringer gjøres i den medfølgende grafen; velg den under Datasett.",
    ),
    "id": ("Id", "Id"),
    "date_help": (
        "As 2017-02-28, 2017-02 or 2017 (also 28.02.2017).",
        "Som 2017-02-28, 2017-02 eller 2017 (også 28.02.2017).",
    ),
    "key_help": (
        "Part of the record's key: it cannot change once saved.",
        "Del av postens nøkkel: kan ikke endres etter lagring.",
    ),
    "reason": (
        "Why this change (shown in the history)",
        "Hvorfor denne endringen (vises i historikken)",
    ),
    "remove": ("Remove this record", "Fjern denne posten"),
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
    "other": ("The other change:", "Den andre endringen:"),
    "conflict": (
        "Conflict: {what} was changed by {who} at {when} UTC ({why}) after you opened it. "
        "Your change was not saved. The form now shows their values: apply yours again.",
        "Konflikt: {what} ble endret av {who} {when} UTC ({why}) etter at du åpnet den. "
        "Endringen din ble ikke lagret. Skjemaet viser nå deres verdier: gjør endringen din igjen.",
    ),
    "conflict_gone": (
        "Conflict: {what} was removed or reloaded after you opened it. Your change was not saved.",
        "Konflikt: {what} ble fjernet eller lastet på nytt etter at du åpnet den. "
        "Endringen din ble ikke lagret.",
    ),
    "none": ("—", "—"),
}
ACTIONS = {
    "add": ("added", "la til"),
    "change": ("changed", "endret"),
    "remove": ("removed", "fjernet"),
    "undo": ("undid the latest change of", "angret siste endring av"),
}


def tr(key: str, /, **values: Any) -> str:
    en, nb = TEXT[key]
    return (nb if lang() == "nb" else en).format(**values)


def _names(kind: str) -> dict[str, str]:
    """Column → the label its form shows, for the history's before/after lines."""
    out = {f.name: F.label(f.label, lang()) for f in F.FIELDS[kind]}
    return {"id": tr("id"), **out}


def _shown_value(kind: str, name: str, value: str) -> str:
    field = next((f for f in F.FIELDS[kind] if f.name == name), None)
    if field is not None and isinstance(field.choices, str) and field.choices in F.CODE_LABELS:
        return F.code_label(field.choices, value, lang())
    return value


def _diff(kind: str, before: dict[str, str], after: dict[str, str]) -> str:
    names = _names(kind)
    keys = sorted(set(before) | set(after))
    return "; ".join(
        f"{names.get(k, k)}: {_shown_value(kind, k, before.get(k, '—'))} → "
        f"{_shown_value(kind, k, after.get(k, '—'))}"
        for k in keys
        if before.get(k) != after.get(k)
    )


def history(store, base: str, kind: str, item_iri: str, key: str) -> list[changes.Change]:
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
            st.caption(common.md(_diff(kind, c.before, c.after)))
    return rows


def refusal(e: edits.EditError) -> str:
    """A refused save in the form's words: the kind and the fields as the form names them."""
    if isinstance(e, edits.Conflict):
        what = f"{F.kind_text(kind, 3, lang())} {existing.get(choice, choice)}"
        if e.other is None:
            return tr("conflict_gone", what=what)
        when = e.other.when[:16].replace("T", " ")
        return tr("conflict", what=what, who=e.other.who, when=when, why=e.other.reason)
    if not isinstance(e, edits.EditRefused):
        return e.message(lang())
    from loaders.errors import Problem

    names = {**_names(kind), "reason": tr("reason")}
    lines = []
    for p in e.problems:
        key = p.file.split(" ", 1)[1] if " " in p.file else ""
        params = {k: names.get(v, v) if k == "column" else v for k, v in p.params.items()}
        col = names.get(p.column or "", p.column)
        lines.append(
            Problem(f"{F.kind_text(kind, 3, lang())} {key}".strip(), p.code, None, col, params)
        )
    head = e.message(lang()).split("\n", 1)[0]
    return "\n".join([head, *("- " + common.md(x.text(lang())) for x in lines)])


def _flash() -> None:
    msg = st.session_state.pop("edit_flash", None)
    if msg:
        st.success(msg)
    for style, text in st.session_state.pop("edit_said", []):  # a conflict, said after a rerun
        getattr(st, style)(text)


def _field(f: F.Field, shown: dict[str, str], wkey: str, fixed: bool) -> str:
    """One input of the form; returns the cell text it holds."""
    text = F.label(f.label, lang())
    value = shown.get(f.name, F.DEFAULTS.get(kind, {}).get(f.name, ""))
    if f.widget in ("text", "date", "area"):
        helptext = tr("key_help") if fixed else (tr("date_help") if f.widget == "date" else None)
        if f.widget == "area":
            return st.text_area(text, value=value, key=wkey, height=90)
        return st.text_input(text, value=value, key=wkey, help=helptext, disabled=fixed)
    if isinstance(f.choices, tuple):
        options = {c: c for c in f.choices}
    else:
        options = F.choices(store, ds.base, f.choices, lang())
    if f.widget == "multi":
        chosen = [v for v in value.split("|") if v]
        for v in chosen:
            options.setdefault(v, v)
        picked = st.multiselect(
            text, list(options), default=chosen, key=wkey, format_func=options.get,
            placeholder=tr("none"),
        )  # fmt: skip
        return "|".join(picked)
    keys = list(options)
    if value and value not in options:
        keys.append(value)  # a value the lists do not know yet: kept, not lost
    if f.optional or not keys:
        keys = ["", *keys]
    index = keys.index(value) if value in keys else 0
    return st.selectbox(
        text,
        keys,
        index=index,
        key=wkey,
        format_func=lambda x: options.get(x, x) if x else tr("none"),
        placeholder=t("widget.choose"),  # Streamlit's own is English
        disabled=fixed,
        help=tr("key_help") if fixed else None,
    )


identity = auth.current_identity()
if not auth.can_edit(identity):
    st.title(F.kind_text("dependencies", 1, lang()))
    st.warning(tr("no_access"))
    st.stop()
common.valid("edit_kind", list(F.KINDS), "dependencies")
kind: str = st.session_state["edit_kind"]
st.title(F.kind_text(kind, 1, lang()))
st.radio(
    tr("kind"),
    list(F.KINDS),
    key="edit_kind",
    horizontal=True,
    format_func=lambda k: F.kind_text(k, 0, lang()),
)
cur = common.current()
if cur.bundled is None:
    st.info(tr("bundled_only"))
    st.stop()
path, _gen = cur.bundled
store = common.bundled_store(*cur.bundled)
ds = edits.dataset(store)
st.caption(tr("intro"))
_flash()

existing = F.records(store, ds.base, kind, lang())
pick_key = f"edit_rec_{kind}"
if f"{pick_key}_next" in st.session_state:  # a widget's value can only be set before it is drawn
    st.session_state[pick_key] = st.session_state.pop(f"{pick_key}_next")
common.valid(pick_key, [NEW, *existing], NEW)
choice = st.selectbox(
    F.kind_text(kind, 3, lang()),
    [NEW, *existing],
    key=pick_key,
    format_func=lambda d: F.kind_text(kind, 2, lang()) if d == NEW else existing.get(d, d),
    placeholder=t("widget.choose"),
)
item = edits.read_item(store, ds, kind, choice) if choice != NEW else None
shown = item.values if item else {}
version = item.version if item else ""
# The version this session last showed for the choice: what a save is checked against.
seen_key = f"edit_seen_{kind}_{choice}"
expected = st.session_state.get(seen_key, version)

with st.form(f"edit_form_{kind}_{choice}"):
    values: dict[str, str] = {}
    if kind != "status_reports":
        if choice == NEW:
            values["id"] = st.text_input(
                tr("id"), value=F.next_id(kind, list(existing)), key=f"f_id_{kind}_{expected}"
            )
        else:
            values["id"] = choice
    fields = F.FIELDS[kind]
    row: list[F.Field] = []

    def draw(group: list[F.Field]) -> None:
        cols = st.columns(len(group)) if len(group) > 1 else [st.container()]
        for col, f in zip(cols, group, strict=True):
            with col:
                values[f.name] = _field(
                    f, shown, f"f_{kind}_{f.name}_{choice}_{expected}", f.key and item is not None
                )

    for f in fields:  # narrow fields side by side, up to three in a row
        if f.wide:
            if row:
                draw(row)
                row = []
            draw([f])
        else:
            row.append(f)
            if len(row) == 3:
                draw(row)
                row = []
    if row:
        draw(row)
    shown_names = {f.name for f in fields} | {"id"}
    for extra, text in shown.items():  # kept as they are: the form does not edit them
        if extra not in shown_names and text:
            values[extra] = text
    reason = st.text_input(tr("reason"), key=f"f_reason_{kind}_{choice}_{expected}")
    remove = (
        st.checkbox(tr("remove"), key=f"f_remove_{kind}_{choice}_{expected}") if item else False
    )
    submitted = st.form_submit_button(tr("save"), type="primary")


def _said(action: str, key: str, seconds: float) -> str:
    en, nb = ACTIONS[action]
    return tr("saved", action=nb if lang() == "nb" else en, key=key, seconds=seconds)


if submitted:
    writer = common.writer_for(path)  # embedded: edits opens its own writer; else the server
    try:
        saved = edits.save(
            writer,
            identity,
            kind,
            None if remove else values,
            reason=reason,
            key=None if choice == NEW else choice,
            expected=expected,
        )
    except (edits.EditError, AccessDenied) as e:
        if isinstance(e, edits.Conflict):  # drawn again with the values saved meanwhile
            said = [("error", refusal(e))]
            if e.other is not None:
                said += [
                    ("caption", tr("other")),
                    (
                        "markdown",
                        f"**{common.md(e.other.who)}** · {e.other.when[:19].replace('T', ' ')}"
                        f" UTC · _{common.md(e.other.reason)}_  \n"
                        + common.md(_diff(kind, e.other.before, e.other.after)),
                    ),
                ]
            read = e.other.before if e.other is not None else shown
            said += [
                ("caption", tr("tried")),
                ("markdown", common.md(_diff(kind, read, values)) or tr("none")),
            ]
            st.session_state["edit_said"] = said
            st.session_state[seen_key] = version  # the next save is checked against what is shown
            st.rerun()
        else:
            st.error(refusal(e) if isinstance(e, edits.EditError) else e.message(lang()))
    else:
        st.session_state["edit_flash"] = _said(saved.change.action, saved.change.key, saved.seconds)
        st.session_state.pop(seen_key, None)
        if saved.change.action == "add":
            st.session_state[f"{pick_key}_next"] = saved.change.key
        st.rerun()
    finally:
        common.release(writer)
else:
    st.session_state[seen_key] = version

if item is not None:
    rows = history(store, ds.base, kind, item.iri, existing.get(choice, choice))
    if rows:
        with st.form(f"undo_form_{kind}_{choice}"):
            why = st.text_input(tr("undo_reason"), key=f"undo_reason_{kind}_{choice}")
            if st.form_submit_button(tr("undo")):
                writer = common.writer_for(path)
                try:
                    done = edits.undo(writer, identity, rows[0].id, reason=why)
                except (edits.EditError, AccessDenied) as e:
                    st.error(e.message(lang()))
                else:
                    st.session_state["edit_flash"] = _said("undo", done.change.key, done.seconds)
                    st.session_state.pop(seen_key, None)
                    st.rerun()
                finally:
                    common.release(writer)
