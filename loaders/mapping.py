"""Column and value mapping: a municipality's own column names and values → ours, without code.

Each importer has a :class:`Vocabulary`: its fields (Prosjektportalen's internal names such as
``GtStatusTime``, or register fields such as ``vendor``), every display name a field is known
by, and the values a field accepts. A small YAML file (docs/importers.md) adds a municipality's
own names::

    importer: pp
    sheet: Portefølje          # optional: which sheet
    header_row: 3              # optional: the header's row number as Excel shows it
    columns:
      Ansvarlig: Prosjektleder # their column → any name we know for the field
      Intern ref: null         # a column to ignore
    values:
      Status tid: {Grønn: På plan, Gul: Mindre forsinkelser, Rød: Forsinket}

:func:`suggest` is what the app calls when a file has columns nobody knows: it returns them
with close matches (difflib) and a draft mapping file to fill in.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from loaders.errors import LoadError, Problems
from loaders.spreadsheet import Header, Sheet, blank, find_header, norm, read_sheets

IGNORE = "-"  # the field of a column that is known (or mapped to null) but not stored
NO_STATUS = ""  # what a value stands for when it says "no status" (a mapping file's null, ~ or '')
# Words people write for "no status": a status field holding one of these has no status (it is
# counted in the import report), unless the word is one of the field's own values (PP's
# Status økonomi has «Vet ikke» as an amber choice). Cells in spreadsheet.BLANK count too.
NO_STATUS_WORDS = frozenset({
    "vet ikke", "ikke vurdert", "ikke satt", "ikke angitt", "ikke relevant", "ukjent", "uavklart",
    "ingen status", "ikke rapportert", "don t know", "unknown", "not assessed", "not set", "not reported",
})  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    """The fields of one importer: field → display names (the first is the default label)."""

    name: str
    aliases: dict[str, tuple[str, ...]]
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()  # fields recognised but not stored (listed in the report)
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)  # field → norm(value) → ours

    def choose(self, mapping: Mapping | None, f: str, text: str) -> str | None:
        """The known value ``text`` stands for (after the mapping file), NO_STATUS, or None.

        Order: the mapping file, the field's own values and synonyms, then the no-status words;
        None only for a value that is none of these (an error for the importer to report).
        """
        mapped = map_value(mapping, f, text)
        if mapped == NO_STATUS:
            return NO_STATUS
        n = norm(mapped)
        hit = next(
            (a for a in self.values.get(f, ()) if norm(a) == n), self.synonyms.get(f, {}).get(n)
        )
        if hit is None and (n in NO_STATUS_WORDS or blank(mapped)):
            return NO_STATUS
        return hit

    def index(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f, names in self.aliases.items():
            for n in (f, *names):
                out.setdefault(norm(n), f)
        return out

    def label(self, f: str) -> str:
        return (self.aliases.get(f) or (f,))[0]


@dataclass
class Mapping:
    """A municipality's mapping file, resolved against one vocabulary."""

    columns: dict[str, str] = field(default_factory=dict)  # norm(their header) → field or IGNORE
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → norm(value) → ours
    sheet: str | None = None
    header_row: int | None = None
    file: str = ""
    project_code: str | None = None  # a regex for the project code in a title (pp)


def matcher(vocab: Vocabulary, mapping: Mapping | None) -> Callable[[str], str | None]:
    """A function: column name as shown → field (IGNORE for known-but-unused), or None."""
    index = vocab.index()
    own = mapping.columns if mapping else {}
    ignored = set(vocab.ignored)

    def match(name: str) -> str | None:
        key = norm(name)
        if not key:
            return None
        f = own.get(key) or index.get(key)
        return IGNORE if f in ignored else f

    return match


def no_status(text: str) -> bool:
    """Whether a cell says "no status" («Vet ikke», «Ikke vurdert», «-», empty …)."""
    return blank(text) or norm(text) in NO_STATUS_WORDS


def map_value(mapping: Mapping | None, f: str, text: str) -> str:
    """A value after the mapping file's value table (unchanged when it has no entry; a
    value mapped to null, ``~`` or ``''`` becomes NO_STATUS)."""
    if mapping and f in mapping.values:
        return mapping.values[f].get(norm(text), text)
    return text


