"""Stage two: tables of text → validated records with typed values and positions.

Every problem is collected (not just the first) with its file, row and column, and the whole
dataset is refused if there is any: ids unique across the dataset, references resolved to a
record of an allowed kind, no cycles where none are allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast

from loaders.errors import Problems
from loaders.schema import KIND, Column, Kind
from loaders.table import Table

ID_RE = re.compile(r"^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_\-./]*$")
DATE_RES = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "ym"),
    (re.compile(r"^(\d{4})$"), "y"),
)
TRUE = {"ja", "yes", "true", "1", "sann", "j", "y"}
FALSE = {"nei", "no", "false", "0", "usann", "n"}


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year or month only; ``precision`` is 'year' or 'month'."""

    year: int
    month: int | None = None

    def isoformat(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"


# A typed cell as parse_value makes it; a ref or refs column holds a list of ids.
Value = str | int | bool | Decimal | dt.date | PartialDate | list[str]


@dataclass(slots=True)  # hundreds of thousands in a big import
class Record:
    """One validated row: kind, id (or key), typed values and where it came from."""

    kind: Kind
    id: str
    values: dict[str, object]
    file: str
    row: int


def parse_date(text: str) -> dt.date | PartialDate | None:
    for pattern, form in DATE_RES:
        m = pattern.match(text)
        if not m:
            continue
        try:
            if form == "ymd":
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            if form == "dmy":
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            if form == "ym":
                month = int(m[2])
                return PartialDate(int(m[1]), month) if 1 <= month <= 12 else None
            return PartialDate(int(m[1]))
        except ValueError:
            return None
    return None


def parse_decimal(text: str) -> Decimal | None:
    t = text.replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".")  # 1.234,5 (Norwegian thousands dot)
    else:
        t = t.replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def parse_value(
    col: Column, text: str, file: str, row: int | None, problems: Problems
) -> Value | None:
    """Typed value of one cell, or None after recording a problem."""
    t = col.type
    if t in ("text", "text_en", "str", "id"):
        if t == "id" and not ID_RE.match(text):
            problems.add(file, "bad_id", row, col.name, value=text)
            return None
        return text
    if t == "int":
        d = parse_decimal(text)
        if d is None or d != d.to_integral_value():
            problems.add(file, "bad_int", row, col.name, value=text)
            return None
        value: int | Decimal = int(d)
    elif t == "decimal":
        dec = parse_decimal(text)
        if dec is None:
            problems.add(file, "bad_decimal", row, col.name, value=text)
            return None
        value = dec
    elif t == "date":
        day = parse_date(text)
        if day is None:
            problems.add(file, "bad_date", row, col.name, value=text)
        return day
    elif t == "bool":
        low = text.lower()
        if low not in TRUE | FALSE:
            problems.add(file, "bad_bool", row, col.name, value=text)
            return None
        return low in TRUE
    elif t == "enum":
        if text not in col.values:
            problems.add(file, "bad_enum", row, col.name, value=text, allowed=", ".join(col.values))
            return None
        return text
    elif t in ("ref", "refs"):
        parts = [p.strip() for p in text.split("|") if p.strip()] if t == "refs" else [text]
        return parts
    else:  # pragma: no cover - schema error
        raise ValueError(f"unknown column type {t}")
    if (col.lo is not None and value < col.lo) or (col.hi is not None and value > col.hi):
        problems.add(file, "out_of_range", row, col.name, value=text, lo=col.lo, hi=col.hi)
        return None
    return value


def check_header(table: Table, kind: Kind, problems: Problems) -> bool:
    ok = True
    seen = set()
    for name in table.header:
        if not name:
            continue
        if name in seen:
            problems.add(table.file, "duplicate_column", 1, name, column=name)
            ok = False
        seen.add(name)
        if name not in kind.by_name:
            problems.add(
                table.file,
                "extra_column",
                1,
                name,
                column=name,
                known=", ".join(c.name for c in kind.columns),
            )
            ok = False
    for col in kind.columns:
        if col.required and col.name not in seen:
            problems.add(table.file, "missing_column", 1, col.name, column=col.name)
            ok = False
    return ok


