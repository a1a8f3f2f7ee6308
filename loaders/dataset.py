"""A dataset from a folder of CSV files, an XLSX workbook, a YAML file or an RDF file.

:func:`read_dataset` runs the three stages (tables → records → quads) and either returns the
complete set of quads or raises one :class:`LoadError` listing every problem. It never touches
a store: the caller hands the quads to a store's ``replace``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from loaders import sdg
from loaders.errors import LoadError, Problems
from loaders.limits import check_size, check_xml, load_yaml, max_triples, yaml_text
from loaders.records import Record, resolve, table_records
from loaders.sourcefile import per_record
from loaders.table import Table, read_csv, read_xlsx, read_yaml
from loaders.triples import (
    CHUNK,
    LANG_TAG,
    RDF_TYPE,
    TermSink,
    dataset_nquads,
    graph_iri,
    parse_nquads,
)
from ontology.terms import KG, iri

DEFAULT_BASE = "https://data.kommunegraf.no/"
RECORD_COUNT = NamedNode(KG.recordCount)
DATASET = NamedNode(KG.Dataset)
RDF_FORMATS = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
}


@dataclass
class Manifest:
    name: str
    base: str
    title: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=lambda: ["nb", "en"])
    description: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    sdg: bool = True

    @property
    def lang(self) -> str:
        return self.languages[0]

    @property
    def graph_prefix(self) -> str:
        return self.base + "graph/"


@dataclass
class Dataset:
    """A validated dataset: its records and, built on demand, its quads.

    :meth:`nquads` streams the quads as N-Quads text (what a load writes); :attr:`quads` gives
    them as pyoxigraph terms for callers that want terms.
    """

    manifest: Manifest
    records: list[Record]
    extra: list[Quad] = field(default_factory=list)  # manifest, SDG, or a whole RDF file
    moved: int = 0  # quads of an RDF file moved out of another dataset's graph (--foreign-graphs)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (en, nb): loaded anyway

    def nquads(
        self, lines: int = CHUNK, release: bool = False, sink: TermSink | None = None
    ) -> Iterator[bytes]:
        """The N-Quads in chunks of about ``lines`` lines (the records'; then the manifest, SDGs).

        ``release`` empties :attr:`records` on the way (see :func:`dataset_nquads`); ``sink``
        gets the lines it takes, as terms or as text (see :class:`loaders.triples.TermSink`),
        before each chunk is yielded."""
        if self.records:
            yield from dataset_nquads(
                self.records, self.manifest.base, self.manifest.lang, lines, release, sink
            )
        extra = serialize(self.extra, format=RdfFormat.N_QUADS)
        assert extra is not None  # without an output, serialize returns the bytes
        if sink is not None:
            sink.text(extra)
        yield extra
        if self.manifest.sdg:
            goals = sdg.nquads()
            if sink is not None:
                sink.text(goals)
            yield goals

    @cached_property
    def quads(self) -> list[Quad]:
        return parse_nquads(self.nquads())

    @property
    def graphs(self) -> set[str]:
        out = {graph_iri(self.manifest.base, f) for f in {r.file for r in self.records}}
        out |= {q.graph_name.value for q in self.extra if isinstance(q.graph_name, NamedNode)}
        if self.manifest.sdg:
            out.add(sdg.GRAPH.value)
        return out


def _manifest(data: object, file: str, default_name: str, problems: Problems) -> Manifest | None:
    if not isinstance(data, dict):
        problems.add(file, "manifest_mapping")
        return None
    name = str(data.get("name") or default_name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-_]*", name):
        problems.add(file, "manifest_name", name=name[:80])
        return None
    base = str(data.get("base") or f"{DEFAULT_BASE}{name}/")
    if not re.fullmatch(r"https?://[^\s<>\"]+[/#]", base):
        problems.add(file, "manifest_base", base=base[:200])
        return None

    def text(v: object) -> dict[str, str]:
        return (
            {str(k): str(t) for k, t in v.items()}
            if isinstance(v, dict)
            else ({"nb": str(v)} if v else {})
        )

    langs = data.get("languages") or ["nb", "en"]
    if not isinstance(langs, list):
        langs = [langs]
    bad = [str(x) for x in langs if not LANG_TAG.fullmatch(str(x))]
    if bad:
        problems.add(file, "manifest_lang", value=bad[0][:80])
        return None
    return Manifest(
        name,
        base,
        text(data.get("title")),
        [str(x) for x in langs],
        text(data.get("description")),
        [str(s) for s in data.get("sources") or []],
        bool(data.get("sdg", True)),
    )


def _tables(path: Path, problems: Problems) -> tuple[Manifest | None, list[Table]]:
    if path.is_dir():
        mpath = path / "manifest.yaml"
        if not mpath.exists():
            problems.add(path.name, "no_manifest")
            return None, []
        before = len(problems.items)
        text = yaml_text(mpath, "manifest.yaml", problems)
        data = load_yaml(text, "manifest.yaml", problems) if text is not None else None
        if len(problems.items) > before:
            return None, []
        manifest = _manifest(data or {}, "manifest.yaml", path.name, problems)
        files = (
            [path / f for f in manifest.sources]
            if manifest and manifest.sources
            else sorted(path.glob("*.csv"))
        )
        tables = []
        for f in files:
            if not f.exists():
                problems.add(f.name, "not_found")
                continue
            t = read_csv(f, f.stem, problems)
            if t is not None:
                tables.append(t)
        return manifest, tables
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        tables = list(read_xlsx(path, problems))
        meta = next((t for t in tables if t.name == "manifest"), None)
        cells = (
            {r.cells.get("key", ""): r.cells.get("value", "") for r in meta.rows} if meta else {}
        )
        entries: dict[str, object] = dict(cells)
        if "languages" in cells:
            entries["languages"] = [x.strip() for x in cells["languages"].split(",")]
        return _manifest(entries, path.name, _slug(path.stem), problems), [
            t for t in tables if t.name != "manifest"
        ]
    if suffix in (".yaml", ".yml"):
        tables = list(read_yaml(path, problems))
        raw = (
            load_yaml(path.read_text(encoding="utf-8"), path.name, problems) if not problems else {}
        )
        raw = raw if isinstance(raw, dict) else {}
        return _manifest((raw or {}).get("manifest", {}), path.name, _slug(path.stem), problems), [
            t for t in tables if t.name != "manifest"
        ]
    if suffix == ".csv":  # one file of a dataset: a dataset of that one kind, named after it
        from loaders.kind_names import kind_nb, kind_of

        code = kind_of(path.stem) or path.stem
        nb = kind_nb(code)
        title = {"nb": nb[:1].upper() + nb[1:], "en": code.replace("_", " ").capitalize()}
        table = read_csv(path, path.stem, problems)
        manifest = _manifest({"title": title}, path.name, _slug(path.stem), problems)
        return manifest, [table] if table is not None else []
    problems.add(path.name, "unsupported", suffix=suffix or "(none)")
    return None, []


def _one_graph_each(tables: list[Table], base: str, problems: Problems) -> None:
    """Refuse two files (or sheets) whose names make one named graph ("a b.csv" and "a_b.csv"):
    both files' records would land in that graph, which would then say two ``kg:sourceFile``
    lines, and a reader would give every record one of the two files."""
    seen: dict[str, str] = {}
    for t in tables:
        graph = graph_iri(base, t.file)
        first = seen.setdefault(graph, t.file)
        if first != t.file:
            problems.add(t.file, "same_graph", other=first, graph=graph)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "dataset"


def manifest_quads(m: Manifest, count: int) -> list[Quad]:
    g = NamedNode(m.graph_prefix + "manifest")
    node = NamedNode(m.base + "dataset")
    out = [
        Quad(node, RDF_TYPE, DATASET, g),
        Quad(node, NamedNode(iri("dct:identifier")), Literal(m.name), g),
        Quad(
            node,
            NamedNode(iri("dct:modified")),
            Literal(
                dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                datatype=NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"),
            ),
            g,
        ),
    ]
    for lang, text in m.title.items():
        out.append(Quad(node, NamedNode(iri("dct:title")), Literal(text, language=lang), g))
    for lang, text in m.description.items():
        out.append(Quad(node, NamedNode(iri("dct:description")), Literal(text, language=lang), g))
    for lang in m.languages:
        out.append(Quad(node, NamedNode(iri("dct:language")), Literal(lang), g))
    out.append(
        Quad(
            node,
            RECORD_COUNT,
            Literal(str(count), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            g,
        )
    )
    return out


def read_rdf(
    path: Path,
    problems: Problems,
    foreign: str = "refuse",
    cap: int | None = None,
    env: str = "KG_MAX_TRIPLES",
) -> Dataset | None:
    """An RDF file as a dataset named after the file, within the size and triple limits.

    Quads of N-Quads/TriG may name only this dataset's graphs: a graph of another dataset would
    be replaced by the load (and that dataset's data lost). ``foreign="move"`` moves them into
    this file's graph instead; either way the count is reported.
    """
    fmt = RDF_FORMATS[path.suffix.lower()]
    name = _slug(path.stem)
    m = Manifest(name, f"{DEFAULT_BASE}{name}/", sdg=False)
    g = NamedNode(m.graph_prefix + _slug(path.name))
    if not check_size(path, path.name, problems):
        return None
    if fmt == RdfFormat.RDF_XML and not check_xml(path.read_bytes(), path.name, problems):
        return None
    cap = cap or max_triples()
    quads: list[Quad] = []
    outside: list[str] = []
    try:
        source: Iterable[Quad] = parse(path=str(path), format=fmt)
        if foreign == "move":  # a graph's own file line would name the old graph once moved:
            source = per_record(source)  # said of each of its records before the move
        for q in source:
            graph = q.graph_name
            if not isinstance(graph, NamedNode):
                graph = g
            elif not graph.value.startswith(m.graph_prefix):
                outside.append(graph.value)
                graph = g
            quads.append(Quad(q.subject, q.predicate, q.object, graph))
            if len(quads) > cap:
                problems.add(path.name, "too_many_triples", limit=cap, env=env)
                return None
    except (SyntaxError, ValueError, OSError) as e:
        problems.add(path.name, "bad_rdf", detail=str(e).replace("\n", " ")[:300])
        return None
    if not quads:
        problems.add(path.name, "empty_file")
        return None
    if outside and foreign != "move":
        problems.add(
            path.name, "foreign_graph", count=len(outside), graph=outside[0], prefix=m.graph_prefix
        )
        return None
    return Dataset(m, [], quads + manifest_quads(m, 0), moved=len(outside))


def read_dataset(
    path: Path | str, foreign: str = "refuse", cap: int | None = None, env: str = "KG_MAX_TRIPLES"
) -> Dataset:
    """Read and validate a dataset; raise :class:`LoadError` with every problem, or return it whole."""
    # A load allocates millions of small objects and frees none of them until it is done: the
    # cyclic garbage collector would walk them again and again (a sixth of the time at 1M triples).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_dataset(Path(path), foreign, cap, env)
    finally:
        if enabled:
            gc.enable()


def _read_dataset(path: Path, foreign: str, cap: int | None, env: str) -> Dataset:
    problems = Problems()
    if not path.exists():
        problems.add(str(path), "not_found")
        problems.raise_if_any()
    if path.is_file() and path.suffix.lower() in RDF_FORMATS:
        ds = read_rdf(path, problems, foreign, cap, env)
        problems.raise_if_any()
        assert ds is not None  # read_rdf returns None only with a problem, raised above
        return ds
    manifest, tables = _tables(path, problems)
    if manifest is not None:
        _one_graph_each(tables, manifest.base, problems)
    records: list[Record] = []
    for t in tables:
        records.extend(table_records(t, problems))
    if not problems:
        resolve(records, sdg.codes(), problems)
    problems.raise_if_any()
    assert manifest is not None
    from loaders.warnings import dependency_warnings

    warnings = [(w.text("en"), w.text("nb")) for w in dependency_warnings(records)]
    return Dataset(manifest, records, manifest_quads(manifest, len(records)), warnings=warnings)


__all__ = ["Dataset", "LoadError", "Manifest", "read_dataset"]
