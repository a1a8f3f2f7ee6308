"""Load a dataset into a store, all or nothing, with progress reported to a callback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph import snapshots, viewlines  # every load is kept as a dated snapshot (docs/importers.md)
from graph.store import Capability, Store
from graph.viewparse import Parsed
from loaders import limits
from loaders.dataset import Dataset, read_dataset
from loaders.errors import LoadError, Problem

Progress = Callable[[str, str], None]  # (english, norwegian)


@dataclass
class LoadReport:
    name: str
    records: int
    quads: int
    store_size: int
    seconds: float  # until the new data is live
    compacting: float = 0.0  # then, while readers already see it (0: compacted before the switch)
    moved: int = 0  # quads moved out of another dataset's graph (--foreign-graphs move)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (en, nb), loaded anyway
    view_lines: Path | None = None  # the file of what the app's views read (graph/viewlines.py)
    view_note: str = ""  # why there are none: the views are then read from the store
    views_seconds: float = 0.0  # ``views(...)`` of :func:`load`, once the data is live


def _quiet(en: str, nb: str) -> None:
    pass


def _counted(
    chunks: Iterator[bytes], progress: Progress, cap: int, env: str, file: str
) -> Iterator[bytes]:
    """The chunks as they are, with a progress line per chunk of a big load; stop at ``cap``."""
    done = told = 0
    for chunk in chunks:
        if done - told >= 50_000:  # a small load needs no running count
            told = done
            progress(
                f"{done:,} triples handed to the store".replace(",", " "),
                f"{done:,} tripler levert til lageret".replace(",", " "),
            )
        done += chunk.count(b"\n")
        if done > cap:  # raised inside the store's write: the new generation is thrown away
            raise LoadError([Problem(file, "too_many_triples", params={"limit": cap, "env": env})])
        yield chunk


def iris_valid(base: str, graphs: Iterable[str]) -> bool:
    """True when the IRIs of a load's or an import's N-Quads are valid: the store may skip
    checking them (a quarter of Oxigraph's CPU time at 1M triples).

    Every IRI a load writes is a graph, the ontology's or the SDGs' (constants), or the base
    followed by a segment and a percent-encoded id (loaders.triples.Minter); the manifest's own
    quads are built as terms, which check themselves. Checking the base and the graphs here
    checks them all. A bad base is left to the store's parser to refuse, as before."""
    try:
        for iri in (base + "x", *graphs):
            ox.NamedNode(iri)
    except ValueError:
        return False
    return True


DATASETS = "SELECT ?g ?id WHERE { GRAPH ?g { ?d a kg:Dataset ; dct:identifier ?id } }"


def _check_base(store: Store, ds: Dataset, file: str) -> None:
    """Refuse a dataset whose base overlaps another dataset's: its load would replace their graphs.

    A dataset is known by its name; a manifest that borrows another dataset's base (or one
    inside it) would otherwise drop that dataset's graphs as its own "old" ones.
    """
    if store.language != "sparql":
        return
    ours = ds.manifest.graph_prefix
    for graph, ident in store.query(DATASETS).rows:
        theirs = str(graph).removesuffix("manifest")
        if str(ident) != ds.manifest.name and (theirs.startswith(ours) or ours.startswith(theirs)):
            base = theirs.removesuffix("graph/")
            raise LoadError(
                [
                    Problem(
                        file,
                        "base_taken",
                        params={"base": ds.manifest.base, "other": str(ident), "other_base": base},
                    )
                ]
            )


class _Ahead:
    """Runs ``ahead(parsed)`` of :func:`load` on a thread from the moment the last chunk is
    made: the store's writers still parse the last chunks, then compact (both without the
    GIL), while the views that need only the load's lines are built beside them."""

    def __init__(
        self, ahead: Callable[[Parsed], object] | None, collector: viewlines.Collector | None
    ) -> None:
        self.ahead, self.collector = ahead, collector
        self.thread: threading.Thread | None = None

    def after(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The chunks as they are; once they are all made, :meth:`start`."""
        yield from chunks
        self.start()

    def start(self) -> None:
        if self.ahead is None or self.collector is None or self.thread is not None:
            return
        parsed, ahead = self.collector.parsed, self.ahead
        parsed.seen = set()  # every line is read: ~40 MB of the triples' hashes are free

        def run() -> None:
            try:
                ahead(parsed)
            except Exception:  # the views are then built after the switch, as without it
                pass

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        """Wait for it, if it started (not when the chunks were not all made: a failure)."""
        if self.thread is not None:
            self.thread.join()


def _with_lines(
    asked: Callable[[Store, Parsed | None], object] | None,
    collector: viewlines.Collector | None,
) -> Callable[[Store], object] | None:
    """``asked(reader)`` for the store: ``asked`` given the lines the collector read."""
    if asked is None:
        return None
    parsed = collector.parsed if collector is not None else None
    return lambda reader: asked(reader, parsed)


def load(
    store: Store,
    path: Path | str,
    progress: Progress = _quiet,
    foreign: str = "refuse",
    max_triples: int | None = None,
    limit_env: str = "KG_MAX_TRIPLES",
    views: Callable[[Parsed | None, str], object] | None = None,
    ahead: Callable[[Parsed], object] | None = None,
    compacted: Callable[[Store, Parsed | None], object] | None = None,
) -> LoadReport:
    """Validate ``path`` completely, then replace that dataset's graphs in ``store`` in one step.

    A dataset is identified by its manifest name: loading it again replaces it, other datasets
    in the store stay. On any error nothing in the store changes.

    A store that compacts compacts the new generation before it switches to it (as an import
    does): compacting a copy after the switch rewrote every file a second time, and the views'
    queries then ran on the uncompacted generation at twice their cost (issue 16).
    ``ahead(parsed)``, if given, runs on a thread from the moment the last chunk is made,
    while the store writes and compacts (RocksDB works without the GIL), with the kept view
    lines as read during the load: ``kg load`` builds the parts of the app's views that need
    only those lines then; the switch waits for it. ``views(parsed, note)``, if
    given, runs once the new data is live: the rest of the views, from the same lines (None
    and why not when there are none). ``compacted(reader, parsed)``, if given, runs once the
    new generation is compacted, before the switch, beside ``ahead``, with a store that
    reads the new generation and the load's view lines (see
    :meth:`graph.embedded.EmbeddedStore.replace_nquads`).
    """
    started = time.perf_counter()
    progress(f"reading and validating {path}", f"leser og validerer {path}")
    cap = max_triples or limits.max_triples()
    ds: Dataset = read_dataset(path, foreign, cap, limit_env)
    _check_base(store, ds, Path(path).name)
    progress(
        f"{len(ds.records)} records valid; writing to the store",
        f"{len(ds.records)} poster er gyldige; skriver til lageret",
    )
    old = [g for g in store.graphs() if g.startswith(ds.manifest.graph_prefix)]
    replaced = set(old) | ds.graphs
    lines: Path | None = None
    note = "the store takes terms, not N-Quads"
    collector: viewlines.Collector | None = None
    if store.supports(Capability.REPLACE_NQUADS):
        before, note = viewlines.previous(store)
        if before is not None:  # the kept graphs' lines are read first, as merge() orders them
            collector = viewlines.Collector(viewlines.kept(before, replaced), viewlines.sink(store))
            before = None  # read into the collector: not kept beside it (a reload holds ~180 MB)
        snap = snapshots.writer(store, ds.manifest.name)
        # the collector gets the lines the views read as terms, before each chunk passes
        chunks = _counted(ds.nquads(sink=collector), progress, cap, limit_env, Path(path).name)
        chunks = snap.tee(chunks) if snap else chunks
        early = _Ahead(ahead, collector)
        chunks = early.after(chunks)
        try:
            size, count = store.replace_nquads(
                replaced,
                chunks,
                lenient=iris_valid(ds.manifest.base, replaced),
                compact=store.supports(Capability.COMPACT),
                meanwhile=early.join,
                compacted=_with_lines(compacted, collector),
            )
        except BaseException:
            early.join()  # not left running beside the caller's handling of the failure
            if snap:
                snap.abort()
            if collector is not None:
                collector.abort()
            raise
        if snap:
            snap.commit()
        if collector is not None:
            # written while loading: beside the generation just switched to
            lines = collector.place(store)
            if lines is not None:
                note = ""
            elif viewlines.sink(store) is None:
                note = "the store is not on disk"
            else:
                note = "the kept view lines could not be written"
            collector.parsed.seen = set()  # the triples' hashes: ~40 MB the views do not need
    else:  # a server store takes terms
        if len(ds.quads) > cap:
            raise LoadError(
                [
                    Problem(
                        Path(path).name, "too_many_triples", params={"limit": cap, "env": limit_env}
                    )
                ]
            )
        size, count = store.replace(replaced, ds.quads), len(ds.quads)
        snapshots.record(store, ds.manifest.name, ds.quads)
    seconds = time.perf_counter() - started
    took: list[float] = []

    def build_views() -> None:
        if views is not None:
            begun = time.perf_counter()
            views(collector.parsed if collector is not None else None, note)
            took.append(time.perf_counter() - begun)

    if views is not None:
        progress(
            f"{count} triples are live after {seconds:.1f} s; preparing the app's views",
            f"{count} tripler er i bruk etter {seconds:.1f} s; forbereder visningene til appen",
        )
    build_views()
    total = time.perf_counter() - started
    progress(
        f"{count} triples written in {total:.1f} s; the store holds {size} triples",
        f"{count} tripler skrevet på {total:.1f} s; lageret har {size} tripler",
    )
    return LoadReport(
        ds.manifest.name,
        len(ds.records),
        count,
        size,
        seconds,
        0.0,  # compacted before the switch
        ds.moved,
        ds.warnings,
        lines,
        note,
        sum(took),
    )
