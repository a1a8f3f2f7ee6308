"""Prosjektportalen import: a portfolio export (XLSX or CSV) → projects, people, status reports.

The export's header row holds the visible column names of the view it was made from, so a
column is recognised by Prosjektportalen's internal field name (``GtStatusTime``), by its
default Norwegian or English label («Status fremdrift») and by the names municipalities rename
it to («Status tid»), plus whatever a mapping file adds (:mod:`loaders.mapping`). Each row
becomes a project (with parent and programme), its owner, leader and other people, a dated
status report, its UN SDG goal tags (``implements`` dependencies to ``sdg:N``) and the
dependencies of a «Avhengig av» column where a municipality keeps one. Status values and
phases must be Prosjektportalen's (shown with their colours in the app and the Excel export).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from loaders import sdg
from loaders.errors import Problems
from loaders.importing import Batch, Context, Origin, source_id
from loaders.mapping import IGNORE, NO_STATUS, Vocabulary, pick_sheet
from loaders.multivalue import split_goals, split_values
from loaders.people import body_type, parse_people
from loaders.schema import (
    PHASES,
    STATUS_BUDGET,
    STATUS_GAIN,
    STATUS_QUALITY,
    STATUS_RISK,
    STATUS_TIME,
)
from loaders.spreadsheet import Header, blank, norm, parse_date, read_sheets, slug

VOCAB = Vocabulary("pp", aliases={
    "Title": ("Tittel", "Title", "Prosjektnavn", "Prosjekt", "Navn", "Project name", "Project"),
    "GtProjectNumber": ("Prosjektnummer", "Prosjektnr", "Prosjektkode", "Kode", "Project number"),
    "GtProjectServiceArea": ("Tjenesteområde", "GtProjectServiceAreaText", "Tjenesteområder", "Service area"),
    "GtProjectType": ("Prosjekttype", "GtProjectTypeText", "Project type"),
    "GtProjectPhase": ("Fase", "GtProjectPhaseText", "Prosjektfase", "Phase"),
    "GtProjectManager": ("Prosjektleder", "Programleder", "Project manager", "Project leader"),
    "GtProjectOwner": ("Prosjekteier", "Programeier", "Project owner", "Eier"),
    "GtProjectSupport": ("Prosjektstøtte", "Project support"),
    "GtGainsResponsible": ("Gevinstansvarlig", "Gains responsible", "Benefits responsible"),
    "GtProjectGoals": ("Målsetting", "Målsetning", "Mål", "Project goals", "Goals", "Objective"),
    "GtStartDate": ("Startdato", "Start", "Start date", "Oppstart"),
    "GtEndDate": ("Sluttdato", "Slutt", "End date"),
    "GtStatusTime": ("Status fremdrift", "Status tid", "Fremdrift", "Status time", "Schedule status"),
    "GtStatusBudget": ("Status økonomi", "Status budsjett", "Økonomi", "Status budget", "Budget status", "Status cost"),
    "GtStatusRisk": ("Status risiko", "Risiko", "Status risk", "Risk status"),
    "GtStatusGainAchievement": ("Status gevinstoppnåelse", "Status gevinst", "Gevinstoppnåelse",
                                "Status gains", "Gains status", "Status benefits"),
    "GtOverallStatus": ("Overordnet status", "Statuskommentar", "Kommentar", "Overall status", "Status comment"),
    "GtLastReportDate": ("Siste rapporteringsdato", "Sist rapportert", "Rapporteringsdato", "Statusdato",
                         "Last report date"),
    "Modified": ("Sist endret", "Endret", "Modified", "Last modified", "LastModifiedTime"),
    "GtIsProgram": ("Program", "Er program", "Is program"),
    "GtParentProjects": ("Overordnet prosjekt", "Overordnede prosjekter", "Hovedprosjekt", "Tilhører program",
                         "Del av", "Parent project", "Parent projects"),
    "GtUNSustDevGoals": ("FNs bærekraftsmål", "GtUNSustDevGoalsText", "Bærekraftsmål", "SDG",
                         "UN Sustainable Development Goals"),
    "GtSiteId": ("Område-ID", "Site ID"),
    "GtSiteUrl": ("URL", "Område-URL", "Site URL"),
    "Dependencies": ("Avhengig av", "Avhengigheter", "Depends on", "Dependencies"),
    # Recognised so they are not reported as unknown, but not stored (docs/importers.md).
    "GtStatusQuality": ("Status kvalitet", "Status quality"),
    "GtStatusOpportunities": ("Status muligheter",),
    "Comments": ("Kommentar, fremdrift", "Kommentar, økonomi", "Kommentar, kvalitet", "Kommentar, risiko",
                 "Kommentar, gevinstoppnåelse", "Kommentar, muligheter", "Kommentar, status fremdrift"),
    "Economy": ("Totalbudsjett for prosjektet", "Kostnader påløpt totalt", "Prognose for prosjektet",
                "Dato for siste rapportering av kostnader", "Prosjektnavn i økonomisystemet"),
    "Other": ("Sak-/arkivreferanse", "Prosjektstatus", "Programstatus", "Overordnet", "Underområder",
              "Prosjektmal", "Statusrapport", "Hub", "Prosjekttillegg", "Prosjektinnhold", "Opprettet",
              "Created", "Styringsgruppe", "Referansegruppe", "Deltakere"),
}, values={
    "GtStatusTime": STATUS_TIME, "GtStatusBudget": STATUS_BUDGET, "GtStatusRisk": STATUS_RISK,
    "GtStatusGainAchievement": STATUS_GAIN, "GtProjectPhase": PHASES, "GtStatusQuality": STATUS_QUALITY,
}, ignored=("GtStatusOpportunities", "Comments", "Economy", "Other"))  # fmt: skip

STATUS = {
    "GtStatusTime": "status_time",
    "GtStatusBudget": "status_budget",
    "GtStatusRisk": "status_risk",
    "GtStatusGainAchievement": "status_gain",
    "GtStatusQuality": "status_quality",
}
# The project columns each field feeds: a column the file lacks leaves them as they were.
PROJECT_COLUMNS = {
    "Title": ("title",),
    "GtProjectNumber": ("code",),
    "GtProjectType": ("category",),
    "GtProjectGoals": ("goal",),
    "GtProjectServiceArea": ("service_area",),
    "GtStartDate": ("start",),
    "GtEndDate": ("end",),
    "GtProjectPhase": ("phase",),
    "GtParentProjects": ("parent", "type"),
    "GtIsProgram": ("parent", "type"),
    "GtProjectOwner": ("owner",),
    "GtProjectManager": ("leader",),
}
# Prosjektportalen's en-US choice labels, and the phase names people write in full.
SYNONYMS = {
    "GtStatusTime": {"ahead of schedule": "Foran plan", "on schedule": "På plan", "minor delays": "Mindre forsinkelser",
                     "delayed": "Forsinket", "mindre forsinkelse": "Mindre forsinkelser"},
    "GtStatusBudget": {"under budget": "Under budsjett", "on budget": "På budsjett", "don t know": "Vet ikke",
                       "minor overruns": "Mindre overskridelser", "over budget": "Over budsjett"},
    "GtStatusRisk": {"low": "Lav", "high": "Høy", "middels": "Medium"},
    "GtStatusQuality": {"better than specification": "Bedre enn spesifikasjon", "iht spesifikasjon": "Ihht. spesifikasjon",
                        "i henhold til spesifikasjon": "Ihht. spesifikasjon", "according to specification": "Ihht. spesifikasjon",
                        "minor deviations": "Mindre avvik fra spesifikasjon", "mindre avvik": "Mindre avvik fra spesifikasjon",
                        "major deviations": "Større avvik fra spesifikasjon", "større avvik": "Større avvik fra spesifikasjon"},
    "GtStatusGainAchievement": {"ahead of plan": "Foran plan", "on plan": "På plan", "not started": "Ikke påbegynt",
                                "minor delays": "Mindre forsinkelser", "delayed": "Forsinket"},
    "GtProjectPhase": {"ide": "Idé", "idefase": "Idé", "idéfase": "Idé", "konseptfase": "Konsept",
                       "planlegging": "Planlegge", "planleggingsfase": "Planlegge", "gjennomføring": "Gjennomføre",
                       "gjennomføringsfase": "Gjennomføre", "avslutning": "Avslutte", "avslutningsfase": "Avslutte",
                       "realisering": "Realisere", "idea": "Idé", "concept": "Konsept", "planning": "Planlegge",
                       "execution": "Gjennomføre", "closing": "Avslutte", "realization": "Realisere",
                       "flere faser": "", "ingen fase": ""},
}  # fmt: skip
VOCAB.synonyms.update(SYNONYMS)
# Prosjektportalen's term set «Tjenesteområde»: a list of them splits on «,» and «og» too.
SERVICE_AREAS = ("Administrasjon og IKT", "Arbeid og næringsliv", "Helse og velferd", "Kultur, idrett og fritid",
                 "Natur og miljø", "Plan, bygg og geodata", "Skatt og avgift", "Skole og oppvekst",
                 "Trafikk og samferdsel", "Vann og avløp")  # fmt: skip
# A project code at the start of a title: «Prosjekt X5 - Eiendom», «Delprosjekt D3-001 …», «Prosjekt A/P 3».
# A mapping file's ``project_code:`` replaces it (a regex; the group ``code`` or the first group).
CODE_IN_TITLE = r"^\s*(?i:del)?(?i:prosjekt)\s+(?P<code>[A-ZÆØÅ]{1,3}(?:/[A-ZÆØÅ]{1,3})?\s?\d+(?:[-.]\d+)*)(?=$|[\s:–-])"
ROLES = {
    "GtProjectSupport": ("koordinator", "Prosjektstøtte"),
    "GtGainsResponsible": ("deltaker", "Gevinstansvarlig"),
}
SDG_RATIONALE = "Merket med FNs bærekraftsmål i Prosjektportalen"
DEP_RATIONALE = "Avhengighet oppgitt i porteføljeeksporten"
TRUE, FALSE = (
    {"ja", "yes", "true", "1", "x", "sann", "j"},
    {"nei", "no", "false", "0", "usann", "n", ""},
)


@dataclass
class Line:
    """One data row: its number, the value per field and the header each field was read from."""

    number: int
    values: dict[str, str]
    headers: dict[str, str]


def read_portfolio(path: Path, ctx: Context, problems: Problems) -> Batch | None:
    """Read a portfolio export; every problem is added to ``problems`` (None when unreadable)."""
    sheets = read_sheets(path, problems)
    if problems:
        return None
    sheet, header = pick_sheet(sheets, VOCAB, ctx.mapping, "Title")
    if sheet is None or header is None:  # (both are None together)
        any_sheet, any_header = pick_sheet(sheets, VOCAB, ctx.mapping, "")
        if any_sheet is not None and any_header is not None:
            problems.add(
                any_sheet.label,
                "import_missing_column",
                any_sheet.rows[any_header.row][0],
                "Tittel",
                field="Tittel (Title)",
                aliases=", ".join(VOCAB.aliases["Title"]),
            )
        else:
            names = ", ".join(s.name or path.name for s in sheets) or "–"
            problems.add(
                path.name,
                "import_no_sheet",
                what_en="a project portfolio (Tittel, Fase, Status …)",
                what_nb="en prosjektportefølje (Tittel, Fase, Status …)",
                sheets=names,
            )
        return None
    no_status: dict[str, int] = {}
    lines = _lines(sheet.rows[header.row + 1 :], header, sheet.label, problems, no_status)
    if not lines and not problems:
        problems.add(sheet.label, "import_empty", sheet.rows[header.row][0])
    if not ctx.date_given:
        _date_from_file(lines, ctx)
    batch = Batch("pp", ctx.date, no_status=no_status)
    for name, f in zip(header.names, header.fields, strict=True):
        if name and f is None:
            batch.unknown.append(name)
        elif f == IGNORE:
            batch.ignored.append(name)
    fields = set(header.fields)
    batch.present["projects"] = frozenset(
        {"missing_from", *(c for f, cols in PROJECT_COLUMNS.items() if f in fields for c in cols)}
    )
    batch.complete = ("projects",)
    reader = _Reader(ctx, batch, sheet.label, sheet.name, problems)
    reader.fields = fields
    reader.columns = header.names
    reader.run(lines)
    return batch


def _date_from_file(lines: list[Line], ctx: Context) -> None:
    """The file's own latest report date, when it has one (before a date in the file name)."""
    parse = lru_cache(maxsize=8192)(parse_date)  # the same dates on many rows
    for f in ("GtLastReportDate", "Modified"):
        days = [
            d for ln in lines if f in ln.values and isinstance(d := parse(ln.values[f]), dt.date)
        ]
        if days:
            ctx.date = max(days)
            col = next(ln.headers[f] for ln in lines if f in ln.values)
            ctx.date_reason = (
                f"the latest date in the column '{col}' of the file",
                f"den seneste datoen i kolonnen '{col}' i filen",
            )
            return


