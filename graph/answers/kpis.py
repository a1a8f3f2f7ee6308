"""KPIs, budgets and risks: each KPI's baseline, measurements and target per municipality (with
the unit, the goal it measures and the SDG it serves), the budget lines per year, kind and
municipality with their sums, and the risk register. ``kg kpis``, ``kg budget``, ``kg risks``
and the app's KPI page show these answers."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import networkx as nx

from graph import queries
from graph.answers import sure
from graph.answers.answer import Answer, UserError, cols
from graph.answers.common import code, name, natural
from graph.certainty import weakest
from graph.netx import cached

# The questions are named queries (queries/kpi_measurements.rq, kpi_info.rq, budget_lines.rq,
# risk_register.rq), so ``kg run`` and the query library list them too.
MEASUREMENTS, KPI_INFO, BUDGET, RISKS = (
    "kpi_measurements",
    "kpi_info",
    "budget_lines",
    "risk_register",
)


def _rows(store: Any, name: str) -> list[tuple[Any, ...]]:
    """A named query's rows, kept per store generation (:func:`graph.netx.cached`): the KPI
    page reads every measurement to list the KPIs and to show one (a second at 1M triples)."""
    kept = f"query-{name}-{queries.get(name).version}"
    return cached(store, kept, lambda: list(queries.run(store, name).rows))


# The codes the data uses (kg:measurementType, kg:budgetType), in the reader's language.
MEASUREMENT_TYPES = {
    "baseline": {"nb": "utgangspunkt", "en": "baseline"},
    "actual": {"nb": "måling", "en": "actual"},
    "target": {"nb": "mål", "en": "target"},
}
BUDGET_TYPES = {
    "drift": {"nb": "drift", "en": "operating"},
    "investering": {"nb": "investering", "en": "investment"},
    "tilskudd": {"nb": "tilskudd", "en": "grant"},
    "forbruk": {"nb": "forbruk", "en": "spending"},
    "kostnad": {"nb": "kostnad", "en": "cost"},
    "inntekt": {"nb": "inntekt", "en": "income"},
}

KPI_COLUMNS = cols(
    ("kpi", "KPI", "KPI"),
    ("area", "Kommune", "Municipality"),
    ("year", "År", "Year"),
    ("type", "Type", "Type"),
    ("value", "Verdi", "Value"),
    ("text", "Slik det står", "As written"),
) + [sure.CERTAINTY]
LINE_COLUMNS = cols(
    ("year", "År", "Year"),
    ("type", "Type", "Type"),
    ("area", "Kommune", "Municipality"),
    ("project", "Prosjekt", "Project"),
    ("amount", "Beløp", "Amount"),
    ("currency", "Valuta", "Currency"),
) + [sure.CERTAINTY]
SUM_COLUMNS = cols(
    ("year", "År", "Year"),
    ("type", "Type", "Type"),
    ("currency", "Valuta", "Currency"),
    ("amount", "Beløp", "Amount"),
    ("lines", "Linjer", "Lines"),
) + [sure.CERTAINTY]
RISK_COLUMNS = cols(
    ("risk", "Risiko", "Risk"),
    ("project", "Prosjekt", "Project"),
    ("before", "Før tiltak", "Before measures"),
    ("after", "Etter tiltak", "After measures"),
    ("measures", "Tiltak", "Measures"),
    ("status", "Status", "Status"),
) + [sure.CERTAINTY]
# The measurement record behind each (kpi, area, year, type) row of ``kpi_measurements``.
MEASUREMENT_RECORDS = """
SELECT ?m ?kpi ?area ?year ?type WHERE {
  ?m a kg:Measurement ; kg:kpi ?kpi ; kg:refArea ?area ; kg:year ?year ; kg:measurementType ?type }
"""


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else None


def _name(g: nx.MultiDiGraph[str], iri: Any) -> str:
    return name(g, str(iri)) if iri is not None else ""


def _word(table: dict[str, dict[str, str]], value: Any, lang: str) -> str:
    """A code in the reader's language; an unknown code as it is written in the data."""
    text = str(value or "")
    return table.get(text, {}).get(lang, text)


def kpi_list(store: Any, g: nx.MultiDiGraph[str]) -> list[str]:
    """The KPIs with at least one measurement, in natural order of their codes (K1, K2, … K10)."""
    found = {str(r[0]) for r in _rows(store, MEASUREMENTS)}
    return sorted(found, key=lambda k: natural(code(g, k)))


def kpi_info(store: Any, g: nx.MultiDiGraph[str], kpi: str) -> dict[str, Any]:
    """A KPI's unit, the goals it measures (names) and the SDG targets it serves (codes)."""
    info = [r for r in _rows(store, KPI_INFO) if str(r[0]) == kpi]
    return {
        "unit": next((str(r[1]) for r in info if r[1]), ""),
        "goals": sorted({_name(g, r[2]) for r in info if r[2]}),
        "sdgs": sorted({code(g, str(r[3])) for r in info if r[3]}, key=natural),
    }


def resolve_kpi(store: Any, g: nx.MultiDiGraph[str], key: str) -> str:
    """A KPI by its code (``K1``), its IRI or its name; a clear error for one that has no values."""
    known = kpi_list(store, g)
    for k in known:
        if key in (k, code(g, k), name(g, k)) or key.casefold() == code(g, k).casefold():
            return k
    codes = ", ".join(code(g, k) for k in known) or "–"
    raise UserError(
        f"no KPI '{key}' with measurements (known: {codes})",
        f"ingen KPI '{key}' med målinger (kjente: {codes})",
    )


