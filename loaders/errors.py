"""Load problems that name file, row and column, in English and Norwegian Bokmål."""

from __future__ import annotations

from dataclasses import dataclass, field

MESSAGES: dict[str, tuple[str, str]] = {
    "empty_file": ("the file is empty", "filen er tom"),
    "binary_file": (
        "not a text (CSV) file: it holds binary data",
        "ikke en tekstfil (CSV): den inneholder binære data",
    ),
    "too_large": (
        "the file is {size} MB, over the limit of {limit} MB",
        "filen er {size} MB, over grensen på {limit} MB",
    ),
    "bad_encoding": ("cannot read the text encoding", "kan ikke lese tegnkodingen"),
    "bad_csv": ("malformed CSV: {detail}", "feil i CSV-formatet: {detail}"),
    "missing_column": (
        "required column '{column}' is missing",
        "påkrevd kolonne '{column}' mangler",
    ),
    "extra_column": (
        "unknown column '{column}' (known: {known})",
        "ukjent kolonne '{column}' (kjente: {known})",
    ),
    "duplicate_column": ("column '{column}' appears twice", "kolonnen '{column}' står to ganger"),
    "row_width": (
        "the row has {found} cells, the header has {expected}",
        "raden har {found} celler, overskriften har {expected}",
    ),
    "required": ("'{column}' is required", "'{column}' må fylles ut"),
    "bad_id": (
        "'{value}' is not a valid id (letters, digits, - _ . /)",
        "'{value}' er ikke en gyldig id (bokstaver, tall, - _ . /)",
    ),
    "duplicate_id": (
        "id '{value}' is already used at {other}",
        "id '{value}' er allerede brukt i {other}",
    ),
    "duplicate_row": (
        "the same {key} appears already at {other}",
        "samme {key} står allerede i {other}",
    ),
    "bad_int": ("'{value}' is not a whole number", "'{value}' er ikke et heltall"),
    "bad_decimal": ("'{value}' is not a number", "'{value}' er ikke et tall"),
    "bad_date": (
        "'{value}' is not a date (2017-02-28, 28.02.2017, 2017-02 or 2017)",
        "'{value}' er ikke en dato (2017-02-28, 28.02.2017, 2017-02 eller 2017)",
    ),
    "bad_bool": ("'{value}' is not yes/no", "'{value}' er ikke ja/nei"),
    "bad_enum": (
        "'{value}' is not allowed; use one of: {allowed}",
        "'{value}' er ikke tillatt; bruk en av: {allowed}",
    ),
    "out_of_range": ("{value} is outside {lo}..{hi}", "{value} er utenfor {lo}..{hi}"),
    "unknown_ref": (
        "'{value}' refers to no record in {kinds}",
        "'{value}' viser ikke til noen post i {kinds}",
    ),
    "wrong_ref_kind": (
        "'{value}' is a record in {found}, but '{column}' must refer to {kinds}",
        "'{value}' er en post i {found}, men '{column}' må vise til {kinds}",
    ),
    "unknown_sdg": (
        "'{value}' is not an official UN SDG code",
        "'{value}' er ikke en offisiell FN-kode for bærekraftsmål",
    ),
    "cycle": ("cycle in {what}: {path}", "syklus i {what}: {path}"),
    "unknown_kind": (
        "'{name}' is not a known kind of record (known: {known})",
        "'{name}' er ikke en kjent posttype (kjente: {known})",
    ),
    "no_manifest": (
        "no manifest.yaml in the dataset folder",
        "ingen manifest.yaml i datasettmappen",
    ),
    "bad_manifest": ("manifest: {detail}", "manifest: {detail}"),
    "not_found": ("no such file or folder", "finnes ikke"),
    "unsupported": (
        "unsupported file type '{suffix}' (use a folder, .xlsx, .yaml, .ttl, .nt, .nq, .trig or .jsonld)",
        "filtypen '{suffix}' støttes ikke (bruk en mappe, .xlsx, .yaml, .ttl, .nt, .nq, .trig eller .jsonld)",
    ),
    "bad_rdf": ("not valid RDF: {detail}", "ikke gyldig RDF: {detail}"),
    "bad_yaml": ("not valid YAML: {detail}", "ikke gyldig YAML: {detail}"),
    "bad_xlsx": (
        "not a readable XLSX workbook: {detail}",
        "ikke en lesbar XLSX-arbeidsbok: {detail}",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where: file, row (1 = header) and column."""

    file: str
    code: str
    row: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def message(self, lang: str = "en") -> str:
        en, nb = MESSAGES[self.code]
        return (nb if lang == "nb" else en).format(**self.params)

    def text(self, lang: str = "en") -> str:
        where = self.where()
        if lang == "nb":
            where = where.replace("row ", "rad ").replace("column ", "kolonne ")
        return f"{where}: {self.message(lang)}"


class LoadError(Exception):
    """A load that failed; nothing of it was added. Holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.text("en"))

    def text(self, lang: str = "en", limit: int = 50) -> str:
        lines = [p.text(lang) for p in self.problems[:limit]]
        rest = len(self.problems) - limit
        if rest > 0:
            lines.append(f"... og {rest} til" if lang == "nb" else f"... and {rest} more")
        return "\n".join(lines)


class Problems:
    """Collects problems; raises one LoadError at the end if there were any."""

    def __init__(self, cap: int = 500):
        self.items: list[Problem] = []
        self.cap = cap

    def add(
        self, file: str, code: str, row: int | None = None, col: str | None = None, **params
    ) -> None:
        if len(self.items) < self.cap:
            self.items.append(Problem(file, code, row, col, params))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise LoadError(list(self.items))
