"""What changed between two snapshots of a dataset, in the words a planner uses.

:func:`diff` compares two lists of quads (two snapshots, see :mod:`graph.snapshots`) and
returns :class:`Change` items in categories: new and removed projects, systems, people …;
new and removed dependencies; status changes (the latest report per project); new owners,
leaders and roles; systems taken into or out of use; systems chosen per domain; evaluation
status; and other changed attributes. Provenance (file, row, load time) is not a change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import pyoxigraph as ox

import ontology
from graph.store import Result
from loaders.triples import TYPED_PREDICATES
from ontology.terms import KG_NS, PREFIXES, SDG_NS

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS, FOAF, ORG = PREFIXES["skos"], PREFIXES["foaf"], PREFIXES["org"]
LABELS = {SKOS + "prefLabel", FOAF + "name", SKOS + "notation"}
PROV_FROM = PREFIXES["prov"] + "wasDerivedFrom"
QUIET = {
    KG_NS + "sourceFile",
    KG_NS + "sourceRow",
    KG_NS + "locator",
    PREFIXES["prov"] + "wasDerivedFrom",
    PREFIXES["dct"] + "modified",
    KG_NS + "recordCount",
    SKOS + "editorialNote",
}
# Records that qualify a relation: reported through the relation, not as things of their own.
QUALIFIED = {
    "StatusReport",
    "Dependency",
    "Membership",
    "SystemUsage",
    "SystemEvaluation",
    "SystemChoice",
    "ReportingLine",
    "Ownership",
    "ICTOperation",
    "ProjectLink",
    "TargetPriority",
    "Interaction",
    "Measurement",
    "MunicipalityNumber",
    "Dataset",
}
STATUS = (
    ("statusTime", "status fremdrift", "schedule"),
    ("statusBudget", "status økonomi", "budget"),
    ("statusRisk", "status risiko", "risk"),
    ("statusGain", "status gevinst", "gains"),
    ("statusQuality", "status kvalitet", "quality"),
    ("phase", "fase", "phase"),
)
COMMENT = ("comment", "statuskommentar", "status comment")
ROLES = (
    ("projectOwner", "eier", "owner"),
    ("projectLeader", "leder", "leader"),
    ("steeringBody", "styringsgruppe", "steering body"),
)
KIND_WORDS = {
    "Project": ("nytt prosjekt", "prosjekt", "project"),
    "System": ("nytt system", "system", "system"),
    "Person": ("ny person", "person", "person"),
    "SystemDomain": ("nytt delområde", "delområde", "domain"),
    "Organization": ("ny organisasjon", "organisasjon", "organisation"),
    "GovernanceBody": ("nytt organ", "organ", "body"),
    "SourceDocument": ("ny kilde", "kilde", "source"),
}


@dataclass(frozen=True)
class Change:
    category: (
        str  # projects, dependencies, status, roles, systems, choices, evaluations, attributes …
    )
    subject: str
    nb: str
    en: str

    def text(self, lang: str = "nb") -> str:
        return self.nb if lang == "nb" else self.en


class _View:
    """One snapshot as subject → predicate → objects, with labels and types."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.spo: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.labels: dict[str, tuple[int, str]] = {}
        self.source: dict[str, str] = {}
        for q in quads:
            s, p = q.subject, q.predicate.value
            o = cast(
                "ox.NamedNode | ox.BlankNode | ox.Literal", q.object
            )  # no RDF-star in the data
            if not isinstance(s, ox.NamedNode):
                continue
            if p in LABELS:  # Norwegian (or untagged) labels first, English as a fallback
                rank = 0 if getattr(o, "language", None) in (None, "nb") else 1
                key = s.value + "#" + p
                if key not in self.labels or rank < self.labels[key][0]:
                    self.labels[key] = (rank, o.value)
            if p == PROV_FROM:
                self.source[s.value] = o.value
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == SDG_NS + "graph":
                continue
            if p not in QUIET:
                self.spo[s.value][p].add(o.value)

    def label(self, s: str, p: str) -> str | None:
        hit = self.labels.get(s + "#" + p)
        return hit[1] if hit else None

    def types(self, s: str) -> set[str]:
        return {
            t[len(KG_NS) :] for t in self.spo.get(s, {}).get(RDF_TYPE, ()) if t.startswith(KG_NS)
        }

    def one(self, s: str, local: str, ns: str = KG_NS) -> str | None:
        vals = self.spo.get(s, {}).get(ns + local)
        return min(vals) if vals else None

    def with_type(self, cls: str) -> list[str]:
        return [s for s, po in self.spo.items() if KG_NS + cls in po.get(RDF_TYPE, ())]


