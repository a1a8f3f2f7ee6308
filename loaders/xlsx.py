"""A fast reader of XLSX cell values, for registers with tens of thousands of rows.

openpyxl builds an object per cell and takes most of an import's time on a 30 000-row system
register. This reader streams each sheet's XML once and returns the same text cells as
:func:`loaders.spreadsheet.read_sheets` does with openpyxl (shared and inline strings,
numbers, booleans, and numbers in a date format as ISO dates, with the 1904 date system).
Anything it does not expect raises :class:`Unreadable`, and the caller falls back to openpyxl.
"""

from __future__ import annotations

import codecs
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
                out.append((sh.attrib["name"], _sheet_rows(z, member, strings, dates, epoch, cell)))
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, SyntaxError, OSError) as e:
        raise Unreadable(str(e)) from e


def _sheet_rows(
    z: zipfile.ZipFile,
    member: str,
    strings: list[str],
    dates: set[int],
    epoch: dt.datetime | None,
    cell: Callable[[object], str],
) -> list[tuple[int, list[str]]]:
    # The scanner reads the plain XML Excel, PP365 and openpyxl write; anything else (a prefix
    # on the main namespace, CDATA, rich inline text …) is read again by the XML parser.
    try:
        with z.open(member) as f:
            return list(_scan(f, strings, dates, epoch, cell))
    except _Unusual:
        with z.open(member) as f:
            return list(_rows(f, strings, dates, epoch, cell))


class _Unusual(Exception):
    """The sheet's XML is not in the plain form :func:`_scan` reads; use the XML parser."""


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_DECL = re.compile(r'<\?xml[^>]*?encoding\s*=\s*["\']([^"\']*)["\']')
_ROW = re.compile(r"\s*<row\b([^>]*?)(/>|>)")
_ROW_END = re.compile(r"\s*</row>")
# One cell: its attributes, then nothing, or a formula and/or a value, or one plain inline string.
_CELL = re.compile(
    r"\s*<c\b([^>]*?)(?:/>|>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?"
    r"(?:<v>([^<]*)</v>|<v/>|<is>\s*<t(?:\s[^>]*)?>([^<]*)</t>\s*</is>|<is>\s*<t(?:\s[^>]*)?/>\s*</is>)?"
    r"\s*</c>)"
)
_PLAIN_CELL = re.compile(
    r'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?>'
    r"(?:<v>([^<&\r]*)</v>|<is><t>([^<&\r]*)</t></is>)</c>"
)
_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
CHUNK = 1 << 20  # bytes of sheet XML scanned at a time


def _entity(m: re.Match[str]) -> str:
    name = m[1]
    if name[0] != "#":
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF:
        if code in (0xFFFE, 0xFFFF):
            raise _Unusual("not an XML character")
        return chr(code)
    raise _Unusual("not an XML character")


def _xml_text(raw: str) -> str:
    """Character data as an XML parser gives it: line ends normalised, references replaced."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        if "&" in _ENTITY.sub("", raw):
            raise _Unusual("an '&' that starts no reference")
        raw = _ENTITY.sub(_entity, raw)
    return raw


def _attrs(text: str) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(text):
        value = m[2] if m[2] is not None else m[3]
        if "&" in value or "<" in value:
            raise _Unusual("a reference in an attribute")
        out[m[1]] = value
    return out


def _scan(
    f: IO[bytes],
    strings: list[str],
    dates: set[int],
    epoch: dt.datetime | None,
    cell: Callable[[object], str],
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a sheet, read with regular expressions (several times faster than the parser).

    Every character of ``<sheetData>`` must be matched by the patterns: anything else raises
    :class:`_Unusual`, so the rows are always those :func:`_rows` gives."""
    from openpyxl.utils.datetime import from_excel

    head = f.read(CHUNK)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    decl = _DECL.match(head[:200].decode("ascii", "replace"))
    if decl and decl[1].lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise _Unusual("not UTF-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    buf = decoder.decode(head)
    while (start := buf.find("<sheetData")) < 0 or buf.find(">", start) < 0:
        more = f.read(CHUNK)  # a long head (columns, views) before the rows
        if not more:
            break
        buf += decoder.decode(more)
    root = buf.find("<worksheet")
    if start < 0 or root < 0 or _MAIN not in buf[root : buf.find(">", root)]:
        raise _Unusual("no plain <sheetData>")
    if "<!" in buf[:start]:
        raise _Unusual("a document type or a comment")
    opened = buf.find(">", start)
    if buf[opened - 1] == "/":  # <sheetData/>: no rows
        return
    buf = buf[opened + 1 :]
    number = 0
    done = False
    columns: dict[str, int] = {}
    seen: dict[str, str] = {}
    while not done:
        end = buf.find("</sheetData>")
        if end >= 0:
            part, done = buf[:end], True
        else:
            more = f.read(CHUNK)
            if not more:
                raise _Unusual("no </sheetData>")
            buf += decoder.decode(more)
            cut = buf.rfind("<row")  # rows do not nest: all before the last start are whole
            if cut <= 0 or "</sheetData>" in buf:
                continue
            part, buf = buf[:cut], buf[cut:]
        pos = 0
        while (m := _ROW.match(part, pos)) is not None:
            r = _attrs(m[1]).get("r")
            number = int(r) if r else number + 1
            pos = m.end()
            cells: list[str] = []
            if m[2] == ">":
                j = 0
                while True:
                    # The usual form first (no other attributes, nothing to unescape) …
                    c = _PLAIN_CELL.match(part, pos)
                    if c is not None:
                        letters, style, t, raw, inline = c.groups()
                    else:  # … then any form of a cell
                        c = _CELL.match(part, pos)
                        if c is None:
                            break
                        attrs = _attrs(c[1])
                        ref = REF.match(attrs.get("r", ""))
                        letters = ref[1] if ref else None
                        style, t, raw, inline = attrs.get("s"), attrs.get("t"), c[2], c[3]
                        if raw is not None and ("&" in raw or "\r" in raw):
                            raw = _xml_text(raw)
                        if inline is not None:
                            inline = _xml_text(inline)
                    pos = c.end()
                    if letters is None:
                        col = j
                    elif (col := columns.get(letters, -1)) < 0:
                        col = columns[letters] = _col(letters)
                    j += 1
                    if t == "s":
                        value: object = strings[int(raw)] if raw is not None else None
                    elif t == "inlineStr":
                        value = inline if inline is not None else ""
                    elif inline is not None:
                        raise _Unusual("an inline string in a cell of another type")
                    elif t in ("str", "e"):
                        value = raw
                    elif t == "b":
                        value = raw == "1" if raw is not None else None
                    elif t == "d":
                        value = dt.datetime.fromisoformat(raw) if raw else None
                    elif raw is None:
                        value = None
                    elif style is not None and int(style) in dates:
                        day = float(raw)
                        value = from_excel(day, epoch=epoch) if epoch else from_excel(day)
                    else:
                        value = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
                    if col < len(cells):
                        raise Unreadable(f"cells out of order in row {number}")
                    if col > len(cells):
                        cells.extend([""] * (col - len(cells)))
                    if type(value) is str:  # the same text again (a status, a name): one string
                        text = seen.get(value)
                        if text is None:
                            text = seen[value] = cell(value)
                        cells.append(text)
                    else:
                        cells.append(cell(value))
                close = _ROW_END.match(part, pos)
                if close is None:
                    raise _Unusual(f"unexpected XML in row {number}")
                pos = close.end()
            yield number, cells
        if part[pos:].strip():
            raise _Unusual(f"unexpected XML after row {number}")


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
