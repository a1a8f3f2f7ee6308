"""Stage one: read CSV, XLSX and YAML files into tables of text cells that keep their positions.

Norwegian Excel saves CSV with semicolons, Windows-1252 or UTF-8 with a BOM; all of these are
read as they are. Nothing here knows what a column means: that is :mod:`loaders.records`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loaders.encoding import decode
from loaders.errors import Problems
from loaders.limits import check_size, check_zip, compose_yaml, yaml_text

MAX_MB = 100


@dataclass(slots=True)  # hundreds of thousands in a big import
class Row:
    """The text cells of one row and its position (row 1 is the header)."""

    number: int
    cells: dict[str, str]


@dataclass
class Table:
    """One kind's rows as read from one file (or sheet)."""

    name: str
    file: str
    header: list[str]
    rows: list[Row]


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_csv(path: Path, name: str, problems: Problems, label: str | None = None) -> Table | None:
    file = label or path.name
    if not check_size(path, file, problems):
        return None
    text = decode(path.read_bytes(), file, problems)
    if text is None:
        return None
    return parse_csv(text, name, file, problems)


def parse_csv(text: str, name: str, file: str, problems: Problems) -> Table | None:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sniff_delimiter(first)
    )
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.add(file, "empty_file")
        return None
    except csv.Error as e:
        _csv_problem(e, file, 1, problems)
        return None
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                # Excel pads short rows; only a cell beyond the header is an error.
                extra = cells[len(header) :]
                if any(c.strip() for c in extra):
                    problems.add(file, "row_width", number, found=len(cells), expected=len(header))
                    continue
                cells = cells[: len(header)] + [""] * (len(header) - len(cells))
            rows.append(
                Row(number, {h: c.strip() for h, c in zip(header, cells, strict=True) if h})
            )
    except csv.Error as e:
        _csv_problem(e, file, len(rows) + 2, problems)
        return None
    if rows and text.count('"') % 2 and any("\n" in c for c in rows[-1].cells.values()):
        # An odd number of quotes and a last row that swallowed line breaks: a quote opened in
        # that row ran to the end of the file (the csv module says nothing about it).
        problems.add(file, "unbalanced_quote", rows[-1].number)
        return None
    return Table(name, file, header, rows)


def _csv_problem(e: csv.Error, file: str, row: int, problems: Problems) -> None:
    m = re.match(r"field larger than field limit \((\d+)\)", str(e))
    if m:
        problems.add(file, "field_limit", row, limit=int(m.group(1)))
    elif "NUL" in str(e):
        problems.add(file, "nul_byte", row)
    else:
        problems.add(file, "bad_csv", row, detail=str(e))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: Path, problems: Problems) -> Iterator[Table]:
    """One table per sheet; the sheet name is the kind. Positions are 'file [sheet]', row."""
    import openpyxl

    if not check_size(path, path.name, problems) or not check_zip(path, problems):
        return
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken file
        problems.add(path.name, "bad_xlsx", detail=str(e) or type(e).__name__)
        return
    try:
        for sheet in book.worksheets:
            file = f"{path.name} [{sheet.title}]"
            it = sheet.iter_rows(values_only=True)
            header_cells = next(it, None)
            if header_cells is None:
                continue
            header = [_cell_text(h) for h in header_cells]
            while header and not header[-1]:
                header.pop()
            rows = []
            for number, values in enumerate(it, start=2):
                cells = [_cell_text(v) for v in values]
                if not any(cells):
                    continue
                if any(cells[len(header) :]):
                    problems.add(file, "row_width", number, found=len(cells), expected=len(header))
                    continue
                cells += [""] * (len(header) - len(cells))
                rows.append(Row(number, {h: c for h, c in zip(header, cells, strict=False) if h}))
            yield Table(sheet.title, file, header, rows)
    finally:
        book.close()


def read_yaml(path: Path, problems: Problems) -> Iterator[Table]:
    """A mapping of kind → list of rows; row numbers are the YAML line of each item."""
    import yaml

    before = len(problems.items)
    text = yaml_text(path, path.name, problems)
    root = compose_yaml(text, path.name, problems) if text is not None else None
    if len(problems.items) > before:
        return
    if root is None or not isinstance(root, yaml.MappingNode):
        problems.add(path.name, "yaml_top")
        return
    for key, seq in root.value:
        if key.value == "manifest":
            continue  # read by the dataset loader
        if not isinstance(seq, yaml.SequenceNode):
            problems.add(path.name, "yaml_not_list", key.start_mark.line + 1, key=key.value)
            continue
        header: list[str] = []
        rows = []
        for item in seq.value:
            if not isinstance(item, yaml.MappingNode):
                problems.add(path.name, "yaml_row", item.start_mark.line + 1)
                continue
            cells = {}
            for k, v in item.value:
                if k.value not in header:
                    header.append(k.value)
                if isinstance(v, yaml.SequenceNode):
                    cells[k.value] = "|".join(str(x.value) for x in v.value)
                else:
                    cells[k.value] = "" if v.tag.endswith(":null") else str(v.value).strip()
            rows.append(Row(item.start_mark.line + 1, cells))
        yield Table(key.value, path.name, header, rows)
