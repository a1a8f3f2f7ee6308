"""A seeded generator of a realistic national graph in our own data format (``kg synth``).

It writes a dataset folder (``manifest.yaml`` and one CSV per kind, see
:mod:`loaders.schema`) that goes through the real loaders, so benchmarks and scale tests
exercise exactly what a user's data does. The same seed and sizes give byte-identical files.

What it makes, per municipality (sizes at ``density`` 1; ``density`` scales the per-municipality
counts, the number of municipalities scales the nation):

- the municipality with a generated Norwegian-looking name and a real-looking kommunenummer
  (county prefix + two digits), its ICT unit, its rådmann (post and person);
- a programme with ~50 projects and sub-projects, owners, leaders and steering groups, with
  ~80 typed dependencies (mostly a DAG, now and then a cycle, rarely to a neighbour's project);
- governance bodies with acyclic reporting lines up to the municipal council, and members
  (a few bodies have none, so the gap report has something to find);
- ~300 ICT system usages over the real delområder of ``data/nye-asker/domains.csv`` and a
  national catalogue of systems, evaluations and system choices;
- inter-municipal companies (IKS) owned by several neighbours, operating ICT for them;
- local goals linked to the real 169 SDG targets (``sdg:X.Y`` from ``data/sdg``), plans,
  actions and KPIs with yearly measurements (some without any, for the gap reports);
- milestones with dates, status reports, project goals, mandates, risks and budget lines.

:data:`PRESETS` give about 10 thousand, 100 thousand, 1 million and 5 million triples
(``bench/`` measures and reports the actual counts).
"""

from __future__ import annotations

import csv
import hashlib
import random
from dataclasses import dataclass
from io import TextIOWrapper
from pathlib import Path
from typing import Any

from loaders.schema import KIND

ROOT = Path(__file__).resolve().parent.parent
DOMAINS_CSV = ROOT / "data" / "nye-asker" / "domains.csv"
NATIONAL_MUNICIPALITIES = 356


@dataclass(frozen=True)
class Preset:
    municipalities: int
    density: float
    triples: str  # what it aims at


# Calibrated against the measured triple counts (see docs/scaling.md).
PRESETS: dict[str, Preset] = {
    "10k": Preset(3, 0.12, "about 10 thousand"),
    "100k": Preset(12, 0.7, "about 100 thousand"),
    "1m": Preset(100, 0.85, "about 1 million"),
    "5m": Preset(356, 1.14, "about 5 million"),
}

