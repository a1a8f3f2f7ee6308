"""The lines of a load that the app's views read, kept beside each store generation.

Reading a whole graph back out of the on-disk Oxigraph store costs ~7 µs per quad (every term
is decoded from RocksDB, then converted in Python): 30 s of a 40 s ``kg load`` at 1M triples
went to the few whole-graph queries that build the networkx view. Those queries read only a
part of the graph (types, labels, codes, dates, IRI-valued edges and the attributes of
qualified relations), and the loader has all of it as text while it writes. So:

- :class:`Collector` reads the lines those queries read while the chunks pass to the store
  and writes them to a file as they pass;
- the kept lines of a generation are written beside it (``views/gen-N.viewlines.V.nq``), so
  the next load of *another* dataset into the same store can merge them: lines of the graphs
  the load replaces are dropped, the new dataset's lines added (:func:`previous`,
  :func:`merge`, :func:`save`);
- :mod:`graph.answers.viewrows` answers the view queries from them.

When a generation has graphs that no kept lines cover (written by ``kg import``, a restore, or
an older version), there is nothing to merge: :func:`previous` says why, and the views are
built from the store (the slow path) as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.store import Capability
from graph.viewparse import Parsed

VERSION = "2"  # 2: also document types, editorial notes and link types (certainty, links)  # bump when the kept lines change meaning
KG = "https://w3id.org/kommunegraf/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL_PREDS = (SKOS + "prefLabel", FOAF + "name")
# Predicates whose literal values the view queries read (IRI-valued triples are all kept).
LITERALS = {
    SKOS + "prefLabel",
    FOAF + "name",
    SKOS + "notation",
    DCT + "identifier",
    DCT + "title",
    KG + "startDate",
    KG + "endDate",
    KG + "date",
    KG + "milestoneStatus",
    KG + "milestoneType",
    KG + "score",
    KG + "assessor",
    KG + "dependencyType",
    KG + "criticality",
    KG + "evidence",
    KG + "rationale",
    KG + "locator",
    KG + "lagWeeks",
    KG + "linkType",
    KG + "documentType",
    SKOS + "editorialNote",
}
# The reasons the views are read from the store instead, in Norwegian (the code says them in English).
NB = {
    "the store is not on disk": "lageret ligger ikke på disk",
    "the graphs already in the store were not written by a load of this version": "grafene som alt er i lageret, ble ikke skrevet av en lasting med denne versjonen",
    "this store generation has no kept view lines": "denne generasjonen av lageret har ingen lagrede visningslinjer",
    "the kept view lines do not cover every graph in the store": "de lagrede visningslinjene dekker ikke alle grafene i lageret",
    "the store takes terms, not N-Quads": "lageret tar termer, ikke N-Quads",
    "the kept view lines could not be written": "visningslinjene kunne ikke skrives",
}
_KEEP_P = {f"<{p}>" for p in LITERALS}
_KG_OBJ = f"<{KG}"


def keep(line: str) -> bool:
    """Is this N-Quads line one the view queries read?"""
    _, p, rest = line.split(" ", 2)
    if p == TYPE:
        return rest.startswith(_KG_OBJ)
    return rest[0] == "<" or p in _KEEP_P


class Collector:
    """Reads the view's lines of the chunks that pass through :meth:`tee` into :attr:`parsed`
    (one split per line: :class:`graph.viewparse.Parsed`) and writes them, as they pass, to
    ``sink`` (a temporary file that :meth:`place` then puts beside the new generation).

    Written, not kept in a list: at 1M triples the ~650 k kept lines are ~180 MB of Python
    strings, alive exactly while the store's bulk load peaks (tests/test_viewdata.py checks
    the file against the store). Without a sink (a store in memory) the lines are only read.
    """

    def __init__(self, before: Iterable[str] = (), sink: Path | None = None) -> None:
        self.literals = frozenset(_KEEP_P)  # as a loaders.triples.TermSink
        self.parsed = Parsed(self.literals)
        self.sink: Path | None = None
        self._out: Any = None
        if sink is not None:
            try:
                sink.parent.mkdir(parents=True, exist_ok=True)
                self._out = open(sink, "w", encoding="utf-8")  # noqa: SIM115  # closed by place()/abort()
                self.sink = sink
            except OSError:  # no kept lines then: the next load of another dataset reads the store
                self._out = None
        kept = list(before)  # the kept graphs' lines come first, as in merge()
        self.parsed.read_all(kept)
        self._write(kept)

    def _write(self, lines: list[str]) -> None:
        if self._out is None or not lines:
            return
        try:
            self._out.write("\n".join(lines) + "\n")
        except OSError:  # a full disk: drop the file, the views still come from parsed
            self.abort()

    # -- a loaders.triples.TermSink: the load's lines as their terms (Dataset.nquads(sink=)) --

    def rows(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """Read the terms of lines the views need (split where they were written) and write
        their lines."""
        self.parsed.add_all(rows)
        if self._out is not None and rows:
            try:
                self._out.write("".join([row[4] for row in rows]))
            except OSError:  # a full disk: drop the file, the views still come from parsed
                self.abort()

    def text(self, chunk: bytes) -> None:
        """Read and write the lines of ``chunk`` (N-Quads text) that the views need."""
        take = self.parsed.take
        self._write([ln for ln in chunk.decode().split("\n") if ln and ln[0] != "#" and take(ln)])

    def tee(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The chunks as they are, read (:meth:`text`) on the way."""
        for chunk in chunks:
            self.text(chunk)
            yield chunk

    def place(self, store: Any) -> Path | None:
        """Put the written lines beside the generation ``store`` reads now (after the load);
        returns their file, or None when there is none (failures are ignored, as in save())."""
        out, sink, self._out, self.sink = self._out, self.sink, None, None
        if out is None or sink is None:
            return None
        path = _file(store)
        try:
            out.close()
            if path is None:
                raise OSError("no generation")
            os.replace(sink, path)
            _drop_stale(path)
        except OSError:
            sink.unlink(missing_ok=True)
            return None
        return path

    def abort(self) -> None:
        """Throw the written lines away (the load failed, or the file could not be written)."""
        out, sink, self._out, self.sink = self._out, self.sink, None, None
        if out is not None:
            with contextlib.suppress(OSError):
                out.close()
        if sink is not None:
            sink.unlink(missing_ok=True)


