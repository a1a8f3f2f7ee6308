"""Bytes to text for the tables and manifests: UTF-8 (with or without BOM), Windows-1252 where
the whole file is, and a clear refusal for UTF-16, binary data and UTF-8 with a bad byte."""

from __future__ import annotations

import re

from loaders.errors import Problems

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
)


def _is_utf16(data: bytes) -> bool:
    """A UTF-16 BOM, or text where every other byte is zero (UTF-16 without a BOM)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4096]
    half = len(head) // 2
    return half >= 2 and max(head[0::2].count(0), head[1::2].count(0)) > half * 3 // 4


def _bad_byte(data: bytes, e: UnicodeDecodeError, file: str, code: str, problems: Problems) -> None:
    pos = e.start
    line = data.count(b"\n", 0, pos) + 1
    col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    problems.add(file, code, byte=f"{data[pos]:02X}", line=line, at=col)


def decode(data: bytes, file: str, problems: Problems) -> str | None:
    """Bytes → text: UTF-8 (with or without BOM), else Windows-1252; refuse binary data.

    A file with valid UTF-8 sequences and one bad byte is UTF-8 with a fault, not Windows-1252:
    decoding it as 1252 would turn every 'ø' into 'Ã¸' without a word, so it is refused with the
    position of the byte. UTF-16 (Excel's "Unicode text") is named as such.
    """
    if not data.strip():
        problems.add(file, "empty_file")
        return None
    if _is_utf16(data):
        problems.add(file, "utf16")
        return None
    head = data[:65536]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in data or controls > len(head) // 100:  # a NUL anywhere: not text
        problems.add(file, "binary_file")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if _UTF8_MULTIBYTE.search(data):
            _bad_byte(data, e, file, "bad_utf8", problems)
            return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        _bad_byte(data, e, file, "not_utf8", problems)
        return None


def decode_strict(data: bytes, file: str, problems: Problems) -> str | None:
    """Bytes → text for a manifest or YAML file: UTF-8 only (a BOM allowed), else a problem."""
    if _is_utf16(data):
        problems.add(file, "utf16")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        code = "bad_utf8" if _UTF8_MULTIBYTE.search(data) else "not_utf8"
        _bad_byte(data, e, file, code, problems)
        return None