def _lines(
    rows: list[tuple[int, list[str]]],
    header: Header,
    label: str,
    problems: Problems,
    no_status: dict[str, int],
) -> list[Line]:
    shown = {f: n for n, f in reversed(list(zip(header.names, header.fields, strict=True))) if f}
    defaults = {f: shown.get(f, VOCAB.label(f)) for f in VOCAB.aliases}
    status_at = [(j, header.names[j]) for j, f in enumerate(header.fields) if f in STATUS]
    out = []
    blanks: dict[str, bool] = {}  # the same cell texts on many rows: blank() once each

    def empty(text: str) -> bool:
        hit = blanks.get(text)
        if hit is None:
            hit = blanks[text] = blank(text)
        return hit

    for number, cells in rows:
        values: dict[str, str] = {}
        headers: dict[str, str] = {}
        for j, f in enumerate(header.fields):
            if f and f != IGNORE and j < len(cells) and cells[j] and not empty(cells[j]):
                if f not in values:  # two columns for one field: the first filled one counts
                    values[f], headers[f] = cells[j], header.names[j]
        # Most rows read each field from its usual column: share one dict (50 000 rows × 30 fields)
        headers = (
            defaults
            if all(defaults[f] == h for f, h in headers.items())
            else {**defaults, **headers}
        )
        if not values:
            continue
        if "Title" not in values:
            problems.add(label, "import_required", number, headers["Title"], field=headers["Title"])
            continue
        for j, name in status_at:  # an empty status cell, «-» or «?»: no status, counted
            if j >= len(cells) or not cells[j] or empty(cells[j]):
                no_status[name] = no_status.get(name, 0) + 1
        out.append(Line(number, values, headers))
    return out