def table_records(table: Table, problems: Problems) -> list[Record]:
    from loaders.kind_names import kind_of, known_nb

    kind = KIND.get(kind_of(table.name) or table.name)
    if kind is None:
        problems.add(
            table.file,
            "unknown_kind",
            name=table.name,
            known=", ".join(sorted(KIND)),
            known_nb=known_nb(),  # the nb message names the kinds in Norwegian
        )
        return []
    if not check_header(table, kind, problems):
        return []
    records = []
    plain = ("text", "text_en", "str")  # kept as written: no parsing needed
    cols = [(c.name, c.required, c.type in plain, c) for c in kind.columns]
    for row in table.rows:
        values: dict[str, object] = {}
        cells = row.cells
        for name, required, is_plain, col in cols:
            text = cells.get(name, "")
            if not text:
                if required:
                    problems.add(table.file, "required", row.number, name, column=name)
                continue
            if is_plain:
                values[name] = text
                continue
            value = parse_value(col, text, table.file, row.number, problems)
            if value is not None:
                values[name] = value
        if kind.has_id:
            rid = str(values.get("id", ""))
        else:
            rid = "|".join(_key_text(values.get(k)) for k in kind.key)
        records.append(Record(kind, rid, values, table.file, row.number))
    return records


def refs(values: dict[str, object], name: str) -> list[str]:
    """The ids in a ref or refs column (parse_value makes both a list); [] when it is empty."""
    return cast("list[str]", values.get(name) or [])


def _key_text(v: object) -> str:
    if isinstance(v, list):
        return ";".join(v)
    if isinstance(v, (dt.date, PartialDate)):
        return v.isoformat()
    return "" if v is None else str(v)


def resolve(records: list[Record], sdg_codes: Iterable[str], problems: Problems) -> None:
    """Check ids, keys, references and cycles across the whole dataset."""
    by_id: dict[str, Record] = {}
    keys: dict[tuple[str, str], Record] = {}
    for r in records:
        if r.kind.has_id:
            if not r.id:
                continue
            other = by_id.get(r.id)
            if other:
                problems.add(
                    r.file,
                    "duplicate_id",
                    r.row,
                    "id",
                    value=r.id,
                    other=f"{other.file} row {other.row}",
                )
            else:
                by_id[r.id] = r
        else:
            other = keys.get((r.kind.name, r.id))
            if other:
                problems.add(
                    r.file,
                    "duplicate_row",
                    r.row,
                    key=" + ".join(r.kind.key),
                    other=f"row {other.row}",
                )
            else:
                keys[(r.kind.name, r.id)] = r
    codes = set(sdg_codes)
    for r in records:
        for col in r.kind.columns:
            if col.type not in ("ref", "refs") or col.name not in r.values:
                continue
            for target in refs(r.values, col.name):
                if target.startswith("sdg:"):
                    if "sdg" not in col.targets:
                        problems.add(
                            r.file,
                            "wrong_ref_kind",
                            r.row,
                            col.name,
                            value=target,
                            found="sdg",
                            column=col.name,
                            kinds=", ".join(col.targets),
                        )
                    elif target[4:] not in codes:
                        problems.add(r.file, "unknown_sdg", r.row, col.name, value=target)
                    continue
                hit = by_id.get(target)
                if hit is None:
                    problems.add(
                        r.file,
                        "unknown_ref",
                        r.row,
                        col.name,
                        value=target,
                        kinds=", ".join(col.targets),
                    )
                elif hit.kind.name not in col.targets:
                    problems.add(
                        r.file,
                        "wrong_ref_kind",
                        r.row,
                        col.name,
                        value=target,
                        found=hit.kind.name,
                        column=col.name,
                        kinds=", ".join(col.targets),
                    )
    for kind in {r.kind.name: r.kind for r in records}.values():
        if kind.acyclic:
            _check_acyclic(kind, [r for r in records if r.kind is kind], problems)


def _check_acyclic(kind: Kind, records: list[Record], problems: Problems) -> None:
    a, b = kind.acyclic
    edges: dict[str, list[tuple[str, Record]]] = {}
    for r in records:
        src = r.id if a == "id" else next(iter(refs(r.values, a)), None)
        for dst in refs(r.values, b):
            if src:
                edges.setdefault(src, []).append((dst, r))
    state: dict[str, int] = {}
    for start in sorted(edges):
        if state.get(start):
            continue
        stack = [(start, iter(edges.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            dst, rec = step
            if state.get(dst) == 1:
                loop = path[path.index(dst) :] + [dst]
                problems.add(rec.file, "cycle", rec.row, b, what=kind.name, path=" → ".join(loop))
                return
            if not state.get(dst):
                state[dst] = 1
                path.append(dst)
                stack.append((dst, iter(edges.get(dst, ()))))
