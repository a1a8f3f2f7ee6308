"""The data page's exports of the current dataset, as bytes for download buttons: the
Prosjektportalen workbook (:mod:`graph.exports`), ArchiMate CSV (:mod:`graph.archimate`, the
three files in one .zip), GraphML (:func:`graph.answers.data.graphml`) and RDF (Turtle, JSON-LD …, :func:`graph.answers.data.export`).

Each builder is called only when its button is clicked (Streamlit's deferred download data).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def portfolio_xlsx(store) -> bytes:
    """One row per project with Prosjektportalen's default column labels, status in colour."""
    from graph.exports import portfolio_rows, quads_of, write_portfolio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "portefolje.xlsx"
        write_portfolio(path, portfolio_rows(quads_of(store)))
        return path.read_bytes()


def archi_zip(store) -> bytes:
    """elements.csv, relations.csv and properties.csv for Archi's CSV import, zipped."""
    from graph import archimate
    from graph.exports import quads_of

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        archimate.write(quads_of(store), tmp)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(Path(tmp).iterdir()):
                z.write(f, f.name)
    return buf.getvalue()


def graphml(store, lang: str = "nb") -> bytes:
    """The networkx view as GraphML: the same bytes as ``kg export --to graphml``."""
    from graph.answers.data import graphml as build

    return build(store, lang)


# key → (builder name, file suffix, MIME type); the RDF formats come from graph.answers.data.EXPORTS
EXTRA = {
    "portfolio": ("portfolio_xlsx", "pp.xlsx", XLSX_MIME),
    "archi": ("archi_zip", "archi.zip", "application/zip"),
    "graphml": ("graphml", "graphml", "application/graphml+xml"),
}
