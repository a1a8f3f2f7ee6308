"""The embedded store: pyoxigraph, persisted to a local folder, no server needed.

Writes never touch the generation that readers have open: :meth:`EmbeddedStore.replace`
builds a new generation folder (the kept graphs plus the new quads), then flips the
``current`` link atomically. A failed load leaves the previous graph exactly as it was, and
a restart opens the folder without parsing anything again. ``path=None`` gives an in-memory
store (tests, one app session's upload).
"""

from __future__ import annotations

import contextlib
import gc
import os
import queue
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.binding import bind
from graph.safety import check_sparql
from graph.store import Capability, LimitExceeded, Limits, Progress, QueryError, Result, Store
from graph.values import to_python, to_term
from graph.writelock import writer_lock
from ontology.terms import PREFIXES

BATCH = 100_000  # quads per bulk_extend call: one huge call is slower and holds a copy of all


def _bulk_extend(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    it = iter(quads)
    while batch := list(islice(it, BATCH)):
        store.bulk_extend(batch)


KEEP = 3  # generations kept: the current one and two before it (for open readers)
WRITERS = 2  # pyoxigraph's bulk_load releases the GIL: parse and index chunks on both cores


def _load_chunks(store: ox.Store, chunks: Iterable[bytes], lenient: bool = False) -> int:
    """Bulk-load N-Quads ``chunks`` on WRITERS threads; return the number of lines loaded.

    ``lenient`` skips the parser's IRI checks (a quarter of a load's time), for text whose
    IRIs are valid by construction."""
    todo: queue.Queue[bytes | None] = queue.Queue(maxsize=WRITERS)  # None: no more chunks
    failed: list[BaseException] = []

    def work() -> None:
        while (chunk := todo.get()) is not None:
            if not failed:
                try:
                    store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=lenient)
                except BaseException as e:  # handed to the caller's thread below
                    failed.append(e)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    lines = 0
    try:
        for chunk in chunks:
            if failed:
                break
            lines += chunk.count(b"\n")
            todo.put(chunk)
    finally:
        for _ in threads:
            todo.put(None)
        for t in threads:
            t.join()
    if failed:
        raise failed[0]
    return lines


def _optimize(store: ox.Store) -> None:
    """Compact a writer's files into few sorted ones (queries on a bulk load's many overlapping
    files are about twice as slow)."""
    store.optimize()


