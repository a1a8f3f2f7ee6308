"""Imports meet earlier imports: a batch of rows of our kinds, merged into a workspace dataset.

An importer (:mod:`loaders.prosjektportalen`, :mod:`loaders.register`) turns one file into a
:class:`Batch`: rows of our kinds (projects, people, status_reports, systems …) with the
sheet, row and column each value came from. :func:`prepare` merges the batch into the
municipality's workspace (a dataset folder in our CSV format, e.g. ``.kg/imports/nye-vestby``)
and validates the whole result with the same code as every other dataset
(:mod:`loaders.records`, :mod:`loaders.triples`). Nothing is written here: the caller stores
the result only when there was no problem at all.

Merging keeps history: a status report is keyed by project + date + source, so a re-import
adds reports and never overwrites them; the current attributes of a project, system or
usage come from the newest import (by export date), so importing an old file late does not
undo a newer one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Quad

from loaders import sdg
from loaders.dataset import DEFAULT_BASE, Dataset, Manifest, manifest_quads
from loaders.errors import LoadError, Problem, Problems
from loaders.mapping import Mapping
from loaders.records import Record, resolve, table_records
from loaders.schema import KIND, KINDS
from loaders.table import Row, Table, read_csv

Cells = dict[str, str]
# A workspace's manifest.yaml as parsed (or built by prepare); Manifest checks its shape.
ManifestData = dict[str, Any]
# A replacement (see Batch.replaces): kind, column, values, owner kind, and optionally
# {column: values} that narrows it.
Replace = (
    tuple[str, str, frozenset[str], str | None]
    | tuple[str, str, frozenset[str], str | None, dict[str, frozenset[str]]]
)
Body = tuple[tuple[str, str], ...]  # a row's cells but source, locator and note, sorted
# Rows that repeat a report already held (same values, another export) add no history.
SAME_AS_HELD = {"status_reports": ("project", "date"), "evaluations": ("system", "municipality")}


@dataclass(slots=True)  # hundreds of thousands in a big import
class Origin:
    """Where a row came from: the file part of a problem ('x.xlsx [Ark]'), the row, the headers."""

    file: str
    row: int
    columns: dict[str, str] = field(default_factory=dict)  # our column → header as shown


@dataclass
class Context:
    """What an importer needs besides the file: whose data, as of when, earlier rows, mapping."""

    municipality: str
    municipality_name: str
    date: dt.date
    mapping: Mapping | None = None
    held: dict[str, dict[str, Cells]] = field(default_factory=dict)  # kind → key → cells
    # Where the date came from, (en, nb); ``date_given`` when --date fixed it (the file may not).
    date_reason: tuple[str, str] = ("today", "i dag")
    date_given: bool = False

    def kind_of(self, rid: str) -> str | None:
        for kind, rows in self.held.items():
            if KIND[kind].has_id and rid in rows:
                return kind
        return None


@dataclass
class Batch:
    """One file's rows of our kinds, before they meet the workspace."""

    importer: str  # "pp" or "register"
    date: dt.date
    rows: dict[str, dict[str, Cells]] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    # (kind, column, values, owner kind): held rows of an earlier import of the same importer
    # that this batch replaces wholesale, e.g. the SDG tags of the projects it lists (owner kind
    # "projects": a project held from a newer export keeps its own).
    # An optional 5th element {column: values} narrows it (only the SDG tags, only some roles).
    replaces: list[Replace] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns known but not stored
    unknown: list[str] = field(default_factory=list)  # columns nobody knows (see mapping)
    # kind → the columns this file has. A held row keeps the columns the file lacks: an export
    # without a goal column says nothing about goals (an empty cell in a present column does).
    present: dict[str, frozenset[str]] = field(default_factory=dict)
    # Kinds this file lists whole (a portfolio lists every project): held rows of the same
    # importer that it leaves out are marked ``missing_from`` = the batch's date.
    complete: tuple[str, ...] = ()
    no_status: dict[str, int] = field(
        default_factory=dict
    )  # column as shown → cells without status

    def add(self, kind: str, cells: Cells, origin: Origin) -> str:
        key = key_of(kind, cells)
        self.rows.setdefault(kind, {})[key] = {k: v for k, v in cells.items() if v}
        self.origins[(kind, key)] = origin
        return key


