"""Neutralise spreadsheet formulas in every table that leaves the product (CSV and XLSX).

A cell loaded as ``=cmd|' /C calc'!A0``, ``+1+1`` or ``@SUM(1)`` came back raw in
``--format csv`` and the app's downloads, and Excel or LibreOffice would run it on opening.
A text cell that starts with ``= + - @``, a tab or a carriage return gets a leading ``'``
(OWASP's advice), which spreadsheets show as text. Numbers stay numbers: a negative amount is
only neutralised when it arrives as text. :func:`restore` undoes it for our own round trips.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` with a ``'`` in front if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The inverse of :func:`neutralise` (for reading back our own exports)."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value[1:2]
        and value[1:].startswith(FORMULA_START)
    ):
        return value[1:]
    return value


def neutralise_row(row: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [neutralise(v) for v in row]


def neutralise_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame with its text cells neutralised (for ``to_csv``)."""
    return frame.map(neutralise) if hasattr(frame, "map") else frame.applymap(neutralise)