class _Reader:
    """Turns the lines of one sheet into a batch: ids first, then references between rows."""

    def __init__(
        self, ctx: Context, batch: Batch, label: str, sheet: str | None, problems: Problems
    ):
        self.ctx, self.batch, self.label, self.sheet, self.problems = (
            ctx,
            batch,
            label,
            sheet,
            problems,
        )
        self.source = source_id("pp", ctx.date)
        self.held = ctx.held.get("projects", {})
        self.index: dict[str, str] = {}
        self.programs: set[str] = {
            pid for pid, c in self.held.items() if c.get("type") == "program"
        }
        self.columns: list[str] = []
        self.fields: set[str | None] = set()
        self.emails: dict[str, str] = {}  # e-mail → person id: the same address is one person
        self._columns: dict[tuple[int, tuple[tuple[str, str], ...]], dict[str, str]] = {}
        self._keep: list[dict[str, str]] = []
        # The same few statuses, phases and dates on every row: look each text up once.
        self._chosen: dict[tuple[str, str], str | None] = {}
        self._dates: dict[str, str | None] = {}
        self._locator: tuple[int, str] = (-1, "")

    def _position(self, header: str) -> int:
        return self.columns.index(header) if header in self.columns else len(self.columns)

    def origin(self, line: Line, *pairs: tuple[str, str]) -> Origin:
        # The same columns → headers dict for every row that reads the same columns: one object.
        key = (id(line.headers), pairs)
        columns = self._columns.get(key)
        if columns is None:
            columns = self._columns[key] = {col: line.headers[f] for col, f in pairs}
            self._keep.append(line.headers)  # keeps id() unique while the cache lives
        return Origin(self.label, line.number, columns)

    def common(self, line: Line) -> dict[str, str]:
        # One locator string for the several rows (project, status, goals …) of one sheet row.
        if self._locator[0] != line.number:
            text = f"{self.sheet}:{line.number}" if self.sheet else str(line.number)
            self._locator = (line.number, text)
        return {"source": self.source, "locator": self._locator[1]}

    def add_problem(self, line: Line, f: str, code: str, **params: object) -> None:
        self.problems.add(self.label, code, line.number, line.headers[f], **params)

    def run(self, lines: list[Line]) -> None:
        ctx, day = self.ctx, self.ctx.date.isoformat()
        origin0 = Origin(self.label, 1)
        self.batch.add(
            "sources",
            {
                "id": self.source,
                "title": f"Prosjektportalen – porteføljeeksport {day}",
                "doc_type": "export",
                "issued": day,
                "file": self.label.split(" [")[0],
                "source": self.source,
            },
            origin0,
        )
        self.batch.add(
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
        for pid, c in self.held.items():
            for key in (pid, norm(c.get("code", "")), norm(c.get("title", ""))):
                if key:
                    self.index.setdefault(key, pid)
        kept = self._ids(lines)
        flags = [norm(ln.values["GtIsProgram"]) for ln, _ in kept if "GtIsProgram" in ln.values]
        # Mostly names, not Ja/Nei: the «Program» column names each row's programme.
        flag_is_name = sum(f in TRUE | FALSE for f in flags) * 2 < len(flags)
        if flag_is_name:
            named = (
                self._find(ln.values["GtIsProgram"]) for ln, _ in kept if "GtIsProgram" in ln.values
            )
            self.programs |= {p for p in named if p}
        for line, pid in kept:
            if not flag_is_name and norm(line.values.get("GtIsProgram", "")) in TRUE:
                self.programs.add(pid)
            elif not flag_is_name and norm(line.values.get("GtIsProgram", "")) not in FALSE:
                self.add_problem(
                    line, "GtIsProgram", "import_bool", value=line.values["GtIsProgram"]
                )
        pids = frozenset(pid for _, pid in kept)
        # Only what this file's columns say is replaced: without an SDG column the goal tags stay.
        types = frozenset(
            t
            for f, t in (("GtUNSustDevGoals", "implements"), ("Dependencies", "depends_on"))
            if f in self.fields
        )
        texts = frozenset(
            VOCAB.label(f) if f not in ROLES else ROLES[f][1]
            for f in ("GtProjectOwner", "GtProjectManager", *ROLES)
            if f in self.fields
        )
        self.batch.replaces += [
            ("dependencies", "from", pids, "projects", {"type": types}),
            ("memberships", "organization", pids, "projects", {"role_text": texts}),
        ]
        for line, pid in kept:
            self._project(line, pid, flag_is_name)

    def _ids(self, lines: list[Line]) -> list[tuple[Line, str]]:
        """A stable id per row (code, else title); the same project twice must agree."""
        seen: dict[str, Line] = {}
        kept = []
        pattern = re.compile(
            (self.ctx.mapping.project_code if self.ctx.mapping else None) or CODE_IN_TITLE
        )
        for line in lines:
            code, title = line.values.get("GtProjectNumber", ""), line.values["Title"]
            if not code and (m := pattern.search(title)):
                code = (
                    m.groupdict().get("code") or (m.group(1) if m.groups() else m.group(0))
                ).strip()
                line.values["GtProjectNumber"] = (
                    code  # the code is the project's, as if in its column
                )
                line.headers["GtProjectNumber"] = line.headers["Title"]
            pid = self.index.get(norm(code)) if code else None
            pid = pid or (self.index.get(norm(title)) if not code else None)
            if pid is None:
                pid = re.sub(r"[^A-Za-z0-9_.-]+", "-", code).strip("-.") if code else slug(title)
                pid = pid if pid and pid[0].isalnum() else f"p-{slug(code or title)}"
                if self.ctx.kind_of(pid) not in (None, "projects") or pid == self.ctx.municipality:
                    pid += "-prosjekt"
            if pid in seen:
                other = seen[pid]
                diff = sorted(
                    (
                        line.headers[f]
                        for f in set(line.values) | set(other.values)
                        if line.values.get(f) != other.values.get(f)
                    ),
                    key=self._position,
                )
                if diff:
                    self.problems.add(
                        self.label,
                        "import_conflict",
                        line.number,
                        line.headers["Title"],
                        value=title,
                        what_en="project",
                        what_nb="prosjektet",
                        other=other.number,
                        columns=", ".join(diff),
                    )
                continue
            seen[pid] = line
            kept.append((line, pid))
            for key in (
                pid,
                norm(code),
                norm(title),
                line.values.get("GtSiteId", ""),
                line.values.get("GtSiteUrl", ""),
            ):
                if key:
                    self.index[key] = pid
        return kept

    def _project(self, line: Line, pid: str, flag_is_name: bool) -> None:
        v, common = line.values, self.common(line)
        cells = {
            "id": pid,
            "code": v.get("GtProjectNumber", ""),
            "title": v["Title"],
            **common,
            "category": v.get("GtProjectType", ""),
            "goal": v.get("GtProjectGoals", ""),
            "service_area": "; ".join(split_values(v.get("GtProjectServiceArea", ""), _known_area)),
        }
        pairs = [
            ("title", "Title"),
            ("code", "GtProjectNumber"),
            ("category", "GtProjectType"),
            ("goal", "GtProjectGoals"),
            ("service_area", "GtProjectServiceArea"),
        ]
        for col, f in (("start", "GtStartDate"), ("end", "GtEndDate")):
            if f in v:
                cells[col] = self._date(line, f)
                pairs.append((col, f))
        phase = self._choose(line, "GtProjectPhase")
        if phase:
            cells["phase"] = phase
            pairs.append(("phase", "GtProjectPhase"))
        parent_field = (
            "GtParentProjects" if "GtParentProjects" in v or not flag_is_name else "GtIsProgram"
        )
        if parent_field in v:
            cells["parent"] = self._parent(line, parent_field, pid)
            pairs.append(("parent", parent_field))
        parent = cells.get("parent", "")
        cells["type"] = (
            "program"
            if pid in self.programs
            else "project"
            if not parent or parent in self.programs
            else "subproject"
        )
        for col, f, role in (
            ("owner", "GtProjectOwner", "prosjekteier"),
            ("leader", "GtProjectManager", "prosjektleder"),
        ):
            ids = self._people(line, f)
            if ids:
                cells[col] = ids[0]
                pairs.append((col, f))
                for extra in ids[1:]:
                    self._member(line, extra, pid, role, VOCAB.label(f), f)
        for f, (role, text) in ROLES.items():
            for person in self._people(line, f):
                self._member(line, person, pid, role, text, f)
        self.batch.add("projects", cells, self.origin(line, *pairs))
        self._status(line, pid, phase)
        self._sdgs(line, pid)
        self._dependencies(line, pid)

    def _status(self, line: Line, pid: str, phase: str | None) -> None:
        v = line.values
        cells = {"project": pid, **self.common(line), "comment": v.get("GtOverallStatus", "")}
        pairs = [("project", "Title"), ("comment", "GtOverallStatus")]
        for f, col in STATUS.items():
            value = self._choose(line, f)
            if value:
                cells[col] = value
                pairs.append((col, f))
        if phase:
            cells["phase"] = phase
            pairs.append(("phase", "GtProjectPhase"))
        if not any(cells.get(c) for c in (*STATUS.values(), "phase", "comment")):
            return  # nothing reported for this project in this export
        day = (
            "GtLastReportDate"
            if "GtLastReportDate" in v
            else "Modified"
            if "Modified" in v
            else None
        )
        cells["date"] = self._date(line, day) if day else self.ctx.date.isoformat()
        pairs.append(("date", day or "Title"))
        self.batch.add("status_reports", cells, self.origin(line, *pairs))

    def _choose(self, line: Line, f: str) -> str | None:
        text = line.values.get(f)
        if not text:
            return None
        if (f, text) in self._chosen:
            hit = self._chosen[(f, text)]
        else:
            hit = VOCAB.choose(self.ctx.mapping, f, text)
            if hit is None and f == "GtProjectPhase":  # «2. Planlegge», «02 - Planlegge»
                hit = VOCAB.choose(
                    self.ctx.mapping, f, re.sub(r"^\s*\d+\s*[.)\-–]?\s*(?=\D)", "", text)
                )
            self._chosen[(f, text)] = hit
        if hit == NO_STATUS:  # «Vet ikke», «Ikke vurdert», or mapped to null: no status, counted
            if f in STATUS:
                col = line.headers[f]
                self.batch.no_status[col] = self.batch.no_status.get(col, 0) + 1
            return None
        if hit is None:
            self.add_problem(
                line,
                f,
                "import_value",
                value=text,
                field=line.headers[f],
                allowed=", ".join(VOCAB.values[f]),
            )
        return hit or None

    def _date(self, line: Line, f: str) -> str:
        text = line.values[f]
        if text in self._dates:
            day = self._dates[text]
        else:
            d = parse_date(text)
            day = self._dates[text] = d.isoformat() if d is not None else None
        if day is None:
            self.add_problem(line, f, "import_date", value=text)
            return ""
        return day

    def _find(self, text: str) -> str | None:
        return self.index.get(text) or self.index.get(norm(text))

    def _parent(self, line: Line, f: str, pid: str) -> str:
        text = line.values[f]
        keys = [text]
        if text.lstrip().startswith("["):  # PP365 stores parents as JSON [{SPWebURL, SiteId}]
            try:
                keys = [
                    str(e.get(k))
                    for e in json.loads(text)
                    if isinstance(e, dict)
                    for k in ("SiteId", "SPWebURL", "Title")
                    if e.get(k)
                ] or keys
            except ValueError:
                pass
        else:
            keys = [k for k in re.split(r"[;\n]", text) if k.strip()][:1] or keys
        hit = next((h for k in keys if (h := self._find(k.strip()))), None)
        if hit is None or hit == pid:
            self._unknown(line, f, text)
            return ""
        return hit

    def _unknown(self, line: Line, f: str, value: str) -> None:
        known = sorted(
            {
                self.batch.rows.get("projects", {}).get(p, {}).get("title") or p
                for p in set(self.index.values())
            }
        )
        self.add_problem(
            line, f, "import_unknown_project", value=value, known=", ".join(known[:8]) or "–"
        )

    def _people(self, line: Line, f: str) -> list[str]:
        """Ids of the people (or bodies) of a cell: by e-mail first, then by name (titles apart)."""
        ids = []
        for e in parse_people(line.values.get(f, "")):
            if e.body:
                ids.append(self._body(line, f, e.name))
                continue
            person = self.emails.get(e.email) if e.email else None
            if person is None:
                person = slug(e.name)
                if self.ctx.kind_of(person) not in (None, "people") or person in self.index:
                    person += "-person"  # a person named like a project or system keeps apart
            if e.email:
                self.emails.setdefault(e.email, person)
            rows = self.batch.rows.setdefault("people", {})
            if person not in rows:
                self.batch.add(
                    "people",
                    {
                        "id": person,
                        "name": e.name,
                        "title": e.title,
                        "organization": self.ctx.municipality,
                        **self.common(line),
                    },
                    self.origin(line, ("name", f)),
                )
            elif e.title and not rows[person].get("title"):
                rows[person]["title"] = e.title
            if person not in ids:
                ids.append(person)
        return ids

    def _body(self, line: Line, f: str, name: str) -> str:
        """«Fellesnemnda», «Rådmannsgruppen»: a governance body, not a person."""
        body = slug(name)
        if self.ctx.kind_of(body) not in (None, "bodies") or body in self.index:
            body += "-organ"
        if body not in self.batch.rows.get("bodies", {}):
            self.batch.add(
                "bodies",
                {"id": body, "name": name, "type": body_type(name), **self.common(line)},
                self.origin(line, ("name", f)),
            )
        return body

    def _member(self, line: Line, person: str, pid: str, role: str, text: str, f: str) -> None:
        self.batch.add(
            "memberships",
            {
                "member": person,
                "organization": pid,
                "role": role,
                "role_text": text,
                **self.common(line),
            },
            self.origin(line, ("member", f)),
        )

    def _sdgs(self, line: Line, pid: str) -> None:
        text = line.values.get("GtUNSustDevGoals", "")
        for part in split_goals(text, _is_goal_name):
            n = goal_number(part)
            if n is None:
                self.add_problem(line, "GtUNSustDevGoals", "import_sdg", value=part.strip())
                continue
            self.batch.add(
                "dependencies",
                {
                    "id": f"{pid}-sdg-{n}",
                    "from": pid,
                    "to": f"sdg:{n}",
                    "type": "implements",
                    "criticality": "normal",
                    "evidence": "explicit",
                    "rationale": SDG_RATIONALE,
                    **self.common(line),
                },
                self.origin(line, ("to", "GtUNSustDevGoals")),
            )

    def _dependencies(self, line: Line, pid: str) -> None:
        text = line.values.get("Dependencies", "")
        for part in (p.strip() for p in re.split(r"[;|\n]+", text) if p.strip()):
            targets = [self._find(part)]
            if targets[0] is None and "," in part:
                targets = [self._find(p.strip()) for p in part.split(",")]
            found = [t for t in targets if t is not None]
            if len(found) < len(targets) or pid in found:
                self._unknown(line, "Dependencies", part)
                continue
            for t in found:
                self.batch.add(
                    "dependencies",
                    {
                        "id": f"{pid}-dep-{t}",
                        "from": pid,
                        "to": t,
                        "type": "depends_on",
                        "criticality": "normal",
                        "evidence": "explicit",
                        "rationale": DEP_RATIONALE,
                        **self.common(line),
                    },
                    self.origin(line, ("to", "Dependencies")),
                )


def _known_area(text: str) -> bool:
    return norm(text) in _areas()


@cache
def _areas() -> frozenset[str]:
    return frozenset(norm(a) for a in SERVICE_AREAS)


def _is_goal_name(text: str) -> bool:
    return norm(text) in _goal_names()


@cache
def _goal_names() -> dict[str, int]:
    out = {}
    for code, texts in sdg.titles().items():
        if "." not in code:
            for forms in texts.values():
                for text in forms.values():
                    out[norm(text)] = int(code)
    return out


@lru_cache(maxsize=4096)
def goal_number(text: str) -> int | None:
    """3, «03. God helse og livskvalitet», «Mål 3», «SDG 3» or a goal's name → 3."""
    t = text.strip()
    m = re.match(
        r"^(?:(?:fns\s+)?(?:bærekraftsmål|mål|sdg|goal)\s*(?:nr\.?)?\s*)?0?(\d{1,2})(?!\d)",
        t.casefold(),
    )
    if m:
        n = int(m[1])
        return n if 1 <= n <= 17 else None
    return _goal_names().get(norm(t))


def goal_label(n: int) -> str:
    """A goal as Prosjektportalen's term set writes it: «03. God helse og livskvalitet»."""
    texts = sdg.titles().get(str(n), {})
    name = texts.get("short", {}).get("nb") or texts.get("title", {}).get("nb") or ""
    return f"{n:02d}. {name}".strip()
