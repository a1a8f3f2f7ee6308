"""ICT system register import: a municipality's system list and its system evaluation list.

Two shapes are read, in one workbook or as separate files, and told apart by their columns:

* the **system list** (Tjenesteområde, Delområde, System, Leverandør, Antall brukere,
  Kontraktslutt) → ``systems``, ``domains`` and ``system_usages`` of the municipality;
* the **evaluation list** as in Asker's register (Systemnavn, Antall brukere, Krav til
  tilgjengelighet, the four «Modenhet» scores, Status, BeregnetStatus, «Bør fases ut?») →
  ``evaluations``. «Bør fases ut?» holds a number in the seeds (stored as ``score``) and yes/no
  elsewhere (stored as ``phase_out``).

A new system list replaces the municipality's usages from earlier registers (it is the whole
list); evaluations are dated by their import and so keep their history.
"""

from __future__ import annotations

from pathlib import Path

from loaders.errors import Problems
from loaders.importing import Batch, Context, Origin, source_id
from loaders.mapping import IGNORE, Vocabulary, map_value, matcher
from loaders.records import parse_decimal
from loaders.spreadsheet import (
    Header,
    Sheet,
    blank,
    find_header,
    norm,
    parse_date,
    read_sheets,
    slug,
)

AVAILABILITY = ("Lav", "Middels", "Høyt", "Meget høyt", "Fare for liv og helse")
RAG = ("Green", "Yellow", "Red")
VOCAB = Vocabulary("register", aliases={
    "system": ("System", "Systemnavn", "Navn på system", "Fagsystem", "Applikasjon", "Løsning", "System name",
               "Application"),
    "vendor": ("Leverandør", "Produsent", "Vendor", "Supplier"),
    "domain": ("Delområde", "Fagområde", "Domene", "Domain"),
    "service_area": ("Tjenesteområde", "Sektor", "Virksomhetsområde", "Service area"),
    "users": ("Antall brukere", "Brukere", "Ant. brukere", "Number of users", "Users"),
    "contract_end": ("Kontraktslutt", "Kontrakt utløper", "Avtale utløper", "Avtaleslutt", "Utløpsdato avtale",
                     "Kontraktsutløp", "Contract end", "Contract expiry"),
    "category": ("Kategori", "Systemkategori", "Bruksområde", "Category"),
    "description": ("Beskrivelse", "Description"),
    "availability": ("Krav til tilgjengelighet", "Tilgjengelighet", "Tilgjengelighetskrav",
                     "Availability requirement", "Availability"),
    "maturity_tasks": ("Modenhet – dekker oppgavebehov", "Dekker oppgavebehov", "Maturity tasks"),
    "maturity_functions": ("Modenhet – funksjoner", "Funksjoner", "Maturity functions"),
    "maturity_technology": ("Modenhet – teknologi", "Teknologi", "Maturity technology"),
    "maturity_dataflow": ("Modenhet – dataflyt", "Dataflyt", "Maturity data flow"),
    "status": ("Status", "Vurdering"),
    "computed_status": ("BeregnetStatus", "Beregnet status", "Computed status"),
    "phase_out": ("Bør fases ut?", "Fases ut", "Utfasing", "Phase out"),
    "score": ("Poeng", "Score", "Totalscore"),
    "Other": ("Nr", "Systemeier", "Systemansvarlig", "Driftsansvarlig", "Kommentar", "Merknad", "Versjon"),
}, values={"availability": AVAILABILITY, "status": RAG, "computed_status": RAG},
    ignored=("Other",))  # fmt: skip
EVAL_ONLY = {
    "availability",
    "maturity_tasks",
    "maturity_functions",
    "maturity_technology",
    "maturity_dataflow",
    "computed_status",
    "phase_out",
    "score",
}
SYNONYMS = {
    "status": {
        "grønn": "Green",
        "gul": "Yellow",
        "rød": "Red",
        "amber": "Yellow",
        "oransje": "Yellow",
    },
    "availability": {
        "høy": "Høyt",
        "meget høy": "Meget høyt",
        "svært høyt": "Meget høyt",
        "middels høyt": "Middels",
        "lavt": "Lav",
    },
}
SYNONYMS["computed_status"] = SYNONYMS["status"]
VOCAB.synonyms.update(SYNONYMS)
YES, NO = {"ja", "yes", "true", "x", "j"}, {"nei", "no", "false", "n"}


