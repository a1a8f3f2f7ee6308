"""Data: upload a dataset (CSV folder as .zip, .xlsx workbook, .ttl/.nt/.jsonld), validate it
and show the report, load it into a store private to this session, switch between datasets,
and export the graph (Prosjektportalen Excel, Archi CSV, GraphML, Turtle, N-Triples, JSON-LD)."""

from __future__ import annotations

import re

import streamlit as st

from graph import answers as V
from loaders.errors import LoadError
from views import common as C
from views import importer
from views.i18n import lang, number, t

OUTCOME = "kg_upload_outcome"  # session_state: what the last upload did


def _on_upload() -> None:
    """Validate and load the uploaded file (a callback: runs before the page is drawn)."""
    f = st.session_state.get("kg_upload_file")
    if f is None:
        return
    try:
        loaded = V.load_upload(f.name, f.getvalue())
    except LoadError as e:
        st.session_state[OUTCOME] = {
            "ok": False,
            "file": f.name,
            "problems": [
                {
                    "file": p.file,
                    "row": p.row,
                    "column": p.column or "",
                    "message_nb": p.message("nb"),
                    "message_en": p.message("en"),
                }
                for p in e.problems
            ],
            "export": importer.export_kind_of(f.name, f.getvalue()),  # import it instead
            "alone": _not_alone(f.name, e),
        }
        return
    except V.UploadError as e:
        st.session_state[OUTCOME] = {
            "ok": False,
            "file": f.name,
            "error": {"nb": e.message("nb"), "en": e.message("en")},
            "export": importer.export_kind_of(f.name, f.getvalue()),
            "csv": f.name.lower().endswith(".csv"),
        }
        return
    except Exception as e:  # an unreadable file must not take the page down
        st.session_state[OUTCOME] = {
            "ok": False,
            "file": f.name,
            "error": {"nb": str(e), "en": str(e)},
        }
        return
    ups = C.uploads()
    base = re.sub(r"[^a-z0-9-]+", "-", loaded.name.lower()) or "upload"
    key, i = f"upload:{base}", 1
    while key in ups:
        i += 1
        key = f"upload:{base}-{i}"
    ups[key] = C.Upload(
        loaded.store, loaded.name, loaded.title, f.name, loaded.records, loaded.triples, {}
    )
    st.session_state[C.DATASET] = key
    st.session_state[OUTCOME] = {
        "ok": True,
        "file": f.name,
        "key": key,
        "records": loaded.records,
        "triples": loaded.triples,
        "seconds": loaded.seconds,
    }


def _not_alone(name: str, e: LoadError) -> dict[str, str] | None:
    """The kinds a single CSV file refers to but does not hold (nb and en), or None: one file
    of a dataset cannot be loaded without the files its references point into."""
    if not name.lower().endswith(".csv"):
        return None
    kinds = {
        k.strip()
        for p in e.problems
        if p.code == "unknown_ref"
        for k in str(p.params.get("kinds", "")).split(",")
    } - {""}
    if not kinds:
        return None
    from loaders.kind_names import kinds_nb

    codes = ", ".join(sorted(kinds))
    return {"nb": kinds_nb(codes), "en": codes.replace("_", " ")}


def _use(key: str) -> None:
    st.session_state[C.DATASET] = key


def _remove(key: str) -> None:
    C.uploads().pop(key, None)
    if st.session_state.get(C.DATASET) == key:
        st.session_state[C.DATASET] = C.BUNDLED


