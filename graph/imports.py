"""Import a municipality's files into a store: the library call behind ``kg import`` and the app.

:func:`import_file` reads a Prosjektportalen export (``importer="pp"``) or an ICT system
register (``importer="register"``), merges it with the municipality's earlier imports (its
workspace, a dataset folder beside the store: ``.kg/imports/<dataset>``), validates the whole
dataset, and only then replaces that dataset in the store, writes the workspace and keeps a
dated snapshot. Any problem raises :class:`loaders.errors.LoadError` and changes nothing.

An in-memory store (the app's upload session) keeps its workspace in memory, so a register
imported after a portfolio joins it instead of replacing it. :func:`suggest_mapping` lists the
columns of a file that no importer knows, with close matches, for the app's mapping dialog.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import snapshots
from graph.load import iris_valid
from graph.store import Capability, Store
from loaders import history
from loaders.errors import LoadError, Problems
from loaders.importing import (
    Batch,
    Context,
    Prepared,
    commit_workspace,
    date_from_name,
    plain,
    prepare,
    read_workspace,
    stage_workspace,
)
from loaders.mapping import Suggestions, Vocabulary, load_mapping, suggest
from loaders.spreadsheet import slug

IMPORTERS = ("pp", "register")
KIND_WORDS = {
    "people": "personer",
    "projects": "prosjekter",
    "status_reports": "statusrapporter",
    "dependencies": "avhengigheter",
    "memberships": "roller",
    "systems": "systemer",
    "domains": "delområder",
    "system_usages": "systembruk",
    "evaluations": "vurderinger",
    "bodies": "organer",  # steering groups named in a portfolio export
}
# An in-memory store has no folder for its workspace: keep it beside the store, per dataset.
_MEMORY: weakref.WeakKeyDictionary[
    Store, dict[str, tuple[dict[str, Any], dict[str, Any], list[Any]]]
] = weakref.WeakKeyDictionary()


Progress = Callable[[str, str], None]  # (en, nb) progress messages


def _quiet(en: str, nb: str) -> None:
    pass


@dataclass
class ImportReport:
    """What an import did, for the CLI and the app."""

    dataset: str
    importer: str
    date: dt.date
    counts: dict[str, int]  # rows of this file per kind
    records: int
    quads: int
    store_size: int
    seconds: float
    ignored: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    workspace: Path | None = None
    snapshot: Path | None = None
    dry_run: bool = False
    date_reason: tuple[str, str] = ("", "")  # (en, nb): which date was used and why
    no_status: dict[str, int] = field(default_factory=dict)  # column → cells without a status

    def as_dict(self, lang: str = "nb") -> dict[str, Any]:
        """The report as one JSON-ready document (``kg import … -f json``)."""
        return {
            "dataset": self.dataset,
            "importer": self.importer,
            "date": self.date.isoformat(),
            "date_reason": self.date_reason[lang == "nb"],
            "counts": self.counts,
            "records": self.records,
            "triples": self.quads,
            "seconds": round(self.seconds, 2),
            "unknown": self.unknown,
            "ignored": self.ignored,
            "no_status": self.no_status,
            "dry_run": self.dry_run,
            "snapshot": str(self.snapshot) if self.snapshot else None,
            "text": self.text(lang),
        }

    def text(self, lang: str = "nb") -> str:
        words = KIND_WORDS if lang == "nb" else {k: k.replace("_", " ") for k in self.counts}
        shown = [(k, n) for k, n in self.counts.items() if k not in ("sources", "organizations")]
        kinds = ", ".join(f"{n} {words.get(k, k)}" for k, n in shown)
        text = _REPORT["nb" if lang == "nb" else "en"]
        head = text["head"].format(verb=text["verbs"][not self.dry_run], r=self, kinds=kinds)
        tail = [
            text[k].format(", ".join(v))
            for k, v in (("unknown", self.unknown), ("ignored", self.ignored))
            if v
        ]
        if self.date_reason[0]:
            tail.insert(0, text["date"].format(self.date, self.date_reason[lang == "nb"]))
        if self.no_status:
            tail.append(
                text["no_status"].format(", ".join(f"{c} {n}" for c, n in self.no_status.items()))
            )
        return "\n".join([head, *tail])


_REPORT: dict[str, dict[str, Any]] = {
    "nb": {
        "verbs": ("Sjekket", "Importerte"),
        "head": "{verb} {r.importer} per {r.date} til '{r.dataset}': {kinds}; datasettet har nå {r.records} poster "
        "({r.quads} tripler, {r.seconds:.1f} s).",
        "unknown": "Ukjente kolonner (se 'kg import suggest'): {}",
        "ignored": "Kjente kolonner som ikke lagres: {}",
        "date": "Dato {}: {}.",
        "no_status": "Uten status (tomt, «Vet ikke», «Ikke vurdert» o.l.), celler per kolonne: {}",
    },
    "en": {
        "verbs": ("Checked", "Imported"),
        "head": "{verb} {r.importer} as of {r.date} into '{r.dataset}': {kinds}; the dataset now has {r.records} "
        "records ({r.quads} triples, {r.seconds:.1f} s).",
        "unknown": "Unknown columns (see 'kg import suggest'): {}",
        "ignored": "Known columns that are not stored: {}",
        "date": "Date {}: {}.",
        "no_status": "No status (empty, «Vet ikke», «Ikke vurdert» …), cells per column: {}",
    },
}


def vocabulary(importer: str) -> Vocabulary:
    if importer == "pp":
        from loaders.prosjektportalen import VOCAB
    elif importer == "register":
        from loaders.register import VOCAB
    else:
        raise ValueError(f"unknown importer {importer!r} (pp, register)")
    return VOCAB


def _reader(importer: str) -> Callable[[Path, Context, Problems], Batch | None]:
    if importer == "pp":
        from loaders.prosjektportalen import read_portfolio

        return read_portfolio
    from loaders.register import read_register

    return read_register


def workspace_of(store: Store, dataset: str) -> Path | None:
    if not store.supports(Capability.GENERATIONS):  # in memory or on a server
        return None
    return Path(store.root).parent / "imports" / dataset


def _municipality(text: str, held: dict[str, Any]) -> tuple[str, str]:
    mid = slug(text)
    name = held.get("organizations", {}).get(mid, {}).get("name")
    if name:
        return mid, name
    # "nye-vestby" given as an id reads as «Nye Vestby»; a written name is kept as written.
    return mid, " ".join(w.capitalize() for w in text.split("-")) if text == mid else text.strip()


def read_batch(
    path: Path | str,
    importer: str,
    municipality: str,
    *,
    date: dt.date | None = None,
    mapping: Path | str | None = None,
    held: dict[str, Any] | None = None,
) -> tuple[Batch, Context]:
    """Only read and check one file (no workspace, no store): a :class:`Batch` or LoadError."""
    path = Path(path)
    problems = Problems()
    vocab = vocabulary(importer)
    m = load_mapping(mapping, vocab, problems)
    problems.raise_if_any()
    held = held or {}
    mid, name = _municipality(municipality, held)
    ctx = Context(mid, name, dt.date.today(), m, held)
    if date is not None:
        ctx.date, ctx.date_given = date, True
        ctx.date_reason = ("given with --date", "oppgitt med --date")
    elif (named := date_from_name(path.name)) is not None:
        ctx.date = named  # the importer may prefer the file's own latest report date
        ctx.date_reason = (f"from the file name '{path.name}'", f"fra filnavnet '{path.name}'")
    else:
        ctx.date_reason = (
            "no date in --date, the file or its name: today",
            "ingen dato i --date, filen eller filnavnet: i dag",
        )
    batch = _reader(importer)(path, ctx, problems)
    problems.raise_if_any()
    assert batch is not None  # a reader returns None only with problems, raised just above
    return batch, ctx


def import_file(
    store: Store,
    path: Path | str,
    importer: str,
    municipality: str,
    *,
    dataset: str | None = None,
    date: dt.date | None = None,
    mapping: Path | str | None = None,
    workspace: Path | None = None,
    dry_run: bool = False,
    snapshot_root: Path | None = None,
    progress: Progress = _quiet,
) -> ImportReport:
    """Import one file into ``store`` all or nothing; raise LoadError naming file/sheet/row/column."""
    # An import makes millions of small objects and frees few of them until it is done: the
    # cyclic garbage collector would walk them again and again (as in loaders.dataset).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_file(
            store, path, importer, municipality, dataset, date, mapping, workspace, dry_run,
            snapshot_root, progress,
        )  # fmt: skip
    finally:
        if enabled:
            gc.enable()


def _import_file(
    store: Store,
    path: Path | str,
    importer: str,
    municipality: str,
    dataset: str | None,
    date: dt.date | None,
    mapping: Path | str | None,
    workspace: Path | None,
    dry_run: bool,
    snapshot_root: Path | None,
    progress: Progress,
) -> ImportReport:
    started = time.perf_counter()
    if importer not in IMPORTERS:
        raise ValueError(f"unknown importer {importer!r} (pp, register)")
    dataset = dataset or slug(municipality)
    folder = workspace or workspace_of(store, dataset)
    if folder is not None:
        data, held = read_workspace(folder)
        log = history.read_log(folder)
    else:
        data, held, log = _MEMORY.get(store, {}).get(dataset, ({}, {}, []))
    if held and not log:  # a workspace from before the log: the fold starts from it
        log = [history.base_batch(held)]
    progress(f"reading {Path(path).name}", f"leser {Path(path).name}")
    batch, ctx = read_batch(
        path, importer, municipality, date=date, mapping=mapping, held=plain(held)
    )
    progress(
        "merging with earlier imports and validating",
        "slår sammen med tidligere importer og validerer",
    )
    # Every import is folded in date order with the logged ones, so the order of imports does
    # not matter; the snapshots from this date on are made again from their folds.
    log = history.with_batch(log, batch)
    later = sorted({b.date for b in log if b.importer != history.BASE and b.date > batch.date})
    tables = history.fold(log)
    if folder is not None and not later:  # no other fold to make: the fold's rows hold them
        _free_origins(log)
    prep = prepare(batch, ctx, data, held, dataset, tables=tables)
    del tables
    counts = {k: len(v) for k, v in batch.rows.items()}
    report = ImportReport(
        dataset,
        importer,
        ctx.date,
        counts,
        len(prep.records),
        0,
        0,
        0.0,
        batch.ignored,
        batch.unknown,
        folder,
        None,
        dry_run,
        ctx.date_reason,
        dict(batch.no_status),
    )
    root = None if dry_run else snapshot_root or snapshots.root_of(store)
    last = later[-1] if later else batch.date
    if root is not None:  # the snapshots before the newest one (an older export imported late)
        for d in [batch.date, *later][:-1] if later else []:
            p = prepare(batch, ctx, data, held, dataset, tables=history.fold(log, d))
            _write_snapshot(root, dataset, d, p.dataset.nquads())
    if dry_run:
        report.quads = sum(chunk.count(b"\n") for chunk in prep.dataset.nquads())
    else:
        del held, data  # the earlier rows are in the fold now: free them before the store load
        ctx.held = {}
        _apply(store, prep, folder, report, progress, log, root, last)
        if root is not None:
            report.snapshot = root / prep.manifest.name / f"{batch.date}.nq"
    report.seconds = time.perf_counter() - started
    return report


def _free_origins(log: list[Any]) -> None:
    """Drop the batches' origins (20 MB at 50 000 projects); the log on disk does not keep them."""
    for b in log:
        b.origins.clear()


