"""Load a dataset into a store, all or nothing, with progress reported to a callback."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.dataset import Dataset, read_dataset

Progress = Callable[[str, str], None]  # (english, norwegian)


@dataclass
class LoadReport:
    name: str
    records: int
    quads: int
    store_size: int
    seconds: float


def _quiet(en: str, nb: str) -> None:
    pass


def load(store, path: Path | str, progress: Progress = _quiet) -> LoadReport:
    """Validate ``path`` completely, then replace that dataset's graphs in ``store`` in one step.

    A dataset is identified by its manifest name: loading it again replaces it, other datasets
    in the store stay. On any error nothing in the store changes.
    """
    started = time.perf_counter()
    progress(f"reading and validating {path}", f"leser og validerer {path}")
    ds: Dataset = read_dataset(path)
    progress(f"{len(ds.records)} records, {len(ds.quads)} triples; writing to the store",
             f"{len(ds.records)} poster, {len(ds.quads)} tripler; skriver til lageret")  # fmt: skip
    old = [g for g in store.graphs() if g.startswith(ds.manifest.graph_prefix)]
    replaced = set(old) | ds.graphs
    size = store.replace(replaced, ds.quads)
    from graph import snapshots  # every load is kept as a dated snapshot (docs/importers.md)

    snapshots.record(store, ds.manifest.name, ds.quads)
    seconds = time.perf_counter() - started
    progress(f"done in {seconds:.1f} s; the store holds {size} triples",
             f"ferdig på {seconds:.1f} s; lageret har {size} tripler")  # fmt: skip
    return LoadReport(ds.manifest.name, len(ds.records), len(ds.quads), size, seconds)
