"""Render a :class:`graph.store.Result` as a text table, CSV or JSON (CLI and downloads)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from graph.cells import neutralise
from graph.store import IRI, Result
from ontology.terms import PREFIXES


def short(value: Any) -> str:
    """A compact form of a value for tables: prefixed names for IRIs, ISO for dates."""
    if value is None:
        return ""
    if isinstance(value, IRI):
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns) :]}"
        parts = value.rstrip("/").split("/")
        return "/".join(parts[-2:]) if len(parts) > 3 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_table(result: Result, max_width: int = 60) -> str:
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    cells = [[short(v).replace("\n", " ") for v in row] for row in result.rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(result.columns)]
    line = "  ".join(h.ljust(w) for h, w in zip(result.columns, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(out)


def to_csv(result: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(result.columns)
    for row in result.rows:  # text that a spreadsheet would run as a formula is neutralised
        cells = [str(v) if isinstance(v, IRI) else _csv_cell(v) for v in row]
        # csv quotes only the line terminator's characters: a lone CR would split the row.
        (quoted if any("\r" in c for c in cells) else w).writerow(cells)
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    text = short(value)
    return neutralise(text) if isinstance(value, str) else text  # numbers, dates: as they are


def to_json(result: Result) -> str:
    rows = [
        {c: _json_value(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows
    ]
    body: dict[str, Any] = {"columns": result.columns, "rows": rows, "truncated": result.truncated}
    if result.boolean is not None:
        body["boolean"] = result.boolean
    return json.dumps(body, ensure_ascii=False, indent=2)


def render(result: Result, fmt: str = "table") -> str:
    return {"table": to_table, "csv": to_csv, "json": to_json}[fmt](result)