def _write_snapshot(root: Path, dataset: str, day: dt.date, chunks: Iterable[bytes]) -> Path:
    w = snapshots.Writer(root, dataset, day)
    try:
        for _ in w.tee(chunks):
            pass
    except BaseException:
        w.abort()
        raise
    return w.commit()


def _apply(
    store: Store,
    prep: Prepared,
    folder: Path | None,
    report: ImportReport,
    progress: Progress,
    log: list[Any],
    root: Path | None,
    day: dt.date,
) -> None:
    # Stage the workspace, swap the store in one step, then put the workspace in place: a
    # failure before the swap leaves store and workspace as they were. An on-disk store stages
    # it while RocksDB compacts the new generation (on the other core, before the swap).
    staged: list[Path] = []

    def stage() -> None:
        if folder is None:
            return
        staged.append(stage_workspace(folder, prep.manifest_data, prep.tables))
        history.write_log(staged[0], log)
        # The rows are on disk now: free them (the store holds the records' quads).
        prep.tables.clear()
        for b in [prep.batch, *log]:  # this import and the logged ones, written just above
            b.rows.clear()
            b.origins.clear()

    progress(
        f"{len(prep.records)} records; writing to the store",
        f"{len(prep.records)} poster; skriver til lageret",
    )
    old = {g for g in store.graphs() if g.startswith(prep.manifest.graph_prefix)}
    snap = snapshots.Writer(root, prep.manifest.name, day) if root is not None else None
    try:
        if store.supports(Capability.REPLACE_NQUADS):  # streamed: no Python object per quad
            graphs = prep.dataset.graphs
            # Made in the store's size (no copies); each record dropped once written.
            chunks = prep.dataset.nquads(STORE_CHUNK, release=True)
            report.store_size, report.quads = store.replace_nquads(
                old | graphs,
                snap.tee(chunks) if snap else chunks,
                lenient=iris_valid(prep.manifest.base, graphs),
                # Queries on a freshly bulk-loaded store are slower: compacted before the swap.
                compact=store.supports(Capability.COMPACT),
                meanwhile=stage,
            )
        else:  # a server store takes terms
            stage()
            quads = prep.quads
            report.store_size, report.quads = (
                store.replace(old | prep.dataset.graphs, quads),
                len(quads),
            )
            if snap is not None:
                for _ in snap.tee(_nquads(quads)):
                    pass
    except BaseException:
        if snap is not None:
            snap.abort()
        if staged:  # no half-written workspace or log left beside the workspace
            import shutil

            shutil.rmtree(staged[0], ignore_errors=True)
        raise
    if snap is not None:
        snap.commit()
    if staged and folder is not None:  # staged only when there is a folder
        commit_workspace(folder, staged[0])
    else:
        _MEMORY.setdefault(store, {})[prep.manifest.name] = (prep.manifest_data, prep.tables, log)


