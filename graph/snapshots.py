"""Change over time: every load is kept as a dated snapshot, to diff and to query as of a date.

Layout, beside the store folder (``.kg/store`` → ``.kg/snapshots``)::

    .kg/snapshots/<dataset>/<YYYY-MM-DD>.nq

One N-Quads file per dataset and date holds the dataset's graphs exactly as that load wrote
them. The date is the data's date: the export date for ``kg import``, the day of the load for
``kg load``. A second load on the same date replaces that day's snapshot (the last word of a
day counts). :func:`as_of` builds an in-memory :class:`SnapshotStore` from the newest snapshot
of each dataset on or before a date; :func:`graph.diff.diff` compares two snapshots in readable terms.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph import aside
from graph.embedded import IN_MEMORY, EmbeddedStore
from graph.store import Capability, QueryError, Store

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Snapshot:
    dataset: str
    date: dt.date
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def root_for(store_path: Path | str) -> Path:
    """The snapshot folder that belongs to a store folder."""
    return Path(store_path).parent / "snapshots"


def root_of(store: Store) -> Path | None:
    """The snapshot folder of an on-disk store; None for in-memory and server stores."""
    return root_for(store.root) if store.supports(Capability.GENERATIONS) else None


def save(root: Path, dataset: str, date: dt.date, quads: Iterable[ox.Quad]) -> Path:
    """Write one snapshot (atomically: a reader never sees half a file)."""
    folder = root / dataset
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{date.isoformat()}.nq"
    tmp = _tmp_beside(path)
    ox.serialize(dict.fromkeys(quads), str(tmp), ox.RdfFormat.N_QUADS)  # the same quad once
    os.replace(tmp, path)
    return path


def _tmp_beside(path: Path) -> Path:
    """A file of its own beside ``path``: two loads of one dataset into stores that share a
    folder (so a snapshot folder) once wrote the same ``<date>.nq.tmp``, and the second's
    rename found it gone (exit 2). Each now writes its own; the last to finish is the day's."""
    # not mkstemp: its 0600 would make the day's snapshot unreadable to the others of a shared
    # folder; the file is created by its writer with the umask's mode, as before
    # the pid last, as graph.aside names its writers' files: drop_stale removes one whose
    # writer died (a load killed mid-snapshot), never one a live load is writing
    aside.drop_stale(path.parent)
    return path.with_name(f"{path.stem}.{secrets.token_hex(4)}.{os.getpid()}.tmp")


