"""Data in and out: staging an upload (a zip unpacked safely, or a single file), loading it
into a new in-memory store, the dataset's title and record count, and export of the graph.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.answers.common import BIG
from graph.exports import export_rdf
from graph.load import Progress, load
from graph.store import Store, open_store

UPLOAD_TYPES = ("zip", "xlsx", "csv", "ttl", "nt", "nq", "trig", "jsonld", "yaml", "yml")


MAX_UPLOAD_MB = 25


MAX_UNZIPPED_MB = 100


MAX_FILES = 500


class UploadError(Exception):
    """An upload that cannot be read as a dataset at all (before any row is looked at)."""

    def __init__(self, en: str, nb: str):
        self.en, self.nb = en, nb
        super().__init__(en)

    def message(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.en


def _safe_extract(data: bytes, into: Path) -> Path:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise UploadError(
            f"not a readable zip archive: {e}", f"ikke et lesbart zip-arkiv: {e}"
        ) from None
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES:
        raise UploadError(
            f"the archive has {len(infos)} files (limit {MAX_FILES})",
            f"arkivet har {len(infos)} filer (grense {MAX_FILES})",
        )
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_MB * 1024 * 1024:
        raise UploadError(
            f"the archive unpacks to more than {MAX_UNZIPPED_MB} MB",
            f"arkivet pakkes ut til mer enn {MAX_UNZIPPED_MB} MB",
        )
    root = into.resolve()
    for info in infos:
        parts = Path(info.filename.replace("\\", "/")).parts
        if info.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise UploadError(
                f"unsafe path in the archive: {info.filename}",
                f"utrygg sti i arkivet: {info.filename}",
            )
        if parts and (parts[0] == "__MACOSX" or parts[-1].startswith("._")):
            continue
        target = (root / Path(*parts)).resolve()
        if root not in target.parents:
            raise UploadError(
                f"unsafe path in the archive: {info.filename}",
                f"utrygg sti i arkivet: {info.filename}",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    manifests = sorted(root.rglob("manifest.yaml"), key=lambda p: len(p.parts))
    if manifests:
        return manifests[0].parent
    csvs = sorted(root.rglob("*.csv"), key=lambda p: len(p.parts))
    return csvs[0].parent if csvs else root


def stage_upload(filename: str, data: bytes, folder: Path) -> Path:
    """Write an uploaded file into ``folder`` (unpacking a zip safely) and return the path to load."""
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadError(
            f"the file is over {MAX_UPLOAD_MB} MB", f"filen er over {MAX_UPLOAD_MB} MB"
        )
    base = Path(filename).name or "upload"
    suffix = Path(base).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        raise UploadError(
            f"unsupported file type '.{suffix}' (use {', '.join('.' + t for t in UPLOAD_TYPES)})",
            f"filtypen '.{suffix}' støttes ikke (bruk {', '.join('.' + t for t in UPLOAD_TYPES)})",
        )
    if suffix == "zip":
        return _safe_extract(data, folder / Path(base).stem)
    if suffix == "csv":
        _one_kind(base)
    # a CSV file's name is its kind, Norwegian letters and all («milepæler.csv»)
    safe = re.sub(r"[^\w.-]+" if suffix == "csv" else r"[^A-Za-z0-9._-]+", "_", base)
    path = folder / safe
    path.write_bytes(data)
    return path


def _one_kind(name: str) -> None:
    """A single CSV file is one kind of record, named after it (``prosjekter.csv``); any other
    CSV is refused before it is read, with what to upload instead."""
    from loaders.kind_names import kind_of

    if kind_of(Path(name).stem) is not None:
        return
    raise UploadError(
        f"{name} is not named after a kind of record. A single CSV file is loaded as one kind "
        "when its name is that kind's (for example projects.csv or status_reports.csv); a whole "
        "dataset is uploaded as a .zip of its folder (manifest.yaml and one CSV file per kind) "
        "or as an .xlsx workbook with one sheet per kind.",
        f"{name} har ikke navnet til en posttype. En enkelt CSV-fil lastes som én posttype når "
        "filen heter som posttypen (for eksempel prosjekter.csv eller statusrapporter.csv); et "
        "helt datasett lastes opp som .zip av mappen (manifest.yaml og én CSV-fil per posttype) "
        "eller som en .xlsx-arbeidsbok med ett ark per posttype.",
    )


@dataclass
class Loaded:
    store: Any
    name: str
    title: dict[str, str]
    records: int
    triples: int
    seconds: float


def load_upload(filename: str, data: bytes, progress: Progress | None = None) -> Loaded:
    """Validate an upload and load it into a new in-memory store, all or nothing.

    Raises :class:`UploadError` for an unreadable file and :class:`loaders.errors.LoadError`
    (with file, row and column of every problem) for a dataset that does not validate.
    """
    with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
        path = stage_upload(filename, data, Path(tmp))
        store = open_store("memory")
        from loaders.limits import upload_max_triples  # an upload has its own, lower cap

        report = load(
            store,
            path,
            progress or (lambda en, nb: None),
            max_triples=upload_max_triples(),
            limit_env="KG_UPLOAD_MAX_TRIPLES",
        )
    return Loaded(
        store, report.name, dataset_title(store), report.records, report.store_size, report.seconds
    )


DATASET_INFO = """
SELECT ?d ?id ?title (LANG(?title) AS ?lg) ?count WHERE { ?d a kg:Dataset ; dct:identifier ?id .
  OPTIONAL { ?d dct:title ?title } OPTIONAL { ?d kg:recordCount ?count } }
"""


def record_count(store: Store) -> int:
    """Records (rows) in the datasets of ``store``, as their manifests count them."""
    q = "SELECT ?d (SAMPLE(?c) AS ?count) WHERE { ?d a kg:Dataset ; kg:recordCount ?c } GROUP BY ?d"
    return sum(int(c) for _, c in store.query(q, None, BIG).rows if c is not None)


def dataset_title(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, ident, title, lg, _ in store.query(DATASET_INFO, None, BIG).rows:
        out.setdefault("id", str(ident))
        if title:
            out[lg or "nb"] = str(title)
    return out


# Download name and media type per format; the bytes come from :func:`graph.exports.export_rdf`.
EXPORTS = {
    "turtle": ("TURTLE", "ttl", "text/turtle"),
    "ntriples": ("N_TRIPLES", "nt", "application/n-triples"),
    "jsonld": ("JSON_LD", "jsonld", "application/ld+json"),
    "nquads": ("N_QUADS", "nq", "application/n-quads"),
}


def export(store: Any, fmt: str = "turtle") -> bytes:
    """The whole graph in ``fmt`` (turtle, ntriples, jsonld: the union of all named graphs;
    nquads keeps the graphs)."""
    return export_rdf(store, fmt, whole=True)


def graphml(store: Any, lang: str = "nb") -> bytes:
    """The networkx view (nodes and relations with their attributes) as GraphML, UTF-8.

    ``kg export --to graphml`` and the app's download both call this, so they give the same bytes.
    """
    import networkx as nx  # loaded only when GraphML is asked for (start-up of the CLI)

    from graph.netx import to_networkx

    g = to_networkx(store, lang).copy()  # a copy: the view may be cached and shared
    for d in [d for _, _, d in g.edges(data=True)] + [d for _, d in g.nodes(data=True)]:
        for k, v in list(d.items()):  # GraphML holds only plain values
            if v is None:
                del d[k]
            elif type(v) not in (str, int, float, bool):  # IRIs and dates are subclasses/objects
                d[k] = str(v)
    return "\n".join(nx.generate_graphml(g)).encode("utf-8")