def diff(before: Iterable[ox.Quad], after: Iterable[ox.Quad], lang: str = "nb") -> list[Change]:
    """The changes from the quads ``before`` to the quads ``after``."""
    a, b = _View(before), _View(after)

    def name(s: str) -> str:
        for view in (b, a):
            code = view.label(s, SKOS + "notation")
            label = view.label(s, SKOS + "prefLabel") or view.label(s, FOAF + "name")
            if code or label:
                return (
                    f"{code} {label}"
                    if code and label and code not in label
                    else (label or code or s)
                )
        return s.rsplit("/", 1)[-1]

    out: list[Change] = []
    out += _things(a, b, name)
    out += _edges(
        a,
        b,
        name,
        KG_NS + "dependsOn",
        "dependencies",
        ("avhenger nå av {o}", "now depends on {o}"),
        ("avhenger ikke lenger av {o}", "no longer depends on {o}"),
    )
    out += _absent(a, b, name)
    out += _status(a, b, name)
    out += _roles(a, b, name)
    out += _memberships(a, b, name)
    out += _edges(
        a,
        b,
        name,
        KG_NS + "usesSystem",
        "systems",
        ("tok i bruk {o}", "started using {o}"),
        ("sluttet å bruke {o}", "stopped using {o}"),
    )
    out += _choices(a, b, name)
    out += _evaluations(a, b, name)
    out += _attributes(a, b, name)
    return out