# Real county numbers (2024) and a weight for how many municipalities each has.
COUNTIES = [
    ("03", "Oslo", 1),
    ("11", "Rogaland", 23),
    ("15", "Møre og Romsdal", 26),
    ("18", "Nordland", 41),
    ("31", "Østfold", 12),
    ("32", "Akershus", 21),
    ("33", "Buskerud", 18),
    ("34", "Innlandet", 46),
    ("39", "Vestfold", 6),
    ("40", "Telemark", 17),
    ("42", "Agder", 25),
    ("46", "Vestland", 43),
    ("50", "Trøndelag", 38),
    ("55", "Troms", 21),
    ("56", "Finnmark", 18),
]
HEADS = [
    "Ås",
    "Bjør",
    "Fjell",
    "Hol",
    "Lund",
    "Nor",
    "Sand",
    "Ski",
    "Stor",
    "Vik",
    "Ber",
    "Eid",
    "Gran",
    "Hå",
    "Lie",
    "Mo",
    "Nes",
    "Ose",
    "Rø",
    "Sel",
    "Sol",
    "Sør",
    "Tin",
    "Ulv",
    "Vå",
    "Aur",
    "Bø",
    "Dov",
    "Fro",
    "Gjer",
    "Hur",
    "Kvi",
    "Lyng",
    "Mel",
    "Ring",
    "Rom",
    "Sau",
    "Stav",
    "Tys",
    "Vang",
    "Øy",
    "Alv",
    "Brem",
    "Flå",
    "Grue",
    "Hem",
    "Kval",
    "Loms",
    "Mal",
    "Rauma",
    "Skje",
]
TAILS = [
    "vik",
    "dal",
    "berg",
    "nes",
    "stad",
    "øy",
    "fjord",
    "heim",
    "sund",
    "vang",
    "land",
    "rud",
    "å",
    "ås",
    "by",
    "set",
    "li",
    "haug",
    "strand",
    "voll",
    "bu",
    "tun",
    "mark",
    "sjø",
]
FIRST = [
    "Anne",
    "Ole",
    "Kari",
    "Per",
    "Ingrid",
    "Lars",
    "Sigrid",
    "Nils",
    "Marit",
    "Knut",
    "Hilde",
    "Jon",
    "Tone",
    "Erik",
    "Liv",
    "Arne",
    "Randi",
    "Geir",
    "Silje",
    "Terje",
    "Nora",
    "Emil",
    "Ida",
    "Jonas",
    "Camilla",
    "Håkon",
    "Astrid",
    "Magnus",
    "Eva",
    "Trond",
]
LAST = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Strand",
    "Moen",
    "Solberg",
    "Bakken",
    "Kvamme",
]
VENDORS = [
    "Visma",
    "Tieto",
    "Evry",
    "Acos",
    "Sikri",
    "CGM",
    "DIPS",
    "Framsikt",
    "Unit4",
    "Norkart",
    "Geodata",
    "Netcompany",
    "Uni Micro",
    "Ramboll",
    "Kommuneforlaget",
    "Telenor",
]
SYSTEM_WORDS = [
    "Arkiv",
    "Sak",
    "Økonomi",
    "Lønn",
    "Turnus",
    "Omsorg",
    "Skole",
    "Barnehage",
    "Barnevern",
    "Helse",
    "Kart",
    "Byggesak",
    "Bibliotek",
    "Booking",
    "Portal",
    "Intranett",
    "Kvalitet",
    "Prosjekt",
    "Velferd",
    "Læring",
    "Eiendom",
    "Innsyn",
    "Faktura",
    "HR",
    "Tilskudd",
]
SYSTEM_SUFFIX = ["", " 360", " Pro", " Plus", " Web", " Sky", " Flyt", " Kommune", " Go", " Next"]
AREAS = [
    "Administrasjon og ledelse",
    "Oppvekst og utdanning",
    "Helse og omsorg",
    "Kultur og fritid",
    "Teknikk og miljø",
    "Samfunnsutvikling",
    "Digitalisering",
]
TOPICS = [
    "digital postkasse",
    "innbyggerdialog",
    "velferdsteknologi",
    "skoleskyss",
    "byggesak",
    "arkivplan",
    "turnusplanlegging",
    "kartgrunnlag",
    "barnehageopptak",
    "tjenestekatalog",
    "informasjonssikkerhet",
    "datadeling",
    "lønnssystem",
    "fakturaflyt",
    "innkjøp",
    "klimabudsjett",
    "smart vannmåling",
    "bibliotekflate",
    "helsestasjon",
    "kompetanseportal",
    "selvbetjening",
    "chatbot",
    "BI og styringsdata",
    "eiendomsforvaltning",
    "trygghetsalarm",
    "digital skole",
]
VERBS = [
    "Innføring av",
    "Ny løsning for",
    "Digitalisering av",
    "Samordning av",
    "Forbedring av",
    "Utredning av",
    "Modernisering av",
    "Anskaffelse av",
]
IKS_WORDS = [
    "IKT",
    "Renovasjon",
    "Brann og redning",
    "Revisjon",
    "Arkiv",
    "Vann og avløp",
    "Legevakt",
    "Innkjøp",
    "Krisesenter",
]
DEP_TYPES = ["depends_on"] * 8 + [
    "waits_for",
    "waits_for",
    "feeds",
    "supplies",
    "precedes",
    "cooperates",
    "refers_to",
    "continues",
    "guided_by",
    "funded_by",
]
CRITICALITY = ["primary", "high", "normal", "normal", "normal", "low"]
BODY_LEVEL = {
    "kommunestyre": "politisk",
    "politisk_styring": "politisk",
    "portefoljestyre": "administrativ",
    "ledergruppe": "administrativ",
    "programledelse": "administrativ",
    "programkontor": "stotte",
    "styringsgruppe": "prosjekt",
    "prosjektgruppe": "prosjekt",
    "arbeidsgruppe": "prosjekt",
    "psu": "partssammensatt",
    "tjenesteomrade": "administrativ",
}
PHASES = ["Idé", "Konsept", "Planlegge", "Gjennomføre", "Gjennomføre", "Avslutte", "Realisere"]
STATUS_TIME = ["Foran plan", "På plan", "På plan", "På plan", "Mindre forsinkelser", "Forsinket"]
STATUS_RISK = ["Lav", "Lav", "Medium", "Medium", "Høy"]
STATUS_BUDGET = [
    "Under budsjett",
    "På budsjett",
    "På budsjett",
    "Mindre overskridelser",
    "Over budsjett",
]
STATUS_GAIN = ["På plan", "På plan", "Ikke påbegynt", "Mindre forsinkelser", "Forsinket"]