def load_mapping(path: Path | str | None, vocab: Vocabulary, problems: Problems) -> Mapping | None:
    """Read a mapping file; every unknown field name is a problem with its line number."""
    if path is None:
        return None
    path = Path(path)
    name = path.name
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
        problems.add(name, "bad_mapping", detail=str(e).replace("\n", " ")[:300])
        return None
    if not isinstance(root, yaml.MappingNode):
        problems.add(
            name, "bad_mapping", detail="the top level must be a mapping (columns:, values:)"
        )
        return None
    out = Mapping(file=name)
    index = vocab.index()

    def field_of(node: yaml.Node, what: str) -> str | None:
        if node.tag.endswith(":null") or node.value in ("", None):
            return IGNORE
        f = index.get(norm(str(node.value)))
        if f is None:
            close = difflib.get_close_matches(str(node.value), _names(vocab), 3, 0.6)
            problems.add(
                name,
                "bad_mapping",
                node.start_mark.line + 1,
                detail=(
                    f"{what} '{node.value}' is not a field of the {vocab.name} importer"
                    + (f" (did you mean {', '.join(close)}?)" if close else "")
                ),
            )
        return f

    for key, node in root.value:
        k = str(key.value)
        if k == "importer" and str(node.value) != vocab.name:
            problems.add(
                name,
                "bad_mapping",
                key.start_mark.line + 1,
                detail=f"written for the '{node.value}' importer, not '{vocab.name}'",
            )
        elif k == "sheet":
            out.sheet = str(node.value)
        elif k == "header_row":
            if not str(node.value).isdigit():
                problems.add(
                    name,
                    "bad_mapping",
                    key.start_mark.line + 1,
                    detail="header_row must be a row number",
                )
            else:
                out.header_row = int(node.value)
        elif k == "project_code":
            import re

            try:
                re.compile(str(node.value))
                out.project_code = str(node.value)
            except re.error as e:
                problems.add(
                    name,
                    "bad_mapping",
                    key.start_mark.line + 1,
                    detail=f"project_code is not a regular expression ({e})",
                )
        elif k == "columns" and isinstance(node, yaml.MappingNode):
            for col, target in node.value:
                f = field_of(target, "column target")
                if f:
                    out.columns[norm(str(col.value))] = f
        elif k == "values" and isinstance(node, yaml.MappingNode):
            for fnode, table in node.value:
                f = field_of(fnode, "field")
                if f and f != IGNORE and isinstance(table, yaml.MappingNode):
                    out.values[f] = {norm(str(a.value)): _target(b) for a, b in table.value}
        elif k not in ("importer", "municipality", "dataset"):
            problems.add(
                name,
                "bad_mapping",
                key.start_mark.line + 1,
                detail=f"unknown key '{k}' (use importer, sheet, header_row, project_code, columns, values)",
            )
    return out


def _target(node: yaml.Node) -> str:
    # `Vet ikke: null`, `~` or `''`: the value means "no status", not the text "None".
    if node.tag.endswith(":null") or node.value in ("", None):
        return NO_STATUS
    return str(node.value)


def _names(vocab: Vocabulary) -> list[str]:
    return [n for f, names in vocab.aliases.items() for n in (*names, f)]


def pick_sheet(
    sheets: list[Sheet], vocab: Vocabulary, mapping: Mapping | None, required: str
) -> tuple[Sheet, Header] | tuple[None, None]:
    """The sheet and header that name the most fields of ``vocab`` and include ``required``."""
    match = matcher(vocab, mapping)
    best: tuple[int, Sheet, Header] | None = None
    for sheet in sheets:
        if mapping and mapping.sheet and sheet.name != mapping.sheet:
            continue
        header = find_header(sheet, match, mapping.header_row if mapping else None)
        if header is None or (required and required not in header.fields):
            continue
        score = len({f for f in header.fields if f})
        if best is None or score > best[0]:
            best = (score, sheet, header)
    return (best[1], best[2]) if best else (None, None)


@dataclass
class Suggestion:
    """A column nobody knows, and the fields it may mean (best first)."""

    sheet: str | None
    column: str
    candidates: list[str]