def _compacting(
    store: ox.Store,
    meanwhile: Callable[[], object] | None,
    compacted: Callable[[Store], object] | None = None,
) -> int:
    """:func:`_optimize` on another thread while ``meanwhile()`` runs in this one (pyoxigraph
    releases the GIL while RocksDB compacts), then counts the quads meanwhile too; returns the
    count. A failure of either is raised after both end. ``compacted(reader)`` then runs on the
    compacting thread, before this returns, with a store that reads the compacted writer (see
    :meth:`EmbeddedStore.replace_nquads`); its failure is ignored."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            _optimize(store)
        except BaseException as e:  # handed to the caller's thread below
            failed.append(e)
            return
        if compacted is not None:
            reader = EmbeddedStore(None)
            reader._store = store
            try:
                compacted(reader)
            except Exception:  # the caller asks again after the switch
                pass
            finally:
                # A query stopped at its limit may still be reading the writer on its thread:
                # the writer must not be closed or switched to under it (rare: a status query
                # past its limit), so wait for it to end on its own.
                for t in reader._lingering:
                    t.join()
                reader.close()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        if meanwhile is not None:
            meanwhile()
        size = len(store)  # a consistent read while RocksDB rewrites the files
    finally:
        worker.join()  # the writer is not closed or removed while RocksDB works on it
    if failed:
        # Popped, not kept: a list holding the error would make a cycle (error → traceback →
        # frame → list) that keeps the writer, and its lock on the folder, open until the
        # garbage collector runs; an import runs with the collector off.
        raise failed.pop()
    return size


def _kept(store: ox.Store, drop: set[ox.NamedNode]) -> Iterable[ox.Quad]:
    """The quads of ``store`` outside the graphs in ``drop``, graph by graph (no full scan)."""
    yield from store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    for g in list(store.named_graphs()):
        if g not in drop:
            yield from store.quads_for_pattern(None, None, None, g)


def _generation_dirs(root: Path) -> list[Path]:
    return sorted((p for p in root.glob("gen-*") if p.is_dir()), key=lambda p: int(p.name[4:]))


C = Capability
IN_MEMORY = frozenset({C.REPLACE, C.REPLACE_NQUADS, C.QUADS, C.DUMP, C.LEN})
ON_DISK = IN_MEMORY | {C.GENERATIONS, C.COMPACT}


class EmbeddedStore(Store):
    """pyoxigraph behind the :class:`graph.store.Store` interface."""

    name = "embedded"
    language = "sparql"
    capabilities = ON_DISK  # an in-memory store (path=None) has no generations to compact
    parallel_reads = True  # Oxigraph evaluates a query without holding the GIL

    def __init__(self, path: Path | str | None = None, read_only: bool = False):
        self._root = Path(path) if path is not None else None
        self.capabilities = ON_DISK if self._root is not None else IN_MEMORY
        self.read_only = read_only
        self._lock = threading.Lock()
        # generation → its number of quads, for the generations this store wrote: counting them
        # again takes a second at 1M (a generation never changes)
        self._sizes: dict[Path, int] = {}
        # queries stopped at their time limit whose threads still read (see query())
        self._lingering: list[threading.Thread] = []
        self._open()

    @property
    def root(self) -> Path:
        if self._root is None:
            raise self._missing(C.GENERATIONS)
        return self._root

    @property
    def opened(self) -> Path | None:
        """The generation this handle reads; None before the first load into the folder."""
        if self._root is None:
            raise self._missing(C.GENERATIONS)
        return self._opened

    def _open(self) -> None:
        self._opened: Path | None = None  # the generation folder this handle reads
        if self._root is None:
            self._store = ox.Store()
            return
        current = self._root / "current"
        if current.exists():
            self._opened = current.resolve()
            target = str(self._opened)
            # Always read-only: writes build a new generation, and a writable handle could start
            # a compaction under readers that have this generation open.
            self._store = ox.Store.read_only(target)
        elif self.read_only:
            raise QueryError(
                f"no graph has been built in {self._root}; run 'kg load DIR' first",
                f"ingen graf er bygget i {self._root}; kjør 'kg load MAPPE' først",
            )
        else:
            self._store = ox.Store()  # empty until the first replace()

    @classmethod
    def reading(cls, generation: Path | str) -> EmbeddedStore:
        """A read-only handle on one generation folder, as in memory (no generations of its
        own): a worker process reads exactly what its parent's handle reads."""
        store = cls(None)
        store._store = ox.Store.read_only(str(generation))
        return store

    @property
    def generation(self) -> Path | None:
        cur = (self._root / "current") if self._root else None
        return cur.resolve() if cur is not None and cur.exists() else None

    # -- reading ---------------------------------------------------------------------------

    def query(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        limits: Limits | None = None,
        name: str | None = None,
    ) -> Result:
        """Run a read-only SPARQL query with bound parameters, within time and row limits."""
        check_sparql(text, name)
        limits = limits or Limits()
        text = bind(text, {k: to_term(v) for k, v in (params or {}).items()})
        started = time.perf_counter()
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = self._collect(text, limits, started)
            except BaseException as e:  # handed to the caller's thread
                # without the frames' locals, dropped here: pyoxigraph's result iterator may be
                # freed only on the thread that made it (elsewhere it is leaked, and with it the
                # store's files and lock: a writer asked before the switch stayed open)
                traceback.clear_frames(e.__traceback__)
                box["error"] = e

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(limits.seconds)
        e = box.pop("error", None)  # not kept in a box its own traceback holds (a cycle)
        if worker.is_alive() or isinstance(e, LimitExceeded):
            if worker.is_alive():
                self._lingering.append(worker)  # still reading: see _compacting
            raise LimitExceeded(
                f"the query ran longer than the time limit of {limits.seconds:g} s and was stopped",
                f"spørringen brukte mer enn tidsgrensen på {limits.seconds:g} s og ble stoppet",
                name,
            )
        if e is not None:
            if isinstance(e, QueryError):
                raise e
            if isinstance(e, SyntaxError):
                raise QueryError(f"malformed query: {e}", f"feil i spørringen: {e}", name) from e
            raise QueryError(f"query failed: {e}", f"spørringen feilet: {e}", name) from e
        result: Result = box["result"]
        result.elapsed = time.perf_counter() - started
        return result

    def _collect(self, text: str, limits: Limits, started: float) -> Result:
        answer = self._store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            return Result(["answer"], [(bool(answer),)], boolean=bool(answer))
        deadline = started + limits.seconds
        if isinstance(answer, ox.QuerySolutions):
            columns = [v.value for v in answer.variables]
            rows: list[tuple[Any, ...]] = []
            for solution in answer:
                if len(rows) >= limits.rows:
                    return Result(columns, rows, truncated=True)
                rows.append(tuple(to_python(solution[c]) for c in columns))
                if time.perf_counter() > deadline:
                    raise LimitExceeded("", "")
            return Result(columns, rows)
        rows = []
        for triple in answer:  # CONSTRUCT / DESCRIBE
            if len(rows) >= limits.rows:
                return Result(["subject", "predicate", "object"], rows, truncated=True)
            rows.append(
                (to_python(triple.subject), to_python(triple.predicate), to_python(triple.object))
            )
        return Result(["subject", "predicate", "object"], rows)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        known = self._sizes.get(self._opened) if self._opened is not None else None
        return known if known is not None else len(self._store)

    def quads(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph: Any = None
    ) -> Iterable[ox.Quad]:
        return self._store.quads_for_pattern(subject, predicate, object, graph)

    def dump(self, fmt: ox.RdfFormat | None = None) -> bytes:
        return self._store.dump(format=fmt or ox.RdfFormat.N_QUADS) or b""

    # -- writing ---------------------------------------------------------------------------

    def replace(
        self, graphs: Iterable[str], quads: Iterable[ox.Quad], progress: Progress | None = None
    ) -> int:
        """Swap the named ``graphs`` for ``quads`` in one step; return the new size."""
        return self._swap(graphs, lambda staged: _bulk_extend(staged, quads))

    def replace_nquads(
        self,
        graphs: Iterable[str],
        chunks: Iterable[bytes],
        lenient: bool = False,
        compact: bool = False,
        meanwhile: Callable[[], object] | None = None,
        compacted: Callable[[Store], object] | None = None,
    ) -> tuple[int, int]:
        """Like :meth:`replace`, from N-Quads text chunks parsed on two threads.

        Returns (store size, lines written). The chunks may be produced lazily: each is parsed
        while the caller builds the next. ``lenient``: the caller vouches for the IRIs (see
        :func:`_load_chunks`). ``compact``: compact the new generation before it is switched
        to, as :meth:`compact` does after it (for a caller that would call it next).
        ``meanwhile()`` runs in the caller's thread after the chunks are written, while RocksDB
        compacts; if it raises, the store stays as it was. ``compacted(reader)``, with
        ``compact`` on disk, runs on the compacting thread once the new generation is
        compacted, before the switch, with a store that reads it (what this store reads after
        the switch) until it returns: ``kg load`` asks the views' status queries there, on the
        core the compaction leaves free while ``meanwhile()`` builds the view (issue 16).
        """
        written: list[int] = []
        size = self._swap(
            graphs,
            lambda staged: written.append(_load_chunks(staged, chunks, lenient)),
            compact,
            meanwhile,
            compacted,
        )
        return size, written[0]

    def _swap(
        self,
        graphs: Iterable[str],
        write: Callable[[ox.Store], object],
        compact: bool = False,
        meanwhile: Callable[[], object] | None = None,
        compacted: Callable[[Store], object] | None = None,
    ) -> int:
        drop = {ox.NamedNode(g) for g in graphs}
        enabled = gc.isenabled()
        gc.disable()  # millions of new objects, none garbage: spare the collector's walks
        try:
            with self._lock:
                if self._root is None:
                    staged = ox.Store()
                    staged.extend(_kept(self._store, drop))
                    write(staged)
                    if meanwhile is not None:
                        meanwhile()
                    self._store = staged
                    return len(staged)
                with writer_lock(self.root):
                    self._follow()  # keep what the previous writer (maybe another process) left
                    return self._swap_on_disk(drop, write, compact, meanwhile, compacted)
        finally:
            if enabled:
                gc.enable()

    def refresh(self) -> bool:
        if self._root is None:
            raise self._missing(C.GENERATIONS)
        with self._lock:
            before = self._opened
            self._follow()
            return self._opened != before

    def _follow(self) -> None:
        """Re-open the newest generation if another writer flipped it since we opened ours."""
        if self.generation is not None and self.generation != self.opened:
            self._open()

    def _swap_on_disk(
        self,
        drop: set[ox.NamedNode],
        write: Callable[[ox.Store], object],
        compact: bool = False,
        meanwhile: Callable[[], object] | None = None,
        compacted: Callable[[Store], object] | None = None,
    ) -> int:
        root = self.root
        root.mkdir(parents=True, exist_ok=True)
        gens = _generation_dirs(root)
        new = root / f"gen-{(int(gens[-1].name[4:]) + 1) if gens else 1}"
        staged = None
        try:
            staged = ox.Store(str(new))
            _bulk_extend(staged, _kept(self._store, drop))
            write(staged)
            if compact:
                # Compacting the writer once now replaces flush() (which waits for RocksDB's
                # automatic compaction of the bulk load's files) followed by compact(), which
                # rewrote all of it a second time in a copy: 2-3 s less at 50 000 projects.
                size = _compacting(staged, meanwhile, compacted)
            else:
                staged.flush()
                if meanwhile is not None:
                    meanwhile()
                size = len(staged)
        except BaseException:
            staged = None
            shutil.rmtree(new, ignore_errors=True)
            raise
        # Close the writer before anyone can open the generation: RocksDB readers are safe only
        # while no writer compacts under them (its background work ends when it is dropped).
        del staged
        self._flip(new)
        if self._opened is not None:
            self._sizes[self._opened] = size
        return size

    def _flip(self, new: Path) -> None:
        root = self.root
        link = root / "current.tmp"
        if link.is_symlink():
            link.unlink()
        link.symlink_to(new.name)
        os.replace(link, root / "current")  # the atomic step
        self._store = ox.Store.read_only(str(new))
        self._opened = new.resolve()  # graph.netx caches views per generation: name the new one
        # The new generation and the ones before it, for readers that still have them open.
        for stale in _generation_dirs(root)[:-KEEP]:
            shutil.rmtree(stale, ignore_errors=True)

    def compact(self, meanwhile: Callable[[], object] | None = None) -> bool:
        """Switch to a compacted copy of the current generation; False if there is none.

        A bulk load leaves many overlapping files that make queries about twice as slow. The
        copy shares the immutable table files (hard links), so readers of the current
        generation are untouched while RocksDB rewrites them in the copy.

        ``meanwhile()`` runs in the caller's thread while RocksDB compacts (pyoxigraph releases
        the GIL), and always runs, also when there is nothing to compact: views built then, for
        the generation read now, are carried to the compacted copy. (``kg load`` compacts its
        generation before the switch instead: ``replace_nquads(compact=True)``.)
        """
        if self._root is None:
            raise self._missing(C.COMPACT)
        if self._opened is None:
            if meanwhile is not None:
                meanwhile()
            return False
        with self._lock, writer_lock(self._root):
            if self.generation != self._opened:
                if meanwhile is not None:
                    meanwhile()
                return False  # another writer flipped meanwhile: compacting ours would undo it
            src = self._opened
            new = self._root / f"gen-{int(_generation_dirs(self._root)[-1].name[4:]) + 1}"
            try:
                new.mkdir()
                for f in src.iterdir():
                    if f.suffix == ".sst":
                        os.link(f, new / f.name)
                    elif f.is_file():
                        shutil.copy2(f, new / f.name)
                writer = ox.Store(str(new))
                failed: list[BaseException] = []

                def optimize(copy: ox.Store) -> None:
                    try:
                        copy.optimize()
                    except BaseException as e:  # handed to the caller's thread below
                        failed.append(e)

                worker = threading.Thread(target=optimize, args=(writer,), daemon=True)
                worker.start()
                try:
                    if meanwhile is not None:
                        meanwhile()
                finally:
                    worker.join()
                if failed:
                    raise failed[0]
                del writer  # closed before anyone can open it (see _swap_on_disk)
            except BaseException:
                shutil.rmtree(new, ignore_errors=True)
                raise
            views = self._root / "views"  # a view built meanwhile holds for the copy too
            for f in views.glob(f"{src.name}.*") if views.is_dir() else ():
                with contextlib.suppress(OSError):
                    os.replace(f, views / (new.name + f.name[len(src.name) :]))
            self._flip(new)
            if src in self._sizes and self._opened is not None:  # the same quads, compacted
                self._sizes[self._opened] = self._sizes[src]
            return True

    def close(self) -> None:
        # Drop the reference so oxigraph can release the store's files; a closed handle is not
        # used again, so _store keeps its ox.Store type for every other method.
        self._store = None  # type: ignore[assignment]