# The columns each kind's CSV gets (a subset of loaders.schema; checked at import).
HEADERS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "doc_type", "issued", "source", "locator"),
    "organizations": (
        "id",
        "name",
        "type",
        "org_form",
        "part_of",
        "valid_from",
        "homepage",
        "source",
        "locator",
    ),
    "municipality_numbers": ("municipality", "number", "valid_from", "source"),
    "change_events": ("id", "title", "type", "date", "original", "resulting", "source"),
    "ownerships": ("owner", "company", "role", "share", "valid_from", "source", "locator"),
    "operations": ("operator", "customer", "service", "valid_from", "source"),
    "bodies": ("id", "name", "type", "level", "part_of", "description", "source", "locator"),
    "reporting_lines": ("from", "to", "valid_from", "source", "locator"),
    "people": ("id", "name", "title", "organization", "source"),
    "posts": ("id", "title", "organization", "holder", "source"),
    "memberships": ("member", "organization", "role", "source", "locator"),
    "projects": (
        "id",
        "code",
        "title",
        "type",
        "category",
        "parent",
        "owner",
        "leader",
        "steering_body",
        "goal",
        "phase",
        "service_area",
        "start",
        "end",
        "description",
        "source",
        "locator",
    ),
    "project_goals": ("id", "project", "type", "text", "seq", "source"),
    "status_reports": (
        "project",
        "date",
        "status_time",
        "status_risk",
        "status_budget",
        "status_gain",
        "phase",
        "comment",
        "source",
        "locator",
    ),
    "mandates": ("id", "project", "title", "decided_by", "decided_on", "status", "source"),
    "mandate_items": ("id", "mandate", "type", "text", "seq", "due", "source"),
    "dependencies": (
        "id",
        "from",
        "to",
        "type",
        "criticality",
        "evidence",
        "lag_weeks",
        "rationale",
        "source",
        "locator",
    ),
    "project_links": ("project", "target", "type", "evidence", "rationale", "source"),
    "decisions": ("id", "title", "type", "body", "date", "about", "outcome", "source"),
    "milestones": ("id", "title", "project", "date", "type", "status", "source", "locator"),
    "systems": ("id", "name", "vendor", "category", "source"),
    "domains": ("id", "name", "service_area", "source", "locator"),
    "system_usages": ("municipality", "system", "domain", "users", "contract_end", "source"),
    "evaluations": (
        "system",
        "municipality",
        "availability",
        "maturity_tasks",
        "maturity_functions",
        "maturity_technology",
        "maturity_dataflow",
        "status",
        "score",
        "source",
    ),
    "system_choices": (
        "domain",
        "system",
        "decision",
        "reason",
        "replaces",
        "decided_by",
        "date",
        "source",
    ),
    "local_goals": ("id", "title", "type", "parent", "owner", "sdg", "evidence", "source"),
    "target_links": ("target", "code_as_written", "local_goal", "evidence", "source"),
    "plans": ("id", "title", "type", "project", "local_goals", "period", "source"),
    "actions": ("id", "title", "project", "plan", "local_goals", "source"),
    "kpis": ("id", "title", "unit", "group", "stat_source", "measures", "project", "sdg", "source"),
    "measurements": ("kpi", "area", "year", "type", "value", "value_text", "source"),
    "budget_lines": (
        "id",
        "title",
        "organization",
        "project",
        "year",
        "type",
        "amount",
        "currency",
        "source",
    ),
    "risks": (
        "id",
        "title",
        "project",
        "likelihood_before",
        "consequence_before",
        "likelihood_after",
        "consequence_after",
        "measures",
        "source",
    ),
}
for _kind, _cols in HEADERS.items():  # a typo here would only show as a failed load
    _unknown = set(_cols) - set(KIND[_kind].by_name)
    assert not _unknown, (_kind, _unknown)


@dataclass
class Municipality:
    index: int
    id: str
    name: str
    number: str
    county: str
    source: str


class _Writers:
    """One CSV writer per kind, opened on first use; counts rows."""

    def __init__(self, out: Path):
        self.out = out
        self.files: dict[
            str, tuple[TextIOWrapper, Any, tuple[str, ...]]
        ] = {}  # file, csv writer, columns
        self.counts: dict[str, int] = {}

    def row(self, kind: str, **cells: object) -> None:
        entry = self.files.get(kind)
        if entry is None:
            f = open(self.out / f"{kind}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADERS[kind])
            entry = self.files[kind] = (f, w, HEADERS[kind])
            self.counts[kind] = 0
        f, w, cols = entry
        w.writerow([_cell(cells.get(c)) for c in cols])
        self.counts[kind] += 1

    def close(self) -> None:
        for f, _, _ in self.files.values():
            f.close()


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "|".join(str(x) for x in v)
    return str(v)


def _count(rng: random.Random, mean: float) -> int:
    """A whole number around ``mean`` (keeps the expected value, varies per municipality)."""
    if mean <= 0:
        return 0
    lo = int(mean * 0.8)
    hi = max(lo, int(mean * 1.2))
    return rng.randint(lo, hi) if hi > lo else max(1, round(mean))


def municipality_names(n: int, seed: int) -> list[tuple[str, str, str]]:
    """``n`` unique (name, kommunenummer, county) triples, spread over the real counties."""
    rng = random.Random(f"names-{seed}")
    total = sum(w for *_, w in COUNTIES)
    quota = [(code, county, max(1, round(n * w / total))) for code, county, w in COUNTIES]
    slots: list[tuple[str, str]] = []
    for code, county, q in quota:
        slots += [(code, county)] * q
    while len(slots) < n:
        slots.append(("46", "Vestland"))
    slots = slots[:n]
    seen: set[str] = set()
    out = []
    numbers: dict[str, int] = {}
    for code, county in slots:
        while True:
            name = rng.choice(HEADS) + rng.choice(TAILS)
            if name not in seen:
                seen.add(name)
                break
        numbers[code] = numbers.get(code, 0) + rng.randint(1, 3)
        out.append((name, f"{code}{numbers[code]:02d}", county))
    return out


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a", " ": "-"})
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum() or ch == "-")


