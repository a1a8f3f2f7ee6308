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

# One row per text of an ambiguity (title, reading, chosen), with its language: the caller
# picks the user's language, else the dataset's main one.
AMBIGUITIES = """
SELECT ?a ?id ?part ?text (LANG(?text) AS ?lang) ?src ?loc WHERE {
  ?a a kg:Ambiguity ; dct:identifier ?id .
  { ?a skos:prefLabel ?text BIND("title" AS ?part) } UNION { ?a kg:readings ?text BIND("readings" AS ?part) }
  UNION { ?a kg:chosenReading ?text BIND("chosen" AS ?part) }
  OPTIONAL { ?a prov:wasDerivedFrom/dct:identifier ?src } OPTIONAL { ?a kg:locator ?loc }
}
"""

SUBJECTS = """
SELECT ?a (GROUP_CONCAT(DISTINCT COALESCE(?sn, ?si, STR(?s)); separator="|") AS ?subjects) WHERE {
  ?a a kg:Ambiguity ; kg:about ?s OPTIONAL { ?s skos:notation ?sn } OPTIONAL { ?s dct:identifier ?si }
} GROUP BY ?a
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


def _in(texts: dict[str, list[str]], lang: str) -> list[str]:
    """The texts in ``lang``, else in Norwegian (the dataset's main language), else any."""
    for lg in (lang, "nb", ""):
        if texts.get(lg):
            return texts[lg]
    return next(iter(texts.values()), [])


def conflicts(store: Store, lang: str = "nb") -> list[dict[str, Any]]:
    """Each disagreement: id, title, subjects, readings (text, source, typed value if any),
    which reading the graph uses, and the record's own source; texts in ``lang`` where the
    dataset has them."""
    figs = figures(store)
    differing = figure_conflicts(figs)
    by_ambiguity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fs in differing.values():
        for f in fs:
            if f["ambiguity"]:
                by_ambiguity[f["ambiguity"]].append(f)
    texts: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    records: dict[str, dict[str, str]] = {}
    for r in store.query(AMBIGUITIES, None, BIG).dicts():
        a = str(r["a"])
        records.setdefault(a, {"id": str(r["id"]), "src": "", "loc": ""})
        records[a]["src"] = records[a]["src"] or str(r["src"] or "")
        records[a]["loc"] = records[a]["loc"] or str(r["loc"] or "")
        found = texts[a][str(r["part"])][str(r["lang"] or "")]
        if str(r["text"]) not in found:
            found.append(str(r["text"]))
    about = {str(a): str(s or "") for a, s in store.query(SUBJECTS, None, BIG).rows}
    out = []
    for a, rec in records.items():
        aid = rec["id"]
        # the loader keeps each reading of the "|"-separated cell as a value of its own
        shown = sorted({t.strip() for t in _in(texts[a]["readings"], lang) if t.strip()})
        readings = [
            {"text": t, "source": reading_source(t), "value": None, "as_of": ""} for t in shown
        ]
        typed = [
            {"text": f["text"], "source": f["source"], "value": f["value"], "as_of": f["as_of"]}
            for f in by_ambiguity.get(aid, [])
        ]
        out.append(
            {
                "id": aid,
                "title": next(iter(_in(texts[a]["title"], lang)), aid),
                "subjects": about.get(a, ""),
                "readings": typed or readings,
                "uses": next(iter(_in(texts[a]["chosen"], lang)), ""),
                "source": " ".join(x for x in (rec["src"], rec["loc"]) if x),
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
