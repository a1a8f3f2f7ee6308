"""Where the documents disagree: each ambiguity record with its readings, the source of each
reading and which one the graph uses, and the key figures (inhabitants, companies, ...) that
two documents give differently, as typed values.

:func:`conflicts` returns one dict per disagreement; :func:`rows` flattens them to one row per
reading for ``kg conflicts`` and the app.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from graph.store import Limits, Store

BIG = Limits(seconds=120, rows=1_000_000)

AMBIGUITIES = """
SELECT ?a ?id (SAMPLE(?title0) AS ?title) (GROUP_CONCAT(DISTINCT ?reading; separator="\u001f") AS ?readings)
       (SAMPLE(?chosen0) AS ?chosen) (SAMPLE(?src0) AS ?src) (SAMPLE(?loc0) AS ?loc)
       (GROUP_CONCAT(DISTINCT COALESCE(?sn, ?si, STR(?s)); separator="|") AS ?subjects) WHERE {
  ?a a kg:Ambiguity ; dct:identifier ?id ; skos:prefLabel ?title0 ; kg:readings ?reading .
  OPTIONAL { ?a kg:chosenReading ?chosen0 }
  OPTIONAL { ?a prov:wasDerivedFrom/dct:identifier ?src0 } OPTIONAL { ?a kg:locator ?loc0 }
  OPTIONAL { ?a kg:about ?s OPTIONAL { ?s skos:notation ?sn } OPTIONAL { ?s dct:identifier ?si } }
} GROUP BY ?a ?id
"""

FIGURES = """
SELECT ?f ?id ?measure ?value ?text ?unit ?date ?amb ?src ?loc
       (GROUP_CONCAT(DISTINCT COALESCE(?sn, ?si, STR(?s)); separator="|") AS ?subjects) WHERE {
  ?f a kg:Figure ; dct:identifier ?id ; kg:figureMeasure ?measure ; kg:figureText ?text .
  OPTIONAL { ?f kg:figureValue ?value } OPTIONAL { ?f kg:figureUnit ?unit } OPTIONAL { ?f kg:date ?date }
  OPTIONAL { ?f kg:ambiguity/dct:identifier ?amb }
  OPTIONAL { ?f prov:wasDerivedFrom/dct:identifier ?src } OPTIONAL { ?f kg:locator ?loc }
  OPTIONAL { ?f kg:about ?s OPTIONAL { ?s skos:notation ?sn } OPTIONAL { ?s dct:identifier ?si } }
} GROUP BY ?f ?id ?measure ?value ?text ?unit ?date ?amb ?src ?loc
"""

# A reading cites its place as "(000 L45)", "(003 L11, ~2018)" or "(portal, 000 L2040)".
CITED = re.compile(r"\b(\d{3}) (L\d+(?:[-–]\d+)?(?:, L\d+(?:[-–]\d+)?)*)")


def reading_source(text: str) -> str:
    """The sources a reading cites, as "S000 L45; S003 L11" ("" when it cites none).

    >>> reading_source("«90 000 innbyggere» (000 L45, 2017)")
    'S000 L45'
    >>> reading_source("2016 chart (000 L199-200) and 002 L11, L12")
    'S000 L199-200; S002 L11, L12'
    """
    return "; ".join(f"S{doc} {lines}" for doc, lines in CITED.findall(text))


def _number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def figures(store: Store) -> list[dict[str, Any]]:
    """Every key figure record, typed."""
    out = []
    for r in store.query(FIGURES, None, BIG).dicts():
        source = " ".join(str(x) for x in (r["src"], r["loc"]) if x)
        out.append(
            {
                "id": str(r["id"]),
                "subjects": str(r["subjects"] or ""),
                "measure": str(r["measure"]),
                "value": _number(r["value"]),
                "text": str(r["text"]),
                "unit": str(r["unit"] or ""),
                "as_of": str(r["date"] or ""),
                "ambiguity": str(r["amb"] or ""),
                "source": source,
            }
        )
    return sorted(out, key=lambda f: (f["measure"], f["subjects"], f["as_of"], f["id"]))


def figure_conflicts(found: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(subjects, measure) → the figures, where the documents give different values."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in found:
        groups[(f["subjects"], f["measure"])].append(f)
    return {
        k: fs
        for k, fs in groups.items()
        if len({(f["value"], f["text"] if f["value"] is None else "") for f in fs}) > 1
    }


def conflicts(store: Store) -> list[dict[str, Any]]:
    """Each disagreement: id, title, subjects, readings (text, source, typed value if any),
    which reading the graph uses, and the record's own source."""
    figs = figures(store)
    differing = figure_conflicts(figs)
    by_ambiguity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fs in differing.values():
        for f in fs:
            if f["ambiguity"]:
                by_ambiguity[f["ambiguity"]].append(f)
    out = []
    for r in store.query(AMBIGUITIES, None, BIG).dicts():
        aid = str(r["id"])
        # the loader keeps each reading of the "|"-separated cell as a value of its own
        texts = sorted({t.strip() for t in re.split(r"[\x1f|]", str(r["readings"])) if t.strip()})
        readings = [
            {"text": t, "source": reading_source(t), "value": None, "as_of": ""} for t in texts
        ]
        typed = [
            {"text": f["text"], "source": f["source"], "value": f["value"], "as_of": f["as_of"]}
            for f in by_ambiguity.get(aid, [])
        ]
        out.append(
            {
                "id": aid,
                "title": str(r["title"]),
                "subjects": str(r["subjects"] or ""),
                "readings": typed or readings,
                "uses": str(r["chosen"] or ""),
                "source": " ".join(str(x) for x in (r["src"], r["loc"]) if x),
            }
        )
    tied = {f["id"] for fs in by_ambiguity.values() for f in fs}
    for (subjects, measure), fs in sorted(differing.items()):
        if any(f["id"] in tied for f in fs):
            continue
        out.append(
            {
                "id": f"figure:{measure}",
                "title": f"{measure} ({subjects})",
                "subjects": subjects,
                "readings": [
                    {
                        "text": f["text"],
                        "source": f["source"],
                        "value": f["value"],
                        "as_of": f["as_of"],
                    }
                    for f in fs
                ],
                "uses": "",
                "source": "",
            }
        )
    return sorted(out, key=lambda c: [(len(x), x) for x in re.findall(r"\d+|\D+", c["id"])])


COLUMNS = ["id", "title", "reading", "value", "as_of", "source", "graph_uses"]


def rows(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """One row per reading (the disagreement's id, title and what the graph uses on each)."""
    out = []
    for c in found:
        for r in c["readings"]:
            out.append(
                (
                    c["id"],
                    c["title"],
                    r["text"],
                    r["value"],
                    r["as_of"],
                    r["source"] or c["source"],
                    c["uses"],
                )
            )
    return out