def key_of(kind: str, cells: Cells) -> str:
    k = KIND[kind]
    return cells.get("id", "") if k.has_id else "|".join(cells.get(c, "") for c in k.key)


def source_id(importer: str, date: dt.date) -> str:
    return f"{importer}-{date.isoformat()}"


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: a monthly export («…_2018-03.xlsx») stands for the month's end."""
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def date_from_name(name: str) -> dt.date | None:
    """An export date written in the file name: 2024-01-31, 31.01.2024, 20240131, or a month 2018-03."""
    for pattern, order in (
        (r"(\d{4})-(\d{2})-(\d{2})", "ymd"),
        (r"(\d{2})\.(\d{2})\.(\d{4})", "dmy"),
        (r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)", "ymd"),
    ):
        for m in re.finditer(pattern, name):
            y, mo, d = (m[1], m[2], m[3]) if order == "ymd" else (m[3], m[2], m[1])
            try:
                return dt.date(int(y), int(mo), int(d))
            except ValueError:
                continue
    for m in re.finditer(r"(?<![\d-])((?:19|20)\d\d)[-_.](\d{2})(?![\d])", name):
        if 1 <= int(m[2]) <= 12:
            return month_end(int(m[1]), int(m[2]))
    return None


def given_date(text: str) -> dt.date:
    """A date as a user gives it (``--date``): 2018-03-31, 2018-03 (the month's last day), 31.03.2018.

    Raises ValueError with the accepted forms."""
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", t)) and 1 <= int(m[2]) <= 12:
            return month_end(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise ValueError(t)


# -- the workspace: a dataset folder in our own CSV format ---------------------------------------


def read_workspace(folder: Path) -> tuple[ManifestData, dict[str, dict[str, tuple[Cells, Origin]]]]:
    """The manifest and rows held from earlier imports (empty when there were none)."""
    import yaml

    if not (folder / "manifest.yaml").exists():
        return {}, {}
    problems = Problems()
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8")) or {}
    tables: dict[str, Table] = {}
    for kind in KINDS:
        path = folder / kind.file
        if path.exists() and (
            t := read_csv(path, kind.name, problems, f"{folder.name}/{kind.file}")
        ):
            tables[kind.name] = t
    problems.raise_if_any()
    files = {
        r.cells.get("id", ""): r.cells.get("file", "")
        for r in tables.get("sources", Table("", "", [], [])).rows
    }
    held: dict[str, dict[str, tuple[Cells, Origin]]] = {}
    for name, t in tables.items():
        for r in t.rows:
            cells = {k: v for k, v in r.cells.items() if v}
            held.setdefault(name, {})[key_of(name, cells)] = (
                cells,
                _origin(cells, files, t.file, r.number),
            )
    return manifest, held


def _origin(cells: Cells, files: dict[str, str], file: str, row: int) -> Origin:
    # The locator 'Ark:12' of an imported row points back into the spreadsheet it came from.
    sheet, _, number = cells.get("locator", "").rpartition(":")
    src = files.get(cells.get("source", ""), "")
    if src and number.isdigit():
        return Origin(f"{src} [{sheet}]" if sheet else src, int(number))
    return Origin(file, row)


def stage_workspace(
    folder: Path, manifest: ManifestData, tables: dict[str, dict[str, tuple[Cells, Origin]]]
) -> Path:
    """Write the merged dataset beside ``folder``; :func:`commit_workspace` puts it in place."""
    import shutil

    import yaml

    tmp = folder.with_name(folder.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    (tmp / "manifest.yaml").write_text(
        "# Written by kg import: the merged imports of this municipality (docs/importers.md).\n"
        + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    for kind in KINDS:
        rows = tables.get(kind.name)
        if not rows:
            continue
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        cols = [c.name for c in kind.columns]
        w.writerow(cols)
        for cells, _ in rows.values():
            w.writerow([cells.get(c, "") for c in cols])
        (tmp / kind.file).write_text(buf.getvalue(), encoding="utf-8")
    return tmp


def commit_workspace(folder: Path, staged: Path) -> None:
    import shutil

    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    staged.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


# -- merge and validate ---------------------------------------------------------------------------


@dataclass
class Prepared:
    """A validated merge: the manifest, the rows to write back and the records to load.

    ``dataset.nquads()`` streams the N-Quads to the store and the snapshot without making a
    Python object per quad (2.7 million for a 50 000-row portfolio); :attr:`quads` makes them."""

    manifest: Manifest
    manifest_data: ManifestData
    tables: dict[str, dict[str, tuple[Cells, Origin]]]
    records: list[Record]
    dataset: Dataset
    batch: Batch

    @property
    def quads(self) -> list[Quad]:
        return self.dataset.quads


def merge(
    held: dict[str, dict[str, tuple[Cells, Origin]]], batch: Batch
) -> dict[str, dict[str, tuple[Cells, Origin]]]:
    out = {k: dict(v) for k, v in held.items()}
    issued = {sid: c.get("issued", "") for sid, (c, _) in out.get("sources", {}).items()}
    day = batch.date.isoformat()

    def superseded(cells: Cells) -> bool:  # the held row is not newer than this batch
        return issued.get(cells.get("source", ""), "") <= day

    keep: set[tuple[str, str, str]] = set()  # (kind, column, value) held from a newer import
    for replaced, column, values, owner, *narrow in batch.replaces:
        rows = out.get(replaced, {})
        where = narrow[0] if narrow else {}
        mine = [
            (k, c)
            for k, (c, _) in rows.items()
            if c.get(column) in values
            and c.get("source", "").startswith(batch.importer + "-")
            and all(c.get(w) in vs for w, vs in where.items())
        ]
        keep |= {(replaced, column, c[column]) for _, c in mine if not superseded(c)}
        if owner:
            keep |= {
                (replaced, column, v)
                for v in values
                if v in out.get(owner, {}) and not superseded(out[owner][v][0])
            }
        for key, c in mine:
            if (replaced, column, c[column]) not in keep:
                del rows[key]
    # Held reports indexed once (30 000 evaluations are common)
    reports: dict[str, dict[tuple[str | None, ...], set[tuple[str, Body]]]] = {}
    for kind in KINDS:
        for key, cells in batch.rows.get(kind.name, {}).items():
            rows = out.setdefault(kind.name, {})
            origin = batch.origins[(kind.name, key)]
            if keep and any((kind.name, col, cells.get(col)) in keep for col in cells):
                continue  # a newer import already said what this one says about it
            if kind.name in SAME_AS_HELD:
                if kind.name not in reports:
                    reports[kind.name] = _held_reports(rows, SAME_AS_HELD[kind.name])
                same = reports[kind.name].get(
                    tuple(cells.get(c) for c in SAME_AS_HELD[kind.name]), set()
                )
                body = _body(cells)
                if any(src != cells.get("source") and b == body for src, b in same):
                    continue
            if key in rows and kind.name not in ("sources",) and not superseded(rows[key][0]):
                continue  # an older export imported late: keep the newer current state
            if kind.name in ("people", "organizations") and key in rows:
                continue  # a name written once stays as the workspace has it (it may be edited)
            present = batch.present.get(kind.name)
            if present is not None and key in rows:  # columns the file lacks keep their value
                old = rows[key][0]
                cells = {
                    c: v for c, v in old.items() if c not in present and c not in _IGNORE
                } | cells
            rows[key] = (cells, origin)
    for whole in batch.complete:  # held rows this complete listing leaves out: "not in this export"
        listed = batch.rows.get(whole, {})
        rows = out.get(whole, {})
        for key, (cells, origin) in list(rows.items()):
            if (
                key not in listed
                and not cells.get("missing_from")
                and cells.get("source", "").startswith(batch.importer + "-")
            ):
                rows[key] = ({**cells, "missing_from": day}, origin)
    return out


_IGNORE = {"source", "locator", "note"}


def _body(cells: Cells) -> Body:
    return tuple(sorted((k, v) for k, v in cells.items() if k not in _IGNORE))


def _held_reports(
    rows: dict[str, tuple[Cells, Origin]], same: tuple[str, ...]
) -> dict[tuple[str | None, ...], set[tuple[str, Body]]]:
    """Held reports by their subject (project + date): (source, body) pairs, for :func:`merge`."""
    out: dict[tuple[str | None, ...], set[tuple[str, Body]]] = {}
    for held, _ in rows.values():
        out.setdefault(tuple(held.get(c) for c in same), set()).add(
            (held.get("source", ""), _body(held))
        )
    return out


def validate(
    tables: dict[str, dict[str, tuple[Cells, Origin]]], problems: Problems
) -> list[Record]:
    """Every merged row through the dataset validation, problems pointing at the spreadsheet."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for kind, rows in tables.items():
        for cells, origin in rows.values():
            groups.setdefault((kind, origin.file), []).append(Row(origin.row, cells))
    inner = Problems()
    records: list[Record] = []
    for (kind, file), group in groups.items():
        names = [c.name for c in KIND[kind].columns]
        records.extend(table_records(Table(kind, file, names, group), inner))
    del groups
    if not inner:
        resolve(records, sdg.codes(), inner)
    if not inner:
        return records
    # One sheet row gives several records (project, status, people): pool their headers. Only
    # with problems to name: a dict per sheet row is 50 MB for a 50 000-row portfolio.
    origins: dict[tuple[str, int], Origin] = {}
    for rows in tables.values():
        for _, origin in rows.values():
            pooled = origins.setdefault((origin.file, origin.row), Origin(origin.file, origin.row))
            for col, header in origin.columns.items():
                pooled.columns.setdefault(col, header)
    for p in inner.items:  # our column names → the headers the user sees
        o = origins.get((p.file, p.row or 0))
        shown = o.columns.get(p.column or "", p.column) if o else p.column
        problems.items.append(Problem(p.file, p.code, p.row, shown, p.params))
    return records


def prepare(
    batch: Batch,
    ctx: Context,
    data: ManifestData,
    held: dict[str, dict[str, tuple[Cells, Origin]]],
    dataset: str,
    title: str | None = None,
    tables: dict[str, dict[str, tuple[Cells, Origin]]] | None = None,
) -> Prepared:
    """Merge ``batch`` into the rows ``held`` from earlier imports and validate it all; raise LoadError.

    ``tables`` is the merged workspace when the caller folded it already (loaders.history)."""
    data = data or {
        "name": dataset,
        "base": f"{DEFAULT_BASE}{dataset}/",
        "title": {"nb": title or ctx.municipality_name},
        "languages": ["nb", "en"],
        "sdg": True,
    }
    tables = merge(held, batch) if tables is None else tables
    problems = Problems()
    records = validate(tables, problems)
    problems.raise_if_any()
    m = Manifest(
        str(data["name"]),
        str(data["base"]),
        dict(data.get("title") or {}),
        list(data.get("languages") or ["nb", "en"]),
        sdg=bool(data.get("sdg", True)),
    )
    return Prepared(
        m, data, tables, records, Dataset(m, records, manifest_quads(m, len(records))), batch
    )


def plain(held: dict[str, dict[str, tuple[Cells, Origin]]]) -> dict[str, dict[str, Cells]]:
    """Held rows without their origins, for :class:`Context`."""
    return {k: {key: c for key, (c, _) in rows.items()} for k, rows in held.items()}


__all__ = ["Batch", "Context", "LoadError", "Origin", "Prepared", "prepare", "source_id"]