@dataclass
class Suggestions:
    importer: str
    sheet: str | None
    header_row: int | None
    columns: list[Suggestion]
    values: dict[str, list[tuple[str, list[str]]]]  # field label → [(value, close known values)]
    # field label → the columns that would all feed it (known ones and best guesses)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    known: int = 0  # fields the header names (0: no header found, the first row is shown)

    def as_dict(self) -> dict[str, object]:
        """One JSON-ready document (``kg import suggest -f json``)."""
        return {
            "importer": self.importer,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": [
                {"sheet": c.sheet, "column": c.column, "candidates": c.candidates}
                for c in self.columns
            ],
            "values": {
                f: [{"value": v, "candidates": c} for v, c in vs] for f, vs in self.values.items()
            },
            "conflicts": self.conflicts,
            "mapping": self.yaml(),
        }

    def yaml(self) -> str:
        """A draft mapping file: the best guess filled in, the rest left for the user."""
        doc: dict[str, object] = {"importer": self.importer}
        if self.sheet:
            doc["sheet"] = self.sheet
        if self.header_row:
            doc["header_row"] = self.header_row
        taken = {c for cols in self.conflicts.values() for c in cols[1:]}
        # A guess that would feed a field another column feeds already is left for the user (null).
        doc["columns"] = {
            s.column: (s.candidates[0] if s.candidates and s.column not in taken else None)
            for s in self.columns
        }
        if self.values:
            doc["values"] = {
                f: {v: (c[0] if c else None) for v, c in vs} for f, vs in self.values.items()
            }
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def suggest(
    path: Path | str, vocab: Vocabulary, mapping: Mapping | None = None, required: str = ""
) -> Suggestions:
    """Unknown columns (and unknown values of fields with a fixed list) with close matches."""
    problems = Problems()
    sheets = read_sheets(Path(path), problems)
    if problems:
        raise LoadError(problems.items)
    sheet, header = pick_sheet(sheets, vocab, mapping, required)
    if (
        sheet is None or header is None
    ):  # the required column is one of the unknown ones: any header will do
        sheet, header = pick_sheet(sheets, vocab, mapping, "")
    if sheet is None or header is None:  # (both are None together)
        # No header names two known fields: of every sheet's first row, the one with most guesses.
        tables = [s for s in sheets if s.rows]
        if not tables:
            return Suggestions(vocab.name, None, None, [], {})
        sheet = max(tables, key=lambda t: sum(bool(_close(n, vocab)) for n in t.rows[0][1] if n))
        names = sheet.rows[0][1]
        return Suggestions(
            vocab.name,
            sheet.name,
            sheet.rows[0][0],
            [Suggestion(sheet.name, n, _close(n, vocab)) for n in names if n],
            {},
        )
    cols = [
        Suggestion(sheet.name, n, _close(n, vocab))
        for n, f in zip(header.names, header.fields, strict=True)
        if n and f is None
    ]
    values: dict[str, list[tuple[str, list[str]]]] = {}
    for j, f in enumerate(header.fields):
        allowed = vocab.values.get(f) if f else None
        if f is None or not allowed:
            continue
        seen: list[str] = []
        for _, cells in sheet.rows[header.row + 1 :]:
            text = cells[j] if j < len(cells) else ""
            if text and not blank(text) and text not in seen:
                seen.append(text)
        odd = [  # «Vet ikke» and the like need no mapping: they mean no status already
            (v, difflib.get_close_matches(v, allowed, 3, 0.4))
            for v in seen
            if vocab.choose(mapping, f, v) is None
        ]
        if odd:
            values[header.names[j]] = odd
    feeds: dict[str, list[str]] = {}
    for n, f in zip(header.names, header.fields, strict=True):
        if f and f != IGNORE:
            feeds.setdefault(vocab.label(f), []).append(n)
    for c in cols:
        if c.candidates:
            feeds.setdefault(c.candidates[0], []).append(c.column)
    conflicts = {f: ns for f, ns in feeds.items() if len(ns) > 1}
    known = len({f for f in header.fields if f and f != IGNORE})
    return Suggestions(
        vocab.name, sheet.name, sheet.rows[header.row][0], cols, values, conflicts, known
    )


SIMILARITY = 0.75


def _close(name: str, vocab: Vocabulary) -> list[str]:
    """Known display names close to ``name``, best first, each field once."""
    by_norm = {norm(n): n for n in _names(vocab)}
    index = vocab.index()
    out: list[str] = []
    # 0.75: close enough for «Prosjekt navn» → Tittel and «Fremdrift (RAG)» → Status fremdrift,
    # not for «Budsjettkode» → Prosjektnummer (0.67) or an e-mail column → a project column.
    for hit in difflib.get_close_matches(norm(name), list(by_norm), 6, SIMILARITY):
        f = index[hit]
        label = vocab.label(f)
        if label not in out:
            out.append(label)
    return out[:3]
