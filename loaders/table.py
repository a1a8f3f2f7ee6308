"""Stage one: read CSV, XLSX and YAML files into tables of text cells that keep their positions.

Norwegian Excel saves CSV with semicolons, Windows-1252 or UTF-8 with a BOM; all of these are
read as they are. Nothing here knows what a column means: that is :mod:`loaders.records`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import Problems

MAX_MB = 100


@dataclass
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


def decode(data: bytes, file: str, problems: Problems) -> str | None:
    """Bytes → text: UTF-8 (with or without BOM), else Windows-1252; refuse binary data."""
    if not data.strip():
        problems.add(file, "empty_file")
        return None
    head = data[:65536]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > len(head) // 100:
        problems.add(file, "binary_file")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            problems.add(file, "bad_encoding")
            return None


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_csv(path: Path, name: str, problems: Problems, label: str | None = None) -> Table | None:
    file = label or path.name
    size = path.stat().st_size
    if size > MAX_MB * 1024 * 1024:
        problems.add(file, "too_large", size=size // (1024 * 1024), limit=MAX_MB)
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
        problems.add(file, "bad_csv", 1, detail=str(e))
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
        problems.add(file, "bad_csv", reader.line_num, detail=str(e))
        return None
    return Table(name, file, header, rows)


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

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        problems.add(path.name, "bad_yaml", detail=str(e).replace("\n", " "))
        return
    if root is None or not isinstance(root, yaml.MappingNode):
        problems.add(
            path.name, "bad_yaml", detail="top level must be a mapping of kind → list of rows"
        )
        return
    for key, seq in root.value:
        if key.value == "manifest":
            continue  # read by the dataset loader
        if not isinstance(seq, yaml.SequenceNode):
            problems.add(
                path.name,
                "bad_yaml",
                key.start_mark.line + 1,
                detail=f"'{key.value}' must be a list",
            )
            continue
        header: list[str] = []
        rows = []
        for item in seq.value:
            if not isinstance(item, yaml.MappingNode):
                problems.add(
                    path.name,
                    "bad_yaml",
                    item.start_mark.line + 1,
                    detail="each row must be a mapping",
                )
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