STORE_CHUNK = 20_000  # lines per bulk load: 100 000 took 100 MB more at 10 000 projects, no faster


def _nquads(quads: Iterable[ox.Quad]) -> list[bytes]:

    return [ox.serialize(dict.fromkeys(quads), format=ox.RdfFormat.N_QUADS) or b""]


def suggest_mapping(
    path: Path | str, importer: str | None = None, mapping: Path | str | None = None
) -> Suggestions:
    """Columns (and values) of ``path`` that the importer does not know, with close matches.

    With ``importer=None`` both importers are tried and the one that knows more columns wins.
    ``Suggestions.yaml()`` is a draft mapping file for the municipality to complete.
    """
    options = [importer] if importer else list(IMPORTERS)
    best: Suggestions | None = None
    for name in options:
        vocab = vocabulary(name)
        problems = Problems()
        m = load_mapping(mapping, vocab, problems)
        if problems and importer:
            raise LoadError(problems.items)
        s = suggest(path, vocab, None if problems else m, "Title" if name == "pp" else "system")
        # The importer whose header names more of its fields wins; on a tie, fewer unknowns.
        # (Fewer unknowns alone let an importer that found no header at all win with the
        # one title row it fell back to.)
        if best is None or (s.known, -len(s.columns)) > (best.known, -len(best.columns)):
            best = s
    assert best is not None  # options is never empty
    return best


