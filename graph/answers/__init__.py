"""Data for the app's pages: pure functions over a store and its networkx view.

Every page of the Streamlit app is a thin layer over one or more builders here; the builders
take a store (:mod:`graph.store`), the networkx view (:func:`graph_for`) and a language, and
return plain Python values (lists of dicts, dataclasses, :class:`~graph.answers.answer.Answer`);
how they are drawn is the app's business (:mod:`views.drawing`).
They hold all SPARQL and graph logic the app needs, so they can be tested and benchmarked
without Streamlit. Texts meant for the user (column headings, relation names) are keys that the
app translates; texts from data are returned as they are (the renderer escapes them).

The builders live in one module per concern: :mod:`~graph.answers.common` (shared constants,
the localised graph and how nodes are named), :mod:`~graph.answers.overview`,
:mod:`~graph.answers.explorer`, :mod:`~graph.answers.aggregation`, :mod:`~graph.answers.scenarios` (impact, what-if, critical path and timeline),
:mod:`~graph.answers.governing` (governance), :mod:`~graph.answers.ict`, :mod:`~graph.answers.sdg`,
:mod:`~graph.answers.console` and :mod:`~graph.answers.data` (uploads and export). This package
re-exports every public name, so callers keep writing ``from graph import answers as V`` and
``V.name(...)``. (The aggregation and governance modules are not called ``aggregate`` and
``governance``: those names are builders re-exported here, which would hide the modules.)

The names are loaded when first used (PEP 562), so ``kg`` commands that need no graph view
start without networkx; ``from graph.answers import planner`` imports a module as usual.
"""

from __future__ import annotations

import importlib
from typing import Any

_FROM: dict[str, tuple[str, ...]] = {
    "graph.answers.common": (
        "BIG",
        "LANGS",
        "PROJECT_KINDS",
        "ORG_KINDS",
        "SDG_KINDS",
        "DEFAULT_MAX_NODES",
        "LABELS",
        "SOURCES",
        "NOTATIONS",
        "best_labels",
        "graph_for",
        "find_node",
        "name",
        "code",
        "kind",
        "node_options",
        "source_text",
        "source_title",
        "natural",
        "Link",
    ),
    "graph.answers.overview": (
        "prepare",
        "COUNTED",
        "counts",
        "counts_of",
        "size_of",
        "RAG",
        "rag",
        "StatusRow",
        "status",
        "MILESTONES",
        "MilestoneRow",
        "milestones",
        "as_of",
        "QUALITY_AUTO",
        "quality",
        "quality_known",
    ),
    "graph.exports": ("RAG_COLOURS",),
    "graph.answers.explorer": (
        "RELATIONS",
        "predicates_for",
        "Exploration",
        "explore",
        "path_text",
        "link_rows",
    ),
    "graph.answers.aggregation": (
        "top_project",
        "group_key",
        "SYSTEM_DOMAINS",
        "system_domains",
    ),
    "graph.answers.scenarios": (
        "impact",
        "slip",
        "switch_off",
        "critical_path",
        "timeline",
        "as_of_for",
        "effects_from",
        "why_text",
        "thousands",
    ),
    "graph.answers.governing": (
        "GOVERNANCE_EDGES",
        "levels",
        "governance",
        "unconnected_bodies",
        "governance_levels",
        "accountability",
        "MANDATES",
        "MANDATE_ITEMS",
        "mandates",
        "RACI_ROLES",
        "raci",
        "raci_certainty",
    ),
    "graph.answers.ict": (
        "USAGES",
        "CHOICES",
        "CHOICE_SYSTEMS",
        "DOMAINS",
        "EVALUATIONS",
        "Portfolio",
        "ICT_COLUMNS",
        "default_municipalities",
        "ict_municipalities",
        "ict_portfolio",
        "evaluations",
        "phase_out",
        "companies",
        "OPERATIONS",
        "WIND_DOWN",
        "operators",
    ),
    "graph.answers.sdg": (
        "sdg_goals",
        "sdg_linked",
        "project_local_goals",
        "coverage",
        "relabel",
        "Trace",
        "trace_down",
        "trace_rows",
        "trace_up",
        "gaps",
        "INTERACTIONS",
        "interactions",
    ),
    "graph.answers.console": (
        "EXAMPLE_QUERY",
        "EXAMPLE_CYPHER",
        "table_rows",
    ),
    "graph.answers.data": (
        "UPLOAD_TYPES",
        "MAX_UPLOAD_MB",
        "MAX_UNZIPPED_MB",
        "MAX_FILES",
        "UploadError",
        "stage_upload",
        "Loaded",
        "load_upload",
        "DATASET_INFO",
        "record_count",
        "dataset_title",
        "graphml",
        "EXPORTS",
        "export",
    ),
}
_MODULE = {name: module for module, names in _FROM.items() for name in names}

__all__ = sorted(_MODULE)


def __getattr__(name: str) -> Any:
    if name not in _MODULE:
        raise AttributeError(f"module 'graph.answers' has no attribute '{name}'")
    value = getattr(importlib.import_module(_MODULE[name]), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE))