def _outcome() -> None:
    out = st.session_state.get(OUTCOME)
    if not out:
        return
    if out["ok"]:
        st.success(
            t(
                "data.loaded",
                file=C.md(out["file"]),
                records=out["records"],
                triples=out["triples"],
                seconds=number(round(out["seconds"], 1)),
            )
        )
        return
    st.error(
        t("data.refused", file=C.md(out["file"]), current=C.md(C.dataset_label(C.current().key)))
    )
    if out.get("alone"):  # one CSV file of a dataset: say what to upload before the rows
        st.info(t("data.csv.alone", file=C.md(out["file"]), kinds=C.md(out["alone"][lang()])))
    if "error" in out:
        st.error(C.md(out["error"][lang()]))
        if out.get("export"):
            st.info(t(f"imp.hint.{out['export']}"))
        elif out.get("csv"):
            st.caption(t("data.csv.import"))
    else:
        rows = [{**p, "message": p[f"message_{lang()}"]} for p in out["problems"]]
        C.table(
            rows,
            {
                "file": "col.file",
                "row": "col.row",
                "column": "col.column",
                "message": "col.message",
            },
            key="upload_problems",
        )
        st.caption(t("data.refused.help"))
        if out.get("export"):
            st.info(t(f"imp.hint.{out['export']}"))


def render() -> None:
    cur = C.current()
    st.title(t("data.title"))

    st.subheader(t("data.current"))
    st.markdown(f"**{C.md(C.dataset_label(cur.key))}**")
    c1, c2, c3 = st.columns(3)
    c1.metric(t("data.triples"), cur.size())
    c2.metric(t("data.nodes"), cur.graph().number_of_nodes())
    c3.metric(t("data.records"), cur.upload.records if cur.upload else V.record_count(cur.store))

    st.subheader(t("data.upload"))
    st.caption(t("data.upload.help", mb=V.MAX_UPLOAD_MB))
    st.file_uploader(
        t("data.upload.label"),
        # no type filter: Streamlit refuses other types in English («… files are not
        # allowed»); graph.answers.data.stage_upload refuses them in the UI language instead
        type=None,
        key="kg_upload_file",
        on_change=_on_upload,
        max_upload_size=V.MAX_UPLOAD_MB,
    )
    _outcome()

    importer.render()  # a Prosjektportalen export or ICT register, as it is sent

    st.subheader(t("data.datasets"))
    st.caption(t("data.datasets.help"))
    for key in C.dataset_keys():
        a, b, c = st.columns([4, 1, 1])
        active = key == cur.key
        a.markdown(
            ("**▶ " if active else "") + C.md(C.dataset_label(key)) + ("**" if active else "")
        )
        b.button(t("data.use"), key=f"use_{key}", on_click=_use, args=(key,), disabled=active)
        if key != C.BUNDLED:
            c.button(t("data.remove"), key=f"remove_{key}", on_click=_remove, args=(key,))

    if cur.upload is not None:
        st.subheader(t("data.report"))
        with st.spinner(t("overview.quality.running")):
            problems = cur.quality()
        if problems:
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
                },
                key="upload_quality",
            )
        else:
            st.success(t("overview.quality.ok"))

    _exports(cur)


def _exports(cur) -> None:
    """Downloads of the current dataset: Prosjektportalen, Archi, GraphML and RDF."""
    from views import exporting as X

    st.subheader(t("data.export"))
    st.caption(t("data.export.help"))
    base = re.sub(
        r"[^A-Za-z0-9._-]+", "-", (cur.upload.name if cur.upload else "nye-asker") or "graph"
    )
    language = lang()
    builders = {
        "portfolio": lambda s: X.portfolio_xlsx(s),
        "archi": lambda s: X.archi_zip(s),
        "graphml": lambda s: X.graphml(s, language),
    }
    items = [
        (fmt, f"{base}-{suffix}", mime, builders[fmt]) for fmt, (_, suffix, mime) in X.EXTRA.items()
    ]
    items += [
        (fmt, f"{base}.{ext}", mime, lambda s, fmt=fmt: V.export(s, fmt))
        for fmt, (_, ext, mime) in V.EXPORTS.items()
    ]
    for row in (items[:3], items[3:]):
        for col, (fmt, name, mime, build) in zip(st.columns(len(row)), row, strict=True):
            col.download_button(
                t(f"export.{fmt}"),
                data=lambda b=build, s=cur.store: b(s),
                file_name=name,
                mime=mime,
                key=f"export_{fmt}",
                on_click="ignore",
                help=t(f"export.{fmt}.help"),
            )


if __name__ == "__main__":
    render()