def sink(store: Any) -> Path | None:
    """Where a load writes its kept lines until its generation exists (None: a store in memory)."""
    if not store.supports(Capability.GENERATIONS):
        return None
    try:
        root = Path(store.root)
    except Exception:  # a store without a folder
        return None
    # not "*.viewlines.*": save() drops those of generations that are gone
    return root / "views" / f"viewlines-loading.{os.getpid()}.tmp"


# -- the kept lines of a generation -----------------------------------------------------------


def _lines(path: Path) -> list[str]:
    """The lines of a kept-lines file. Split at "\\n" only: str.splitlines() also splits at
    U+2028, U+0085, \\x1c ..., which N-Quads leaves unescaped inside a literal (a title with
    one made ``kg load`` fail with a traceback)."""
    return [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln]


def path(store: Any) -> Path | None:
    """The file of the kept lines of the generation ``store`` reads, if there is one."""
    found = _file(store)
    return found if found is not None and found.exists() else None


def _generation(store: Any) -> Path | None:
    """The on-disk generation ``store`` reads, or None (in memory, on a server, before a load)."""
    return store.opened if store.supports(Capability.GENERATIONS) else None


def _file(store: Any, gen: Path | None = None) -> Path | None:
    gen = gen or _generation(store)
    if gen is None:
        return None
    return Path(gen).parent / "views" / f"{Path(gen).name}.viewlines.{VERSION}.nq"


def _graph(line: str) -> str:
    return line.rsplit(" ", 2)[-2][1:-1]


def previous(store: Any) -> tuple[list[str] | None, str]:
    """The kept lines of the generation ``store`` reads now (before a load), or None and why."""
    if _generation(store) is None:
        return ([], "") if not store.graphs() else (None, "the store is not on disk")
    path = _file(store)
    if path is not None and path.exists():
        return _lines(path), ""
    if not store.graphs():
        return [], ""
    return None, "the graphs already in the store were not written by a load of this version"


def kept(before: list[str], replaced: set[str]) -> list[str]:
    """The lines of ``before`` outside the ``replaced`` graphs."""
    return [line for line in before if _graph(line) not in replaced]


def merge(before: list[str] | None, replaced: set[str], new: list[str]) -> list[str] | None:
    """The lines of the new generation: the kept graphs' lines, then the load's."""
    if before is None:
        return None
    return kept(before, replaced) + new


def save(store: Any, lines: list[str]) -> None:
    """Write ``lines`` beside the generation ``store`` reads (atomically; failures ignored)."""
    path = _file(store)
    if path is None:
        return
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for i in range(0, len(lines), 50_000):  # not one string of the whole file
                f.write("\n".join(lines[i : i + 50_000]) + "\n")
        os.replace(tmp, path)
        _drop_stale(path)
    except OSError:
        pass


def _drop_stale(path: Path) -> None:
    """Remove the kept lines of generations that are gone."""
    live = {p.name for p in path.parent.parent.glob("gen-*")}
    for old in path.parent.glob("*.viewlines.*"):
        if old.name.split(".", 1)[0] not in live:
            old.unlink(missing_ok=True)


def read(store: Any) -> tuple[list[str] | None, str]:
    """The kept lines of the generation ``store`` reads, or None and why there are none."""
    path = _file(store)
    if path is None:
        return None, "the store is not on disk"
    if not path.exists():
        return None, "this store generation has no kept view lines"
    return _lines(path), ""
