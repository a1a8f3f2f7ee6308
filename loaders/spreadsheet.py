"""Norwegian spreadsheet reality: the sheets municipalities actually send, read as text cells.

Exports from Prosjektportalen, Excel registers and CSV files saved by Norwegian Excel have a
title row above the header, two header rows where a merged cell spans a group («Modenhet» over
«funksjoner», «teknologi» …), trailing empty rows, dates as «3. januar 2017», «12.05.16» or
Excel serial numbers, and people as «Etternavn, Fornavn», ``12;#Navn`` or an e-mail address.
This module turns all of that into plain text cells with their real row numbers, so the
importers (:mod:`loaders.prosjektportalen`, :mod:`loaders.register`) can name file, sheet, row,
column and value in every error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders.encoding import decode
from loaders.errors import MESSAGES, Problems
from loaders.records import PartialDate
from loaders.table import MAX_MB

# Importer messages live beside the loader's own (nb/en), so LoadError renders them alike.
MESSAGES.update(
    {
        "import_date": (
            "'{value}' is not a date we can read (e.g. 2017-01-03, 03.01.2017, 3. januar 2017, 03.01.17 or an Excel date number)",
            "'{value}' er ikke en dato vi kan lese (f.eks. 2017-01-03, 03.01.2017, 3. januar 2017, 03.01.17 eller et Excel-datotall)",
        ),
        "import_value": (
            "'{value}' is not a known value for {field}; known: {allowed}",
            "'{value}' er ikke en kjent verdi for {field}; kjente: {allowed}",
        ),
        "import_missing_column": (
            "no column for {field} (looked for: {aliases}); add it or map it in a mapping file",
            "ingen kolonne for {field} (lette etter: {aliases}); legg den til eller angi den i en kolonnefil",
        ),
        "import_no_sheet": (
            "no sheet with {what_en} (sheets: {sheets})",
            "ingen ark med {what_nb} (ark: {sheets})",
        ),
        "import_conflict": (
            "{what_en} '{value}' appears twice with different data (also at row {other}; differs in {columns})",
            "{what_nb} '{value}' står to ganger med ulike data (også i rad {other}; ulikt i {columns})",
        ),
        "import_unknown_project": (
            "'{value}' names no project in this export or earlier imports (known e.g.: {known})",
            "'{value}' er ikke et prosjekt i denne eksporten eller tidligere importer (kjente f.eks.: {known})",
        ),
        "import_required": ("{field} is empty", "{field} er tom"),
        "import_sdg": (
            "'{value}' is not one of the 17 UN goals (write 3, 03. God helse, Mål 3 …)",
            "'{value}' er ikke ett av de 17 FN-målene (skriv 3, 03. God helse, Mål 3 …)",
        ),
        "import_bool": ("'{value}' is not Ja/Nei", "'{value}' er ikke Ja/Nei"),
        "import_empty": ("no data rows below the header", "ingen datarader under overskriften"),
        "bad_mapping": ("mapping file: {detail}", "kolonnefil: {detail}"),
        "use_import": (
            "this looks like a Prosjektportalen export or an ICT register, not a dataset: import it with {command} (docs/importers.md)",
            "dette ser ut som en eksport fra Prosjektportalen eller et IKT-register, ikke et datasett: importer det med {command} (docs/importers.md)",
        ),
        "import_unsupported": (
            "file type '{suffix}' cannot be imported (use .xlsx or .csv)",
            "filtypen '{suffix}' kan ikke importeres (bruk .xlsx eller .csv)",
        ),
    }
)

SCAN_ROWS = 20  # header search depth: title rows and notes above the header are common
EMPTY_RUN = 5000  # stop after this many empty rows (sheets "used" down to row 1 048 576)
BLANK = {"", "-", "–", "—", "...", "…", "?", "n/a", "na", "#n/a", "null", "none"}
MONTHS = {
    "januar": 1, "jan": 1, "january": 1, "februar": 2, "feb": 2, "february": 2, "mars": 3,
    "mar": 3, "march": 3, "april": 4, "apr": 4, "mai": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11,
    "nov": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = (
    r"(?:man|tirs|ons|tors|fre|lør|søn)dag|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D_MONTH_Y = re.compile(rf"^(\d{{1,2}})\.?\s*{_MONTH}\s*(\d{{2}}|\d{{4}})$")
_MONTH_Y = re.compile(rf"^{_MONTH}\s+(\d{{4}})$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})[./](\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:[.,]\d+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Sheet:
    """The text cells of one sheet (or CSV file), each row with its number as Excel shows it."""

    name: str | None
    label: str  # "file.xlsx [Ark]" or "file.csv": the file part of every problem
    rows: list[tuple[int, list[str]]]


@dataclass
class Header:
    """Where the header is, the column names as shown, and the field each one means."""

    row: int  # index in Sheet.rows of the (lower) header row
    names: list[str]
    fields: list[str | None]


@lru_cache(maxsize=65536)  # registers repeat the same names and values thousands of times
def norm(text: str) -> str:
    """A header or value reduced for matching: case, dashes, punctuation and spaces ignored."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", t).split())


