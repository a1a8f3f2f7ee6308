"""Where the documents disagree, as one :class:`~graph.answers.answer.Answer` that ``kg
conflicts`` and the app's overview both render: one row per reading, with its source, its
typed value, how sure it is and what the graph uses (:mod:`graph.conflicts` finds them).

A reading quotes a document, so it is stated, unless its text marks itself as an
interpretation («probably meant … (tolkning)», X12); :func:`graph.certainty.classify` decides.
"""

from __future__ import annotations

from typing import Any

from graph import conflicts as found_in
from graph.answers import sure
from graph.answers.answer import Answer, cols
from graph.certainty import classify
from graph.store import Store

# What a figure that two documents give differently counts (kg:figureMeasure), for its title.
MEASURES = {
    "inhabitants": ("innbyggere", "inhabitants"),
    "budget": ("budsjett", "budget"),
    "employees": ("ansatte", "employees"),
    "companies": ("selskaper", "companies"),
    "ict_systems": ("IKT-systemer", "ICT systems"),
    "purchase_agreements": ("innkjøpsavtaler", "purchase agreements"),
    "elected_members": ("folkevalgte", "elected members"),
    "main_projects": ("hovedprosjekter", "main projects"),
}

COLUMNS = cols(
    ("id", "id", "id"),
    ("title", "spørsmål", "title"),
    ("reading", "lesning", "reading"),
    ("value", "verdi", "value"),
    ("as_of", "dato", "as_of"),
    ("source", "kilde", "source"),
    ("certainty", "sikkerhet", "certainty"),
    ("graph_uses", "grafen bruker", "graph_uses"),
)


def _title(c: dict[str, Any], lang: str) -> str:
    if not c["id"].startswith("figure:"):
        return str(c["title"])
    measure = c["id"].split(":", 1)[1]
    words = MEASURES.get(measure, (measure.replace("_", " "),) * 2)
    return f"{words[0] if lang == 'nb' else words[1]} ({c['subjects']})"


def conflicts(store: Store, lang: str = "nb", stated_only: bool = False) -> Answer:
    """Every disagreement between the documents, one row per reading; ``stated_only`` leaves
    out the readings that are interpretations."""
    found = found_in.conflicts(store, lang)
    rows = []
    for c in found:
        for r in c["readings"]:
            certainty, why = classify(None, None, [r["text"]])
            rows.append(
                {
                    "id": c["id"],
                    "title": _title(c, lang),
                    "reading": r["text"],
                    "value": r["value"],
                    "as_of": r["as_of"],
                    "source": r["source"] or c["source"],
                    "certainty": certainty,
                    "certainty_reason": why,
                    "graph_uses": c["uses"],
                }
            )
    return Answer(
        key="conflicts",
        title={"nb": "Der kildene er uenige", "en": "Where the sources disagree"},
        columns=list(COLUMNS),
        rows=sure.keep(rows, stated_only),
        facts={"disagreements": len(found)},
    )
