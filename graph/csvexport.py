"""Export a dataset's edits back to its CSV folder, and find edits a new load would lose.

Edits made in the app live in the store (:mod:`graph.edits`), not in the CSV files a dataset
is loaded from; a new ``kg load`` of the folder replaces the dataset's graphs, edits included.
:func:`export_csv` writes the edits back: for every record an edit touched (listed by the
change sets, :mod:`graph.changes`), its row in ``<kind>.csv`` is replaced by the values it has
now, dropped if it was removed, or appended if it is new. Rows nobody edited are written as
they were, in their order, so the diff of the folder shows the edits and nothing else.
Loading the exported folder gives the same records as the edited store
(tests/test_csv_export.py). The change sets themselves (who, when, why) are not CSV records:
they stay in the store.

:func:`check_load` names the edited records whose values a folder does not hold: ``kg load``
refuses to replace them unless asked to (``--discard-edits``). When the folder holds every
edit, :func:`keep_trail` puts the change sets back after the load, so the history survives it.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from graph import changes as C
from graph.edits import EDITABLE, DatasetRef, EditError, cell, datasets, read_item
from graph.store import Capability as Cap
from graph.store import Store
from loaders.dataset import Manifest
from loaders.encoding import decode
from loaders.errors import Problems
from loaders.records import Record, table_records
from loaders.schema import KIND
from loaders.table import parse_csv, sniff_delimiter


@dataclass
class Edited:
    """The net effect of the edits to one kind: current values by key, and removed keys."""

    now: dict[str, dict[str, str]] = field(default_factory=dict)  # in the order first edited
    removed: set[str] = field(default_factory=set)


def edited(store: Store, ds: DatasetRef) -> dict[str, Edited]:
    """Per editable kind, what the records touched by a change set hold now."""
    out: dict[str, Edited] = {k: Edited() for k in EDITABLE}
    seen: set[tuple[str, str]] = set()
    for ch in reversed(C.changes(store, ds.base, limit=1_000_000)):  # oldest first
        if ch.kind not in out or (ch.kind, ch.key) in seen:
            continue
        seen.add((ch.kind, ch.key))
        item = read_item(store, ds, ch.kind, ch.key)
        if item is None:
            out[ch.kind].removed.add(ch.key)
        else:
            out[ch.kind].now[ch.key] = item.values
    return out


@dataclass
class CsvExport:
    folder: Path
    files: list[str]  # the CSV files rewritten
    changed: int  # rows replaced
    added: int
    removed: int


def _keys(text: str, kind: str, file: str) -> dict[int, tuple[str, dict[str, str]]]:
    """Row number (as the loader counts it) → (record key, cell values) of one CSV text."""
    problems = Problems()
    table = parse_csv(text, kind, file, problems)
    records = table_records(table, problems) if table is not None else []
    if table is None or problems:
        first = problems.items[0] if problems.items else None
        raise EditError(
            f"{file} cannot be read: {first.text('en') if first else ''}",
            f"{file} kan ikke leses: {first.text('nb') if first else ''}",
        )
    return {r.row: (r.id, cells(r)) for r in records}


def _rewrite(path: Path, kind: str, ed: Edited, counts: list[int]) -> str:
    """The new text of ``path`` (``kind``'s CSV file, which may not exist yet).

    Rows nobody changed keep their text as it was (quoting, date style, line ends), so the
    folder's diff shows the edits only.
    """
    k = KIND[kind]
    raw: list[str] = []  # the text of each data row as it is in the file
    body: list[list[str]] = []
    keys: dict[int, tuple[str, dict[str, str]]] = {}
    delim, header, head_text = ",", [], ""
    if path.exists():
        problems = Problems()
        text = (decode(path.read_bytes(), path.name, problems) or "").lstrip("\ufeff")
        delim = sniff_delimiter(text.split("\n", 1)[0])
        lines = text.splitlines(keepends=True)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        header = [h.strip() for h in next(reader, [])]
        head_text, done = "".join(lines[: reader.line_num]), reader.line_num
        for cells_ in reader:
            body.append(cells_)
            raw.append("".join(lines[done : reader.line_num]))
            done = reader.line_num
        keys = _keys(text, kind, path.name)
    used = {n for vals in ed.now.values() for n in vals}
    wider = [c.name for c in k.columns if c.name in used and c.name not in header]
    header = header + wider

    def line(cells_: list[str]) -> str:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delim, lineterminator="\n").writerow(cells_)
        return buf.getvalue()

    out: list[str] = [line(header) if wider or not head_text else head_text]
    written: set[str] = set()
    for number, (cells_, text_) in enumerate(zip(body, raw, strict=True), start=2):
        key, was = keys.get(number, ("", {}))
        if key and key in ed.removed:
            counts[2] += 1
            continue
        if key and key in ed.now and key not in written:
            written.add(key)
            if ed.now[key] != was:
                out.append(line([ed.now[key].get(h, "") for h in header]))
                counts[0] += 1
                continue
        if wider and any(c.strip() for c in cells_):
            text_ = line(cells_ + [""] * (len(header) - len(cells_)))
        if text_ and not text_.endswith(("\n", "\r")):
            text_ += "\n"  # the last row of a file without a final line end
        out.append(text_)
    for key, values in ed.now.items():
        if key not in written:
            out.append(line([values.get(h, "") for h in header]))
            counts[1] += 1
    return "".join(out)


def export_csv(
    store: Store, folder: Path | str, out: Path | str | None = None, dataset_name: str | None = None
) -> CsvExport:
    """Write the store's edits of the dataset into ``folder`` (or a copy of it at ``out``).

    ``folder`` is the dataset's CSV folder (the one it was loaded from); its manifest names the
    dataset. The files are written only when all of them are ready (a temporary name, then a
    rename each), so an error leaves the folder as it was.
    """
    folder = Path(folder)
    manifest = _manifest_of(folder)
    name = manifest.name
    if dataset_name and name != dataset_name:
        raise EditError(
            f"{folder} holds the dataset {name}, not {dataset_name}",
            f"{folder} har datasettet {name}, ikke {dataset_name}",
        )
    ds = next((d for d in datasets(store) if d.name == name), None)
    if ds is None:
        found = ", ".join(d.name for d in datasets(store)) or "—"
        raise EditError(
            f"the store holds no dataset {name} (found: {found})",
            f"lageret har ikke datasettet {name} (fant: {found})",
        )
    target = Path(out) if out else folder
    copy = bool(out) and target.resolve() != folder.resolve()
    if copy and target.exists() and any(target.iterdir()):
        raise EditError(
            f"{target} exists and is not empty; choose a new folder",
            f"{target} finnes og er ikke tom; velg en ny mappe",
        )
    counts = [0, 0, 0]
    ready: list[tuple[Path, str]] = []  # every file is made before any is written
    for kind, ed in edited(store, ds).items():
        if not ed.now and not ed.removed:
            continue
        path = folder / KIND[kind].file
        if manifest.sources and path.name not in manifest.sources:  # the load would skip it
            raise EditError(
                f"{folder}/manifest.yaml lists its files (sources:) without {path.name}; "
                "add it there, then export again",
                f"{folder}/manifest.yaml lister filene sine (sources:) uten {path.name}; "
                "legg den til der og eksporter på nytt",
            )
        ready.append((target / path.name, _rewrite(path, kind, ed, counts)))
    if copy:
        shutil.copytree(folder, target, dirs_exist_ok=True)
    for path, text in ready:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(text.encode("utf-8"))
        tmp.replace(path)
    return CsvExport(target, [p.name for p, _ in ready], *counts)


def _manifest_of(folder: Path) -> Manifest:
    from loaders.dataset import _manifest
    from loaders.limits import load_yaml, yaml_text

    problems = Problems()
    mpath = folder / "manifest.yaml"
    if not folder.is_dir() or not mpath.exists():
        raise EditError(
            f"{folder} is not a dataset folder (no manifest.yaml)",
            f"{folder} er ikke en datasettmappe (mangler manifest.yaml)",
        )
    text = yaml_text(mpath, "manifest.yaml", problems)
    data = load_yaml(text, "manifest.yaml", problems) if text is not None else None
    m = _manifest(data or {}, "manifest.yaml", folder.name, problems)
    if m is None or problems:
        first = problems.items[0] if problems.items else None
        raise EditError(
            f"{mpath}: {first.text('en') if first else 'unreadable'}",
            f"{mpath}: {first.text('nb') if first else 'kan ikke leses'}",
        )
    return m


def cells(rec: Record) -> dict[str, str]:
    """A loaded record's values as CSV cell texts, as :func:`graph.edits.read_item` gives them."""
    return {c.name: cell(rec.values[c.name]) for c in rec.kind.columns if c.name in rec.values}


def unsaved_edits(store: Store, name: str, records: list[Record]) -> list[str]:
    """The edited records of dataset ``name`` whose values ``records`` (the data about to be
    loaded) do not hold, as "file key" (``dependencies.csv D7``): a load of ``records`` would lose those edits."""
    ds = next((d for d in datasets(store) if d.name == name), None)
    if ds is None:
        return []
    incoming = {(r.kind.name, r.id): r for r in records if r.kind.name in EDITABLE}
    lost = []
    for kind, ed in edited(store, ds).items():
        for key, values in ed.now.items():
            rec = incoming.get((kind, key))
            if rec is None or cells(rec) != values:
                lost.append(f"{KIND[kind].file} {key}")  # named by the file that holds it
        lost += [
            f"{KIND[kind].file} {key}" for key in sorted(ed.removed) if (kind, key) in incoming
        ]
    return lost


HAS_EDITS = "ASK { ?c kg:changeAction ?a ; kg:changedRecord ?r }"


@dataclass
class LoadCheck:
    """What a load of a folder would do to the edits in the store."""

    lost: list[str] = field(default_factory=list)  # edited records the folder does not hold
    trail: list[Quad] = field(default_factory=list)  # the change sets, to keep after the load
    graph: str = ""  # the dataset's edits graph


def check_load(store: Store, path: Path | str) -> LoadCheck:
    """The edits in ``store`` that a load of ``path`` would replace without holding them, and
    the audit trail (change sets and their agents) to put back after it.

    Costs a query when the store has no edits (the usual case, and every big load); only then
    is the dataset read once more to compare.
    """
    if store.language != "sparql" or not store.query(HAS_EDITS).boolean:  # edits: RDF stores
        return LoadCheck()
    from loaders.dataset import read_dataset

    data = read_dataset(path)  # a LoadError here is the load's own error, raised before writing
    ds = next((d for d in datasets(store) if d.name == data.manifest.name), None)
    if ds is None:
        return LoadCheck()
    trail = []
    if store.supports(Cap.QUADS):
        marks = (ds.base + "change/", ds.base + "agent/")
        trail = [
            q
            for q in store.quads(None, None, None, NamedNode(ds.edits_graph))
            if q.subject.value.startswith(marks)  # records of the folder come from the folder
        ]
    return LoadCheck(unsaved_edits(store, ds.name, data.records), trail, ds.edits_graph)


def keep_trail(store: Store, check: LoadCheck) -> int:
    """Put the change sets back into the edits graph after a load (the records are the
    folder's now; their history stays). Returns how many quads were put back."""
    if not check.trail or not store.supports(Cap.REPLACE):
        return 0
    now = list(store.quads(None, None, None, NamedNode(check.graph)))
    store.replace([check.graph], now + [q for q in check.trail if q not in set(now)])
    return len(check.trail)


__all__ = [
    "CsvExport",
    "Edited",
    "cells",
    "edited",
    "export_csv",
    "check_load",
    "keep_trail",
    "unsaved_edits",
]