def read_register(path: Path, ctx: Context, problems: Problems) -> Batch | None:
    """Read a system list and/or evaluation list; problems name file, sheet, row, column, value."""
    sheets = read_sheets(path, problems)
    if problems:
        return None
    match = matcher(VOCAB, ctx.mapping)
    found = []
    for sheet in sheets:
        if ctx.mapping and ctx.mapping.sheet and sheet.name != ctx.mapping.sheet:
            continue
        header = find_header(sheet, match, ctx.mapping.header_row if ctx.mapping else None)
        if header and "system" in header.fields:
            found.append((sheet, header))
    if not found:
        names = ", ".join(s.name or path.name for s in sheets) or "–"
        problems.add(
            path.name,
            "import_no_sheet",
            what_en="a system list or evaluation (System, Delområde …)",
            what_nb="en systemliste eller vurdering (System, Delområde …)",
            sheets=names,
        )
        return None
    reader = _Reader(ctx, Batch("register", ctx.date), problems, path.name)
    for sheet, header in found:
        reader.sheet(sheet, header)
    return reader.batch


class _Reader:
    def __init__(self, ctx: Context, batch: Batch, problems: Problems, file: str):
        self.ctx, self.batch, self.problems = ctx, batch, problems
        self.source = source_id("register", ctx.date)
        self.seen: dict[tuple[str, str], tuple[int, dict[str, str], dict[str, str]]] = {}
        day = ctx.date.isoformat()
        origin0 = Origin(file, 1)
        batch.add(
            "sources",
            {
                "id": self.source,
                "title": f"IKT-systemregister {day}",
                "doc_type": "register",
                "issued": day,
                "file": file,
                "source": self.source,
            },
            origin0,
        )
        batch.add(
            "organizations",
            {
                "id": ctx.municipality,
                "name": ctx.municipality_name,
                "type": "municipality",
                "org_form": "kommune",
                "source": self.source,
            },
            origin0,
        )
        self.systems = {
            norm(c.get("name", "")): sid for sid, c in ctx.held.get("systems", {}).items()
        }
        self.domains = {
            norm(c.get("name", "")): did for did, c in ctx.held.get("domains", {}).items()
        }

    def sheet(self, sheet: Sheet, header: Header) -> None:
        self.label, self.name = sheet.label, sheet.name
        fields = set(header.fields)
        usages, evaluates = "domain" in fields, bool(fields & EVAL_ONLY)
        if usages:
            self.batch.replaces.append(
                ("system_usages", "municipality", frozenset({self.ctx.municipality}), None)
            )
        for name, f in zip(header.names, header.fields, strict=True):
            if name and f is None:
                self.batch.unknown.append(name)
            elif f == IGNORE:
                self.batch.ignored.append(name)
        shown = {
            f: n for n, f in reversed(list(zip(header.names, header.fields, strict=True))) if f
        }
        self.headers = {f: shown.get(f, VOCAB.label(f)) for f in VOCAB.aliases}
        rows = 0
        for number, cells in sheet.rows[header.row + 1 :]:
            v = {
                f: cells[j]
                for j, f in enumerate(header.fields)
                if f and f != IGNORE and j < len(cells) and cells[j] and not blank(cells[j])
            }
            if not v:
                continue
            rows += 1
            self.number = number
            if "system" not in v:
                self.problem("system", "import_required", field=self.headers["system"])
                continue
            sid = self.system(v)
            users = self.count(
                v, "users"
            )  # once: a combined sheet gives it to usage and evaluation
            if usages:
                self.usage(v, sid, users)
            if evaluates or not usages:
                self.evaluation(v, sid, users)
        if not rows:
            self.problems.add(self.label, "import_empty", sheet.rows[header.row][0])

    def problem(self, f: str, code: str, **params: object) -> None:
        self.problems.add(self.label, code, self.number, self.headers[f], **params)

    def common(self) -> dict[str, str]:
        return {
            "source": self.source,
            "locator": f"{self.name}:{self.number}" if self.name else str(self.number),
        }

    def origin(self, *fields: str, cols: dict[str, str] | None = None) -> Origin:
        names = {f: self.headers[f] for f in fields} | {
            c: self.headers[f] for c, f in (cols or {}).items()
        }
        return Origin(self.label, self.number, names)

    def once(
        self, kind: str, key: str, cells: dict[str, str], what: tuple[str, str], origin: Origin
    ) -> None:
        """Add a row; the same key twice must agree (blanks are filled in, not a conflict)."""
        held = self.seen.get((kind, key))
        if held is None:
            self.seen[(kind, key)] = (self.number, cells, origin.columns)
            self.batch.add(kind, cells, origin)
            return
        number, old, columns = held
        diff = [
            c
            for c in cells
            if cells[c] and old.get(c) and cells[c] != old[c] and c not in ("locator",)
        ]
        if diff:
            self.problems.add(
                self.label,
                "import_conflict",
                self.number,
                origin.columns.get(diff[0], diff[0]),
                value=key.split("|")[0] if kind != "systems" else cells.get("name", key),
                what_en=what[0],
                what_nb=what[1],
                other=number,
                columns=", ".join(origin.columns.get(c, c) for c in diff),
            )
            return
        for c, val in cells.items():
            if val and not old.get(c):
                old[c] = val
        self.batch.add(kind, old, Origin(origin.file, number, columns | origin.columns))

    def system(self, v: dict[str, str]) -> str:
        name = " ".join(map_value(self.ctx.mapping, "system", v["system"]).split())
        sid = self.systems.get(norm(name))
        if sid is None:
            sid = slug(name)
            if self.ctx.kind_of(sid) not in (None, "systems") or sid == self.ctx.municipality:
                sid += "-system"
            self.systems[norm(name)] = sid
        cells = {
            "id": sid,
            "name": name,
            "vendor": v.get("vendor", ""),
            "category": v.get("category", ""),
            "description": v.get("description", ""),
            **self.common(),
        }
        self.once(
            "systems",
            sid,
            cells,
            ("system", "systemet"),
            self.origin(
                cols={
                    "name": "system",
                    "vendor": "vendor",
                    "category": "category",
                    "description": "description",
                }
            ),
        )
        return sid

    def usage(self, v: dict[str, str], sid: str, users: str) -> None:
        if "domain" not in v:
            self.problem("domain", "import_required", field=self.headers["domain"])
            return
        name = " ".join(v["domain"].split())
        did = self.domains.get(norm(name))
        if did is None:
            did = self.domains[norm(name)] = f"dom-{slug(name)}"
        self.once(
            "domains",
            did,
            {"id": did, "name": name, "service_area": v.get("service_area", ""), **self.common()},
            ("domain", "delområdet"),
            self.origin(cols={"name": "domain", "service_area": "service_area"}),
        )
        cells = {
            "municipality": self.ctx.municipality,
            "system": sid,
            "domain": did,
            **self.common(),
            "users": users,
            "contract_end": self.date(v, "contract_end"),
        }
        self.once(
            "system_usages",
            f"{sid}|{did}",
            cells,
            ("system in domain", "systemet i delområdet"),
            self.origin("users", "contract_end", cols={"system": "system", "domain": "domain"}),
        )

    def evaluation(self, v: dict[str, str], sid: str, users: str) -> None:
        cells = {
            "system": sid,
            "municipality": self.ctx.municipality,
            **self.common(),
            "users": users,
        }
        for f in (
            "maturity_tasks",
            "maturity_functions",
            "maturity_technology",
            "maturity_dataflow",
            "score",
        ):
            cells[f] = v.get(f, "")
        for f, allowed in (
            ("availability", AVAILABILITY),
            ("status", RAG),
            ("computed_status", RAG),
        ):
            cells[f] = self.choose(v, f, allowed)
        if "phase_out" in v:
            text = v["phase_out"]
            if parse_decimal(text) is not None:
                cells["score"] = cells["score"] or text  # the seeds' column holds the score
            elif norm(text) in YES | NO:
                cells["phase_out"] = "ja" if norm(text) in YES else "nei"
            else:
                self.problem(
                    "phase_out",
                    "import_value",
                    value=text,
                    field=self.headers["phase_out"],
                    allowed="Ja, Nei, 14,5 …",
                )
        fields = (
            "availability",
            "maturity_tasks",
            "maturity_functions",
            "maturity_technology",
            "maturity_dataflow",
            "status",
            "computed_status",
            "users",
            "phase_out",
        )
        origin = self.origin(
            *fields,
            cols={"system": "system", "score": "phase_out" if "phase_out" in v else "score"},
        )
        self.once("evaluations", sid, cells, ("evaluation of", "vurderingen av"), origin)

    def choose(self, v: dict[str, str], f: str, allowed: tuple[str, ...]) -> str:
        if f not in v:
            return ""
        hit = VOCAB.choose(self.ctx.mapping, f, v[f])
        if hit is None:
            self.problem(
                f, "import_value", value=v[f], field=self.headers[f], allowed=", ".join(allowed)
            )
        return hit or ""

    def count(self, v: dict[str, str], f: str) -> str:
        if f not in v:
            return ""
        d = parse_decimal(v[f].removeprefix("ca.").removeprefix("ca ").strip())
        if d is None or d != d.to_integral_value() or d < 0:
            self.problem(f, "bad_int", value=v[f])
            return ""
        return str(int(d))

    def date(self, v: dict[str, str], f: str) -> str:
        if f not in v:
            return ""
        d = parse_date(v[f])
        if d is None:
            self.problem(f, "import_date", value=v[f])
            return ""
        return d.isoformat()
