"""A fast reader of XLSX cell values, for registers with tens of thousands of rows.

openpyxl builds an object per cell and takes most of an import's time on a 30 000-row system
register. This reader streams each sheet's XML once and returns the same text cells as
:func:`loaders.spreadsheet.read_sheets` does with openpyxl (shared and inline strings,
numbers, booleans, and numbers in a date format as ISO dates, with the 1904 date system).
Anything it does not expect raises :class:`Unreadable`, and the caller falls back to openpyxl.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


class Unreadable(Exception):
    """The file is not an XLSX this reader knows how to read; use openpyxl."""


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _text(el: Element | None) -> str:
    # Rich text runs (<r><t>) and plain <t>, without phonetic guides (<rPh>).
    return (
        "".join(t.text or "" for t in el.iter(NS + "t") if t is not None) if el is not None else ""
    )


def sheets(
    path: Path, cell: Callable[[object], str]
) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """(sheet name, [(row number, cells)]) for every worksheet, in workbook order."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            book = _parse(z, "xl/workbook.xml")
            rels = {
                r.get("Id"): r.attrib["Target"]  # none (KeyError): Unreadable, not a crash
                for r in _parse(z, "xl/_rels/workbook.xml.rels").iter(PKG + "Relationship")
            }
            pr = book.find(f"{NS}workbookPr")
            epoch = (
                dt.datetime(1904, 1, 1)
                if pr is not None and pr.get("date1904") in ("1", "true")
                else None
            )
            strings = (
                [_text(si) for si in _parse(z, "xl/sharedStrings.xml").iter(NS + "si")]
                if "xl/sharedStrings.xml" in names
                else []
            )
            dates = _date_styles(z) if "xl/styles.xml" in names else set()
            out = []
            for sh in book.iter(NS + "sheet"):
                target = rels.get(sh.get(REL), "")
                member = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                if member not in names:
                    raise Unreadable(f"missing part {member}")
                with z.open(member) as f:
                    out.append((sh.attrib["name"], list(_rows(f, strings, dates, epoch, cell))))
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, SyntaxError, OSError) as e:
        raise Unreadable(str(e)) from e


def _parse(z: zipfile.ZipFile, member: str) -> Element:
    root: Element  # the last element to end is the root (an empty part is a ParseError)
    with z.open(member) as f:
        for _, el in iterparse(f, events=("end",)):
            root = el
    return root


def _date_styles(z: zipfile.ZipFile) -> set[int]:
    styles = _parse(z, "xl/styles.xml")
    custom = {
        int(n.attrib["numFmtId"]): n.get("formatCode", "") for n in styles.iter(NS + "numFmt")
    }
    xfs = styles.find(f"{NS}cellXfs")
    out = set()
    for i, xf in enumerate(xfs.findall(f"{NS}xf") if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        code = custom.get(fid, BUILTIN_FORMATS.get(fid, "General"))
        if is_date_format(code):
            out.add(i)
    return out


def _rows(
    f: IO[bytes],
    strings: list[str],
    dates: set[int],
    epoch: dt.datetime | None,
    cell: Callable[[object], str],
) -> Iterator[tuple[int, list[str]]]:
    from openpyxl.utils.datetime import from_excel

    number = 0
    for _, el in iterparse(f, events=("end",)):
        if el.tag != NS + "row":
            continue
        number = int(el.get("r") or number + 1)
        cells: list[str] = []
        for j, c in enumerate(el.iter(NS + "c")):
            ref = REF.match(c.get("r") or "")
            col = _col(ref[1]) if ref else j
            t, v = c.get("t", "n"), c.find(f"{NS}v")
            raw = v.text if v is not None else None
            if t == "s":
                value: object = strings[int(raw)] if raw is not None else None
            elif t == "inlineStr":
                value = _text(c.find(f"{NS}is"))
            elif t in ("str", "e"):
                value = raw
            elif t == "b":
                value = raw == "1" if raw is not None else None
            elif t == "d":
                value = dt.datetime.fromisoformat(raw) if raw else None
            elif raw is None:
                value = None
            elif int(c.get("s", "0")) in dates:
                value = from_excel(float(raw), epoch=epoch) if epoch else from_excel(float(raw))
            else:
                value = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
            if col < len(cells):
                raise Unreadable(f"cells out of order in row {number}")
            cells.extend([""] * (col - len(cells)))
            cells.append(cell(value))
        el.clear()
        yield number, cells