_ASCII: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "å": "a", "ß": "ss"}


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """An id from a name: «Bærekraftig Vestby» → baerekraftig-vestby (ASCII, for IRIs)."""
    t = text.casefold().translate(str.maketrans(_ASCII))
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-") or "x"


def blank(text: str) -> bool:
    return text.strip().casefold() in BLANK


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return " ".join(text.replace("\u00a0", " ").split()) if "\n" not in text else text.strip()


def read_sheets(path: Path, problems: Problems) -> list[Sheet]:
    """Every sheet of an XLSX workbook, or the one table of a CSV file, as text rows."""
    if not path.exists():
        problems.add(str(path), "not_found")
        return []
    if path.stat().st_size > MAX_MB * 1024 * 1024:
        problems.add(path.name, "too_large", size=path.stat().st_size // 2**20, limit=MAX_MB)
        return []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from loaders.limits import check_zip  # a small zip can unpack to gigabytes of rows

        return _read_xlsx(path, problems) if check_zip(path, problems) else []
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        text = decode(path.read_bytes(), path.name, problems)
        return [] if text is None else [parse_csv_text(text, path.name)]
    problems.add(path.name, "import_unsupported", suffix=path.suffix or "(none)")
    return []


def parse_csv_text(text: str, label: str) -> Sheet:
    text = text.lstrip("\ufeff")
    head = text.splitlines()[:SCAN_ROWS]
    # The title line above the header has no delimiters, so count over several lines.
    delim = max((";", ",", "\t"), key=lambda d: (sum(line.count(d) for line in head), d == ";"))
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for cells in reader:
            rows.append((reader.line_num, [_cell(c) for c in cells]))
    except csv.Error:
        pass  # a broken quote: keep what was read; the importer reports the missing data
    return Sheet(None, label, _trim(rows))


def _read_xlsx(path: Path, problems: Problems) -> list[Sheet]:
    from loaders import xlsx

    try:  # the streaming reader is several times faster; openpyxl reads whatever it cannot
        return [
            Sheet(name, f"{path.name} [{name}]", _trim(rows))
            for name, rows in xlsx.sheets(path, _cell)
        ]
    except xlsx.Unreadable:
        return _read_openpyxl(path, problems)


def _read_openpyxl(path: Path, problems: Problems) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken file
        problems.add(path.name, "bad_xlsx", detail=str(e) or type(e).__name__)
        return []
    sheets = []
    try:
        for ws in book.worksheets:
            rows, empty = [], 0
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                cells = [_cell(v) for v in values]
                if any(cells):
                    rows.append((number, cells))
                    empty = 0
                else:
                    empty += 1
                    if empty > EMPTY_RUN:
                        break
            sheets.append(Sheet(ws.title, f"{path.name} [{ws.title}]", _trim(rows)))
    except Exception as e:  # a corrupt sheet part inside a readable zip
        problems.add(path.name, "bad_xlsx", detail=str(e) or type(e).__name__)
        return []
    finally:
        book.close()
    return sheets


def _trim(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    out = []
    for number, cells in rows:
        while cells and not cells[-1]:
            cells = cells[:-1]
        if cells:
            out.append((number, cells))
    return out


def find_header(
    sheet: Sheet, match: Callable[[str], str | None], force: int | None = None
) -> Header | None:
    """The row (or pair of rows, for a merged group header) whose cells name the most fields.

    ``match`` maps a column name to a field or None. ``force`` is a 1-based sheet row number
    from a mapping file. At least two fields must match, so a title row never wins.
    """
    best: tuple[int, Header] | None = None
    for i, (number, cells) in enumerate(sheet.rows[:SCAN_ROWS]):
        if force is not None and number != force:
            continue
        candidates: list[tuple[list[str], list[str] | None]] = [(list(cells), None)]
        if i > 0 and sheet.rows[i - 1][0] == number - 1:
            above = sheet.rows[i - 1][1]
            width = max(len(cells), len(above))  # the lower row was trimmed of empty cells
            candidates.append((cells + [""] * (width - len(cells)), _fill(above, width)))
        for child, parent in candidates:
            names, fields = _combine(child, parent, match)
            score = len({f for f in fields if f})
            if score >= (1 if force else 2) and (best is None or score > best[0]):
                best = (score, Header(i, names, fields))
    return best[1] if best else None


def _fill(parent: list[str], width: int) -> list[str]:
    # A merged group cell holds its text in the first column only: carry it to the right.
    out, last = [], ""
    for j in range(width):
        text = parent[j] if j < len(parent) else ""
        last = text or last
        out.append(last)
    return out


def _combine(
    child: list[str], parent: list[str] | None, match: Callable[[str], str | None]
) -> tuple[list[str], list[str | None]]:
    names, fields = [], []
    for j, name in enumerate(child):
        options = [name]
        if parent is not None:
            up = parent[j]
            options = [f"{up} – {name}", name] if name and up and up != name else [name or up]
        chosen = next(((o, f) for o in options if (f := match(o))), (options[0], None))
        names.append(chosen[0])
        fields.append(chosen[1])
    return names, fields


def parse_date(text: str) -> dt.date | PartialDate | None:
    """«3. januar 2017», «12.05.16», «2017-01-03T10:00», «januar 2017», 42747 (Excel) …"""
    t = re.sub(rf"^(?:{WEEKDAYS}),?\s+", "", " ".join(text.casefold().split()))
    try:
        if m := _ISO.match(t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(t):
            return dt.date(_year(m[3]), int(m[2]), int(m[1]))
        if m := _D_MONTH_Y.match(t):
            return dt.date(_year(m[3]), MONTHS[m[2]], int(m[1]))
        if m := _MONTH_Y.match(t):
            return PartialDate(int(m[2]), MONTHS[m[1]])
        if m := _YM.match(t):
            year, month = (m[1], m[2]) if m[1] else (m[4], m[3])
            return PartialDate(int(year), int(month)) if 1 <= int(month) <= 12 else None
        if re.fullmatch(r"(19|20)\d\d", t):
            return PartialDate(int(t))
        if m := _SERIAL.match(t):
            return EXCEL_EPOCH + dt.timedelta(days=int(m[1]))
    except (ValueError, OverflowError):
        return None
    return None


def _year(text: str) -> int:
    # Two-digit years in municipal sheets are this century unless they clearly are not.
    return (
        int(text) if len(text) == 4 else (2000 + int(text) if int(text) < 70 else 1900 + int(text))
    )


def people(text: str) -> list[str]:
    """Display names from a people cell: «Nordmann, Ola», ``12;#Ola Nordmann``, an e-mail …

    Titles are left out («Kari Hansen - Rådmann» → Kari Hansen); see loaders.people."""
    from loaders.people import parse_people

    return [e.name for e in parse_people(text)]
