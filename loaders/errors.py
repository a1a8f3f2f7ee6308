"""Load problems that name file, row and column, in English and Norwegian Bokmål."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ROW = re.compile(r"\brow (\d+)")

MESSAGES: dict[str, tuple[str, str]] = {
    "empty_file": ("the file is empty", "filen er tom"),
    "binary_file": (
        "not a text (CSV) file: it holds binary data",
        "ikke en tekstfil (CSV): den inneholder binære data",
    ),
    "too_large": (
        "the file is {size} MB, over the limit of {limit} MB (raise it with KG_MAX_MB)",
        "filen er {size} MB, over grensen på {limit} MB (heves med KG_MAX_MB)",
    ),
    "bad_encoding": ("cannot read the text encoding", "kan ikke lese tegnkodingen"),
    "bad_csv": (
        "malformed CSV: {detail}",
        "feil i CSV-formatet (melding fra CSV-leseren: {detail})",
    ),
    "utf16": (
        "the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
        "filen er UTF-16-tekst; lagre den som UTF-8 (i Excel: «CSV UTF-8»)",
    ),
    "bad_utf8": (
        "the file is UTF-8 but byte 0x{byte} at line {line}, column {at} is not valid UTF-8; "
        "fix that byte or save the file again as UTF-8",
        "filen er UTF-8, men byte 0x{byte} på linje {line}, kolonne {at} er ikke gyldig UTF-8; "
        "rett den eller lagre filen på nytt som UTF-8",
    ),
    "not_utf8": (
        "the file is not UTF-8 (byte 0x{byte} at line {line}, column {at}); save it as UTF-8",
        "filen er ikke UTF-8 (byte 0x{byte} på linje {line}, kolonne {at}); lagre den som UTF-8",
    ),
    "unbalanced_quote": (
        'a quote (") opened in this row is never closed, so the rest of the file would be one cell',
        'et anførselstegn (") som åpnes i denne raden, lukkes aldri, så resten av filen ville blitt én celle',
    ),
    "nul_byte": (
        "the row holds a NUL character (binary data, not text)",
        "raden inneholder et NUL-tegn (binære data, ikke tekst)",
    ),
    "field_limit": (
        "a cell is longer than {limit} characters (often a quote that is never closed)",
        "en celle er lengre enn {limit} tegn (ofte et anførselstegn som aldri lukkes)",
    ),
    "too_large_unzipped": (
        "the workbook unpacks to {size} MB, over the limit of {limit} MB (raise it with KG_MAX_MB)",
        "arbeidsboken pakkes ut til {size} MB, over grensen på {limit} MB (heves med KG_MAX_MB)",
    ),
    "xml_entities": (
        "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion can fill the disk); "
        "remove the DOCTYPE",
        "RDF/XML med DOCTYPE- eller ENTITY-deklarasjon avvises (utvidelse av entiteter kan fylle disken); "
        "fjern DOCTYPE",
    ),
    "yaml_aliases": (
        "more than {limit} YAML aliases (*name); raise the limit with KG_YAML_ALIASES if you trust the file",
        "mer enn {limit} YAML-aliaser (*navn); hev grensen med KG_YAML_ALIASES hvis du stoler på filen",
    ),
    "yaml_expanded": (
        "the YAML expands to more than {limit} nodes through its aliases; "
        "raise the limit with KG_YAML_NODES if you trust the file",
        "YAML-filen utvides til mer enn {limit} noder gjennom aliasene sine; "
        "hev grensen med KG_YAML_NODES hvis du stoler på filen",
    ),
    "yaml_deep": (
        "the YAML is nested too deeply to read",
        "YAML-filen er nøstet for dypt til å leses",
    ),
    "yaml_syntax": (
        "not valid YAML at line {line}, column {at}: {detail}",
        "ikke gyldig YAML: syntaksfeil på linje {line}, kolonne {at}",
    ),
    "yaml_top": (
        "the top level must be a mapping of kind → list of rows",
        "øverste nivå må være en tabell av posttype → liste med rader",
    ),
    "yaml_not_list": ("'{key}' must be a list of rows", "'{key}' må være en liste med rader"),
    "yaml_row": (
        "each row must be a mapping (key: value)",
        "hver rad må være en tabell (nøkkel: verdi)",
    ),
    "manifest_mapping": (
        "manifest: must be a mapping (key: value)",
        "manifest: må være en tabell (nøkkel: verdi)",
    ),
    "manifest_name": (
        "manifest: name '{name}' must be lowercase letters, digits, - or _",
        "manifest: navnet '{name}' må bestå av små bokstaver, tall, - eller _",
    ),
    "manifest_base": (
        "manifest: base '{base}' must be an http(s) IRI ending in / or #",
        "manifest: base '{base}' må være en http(s)-IRI som slutter på / eller #",
    ),
    "manifest_lang": (
        "manifest: languages: '{value}' is not a language tag (nb, en, ...)",
        "manifest: languages: '{value}' er ikke en språkkode (nb, en, ...)",
    ),
    "too_many_triples": (
        "more than {limit} triples in one load; raise the limit with {env} if that is intended",
        "mer enn {limit} tripler i én lasting; hev grensen med {env} hvis det er meningen",
    ),
    "base_taken": (
        "the base <{base}> overlaps that of dataset '{other}' (<{other_base}>): loading would replace "
        "its graphs; give this dataset its own base in the manifest",
        "basen <{base}> overlapper basen til datasettet '{other}' (<{other_base}>): lastingen ville "
        "erstattet grafene dets; gi dette datasettet sin egen base i manifestet",
    ),
    "foreign_graph": (
        "{count} quads name graphs outside this dataset (first: <{graph}>); a load writes only into "
        "its own graphs (<{prefix}…>); use --foreign-graphs move to move them into this dataset's graph",
        "{count} kvader navngir grafer utenfor dette datasettet (første: <{graph}>); en lasting skriver "
        "bare i sine egne grafer (<{prefix}…>); bruk --foreign-graphs move for å flytte dem inn i "
        "datasettets graf",
    ),
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
    "self_dependency": (
        "'{value}' depends on itself (loaded anyway; check 'from' and 'to')",
        "'{value}' er avhengig av seg selv (lastet likevel; sjekk 'from' og 'to')",
    ),
    "dependency_cycle": (
        "dependency cycle: {path} (loaded anyway; none of them can finish first)",
        "avhengighetssyklus: {path} (lastet likevel; ingen av dem kan bli ferdig først)",
    ),
    "unknown_kind": (
        "'{name}' is not a known kind of record (known: {known})",
        "'{name}' er ikke en kjent posttype (kjente: {known_nb})",
    ),
    "no_manifest": (
        "no manifest.yaml in the dataset folder",
        "ingen manifest.yaml i datasettmappen",
    ),
    "bad_manifest": ("manifest: {detail}", "manifest: {detail}"),
    "not_found": ("no such file or folder", "finnes ikke"),
    "same_graph": (
        "this file and '{other}' would be loaded into the same named graph ({graph}): a graph "
        "is named after its file, with spaces written as underscores; rename one of the files",
        "denne filen og «{other}» ville blitt lastet inn i samme navngitte graf ({graph}): en "
        "graf får navn etter filen sin, med mellomrom skrevet som understrek; gi en av filene "
        "et nytt navn",
    ),
    "unsupported": (
        "unsupported file type '{suffix}' (use a folder, .xlsx, .yaml, .csv, .ttl, .nt, .nq, .trig, .jsonld or .rdf)",
        "filtypen '{suffix}' støttes ikke (bruk en mappe, .xlsx, .yaml, .csv, .ttl, .nt, .nq, .trig, .jsonld eller .rdf)",
    ),
    "bad_rdf": ("not valid RDF: {detail}", "ikke gyldig RDF (melding fra RDF-leseren: {detail})"),
    "bad_yaml": (
        "not valid YAML: {detail}",
        "ikke gyldig YAML (melding fra YAML-leseren: {detail})",
    ),
    "bad_xlsx": (
        "not a readable XLSX workbook: {detail}",
        "ikke en lesbar XLSX-arbeidsbok (melding fra XLSX-leseren: {detail})",
    ),
}


# The parameters of these messages that name record kinds by code (see loaders/kind_names.py).
_KIND_PARAMS = {"unknown_ref": ("kinds",), "wrong_ref_kind": ("kinds", "found"), "cycle": ("what",)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where: file, row (1 = header) and column."""

    file: str
    code: str
    row: int | None = None
    column: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def message(self, lang: str = "en") -> str:
        en, nb = MESSAGES[self.code]
        if lang != "nb":
            return en.format(**self.params)
        # Positions handed in as text ("projects.csv row 3") are Norwegian in an nb message too.
        params = {
            k: _ROW.sub(r"rad \1", v) if isinstance(v, str) else v for k, v in self.params.items()
        }
        for k in _KIND_PARAMS.get(self.code, ()):  # kind codes ("budget_lines") in Norwegian
            if isinstance(params.get(k), str):
                from loaders.kind_names import kinds_nb

                params[k] = kinds_nb(str(params[k]))
        return nb.format(**params)

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
        self, file: str, code: str, row: int | None = None, col: str | None = None, **params: object
    ) -> None:
        if len(self.items) < self.cap:
            self.items.append(Problem(file, code, row, col, params))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise LoadError(list(self.items))