class Writer:
    """A snapshot written chunk by chunk while a load runs; it appears only on :meth:`commit`."""

    def __init__(self, root: Path, dataset: str, date: dt.date):
        folder = root / dataset
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{date.isoformat()}.nq"
        self._tmp = _tmp_beside(self.path)
        self._file = open(self._tmp, "wb")  # noqa: SIM115 - closed by commit or abort

    def tee(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self._file.write(chunk)
            yield chunk

    def commit(self) -> Path:
        self._file.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


def enabled() -> bool:
    return os.environ.get("KG_SNAPSHOTS", "1").strip().lower() not in ("0", "no", "off", "false")


def writer(store: Store, dataset: str, date: dt.date | None = None) -> Writer | None:
    """A :class:`Writer` for a load into an on-disk store; None when snapshots are off or moot.

    ``KG_SNAPSHOTS=0`` turns snapshots off.
    """
    root = root_of(store)
    if root is None or not enabled():
        return None
    return Writer(root, dataset, date or dt.date.today())


def record(
    store: Store, dataset: str, quads: Iterable[ox.Quad], date: dt.date | None = None
) -> Path | None:
    """Keep a snapshot of a load when the store lives on disk (called by graph.load.load).

    ``KG_SNAPSHOTS=0`` turns this off, e.g. for a benchmark that times loads of a million triples.
    """
    if not enabled():
        return None
    root = root_of(store)
    return save(root, dataset, date or dt.date.today(), quads) if root is not None else None


def listing(root: Path, dataset: str | None = None) -> list[Snapshot]:
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if dataset and folder.name != dataset:
            continue
        for f in sorted(folder.glob("*.nq")):
            if DATE.match(f.stem):
                out.append(Snapshot(folder.name, dt.date.fromisoformat(f.stem), f))
    return out


def read(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def lines_with(path: Path, predicates: Collection[str]) -> dict[str, list[bytes]]:
    """The lines of the snapshot at ``path`` whose predicate is one of ``predicates`` (IRIs), as
    they are (N-Quads text), by predicate.

    For an answer that reads a few predicates of a snapshot: :func:`read` makes a Python object
    of every quad, ~50 s for a national snapshot of 10⁷ quads, where a scan of its lines takes
    a few seconds (the history strip: issue 16)."""
    wanted = {f"<{p}>".encode(): p for p in predicates}
    out: dict[str, list[bytes]] = {p: [] for p in predicates}
    with open(path, "rb") as f:
        for line in f:
            parts = line.split(None, 2)  # N-Quads may separate terms by tabs or several spaces
            if len(parts) == 3:
                p = wanted.get(parts[1])
                if p is not None:  # the last line may lack its end: kept lines are joined
                    out[p].append(line if line.endswith(b"\n") else line + b"\n")
    return out


def find(root: Path, ref: str, dataset: str | None = None) -> Snapshot:
    """A snapshot by date (YYYY-MM-DD: the newest on or before it), 'latest', 'previous' or file."""
    if ref.endswith(".nq") and Path(ref).is_file():
        p = Path(ref)
        return Snapshot(
            p.parent.name, dt.date.fromisoformat(p.stem) if DATE.match(p.stem) else dt.date.min, p
        )
    snaps = listing(root, dataset)
    names = sorted({s.dataset for s in snaps})
    if not snaps:
        raise QueryError(
            f"no snapshots in {root}{f' for {dataset}' if dataset else ''}; load or import first",
            f"ingen øyeblikksbilder i {root}{f' for {dataset}' if dataset else ''}; last eller importer først",
        )
    if len(names) > 1:
        raise QueryError(
            f"snapshots of several datasets ({', '.join(names)}): choose one with --dataset",
            f"øyeblikksbilder av flere datasett ({', '.join(names)}): velg ett med --dataset",
        )
    if ref in ("latest", "siste"):
        return snaps[-1]
    if ref in ("previous", "forrige"):
        return snaps[-2] if len(snaps) > 1 else snaps[-1]
    day = _day(ref)
    hits = [s for s in snaps if s.date <= day]
    if not hits:
        raise QueryError(
            f"no snapshot of {names[0]} on or before {ref} (first: {snaps[0].date})",
            f"ingen øyeblikksbilde av {names[0]} på eller før {ref} (første: {snaps[0].date})",
        )
    return hits[-1]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise QueryError(
            f"'{text}' is not a date (YYYY-MM-DD), 'latest', 'previous' or a .nq file",
            f"'{text}' er ikke en dato (ÅÅÅÅ-MM-DD), 'siste', 'forrige' eller en .nq-fil",
        ) from None


class SnapshotStore(EmbeddedStore):
    """An in-memory store of snapshots; :attr:`as_of` says which date of each dataset it holds."""

    capabilities = IN_MEMORY | {Capability.AS_OF}

    def __init__(self, dates: dict[str, dt.date]):
        super().__init__(None)
        self.capabilities = SnapshotStore.capabilities
        self._as_of = dict(dates)

    @property
    def as_of(self) -> dict[str, dt.date]:
        return dict(self._as_of)


def as_of(root: Path, day: dt.date | str, datasets: list[str] | None = None) -> SnapshotStore:
    """An in-memory store holding every dataset as it stood on ``day`` (its newest snapshot ≤ day)."""
    day = _day(day) if isinstance(day, str) else day
    chosen: dict[str, Snapshot] = {}
    for s in listing(root):
        if s.date <= day and (not datasets or s.dataset in datasets):
            chosen[s.dataset] = s  # listing is sorted by date within a dataset
    if not chosen:
        raise QueryError(
            f"no snapshot on or before {day} in {root}",
            f"ingen øyeblikksbilder på eller før {day} i {root}",
        )
    store = SnapshotStore({name: s.date for name, s in chosen.items()})
    quads: dict[ox.Quad, None] = {}
    for s in chosen.values():
        for q in read(s.path):
            quads[q] = None  # the shared SDG graph comes with each dataset: keep one copy
    store.replace([], quads.keys())
    return store
