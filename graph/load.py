"""Load a dataset into a store, all or nothing, with progress reported to a callback."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
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
    seconds: float  # until the new data is live
    compacting: float = 0.0  # then, while readers already see it
    view_lines: list[str] | None = None  # what the app's views read (graph/viewlines.py)
    view_note: str = ""  # why there are none: the views are then read from the store


def _quiet(en: str, nb: str) -> None:
    pass


def _counted(chunks: Iterator[bytes], progress: Progress) -> Iterator[bytes]:
    """The chunks as they are, with a progress line per chunk of a big load."""
    done = told = 0
    for chunk in chunks:
        if done - told >= 50_000:  # a small load needs no running count
            told = done
            progress(f"{done:,} triples handed to the store".replace(",", " "),
                     f"{done:,} tripler levert til lageret".replace(",", " "))  # fmt: skip
        done += chunk.count(b"\n")
        yield chunk


def load(store, path: Path | str, progress: Progress = _quiet) -> LoadReport:
    """Validate ``path`` completely, then replace that dataset's graphs in ``store`` in one step.

    A dataset is identified by its manifest name: loading it again replaces it, other datasets
    in the store stay. On any error nothing in the store changes.
    """
    started = time.perf_counter()
    progress(f"reading and validating {path}", f"leser og validerer {path}")
    ds: Dataset = read_dataset(path)
    progress(f"{len(ds.records)} records valid; writing to the store",
             f"{len(ds.records)} poster er gyldige; skriver til lageret")  # fmt: skip
    old = [g for g in store.graphs() if g.startswith(ds.manifest.graph_prefix)]
    replaced = set(old) | ds.graphs
    from graph import snapshots  # every load is kept as a dated snapshot (docs/importers.md)

    lines, note = None, "the store takes terms, not N-Quads"
    if hasattr(store, "replace_nquads"):
        from graph import viewlines

        before, note = viewlines.previous(store)
        collector = viewlines.Collector() if before is not None else None
        snap = snapshots.writer(store, ds.manifest.name)
        chunks = _counted(ds.nquads(), progress)
        chunks = snap.tee(chunks) if snap else chunks
        chunks = collector.tee(chunks) if collector else chunks
        try:
            size, count = store.replace_nquads(replaced, chunks)
        except BaseException:
            if snap:
                snap.abort()
            raise
        if snap:
            snap.commit()
        if collector is not None:
            lines = viewlines.merge(before, replaced, collector.lines)
            viewlines.save(store, lines)  # compact() carries it to the compacted generation
    else:  # a server store takes terms
        size, count = store.replace(replaced, ds.quads), len(ds.quads)
        snapshots.record(store, ds.manifest.name, ds.quads)
    seconds = time.perf_counter() - started
    if hasattr(store, "compact"):
        progress(f"{count} triples are live after {seconds:.1f} s; compacting for faster queries",
                 f"{count} tripler er i bruk etter {seconds:.1f} s; komprimerer for raskere spørringer")  # fmt: skip
        store.compact()
    total = time.perf_counter() - started
    progress(f"{count} triples written in {total:.1f} s; the store holds {size} triples",
             f"{count} tripler skrevet på {total:.1f} s; lageret har {size} tripler")  # fmt: skip
    return LoadReport(ds.manifest.name, len(ds.records), count, size, seconds, total - seconds,
                      lines, note)  # fmt: skip