def _things(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    out = []
    for s in sorted(set(a.spo) | set(b.spo)):
        ta, tb = a.types(s), b.types(s)
        if (ta and tb) or (ta | tb) & QUALIFIED or not (ta | tb):
            continue
        kind = next((k for k in KIND_WORDS if k in ta | tb), None)
        nb_new, nb_kind, en_kind = KIND_WORDS.get(kind or "", ("ny post", "post", "record"))
        if tb:
            out.append(Change(f"{en_kind}s", name(s), nb_new, f"new {en_kind}"))
        else:
            out.append(Change(f"{en_kind}s", name(s), f"{nb_kind} fjernet", f"{en_kind} removed"))
    return out


def _edges(
    a: _View,
    b: _View,
    name: Callable[[str], str],
    p: str,
    category: str,
    added: tuple[str, str],
    removed: tuple[str, str],
) -> list[Change]:
    # Qualified records repeat the edge (a usage has kg:usesSystem too): count the direct edge only.
    ea = {(s, o) for s, po in a.spo.items() if not a.types(s) & QUALIFIED for o in po.get(p, ())}
    eb = {(s, o) for s, po in b.spo.items() if not b.types(s) & QUALIFIED for o in po.get(p, ())}
    out = []
    for (s, o), (nb, en) in [(e, added) for e in sorted(eb - ea)] + [
        (e, removed) for e in sorted(ea - eb)
    ]:
        out.append(Change(category, name(s), nb.format(o=name(o)), en.format(o=name(o))))
    return out


def _latest(view: _View, cls: str, *of: str) -> dict[tuple[Any, ...], str]:
    """The newest record of a class per subject (status per project, evaluation per system)."""
    best: dict[tuple[Any, ...], tuple[str, str]] = {}
    for r in view.with_type(cls):
        subject = tuple(view.one(r, x) or "" for x in of)
        src = view.source.get(r, "")
        order = view.one(r, "date") or view.one(src, "issued", PREFIXES["dct"]) or ""
        if subject not in best or (order, r) > best[subject]:
            best[subject] = (order, r)
    return {s: r for s, (_, r) in best.items()}


def _fields(
    view: _View, cls: str, of: str, fields: tuple[str, ...]
) -> dict[str, dict[str, tuple[str, str]]]:
    """Per subject and field, the (value, date) of the newest report that has the field.

    A report from an export without a column says nothing about that field, so the value an
    earlier report gave stays the current one (issue 14: a later export never erases)."""
    best: dict[str, dict[str, tuple[tuple[str, str], str, str]]] = {}
    for r in view.with_type(cls):
        subject = view.one(r, of) or ""
        order = (
            view.one(r, "date")
            or view.one(view.source.get(r, ""), "issued", PREFIXES["dct"])
            or "",
            r,
        )
        for f in fields:
            v = view.one(r, f)
            if v and (f not in best.setdefault(subject, {}) or order > best[subject][f][0]):
                best[subject][f] = (order, v, order[0])
    return {s: {f: (v, day) for f, (_, v, day) in fs.items()} for s, fs in best.items()}


def _status(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    locals_ = tuple(local for local, _, _ in (*STATUS, COMMENT))
    fa, fb = (
        _fields(a, "StatusReport", "statusOf", locals_),
        _fields(b, "StatusReport", "statusOf", locals_),
    )
    out = []
    for p in sorted(fb):
        old, new = fa.get(p), fb[p]
        if not old:  # a project's first report: one line, not one per field
            day = max(d for _, d in new.values())
            vals = [(nb, en, new[local][0]) for local, nb, en in STATUS if local in new]
            out.append(
                Change(
                    "status",
                    name(p),
                    "første rapport: " + ", ".join(f"{n} {v}" for n, _, v in vals) + f" ({day})",
                    "first report: " + ", ".join(f"{e} {v}" for _, e, v in vals) + f" ({day})",
                )
            )
            continue
        for local, nb, en in (*STATUS, COMMENT):
            was, now = old.get(local, (None, ""))[0], new.get(local, (None, ""))
            if now[0] != was and now[0]:
                out.append(
                    Change(
                        "status",
                        name(p),
                        f"{nb}: {was or '–'} → {now[0]} ({now[1]})",
                        f"{en}: {was or '–'} → {now[0]} ({now[1]})",
                    )
                )
    return out


def _absent(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    """Projects a later export no longer lists, and those that are back (kg:notInExport)."""
    out = []
    p = KG_NS + "notInExport"
    for s in sorted(set(a.spo) | set(b.spo)):
        old, new = a.one(s, "notInExport"), b.one(s, "notInExport")
        if new and new != old:
            out.append(
                Change(
                    "projects",
                    name(s),
                    f"ikke med i denne eksporten ({new})",
                    f"not in this export ({new})",
                )
            )
        elif old and not new and p not in b.spo.get(s, {}) and s in b.spo:
            out.append(Change("projects", name(s), "med i eksporten igjen", "back in the export"))
    return out


def _roles(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    out = []
    for s in sorted(set(a.spo) & set(b.spo)):
        for local, nb, en in ROLES:
            old, new = a.one(s, local), b.one(s, local)
            if old != new and new:
                was_nb, was_en = (f" (var {name(old)})", f" (was {name(old)})") if old else ("", "")
                out.append(
                    Change(
                        "roles",
                        name(s),
                        f"ny {nb}: {name(new)}{was_nb}",
                        f"new {en}: {name(new)}{was_en}",
                    )
                )
            elif old and not new:
                out.append(
                    Change(
                        "roles", name(s), f"{nb} {name(old)} fjernet", f"{en} {name(old)} removed"
                    )
                )
    return out


def _memberships(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    def roles(v: _View) -> set[tuple[str, str, str]]:
        return {
            (
                v.one(m, "member", ORG) or "",
                v.one(m, "organization", ORG) or "",
                v.one(m, "roleText") or v.one(m, "roleCode") or "",
            )
            for m in v.with_type("Membership")
        }

    ra, rb = roles(a), roles(b)
    out = [
        Change("roles", name(o), f"{name(m)} er nå {r}", f"{name(m)} is now {r}")
        for m, o, r in sorted(rb - ra)
    ]
    out += [
        Change("roles", name(o), f"{name(m)} er ikke lenger {r}", f"{name(m)} is no longer {r}")
        for m, o, r in sorted(ra - rb)
    ]
    return out


def _choices(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    def choices(v: _View) -> dict[str, tuple[str, frozenset[str]]]:
        out = {}
        for c in v.with_type("SystemChoice"):
            out[v.one(c, "choiceFor") or c] = (
                v.one(c, "decisionStatus") or "",
                frozenset(v.spo[c].get(KG_NS + "chosenSystem", ())),
            )
        return out

    ca, cb = choices(a), choices(b)
    out = []
    for d in sorted(cb):
        if cb[d] != ca.get(d):
            systems = ", ".join(sorted(name(s) for s in cb[d][1])) or "–"
            was = ca.get(d)
            was_text = (
                f" ({was[0]}: {', '.join(sorted(name(s) for s in was[1])) or '–'})" if was else ""
            )
            out.append(
                Change(
                    "choices",
                    name(d),
                    f"system valgt: {systems} – {cb[d][0]}{was_text}",
                    f"system chosen: {systems} – {cb[d][0]}{was_text}",
                )
            )
    return out


def _evaluations(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    out = []
    la = _latest(a, "SystemEvaluation", "evaluates", "evaluatedFor")
    lb = _latest(b, "SystemEvaluation", "evaluates", "evaluatedFor")
    for key in sorted(lb):
        old = a.one(la[key], "evaluationStatus") if key in la else None
        new = b.one(lb[key], "evaluationStatus")
        if old != new and (old or new):
            out.append(
                Change(
                    "evaluations",
                    f"{name(key[0])} ({name(key[1])})",
                    f"vurdering: {old or '–'} → {new or '–'}",
                    f"evaluation: {old or '–'} → {new or '–'}",
                )
            )
    return out


HANDLED = (
    {KG_NS + x for x in ("dependsOn", "usesSystem", "phase", "notInExport")}
    | {KG_NS + r for r, _, _ in ROLES}
    | {RDF_TYPE}
    | TYPED_PREDICATES  # derived from the dependency's type: its change shows as the type's
)


def _attributes(a: _View, b: _View, name: Callable[[str], str]) -> list[Change]:
    out = []
    for s in sorted(set(a.spo) & set(b.spo)):
        if a.types(s) & QUALIFIED or not a.types(s):
            continue
        for p in sorted((set(a.spo[s]) | set(b.spo[s])) - HANDLED):
            old, new = a.spo[s].get(p, set()), b.spo[s].get(p, set())
            if old != new:
                nb, en = _prop_label(p)
                o = "; ".join(sorted(name(x) if x.startswith("http") else x for x in old)) or "–"
                n = "; ".join(sorted(name(x) if x.startswith("http") else x for x in new)) or "–"
                out.append(Change("attributes", name(s), f"{nb}: {o} → {n}", f"{en}: {o} → {n}"))
    return out


@cache
def _labels() -> dict[str, tuple[str, str]]:
    import rdflib

    g = rdflib.Graph().parse(data=ontology.read("kg.ttl"), format="turtle")
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for s, o in g.subject_objects(rdflib.RDFS.label):
        out[str(s)][getattr(o, "language", None) or "en"] = str(o)
    return {s: (d.get("nb", d.get("en", "")), d.get("en", "")) for s, d in out.items()}


def _prop_label(p: str) -> tuple[str, str]:
    known = {
        SKOS + "prefLabel": ("navn", "name"),
        FOAF + "name": ("navn", "name"),
        SKOS + "notation": ("kode", "code"),
        PREFIXES["dct"] + "description": ("beskrivelse", "description"),
        SKOS + "altLabel": ("andre navn", "other names"),
    }
    if p in known:
        return known[p]
    nb, en = _labels().get(p, ("", ""))
    local = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return nb or local, en or local


def as_result(changes: list[Change], lang: str = "nb") -> Result:
    return Result(
        ["category", "subject", "change"], [(c.category, c.subject, c.text(lang)) for c in changes]
    )