def export_kind(path: Path | str) -> str | None:
    """'pp' or 'register' when ``path`` (a file, or a folder without manifest) looks like an
    export for ``kg import`` rather than a dataset for ``kg load``; None otherwise."""
    from loaders.mapping import pick_sheet
    from loaders.spreadsheet import read_sheets

    path = Path(path)
    files = (
        [path]
        if path.is_file()
        else []
        if (path / "manifest.yaml").exists()
        else sorted(p for p in path.glob("*") if p.suffix.lower() in (".xlsx", ".csv"))[:20]
        if path.is_dir()
        else []
    )
    for f in files:
        if f.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
            continue
        sheets = read_sheets(f, Problems())
        if any(s.name == "manifest" for s in sheets):
            return None  # a dataset workbook
        for name, required in (("pp", "Title"), ("register", "system")):
            if pick_sheet(sheets, vocabulary(name), None, required)[0] is not None:
                return name
    return None


def add_import_hint(err: LoadError, path: Path | str) -> LoadError:
    """A failed ``kg load`` of a portfolio export or ICT register: say to use ``kg import``."""
    kind = export_kind(path)
    if kind is not None:
        from loaders.errors import Problem

        err.problems.insert(
            0,
            Problem(
                Path(path).name,
                "use_import",
                None,
                None,
                {"command": f'kg import {kind} {path} --municipality "…"'},
            ),
        )
    return err


__all__ = [
    "ImportReport",
    "add_import_hint",
    "export_kind",
    "import_file",
    "read_batch",
    "suggest_mapping",
]