def kpis(
    store: Any,
    g: nx.MultiDiGraph[str],
    lang: str,
    kpi: str | None = None,
    stated_only: bool = False,
) -> Answer:
    """Every measurement (baseline, actual, target) per KPI, municipality and year, each as
    sure as its record (``stated_only`` keeps the stated ones).

    ``kpi`` (an IRI) keeps one KPI's rows. Each row also carries ``kpi_iri`` and ``type_code``
    (not shown). The notes give each KPI's unit, goal and SDG.
    """
    wanted = {kpi} if kpi else None
    behind: dict[tuple[str, ...], list[str]] = defaultdict(list)
    records = cached(
        store,
        "measurement-records",
        lambda: store.query(MEASUREMENT_RECORDS, None, sure.BIG).rows,
    )
    for m, *key in records:
        if wanted is None or str(key[0]) in wanted:
            behind[tuple(str(x) for x in key)].append(str(m))
    known = sure.lookup(store, [m for ms in behind.values() for m in ms])
    rows = []
    for r in _rows(store, MEASUREMENTS):
        k = str(r[0])
        if wanted is not None and k not in wanted:
            continue
        value = _num(r[4])
        rows.append(
            {
                "kpi": code(g, k),
                "area": _name(g, r[1]),
                "year": int(r[2]),
                "type": _word(MEASUREMENT_TYPES, r[3], lang),
                "value": value,
                "text": str(r[5] or ""),
                "kpi_iri": k,
                "type_code": str(r[3]),
            }
        )
        sure.grade(rows[-1], known, behind.get(tuple(str(x) for x in r[:4]), []))
    rows = sure.keep(rows, stated_only)
    rows.sort(
        key=lambda x: (
            natural(str(x["kpi"])),
            str(x["area"]),
            int(str(x["year"])),
            str(x["type_code"]),
        )
    )
    notes = []
    for k in dict.fromkeys(str(x["kpi_iri"]) for x in rows):
        info = kpi_info(store, g, k)
        notes.append(
            {
                "kpi": code(g, k),
                "name": name(g, k),
                "unit": info["unit"],
                "goals": ", ".join(info["goals"]),
                "sdgs": ", ".join(info["sdgs"]),
            }
        )
    title = {"nb": "KPI-målinger", "en": "KPI measurements"}
    return Answer("kpis", title, KPI_COLUMNS, rows, notes=notes)


def budget(store: Any, g: nx.MultiDiGraph[str], lang: str, stated_only: bool = False) -> Answer:
    """The budget in two sections: the sums per year, kind and currency, then the lines; each
    line as sure as its record, each sum as its least sure line (``stated_only``: the stated
    lines and their sums)."""
    lines = []
    found = _rows(store, BUDGET)
    known = sure.lookup(store, [str(r[0]) for r in found])
    for r in found:
        lines.append(
            {
                "year": str(r[3] or ""),
                "type": _word(BUDGET_TYPES, r[1], lang),
                "area": _name(g, r[4]),
                "project": _name(g, r[5]),
                "amount": _num(r[2]),
                "currency": str(r[6] or ""),
                "type_code": str(r[1]),
                "line": str(r[0]),
            }
        )
        sure.grade(lines[-1], known, [str(r[0])])
    lines = sure.keep(lines, stated_only)
    lines.sort(key=lambda x: (x["year"], x["type"], x["area"], x["project"], x["line"]))
    # The sums are of the lines shown here: a «Samlet» total is not a line of its own in the data.
    total: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    sureness: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for x in lines:
        key = (str(x["year"]), str(x["type"]), str(x["currency"]))
        total[key].append(float(x["amount"] or 0.0))
        sureness[key].append(str(x["certainty"]))
    sums = [
        {
            "year": y,
            "type": t,
            "currency": c,
            "amount": sum(v),
            "lines": len(v),
            "certainty": weakest(sureness[(y, t, c)]),
        }
        for (y, t, c), v in sorted(total.items())
    ]
    return Answer(
        "budget",
        {"nb": "Budsjett", "en": "Budget"},
        LINE_COLUMNS,
        lines,
        sections=[
            Answer(
                "budget_sums",
                {"nb": "Summer per år og type", "en": "Sums per year and kind"},
                SUM_COLUMNS,
                sums,
            ),
            Answer(
                "budget_lines", {"nb": "Budsjettlinjer", "en": "Budget lines"}, LINE_COLUMNS, lines
            ),
        ],
    )


def _score(likelihood: Any, consequence: Any, lang: str) -> str:
    """Likelihood × consequence as the register writes it (S = sannsynlighet, L = likelihood)."""
    if likelihood is None and consequence is None:
        return ""
    s, k = ("S", "K") if lang == "nb" else ("L", "C")
    return f"{s}{likelihood or '?'} × {k}{consequence or '?'}"


def risks(store: Any, g: nx.MultiDiGraph[str], lang: str, stated_only: bool = False) -> Answer:
    """The risk register: each risk, its project, the score before and after the measures,
    and how sure the row is (``stated_only`` keeps the stated ones)."""
    found = _rows(store, RISKS)
    known = sure.lookup(store, [str(r[0]) for r in found])
    rows = [
        {
            "risk": _name(g, r[0]),
            "project": _name(g, r[1]),
            "before": _score(r[2], r[3], lang),
            "after": _score(r[4], r[5], lang),
            "measures": str(r[6] or ""),
            "status": str(r[7] or ""),
            "risk_iri": str(r[0]),
            "certainty": sure.of(known, [str(r[0])])[0],
            "certainty_reason": sure.of(known, [str(r[0])])[1],
        }
        for r in found
    ]
    rows = sure.keep(rows, stated_only)
    rows.sort(key=lambda x: (natural(x["risk"]), x["risk_iri"]))
    title = {"nb": "Risikoregister", "en": "Risk register"}
    return Answer("risks", title, RISK_COLUMNS, rows)