def _domains() -> list[tuple[str, str, str]]:
    with open(DOMAINS_CSV, encoding="utf-8") as f:
        return [(r["id"], r["name"], r.get("service_area") or "") for r in csv.DictReader(f)]


def sdg_targets() -> list[str]:
    from loaders import sdg  # yaml and the SDG files: only when a dataset is generated

    return sorted(c for c in sdg.codes() if c.count(".") == 1)


def generate(
    out: Path | str,
    municipalities: int = NATIONAL_MUNICIPALITIES,
    seed: int = 1,
    density: float = 1.0,
) -> dict[str, int]:
    """Write the dataset folder ``out``; return the number of rows per kind."""
    if municipalities < 3:
        raise ValueError("at least 3 municipalities")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.csv"):
        stale.unlink()
    rng = random.Random(seed)
    w = _Writers(out)
    d = density
    name = f"synth-{municipalities}-{seed}"
    (out / "manifest.yaml").write_text(
        f"# Synthetic national graph: kg synth --municipalities {municipalities} --seed {seed}"
        f" --density {d:g}\n"
        f"name: {name}\nbase: https://data.kommunegraf.no/{name}/\n"
        "title:\n"
        f"  nb: Syntetisk nasjonal graf ({municipalities} kommuner, frø {seed})\n"
        f"  en: Synthetic national graph ({municipalities} municipalities, seed {seed})\n"
        "languages: [nb, en]\nsdg: true\n",
        encoding="utf-8",
    )
    # -- national records ------------------------------------------------------------------
    w.row(
        "sources",
        id="SRC-KS",
        title="KS digitaliseringsundersøkelse",
        doc_type="report",
        issued="2024-03",
        source="SRC-KS",
        locator="s. 1",
    )
    w.row(
        "organizations",
        id="digdir",
        name="Digitaliseringsdirektoratet",
        type="state",
        org_form="statlig",
        source="SRC-KS",
        locator="s. 2",
    )
    domains = _domains()
    for did, dname, area in domains:
        w.row("domains", id=did, name=dname, service_area=area, source="SRC-KS", locator="s. 4")
    # A national catalogue: a pool of systems per domain, some shared across domains.
    systems: list[str] = []
    pool: dict[str, list[str]] = {}
    used_names: set[str] = set()
    for di, (did, dname, _) in enumerate(domains):
        pool[did] = []
        for k in range(14):
            while True:
                sname = (
                    rng.choice(VENDORS) + " " + rng.choice(SYSTEM_WORDS) + rng.choice(SYSTEM_SUFFIX)
                )
                if sname not in used_names:
                    used_names.add(sname)
                    break
            sid = f"sys-{di:02d}-{k:02d}"
            w.row(
                "systems",
                id=sid,
                name=sname,
                vendor=sname.split(" ", 1)[0],
                category=dname,
                source="SRC-KS",
            )
            systems.append(sid)
            pool[did].append(sid)
    for did in pool:  # a few platforms are used across domains
        pool[did] += [s for s in rng.sample(systems, 2) if s not in pool[did]]
    targets = sdg_targets()
    # -- municipalities --------------------------------------------------------------------
    munis: list[Municipality] = []
    for i, (mname, number, county) in enumerate(municipality_names(municipalities, seed)):
        mid = f"k{number}"
        src = f"SRC-{number}"
        munis.append(Municipality(i, mid, f"{mname} kommune", number, county, src))
        w.row(
            "sources",
            id=src,
            title=f"Porteføljerapport {mname} kommune 2024",
            doc_type="report",
            issued="2024-06",
            source=src,
            locator="s. 1",
        )
        w.row(
            "organizations",
            id=mid,
            name=f"{mname} kommune",
            type="municipality",
            org_form="kommune",
            homepage=f"https://www.{_slug(mname)}.kommune.no",
            source=src,
            locator="s. 1",
        )
        w.row(
            "municipality_numbers",
            municipality=mid,
            number=number,
            valid_from="2024-01-01",
            source=src,
        )
    # Inter-municipal companies: runs of 3–6 neighbours (same county, consecutive numbers).
    companies: list[tuple[str, list[Municipality]]] = []
    i = 0
    while i < len(munis):
        size = rng.randint(3, 6)
        group = [m for m in munis[i : i + size] if m.county == munis[i].county]
        if len(group) < 2:  # a county border in the run: neighbours across it cooperate too
            group = munis[i : i + size]
        if len(group) >= 2:
            for word in rng.sample(IKS_WORDS, 2 if d >= 0.5 else 1):
                cid = f"iks-{group[0].number}-{_slug(word)}"
                host = group[0]
                w.row(
                    "organizations",
                    id=cid,
                    name=f"{host.name.split()[0]}regionen {word} IKS",
                    type="inter_municipal",
                    org_form="IKS",
                    valid_from=f"{rng.randint(1995, 2018)}",
                    source=host.source,
                    locator="s. 3",
                )
                shares = [rng.randint(5, 40) for _ in group]
                total = sum(shares)
                for m, s in zip(group, shares, strict=True):
                    w.row(
                        "ownerships",
                        owner=m.id,
                        company=cid,
                        role="owner_customer",
                        share=f"{100 * s / total:.1f}",
                        valid_from="2019-01-01",
                        source=m.source,
                        locator="s. 3",
                    )
                if word == "IKT":
                    for m in group:
                        w.row(
                            "operations",
                            operator=cid,
                            customer=m.id,
                            service="IKT-drift",
                            valid_from="2019-01-01",
                            source=m.source,
                        )
                companies.append((cid, group))
        i += max(1, len(group))
    # Two mergers in the nation's history, as change events.
    for k in range(min(2, len(munis) // 3)):
        a, b = munis[3 * k], munis[3 * k + 1]
        w.row(
            "change_events",
            id=f"ev-merger-{k}",
            title=f"Sammenslåing av {a.name} og {b.name}",
            type="merger",
            date="2020-01-01",
            original=[a.id, b.id],
            resulting=[a.id],
            source=a.source,
        )
    programmes: dict[str, list[str]] = {}
    for m in munis:
        programmes[m.id] = _municipality(w, rng, m, d, domains, pool, targets, munis, programmes)
    w.close()
    return dict(sorted(w.counts.items()))


def _municipality(
    w: _Writers,
    rng: random.Random,
    m: Municipality,
    d: float,
    domains: list[tuple[str, str, str]],
    pool: dict[str, list[str]],
    targets: list[str],
    munis: list[Municipality],
    programmes: dict[str, list[str]],
) -> list[str]:
    src, n = m.source, m.number
    short = m.name.split()[0]

    def loc() -> str:
        return f"s. {rng.randint(2, 80)}"

    # -- ICT unit, people, posts -----------------------------------------------------------
    ict = f"{m.id}-ikt"
    w.row(
        "organizations",
        id=ict,
        name=f"IKT {short}",
        type="ict_unit",
        org_form="kommunal_virksomhet",
        part_of=m.id,
        source=src,
        locator=loc(),
    )
    w.row(
        "operations",
        operator=ict,
        customer=m.id,
        service="Brukerstøtte og fagsystemer",
        valid_from="2015-01-01",
        source=src,
    )
    people = []
    for k in range(max(4, _count(rng, 22 * d))):
        pid = f"{m.id}-pers-{k}"
        people.append(pid)
        title = (
            "Kommunedirektør"
            if k == 0
            else rng.choice(
                ["Prosjektleder", "Rådgiver", "Virksomhetsleder", "Kommunalsjef", "Seniorrådgiver"]
            )
        )
        w.row(
            "people",
            id=pid,
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            title=title,
            organization=m.id,
            source=src,
        )
    w.row(
        "posts",
        id=f"{m.id}-post-direktor",
        title=f"Kommunedirektør i {m.name}",
        organization=m.id,
        holder=people[0],
        source=src,
    )
    # -- governance bodies: a tree from the council down -----------------------------------
    bodies: list[tuple[str, str]] = []

    def body(kind: str, title: str, parent: str | None) -> str:
        bid = f"{m.id}-b{len(bodies)}"
        bodies.append((bid, kind))
        w.row(
            "bodies",
            id=bid,
            name=f"{title} {short}",
            type=kind,
            level=BODY_LEVEL.get(kind, "administrativ"),
            part_of=m.id,
            description=f"{title} i {m.name}.",
            source=src,
            locator=loc(),
        )
        if parent:
            w.row(
                "reporting_lines",
                **{"from": bid, "to": parent},
                valid_from="2020-01-01",
                source=src,
                locator=loc(),
            )
        return bid

    council = body("kommunestyre", "Kommunestyret", None)
    political = body("politisk_styring", "Formannskapet", council)
    leaders = body("ledergruppe", "Kommunedirektørens ledergruppe", political)
    portfolio = body("portefoljestyre", "Porteføljestyret", leaders)
    body("psu", "Partssammensatt utvalg", political)
    office = body("programkontor", "Programkontoret", portfolio)
    steering = [
        body("styringsgruppe", f"Styringsgruppe {area}", portfolio)
        for area in rng.sample(AREAS, max(1, min(len(AREAS), _count(rng, 5 * d))))
    ]
    groups = [
        body(
            rng.choice(["prosjektgruppe", "arbeidsgruppe"]),
            f"Arbeidsgruppe {k + 1}",
            rng.choice(steering),
        )
        for k in range(_count(rng, 6 * d))
    ]
    for bid, kind in bodies:
        if kind in ("psu",) or rng.random() < 0.08:
            continue  # no members recorded: the gap report finds these
        for pid in rng.sample(people, min(len(people), rng.randint(2, 5))):
            w.row(
                "memberships",
                member=pid,
                organization=bid,
                role="medlem",
                source=src,
                locator=loc(),
            )
        w.row(
            "memberships",
            member=rng.choice(people),
            organization=bid,
            role="leder",
            source=src,
            locator=loc(),
        )
    del office
    # -- the programme and its projects ----------------------------------------------------
    prog = f"{m.id}-prog"
    w.row(
        "projects",
        id=prog,
        code=f"{n}-PRG",
        title=f"Digitaliseringsprogrammet {short}",
        type="program",
        category="PRG",
        owner=portfolio,
        leader=people[0],
        steering_body=portfolio,
        goal=f"Et digitalt {short} innen 2028",
        phase="Gjennomføre",
        start="2022-01-01",
        end="2028-12-31",
        source=src,
        locator=loc(),
    )
    projects: list[str] = []
    info: dict[str, tuple[str, str]] = {}
    n_proj = max(5, _count(rng, 50 * d))
    for k in range(n_proj):
        pid = f"{m.id}-p{k}"
        sub = k > 5 and rng.random() < 0.25
        parent = rng.choice(projects[: max(1, k // 2)]) if sub else prog
        start_y = rng.randint(2021, 2026)
        start = f"{start_y}-{rng.randint(1, 12):02d}-01"
        end = f"{start_y + rng.randint(1, 3)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        area = rng.choice(AREAS)
        topic = rng.choice(TOPICS)
        w.row(
            "projects",
            id=pid,
            code=f"{n}-P{k}",
            title=f"{rng.choice(VERBS)} {topic}",
            type="subproject" if sub else "project",
            category=area.split()[0].upper()[:4],
            parent=parent,
            owner=rng.choice(steering + [m.id]),
            leader=rng.choice(people),
            steering_body=rng.choice(steering),
            goal=f"Bedre {topic} for innbyggerne" if rng.random() < 0.8 else None,
            phase=rng.choice(PHASES),
            service_area=area,
            start=start,
            end=end,
            description=f"{topic.capitalize()} i {m.name}.",
            source=src,
            locator=loc(),
        )
        projects.append(pid)
        info[pid] = (start, end)
        if rng.random() < 0.6:
            w.row(
                "project_goals",
                id=f"{pid}-g1",
                project=pid,
                type=rng.choice(["effektmal", "resultatmal"]),
                text=f"Redusert tidsbruk på {topic}",
                seq=1,
                source=src,
            )
        for r, date in enumerate(
            sorted({f"{rng.randint(2023, 2024)}-{3 * rng.randint(1, 4):02d}-15" for _ in range(2)})
        ):
            w.row(
                "status_reports",
                project=pid,
                date=date,
                status_time=rng.choice(STATUS_TIME),
                status_risk=rng.choice(STATUS_RISK),
                status_budget=rng.choice(STATUS_BUDGET),
                status_gain=rng.choice(STATUS_GAIN),
                phase=rng.choice(PHASES),
                comment="Ingen vesentlige avvik" if r else None,
                source=src,
                locator=loc(),
            )
        for j in range(rng.randint(1, 3)):
            my = start_y + j
            w.row(
                "milestones",
                id=f"{pid}-ms{j}",
                title=f"{['Oppstart', 'Pilot', 'Lansering'][j]} {topic}",
                project=pid,
                date=f"{my}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                type=["milestone", "deadline", "launch"][j],
                status=rng.choice(["done", "planned", "planned"]),
                source=src,
                locator=loc(),
            )
        if rng.random() < 0.3:
            mand = f"{pid}-mandat"
            w.row(
                "mandates",
                id=mand,
                project=[pid],
                title=f"Prosjektmandat {topic}",
                decided_by=portfolio,
                decided_on=start,
                status="vedtatt",
                source=src,
            )
            for s in range(1, 4):
                w.row(
                    "mandate_items",
                    id=f"{mand}-{s}",
                    mandate=mand,
                    type="task" if s < 3 else "deliverable",
                    text=f"Leveranse {s}: {topic}",
                    seq=s,
                    due=end,
                    source=src,
                )
        if rng.random() < 0.3:
            w.row(
                "risks",
                id=f"{pid}-risk",
                title=f"Forsinket leveranse av {topic}",
                project=pid,
                likelihood_before=rng.randint(2, 4),
                consequence_before=rng.randint(2, 4),
                likelihood_after=rng.randint(1, 2),
                consequence_after=rng.randint(1, 3),
                measures="Tett oppfølging i styringsgruppen",
                source=src,
            )
        if rng.random() < 0.5:
            w.row(
                "budget_lines",
                id=f"{pid}-bud",
                title=f"Investering {topic}",
                organization=m.id,
                project=pid,
                year=str(start_y),
                type="investering",
                amount=rng.randint(2, 400) * 10000,
                currency="NOK",
                source=src,
            )
    for k in range(3):
        w.row(
            "milestones",
            id=f"{prog}-ms{k}",
            title=f"Programmilepæl {k + 1}",
            project=prog,
            date=f"{2024 + 2 * k}-06-30",
            type="milestone",
            status="planned",
            source=src,
            locator=loc(),
        )
    # -- dependencies: mostly a DAG (later on earlier), sometimes a cycle or a neighbour ------
    dep = 0

    def dependency(a: str, b: str) -> None:
        nonlocal dep
        typ = rng.choice(DEP_TYPES)
        w.row(
            "dependencies",
            id=f"{m.id}-d{dep}",
            **{"from": a, "to": b},
            type=typ,
            criticality=rng.choice(CRITICALITY),
            evidence=rng.choice(["explicit", "explicit", "implied"]),
            lag_weeks=rng.choice([None, None, None, 2, 4, 8]),
            rationale=f"{typ.replace('_', ' ')}: leveranse fra {b.rsplit('-', 1)[-1]} trengs",
            source=src,
            locator=loc(),
        )
        dep += 1

    for k in range(1, len(projects)):
        for b in {rng.randrange(0, k) for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3]))}:
            dependency(projects[k], projects[b])
    for _ in range(rng.choice([0, 0, 1, 1, 2])):  # a cycle: an early project waits for a later one
        a, b = sorted(rng.sample(range(len(projects)), 2))
        dependency(projects[a], projects[b])
    if m.index > 0 and rng.random() < 0.3:  # on a neighbour's project
        other = munis[m.index - 1].id
        dependency(rng.choice(projects), rng.choice(programmes[other]))
    # -- ICT: usages, evaluations, choices, project links ------------------------------------
    used: list[tuple[str, str]] = []
    per_domain = max(1, round(12 * d))
    for did, _, _ in domains:
        for sid in rng.sample(pool[did], min(len(pool[did]), _count(rng, per_domain))):
            used.append((sid, did))
            w.row(
                "system_usages",
                municipality=m.id,
                system=sid,
                domain=did,
                users=rng.randint(3, 900),
                contract_end=f"{rng.randint(2024, 2031)}-12-31" if rng.random() < 0.5 else None,
                source=src,
            )
    distinct = sorted({s for s, _ in used})
    for sid in rng.sample(distinct, max(1, len(distinct) // 10)):
        w.row(
            "evaluations",
            system=sid,
            municipality=m.id,
            availability=rng.choice(["Lav", "Middels", "Høyt", "Meget høyt"]),
            maturity_tasks=rng.randint(1, 5),
            maturity_functions=rng.randint(1, 5),
            maturity_technology=rng.randint(1, 5),
            maturity_dataflow=rng.randint(1, 5),
            status=rng.choice(["Green", "Yellow", "Red"]),
            score=f"{rng.uniform(4, 20):.1f}",
            source=src,
        )
    for did, _, _ in rng.sample(domains, min(len(domains), _count(rng, 6 * d))):
        mine = [s for s, dd in used if dd == did]
        if not mine:
            continue
        chosen = rng.choice(mine)
        decision = rng.choice(["chosen", "continued", "procurement", "pending"])
        w.row(
            "system_choices",
            domain=did,
            system=[chosen] if decision != "pending" else None,
            decision=decision,
            reason=f"Anbefalt av {short} for å samle løsninger",
            replaces=[s for s in mine if s != chosen][:2],
            decided_by=portfolio,
            date="2024-05",
            source=src,
        )
    for pid in projects:
        if rng.random() < 0.6 and used:
            w.row(
                "project_links",
                project=pid,
                target=rng.choice(used)[0],
                type=rng.choice(["uses", "affects", "delivers", "concerns"]),
                evidence="explicit",
                rationale="Prosjektet endrer systemet",
                source=src,
            )
    # -- goals, plans, actions, KPIs and measurements ------------------------------------------
    areas = [f"{m.id}-lg{k}" for k in range(3)]
    for k, lg in enumerate(areas):
        w.row(
            "local_goals",
            id=lg,
            title=f"Satsingsområde {k + 1}: {AREAS[k]}",
            type="priority_area",
            owner=portfolio,
            source=src,
        )
    goals: list[str] = []
    for k in range(_count(rng, 14 * d)):
        lg = f"{m.id}-lg{3 + k}"
        goals.append(lg)
        sdgs = rng.sample(targets, rng.randint(1, 2))
        w.row(
            "local_goals",
            id=lg,
            title=f"Lokalt mål {k + 1}: {rng.choice(TOPICS)}",
            type="local_goal",
            parent=rng.choice(areas),
            owner=rng.choice(projects) if rng.random() < 0.3 else None,
            sdg=[f"sdg:{t}" for t in sdgs],
            evidence="explicit",
            source=src,
        )
        for t in sdgs:  # the targets prioritised locally
            w.row(
                "target_links",
                target=f"sdg:{t}",
                code_as_written=t,
                local_goal=lg,
                evidence="explicit",
                source=src,
            )
    goals = goals or areas
    plans = []
    for k, ptype in enumerate(
        ["kommuneplan", "strategi", "temaplan", "handlingsprogram"][: max(1, round(4 * d))]
    ):
        plid = f"{m.id}-plan{k}"
        plans.append(plid)
        w.row(
            "plans",
            id=plid,
            title=f"{ptype.capitalize()} {short}",
            type=ptype,
            project=rng.choice(projects) if k else prog,
            local_goals=rng.sample(goals, min(3, len(goals))),
            period="2024-2028",
            source=src,
        )
    actions = []
    for k in range(_count(rng, 30 * d)):
        aid = f"{m.id}-act{k}"
        actions.append(aid)
        w.row(
            "actions",
            id=aid,
            title=f"Tiltak {k + 1}: {rng.choice(VERBS).lower()} {rng.choice(TOPICS)}",
            project=rng.choice(projects),
            plan=rng.choice(plans),
            local_goals=rng.sample(goals, 1) if rng.random() < 0.85 else None,
            source=src,
        )
    for k in range(_count(rng, 15 * d)):
        kid = f"{m.id}-kpi{k}"
        target = rng.choice(goals + actions) if actions else rng.choice(goals)
        w.row(
            "kpis",
            id=kid,
            title=f"Andel {rng.choice(TOPICS)}",
            unit="%",
            group="Digitalisering",
            stat_source=rng.choice(["SSB Kostra", "KS", "Digdir", "Egen måling"]),
            measures=[target],
            project=rng.choice(projects),
            sdg=[f"sdg:{rng.choice(targets)}"] if rng.random() < 0.5 else None,
            source=src,
        )
        if rng.random() < 0.85:
            base = rng.uniform(10, 70)
            w.row(
                "measurements",
                kpi=kid,
                area=m.id,
                year=2020,
                type="baseline",
                value=f"{base:.1f}",
                source=src,
            )
            for year in range(2021, 2025):
                base = min(100.0, base + rng.uniform(-2, 6))
                w.row(
                    "measurements",
                    kpi=kid,
                    area=m.id,
                    year=year,
                    type="actual",
                    value=f"{base:.1f}",
                    value_text=f"{base:.1f} %".replace(".", ","),
                    source=src,
                )
        for year in (2026, 2030):  # targets; some KPIs have nothing else (a gap)
            w.row(
                "measurements",
                kpi=kid,
                area=m.id,
                year=year,
                type="target",
                value=f"{rng.uniform(60, 95):.0f}" if rng.random() < 0.9 else None,
                value_text=None if rng.random() < 0.9 else "??",
                source=src,
            )
    # -- decisions -------------------------------------------------------------------------------
    for k in range(max(1, _count(rng, 5 * d))):
        w.row(
            "decisions",
            id=f"{m.id}-vedtak{k}",
            title=f"Vedtak om prioritering {k + 1}",
            type="decision",
            body=rng.choice([council, political, portfolio]),
            date=f"{rng.randint(2021, 2024)}-{rng.randint(1, 12):02d}",
            about=rng.sample(projects, min(2, len(projects))),
            outcome="Vedtatt",
            source=src,
        )
    del groups, info
    return projects


def version() -> str:
    """Changes whenever this generator does (names cached datasets)."""
    return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:8]


def generate_preset(out: Path | str, preset: str, seed: int = 1) -> dict[str, int]:
    p = PRESETS[preset]
    return generate(out, p.municipalities, seed, p.density)


__all__ = ["PRESETS", "generate", "generate_preset", "municipality_names", "version"]
