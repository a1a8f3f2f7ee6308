"""Building blocks of the dataset format: :class:`Column`, :class:`Kind` and the helpers that
declare them. The kinds themselves are in :mod:`loaders.schema`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict, Unpack


@dataclass(frozen=True)
class Column:
    """One column of a kind: its name, type, ontology property and documentation."""

    name: str
    type: str
    prop: str | None = None
    required: bool = False
    targets: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    doc: str = ""
    inverse: bool = False
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Kind:
    """A kind of record: a CSV file, the class of its records and its columns."""

    name: str
    cls: str
    segment: str
    columns: tuple[Column, ...]
    doc: str
    key: tuple[str, ...] = ()
    class_by: tuple[str, dict[str, str]] | None = None
    acyclic: tuple[str, ...] = ()
    direct: tuple[str, str, str] | None = None
    by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({c.name: c for c in self.columns})

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def has_id(self) -> bool:
        return "id" in self.by_name


class ColumnOptions(TypedDict, total=False):
    """The optional fields of :class:`Column` that :func:`C` passes through."""

    required: bool
    inverse: bool
    lo: float | None
    hi: float | None


class KindOptions(TypedDict, total=False):
    """The optional fields of :class:`Kind` that :func:`_kind` passes through."""

    key: tuple[str, ...]
    class_by: tuple[str, dict[str, str]] | None
    acyclic: tuple[str, ...]
    direct: tuple[str, str, str] | None


def C(
    name: str, type: str, prop: str | None = None, doc: str = "", **kw: Unpack[ColumnOptions]
) -> Column:
    if type.startswith(("ref:", "refs:")):
        kind, _, targets = type.partition(":")
        return Column(name, kind, prop, targets=tuple(targets.split(",")), doc=doc, **kw)
    if type.startswith("enum:"):
        return Column(name, "enum", prop, values=tuple(type[5:].split(",")), doc=doc, **kw)
    return Column(name, type, prop, doc=doc, **kw)


def ID(doc: str = "Identifier, unique in the dataset.") -> Column:
    return Column("id", "id", "dct:identifier", required=True, doc=doc)


def _kind(
    name: str, cls: str, segment: str, doc: str, *cols: Column, **kw: Unpack[KindOptions]
) -> Kind:
    common = (
        C(
            "source",
            "ref:sources",
            "prov:wasDerivedFrom",
            "Source document of this row.",
            required=True,
        ),
        C(
            "locator",
            "str",
            "locator",
            "Where in the source: page, line or slide (e.g. L1857-1865).",
        ),
        C("note", "text", "skos:editorialNote", "Remark on this row, e.g. a conflicting reading."),
    )
    return Kind(name, cls, segment, tuple(cols) + common, doc, **kw)


ANY = (
    "projects", "bodies", "organizations", "people", "systems", "domains", "mandates",
    "mandate_items", "decisions", "milestones", "plans", "actions", "local_goals", "kpis",
    "sources", "phases", "risks", "budget_lines", "change_events", "posts",
)  # fmt: skip
ANY_REF = ",".join(ANY)

STATUS_TIME = (
    "Foran plan",
    "På plan",
    "Mindre forsinkelser",
    "Mindre forsinkelse som kan tas igjen",
    "Forsinket",
)
STATUS_BUDGET = (
    "Under budsjett",
    "På budsjett",
    "Mindre overskridelser",
    "Vet ikke",
    "Over budsjett",
)
STATUS_RISK = ("Lav", "Medium", "Høy")
STATUS_QUALITY = (
    "Bedre enn spesifikasjon",
    "Ihht. spesifikasjon",
    "Mindre avvik fra spesifikasjon",
    "Større avvik fra spesifikasjon",
)
STATUS_GAIN = ("Foran plan", "På plan", "Ikke påbegynt", "Mindre forsinkelser", "Forsinket")
PHASES = ("Idé", "Konsept", "Planlegge", "Gjennomføre", "Avslutte", "Realisere")
EVIDENCE = "enum:explicit,implied"
