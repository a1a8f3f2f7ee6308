"""The ArchiMate CSV exchange format that Archi imports (File → Import → CSV Data Into Model).

Three files, UTF-8, every field quoted, headers exactly as Archi expects them::

    elements.csv    "ID","Type","Name","Documentation"
    relations.csv   "ID","Type","Name","Documentation","Source","Target"
    properties.csv  "ID","Key","Value"

Elements are the records that are things (projects → WorkPackage, people, organisations and
bodies → BusinessActor, systems → ApplicationComponent, domains → BusinessFunction, goals →
Goal …); relations are every link between two of them (``partOf``/``skos:broader`` between
things of one type as Aggregation, everything else as Association, named by the predicate).
Properties keep the rest, so the export reads back to the same triples (:func:`read`):
``kg:iri`` the record's IRI, ``rdf:type`` its classes, and one property per literal with the
key ``prefix:name`` plus ``@lang`` or ``^^datatype`` when it has one. Archi ids allow only
``[A-Za-z0-9._-]``, so ids are hashes of the IRIs. Records that qualify a relation (status
reports, memberships, usages, evaluations …) are not ArchiMate elements and are left out;
Turtle or JSON-LD (:mod:`graph.exports`) hold those.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol, cast

import pyoxigraph as ox

from graph.cells import neutralise_row, restore
from loaders.sourcefile import per_record
from ontology.terms import KG_NS, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ELEMENT_HEADER = ("ID", "Type", "Name", "Documentation")
RELATION_HEADER = ("ID", "Type", "Name", "Documentation", "Source", "Target")
PROPERTY_HEADER = ("ID", "Key", "Value")
TYPES = {  # kg class → ArchiMate element type (the first class a record has in this order wins)
    "Program": "WorkPackage",
    "Project": "WorkPackage",
    "Action": "WorkPackage",
    "Phase": "Plateau",
    "Person": "BusinessActor",
    "GovernanceBody": "BusinessActor",
    "Organization": "BusinessActor",
    "Post": "BusinessRole",
    "System": "ApplicationComponent",
    "SystemDomain": "BusinessFunction",
    "LocalGoal": "Goal",
    "ProjectGoal": "Goal",
    "SDGGoal": "Goal",
    "SDGTarget": "Goal",
    "SDGIndicator": "Outcome",
    "KPI": "Outcome",
    "Milestone": "ImplementationEvent",
    "Deliverable": "Deliverable",
    "MandateItem": "Requirement",
    "Mandate": "Contract",
    "Plan": "Deliverable",
    "Decision": "BusinessEvent",
    "Risk": "Assessment",
}
AGGREGATES = {KG_NS + "partOf", PREFIXES["skos"] + "broader", PREFIXES["org"] + "subOrganizationOf"}
LABELS = (PREFIXES["skos"] + "prefLabel", PREFIXES["foaf"] + "name")
DESCRIPTION = PREFIXES["dct"] + "description"
PLAIN = {PREFIXES["xsd"] + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _id(*parts: str) -> str:
    return "id-" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:24]


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and iri[len(ns) :]:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _iri(curie: str) -> str:
    prefix, sep, local = curie.partition(":")
    return PREFIXES[prefix] + local if sep and prefix in PREFIXES else curie


def _escape(text: str) -> str:
    # Archi turns line breaks in property values into spaces; escape them to keep them.
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "r": "\r", "t": "\t"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _element_type(classes: set[str]) -> str | None:
    return next((t for c, t in TYPES.items() if KG_NS + c in classes), None)


class _Plain(Protocol):
    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal


def triples(quads: Iterable[ox.Quad]) -> set[tuple[Any, ...]]:
    """What the format holds: element types, literals and the links between elements."""
    # The data holds no RDF-star: every subject and object is a node or a literal, with a value.
    # A graph's kg:sourceFile is a property of each of its records (as when each said it).
    held = [cast(_Plain, q) for q in per_record(quads)]
    classes: dict[str, set[str]] = defaultdict(set)
    for q in held:
        if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode):
            classes[q.subject.value].add(q.object.value)
    elements = {s for s, cs in classes.items() if _element_type(cs)}
    out: set[tuple[Any, ...]] = set()
    for q in held:
        s, o = q.subject.value, q.object
        if s not in elements:
            continue
        if isinstance(o, ox.Literal) or o.value in elements or q.predicate.value == RDF_TYPE:
            out.add((q.subject, q.predicate, o))
    return out


def write(
    quads: Iterable[ox.Quad], folder: Path | str, prefix: str = "", model_name: str = "Kommunegraf"
) -> dict[str, int]:
    """Write elements.csv, relations.csv and properties.csv (with ``prefix``) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    held = sorted(triples(quads), key=lambda t: (t[0].value, t[1].value, str(t[2])))
    by_subject: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for t in held:
        by_subject[t[0].value].append(t)
    classes = {
        s: {t[2].value for t in ts if t[1].value == RDF_TYPE} for s, ts in by_subject.items()
    }
    elements: list[tuple[str, str | None, str, str]] = []
    relations: list[tuple[str, str, str, str, str, str]] = []
    props: list[tuple[str, str, str]] = []
    model_id = _id("model", model_name)
    elements.append((model_id, "ArchimateModel", model_name, "Exported from Kommunegraf"))
    for s, ts in by_subject.items():
        eid = _id(s)
        lits = [t for t in ts if isinstance(t[2], ox.Literal)]
        name = next(
            (
                t[2].value
                for p in LABELS
                for t in lits
                if t[1].value == p and t[2].language in ("nb", None)
            ),
            next((t[2].value for t in lits if t[1].value in LABELS), s.rsplit("/", 1)[-1]),
        )
        doc = next((t[2].value for t in lits if t[1].value == DESCRIPTION), "")
        elements.append((eid, _element_type(classes[s]), name, doc))
        keys: dict[str, int] = defaultdict(int)
        rows = [("kg:iri", s)] + [("rdf:type", _curie(c)) for c in sorted(classes[s])]
        for _, p, o in lits:
            key = _curie(p.value) + (f"@{o.language}" if o.language else "")
            if not o.language and o.datatype.value not in PLAIN:
                key += f"^^{_curie(o.datatype.value)}"
            rows.append((key, _escape(o.value)))
        for key, value in rows:
            keys[key] += 1  # Archi updates a repeated key in place: number the repeats
            props.append((eid, key if keys[key] == 1 else f"{key} #{keys[key]}", value))
        for _, p, o in ts:
            if isinstance(o, ox.NamedNode) and p.value != RDF_TYPE:
                rid = _id(s, p.value, o.value)
                agg = p.value in AGGREGATES and _element_type(classes[s]) == _element_type(
                    classes.get(o.value, set())
                )
                src, dst = (
                    (_id(o.value), eid) if agg else (eid, _id(o.value))
                )  # the whole aggregates its parts
                relations.append(
                    (
                        rid,
                        "AggregationRelationship" if agg else "AssociationRelationship",
                        _curie(p.value).split(":")[-1],
                        "",
                        src,
                        dst,
                    )
                )
                props.append((rid, "kg:predicate", _curie(p.value)))
    tables: tuple[tuple[str, tuple[str, ...], list[Any]], ...] = (
        ("elements", ELEMENT_HEADER, elements),
        ("relations", RELATION_HEADER, relations),
        ("properties", PROPERTY_HEADER, props),
    )
    for name, header, table in tables:
        with open(folder / f"{prefix}{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(neutralise_row(r) for r in table)  # opened in Excel as often as in Archi
    return {"elements": len(elements) - 1, "relations": len(relations), "properties": len(props)}


def read(
    folder: Path | str, prefix: str = ""
) -> set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    """The triples an ArchiMate CSV export holds (the inverse of :func:`write`)."""
    folder = Path(folder)

    def rows(name: str) -> list[list[str]]:
        with open(folder / f"{prefix}{name}.csv", newline="", encoding="utf-8-sig") as f:
            return [[restore(c) for c in r] for r in list(csv.reader(f))[1:]]

    props: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for eid, key, value in rows("properties"):
        props[eid].append((key.split(" #")[0], value))
    iri = {eid: ox.NamedNode(v) for eid, kvs in props.items() for k, v in kvs if k == "kg:iri"}
    out: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = set()
    for eid, type_, name, _doc in rows("elements"):
        if type_ == "ArchimateModel":
            continue
        s = iri.get(eid) or ox.NamedNode(f"urn:archimate:{eid}")
        if eid not in iri:  # made in Archi: keep at least its name
            out.add((s, ox.NamedNode(LABELS[0]), ox.Literal(name)))
        for key, value in props[eid]:
            if key == "kg:iri":
                continue
            if key == "rdf:type":
                out.add((s, ox.NamedNode(RDF_TYPE), ox.NamedNode(_iri(value))))
                continue
            pred, _, dtype = key.partition("^^")
            pred, _, lang = pred.partition("@")
            text = _unescape(value)
            lit = (
                ox.Literal(text, language=lang)
                if lang
                else (
                    ox.Literal(text, datatype=ox.NamedNode(_iri(dtype)))
                    if dtype
                    else ox.Literal(text)
                )
            )
            out.add((s, ox.NamedNode(_iri(pred)), lit))
    for rid, type_, name, _doc, src, dst in rows("relations"):
        pred = next((v for k, v in props[rid] if k == "kg:predicate"), f"kg:{name}")
        a, b = (dst, src) if type_ == "AggregationRelationship" else (src, dst)
        out.add(
            (
                iri.get(a) or ox.NamedNode(f"urn:archimate:{a}"),
                ox.NamedNode(_iri(pred)),
                iri.get(b) or ox.NamedNode(f"urn:archimate:{b}"),
            )
        )
    return out
