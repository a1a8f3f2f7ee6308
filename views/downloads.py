"""Table downloads for Excel users: every table in the app as XLSX and as a CSV that
Norwegian Excel opens in columns (``;`` separator, UTF-8 with BOM, decimal comma).

:func:`to_xlsx` and :func:`to_csv_excel` are pure (bytes from a DataFrame) so they can be
tested without Streamlit; :func:`buttons` draws the two download buttons under a table.
Cells that a spreadsheet would run as a formula are passed through :func:`neutralise` first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any

import pandas as pd

from graph.cells import neutralise  # the one neutraliser for every outbound CSV/XLSX

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def _plain(value: Any) -> Any:
    """A cell value a spreadsheet can hold: numbers, dates and text; empty for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return neutralise(str(value))


def _number_nb(value: float) -> str:
    """A float with a decimal comma and no thousands separator (Excel nb reads it as a number)."""
    text = repr(value) if value != int(value) or abs(value) >= 1e16 else f"{value:.1f}"
    return text.replace(".", ",")


def to_csv_excel(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for Norwegian Excel: ``;``, CRLF, UTF-8 with BOM, decimal comma."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for v in map(_plain, row):
            if v is None:
                cells.append("")
            elif isinstance(v, bool):
                cells.append(str(v))
            elif isinstance(v, float):
                cells.append(_number_nb(v))
            elif isinstance(v, (dt.date, dt.datetime)):
                cells.append(v.isoformat())
            else:
                cells.append(v)
        w.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Tabell") -> bytes:
    """The frame as an XLSX workbook: bold header, header row and key column frozen."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "".join(c for c in sheet if c not in "[]:*?/\\")[:31] or "Tabell"
    ws.append([neutralise(str(c)) for c in frame.columns])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_plain(v) for v in row])
    for j, col in enumerate(frame.columns, start=1):
        longest = max(
            [len(str(col))] + [len(str(v)) for v in frame.iloc[:200, j - 1] if v is not None]
        )
        ws.column_dimensions[get_column_letter(j)].width = max(8, min(60, longest + 2))
        for cell in ws.iter_cols(min_col=j, max_col=j, min_row=2):
            for c in cell:
                if isinstance(c.value, dt.date):
                    c.number_format = "DD.MM.YYYY"
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """Two download buttons (Excel, CSV) for ``frame``; files are built only when clicked."""
    import streamlit as st

    from views.i18n import t

    row = st.container(horizontal=True, gap="small")  # wraps in a narrow column, never truncates
    row.download_button(
        t("download.xlsx"),
        data=lambda: to_xlsx(frame, name),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}__xlsx",
        on_click="ignore",
        icon=":material/table:",
    )
    row.download_button(
        t("download.csv.excel"),
        data=lambda: to_csv_excel(frame),
        file_name=f"{name}.csv",
        mime=CSV_MIME,
        key=f"{key}__csv",
        on_click="ignore",
        icon=":material/download:",
        help=t("download.csv.excel.help"),
    )
