"""Data for the app's pages: pure functions over a store and its networkx view.

Every page of the Streamlit app is a thin layer over one or more builders here; the builders
take a store (:mod:`graph.store`), the networkx view (:func:`graph_for`) and a language, and
return plain Python values (lists of dicts, dataclasses, :class:`graph.render.GraphSpec`).
They hold all SPARQL and graph logic the app needs, so they can be tested and benchmarked
without Streamlit. Texts meant for the user (column headings, relation names) are keys that the
app translates; texts from data are returned as they are (the renderer escapes them).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graph import analysis, queries
from graph.netx import to_networkx
from graph.output import short
from graph.render import GEdge, GNode, GraphSpec
from graph.store import IRI, Limits, Result

BIG = Limits(seconds=60, rows=1_000_000)
LANGS = ("nb", "en")
PROJECT_KINDS = {"Program", "Project", "SubProject", "Study", "Task"}
ORG_KINDS = {"Organization", "Municipality", "County", "Company", "InterMunicipalCooperation", "StateAgency",
             "OrganizationalUnit"}  # fmt: skip
SDG_KINDS = {"SDGGoal", "SDGTarget", "SDGIndicator"}
DEFAULT_MAX_NODES = 300

# -- labels and the localised graph --------------------------------------------------------

LABELS = """
SELECT ?s ?l (LANG(?l) AS ?lg) ?p WHERE {
  { ?s skos:prefLabel ?l BIND(1 AS ?p) } UNION { ?s foaf:name ?l BIND(1 AS ?p) }
  UNION { ?s a kg:SourceDocument ; dct:title ?l BIND(2 AS ?p) }
}
"""
SOURCES = """
SELECT ?s ?src ?loc WHERE { ?s prov:wasDerivedFrom ?src . OPTIONAL { ?s kg:locator ?loc } }
"""
NOTATIONS = "SELECT ?s ?n WHERE { ?s skos:notation ?n }"


def _rank(tag: str, lang: str) -> int:
    tag = (tag or "").lower()
    if tag == lang or tag.startswith(lang + "-"):
        return 0
    return {"": 1, "nb": 2, "nn": 3, "no": 3, "en": 4}.get(tag.split("-")[0], 5)


def best_labels(store, lang: str) -> dict[str, str]:
    """IRI → label in ``lang``, falling back to an untagged, Norwegian, English or any label."""
    best: dict[str, tuple[int, str]] = {}
    for s, label, tag, prio in store.query(LABELS, None, BIG).rows:
        key = (_rank(tag, lang) + 10 * (int(prio) - 1), str(label))
        if s not in best or key < best[s]:
            best[s] = key
    return {s: v[1] for s, v in best.items()}


def graph_for(store, lang: str = "nb") -> nx.MultiDiGraph:
    """The networkx view with every node labelled in ``lang`` where the data has it.

    :func:`graph.netx.to_networkx` labels only nodes with a label in ``lang``; here the others
    get their label in the dataset's language rather than a bare code. Node attribute
    ``source`` holds the source document and locator of the record a node came from.
    """
    g = to_networkx(store, lang)
    for s, label in best_labels(store, lang).items():
        if s in g:
            g.nodes[s]["label"] = label
    for s, src, loc in store.query(SOURCES, None, BIG).rows:
        if s in g and "source" not in g.nodes[s]:
            g.nodes[s]["source"] = (src, loc)
    for s, n in store.query(NOTATIONS, None, BIG).rows:
        if s in g:
            g.nodes[s]["notation"] = str(n)
    return g


def find_node(g: nx.MultiDiGraph, key: str, kinds: Iterable[str] | None = None) -> str | None:
    """A node by IRI, code, id or exact label (case-insensitive), optionally of given kinds."""
    if key in g:
        return key
    wanted = set(kinds) if kinds else None
    k = key.strip().lower()
    hits = []
    for n, d in g.nodes(data=True):
        if wanted and d.get("kind") not in wanted:
            continue
        for rank, v in enumerate((d.get("notation"), d.get("code"), d.get("id"), d.get("label"))):
            if v is not None and str(v).lower() == k:
                hits.append((rank, str(n)))
    return min(hits)[1] if hits else None


def name(g: nx.MultiDiGraph, n: str) -> str:
    """How a node is named in tables: a project with its code, others by label."""
    if n not in g:
        return short(IRI(n)) if n else ""
    d = g.nodes[n]
    label = str(d.get("label") or d.get("code") or short(IRI(n)))
    notation = d.get("notation")
    if d.get("kind") in PROJECT_KINDS and notation and notation not in label:
        return f"{notation} {label}"
    return label


def code(g: nx.MultiDiGraph, n: str) -> str:
    """A short handle: the code of a project, SDG or KPI, else the label."""
    if n not in g:
        return short(IRI(n))
    d = g.nodes[n]
    if d.get("notation"):
        return str(d["notation"])
    if d.get("kind") == "KPI" and d.get("code"):
        return str(d["code"])
    return str(d.get("label") or d.get("code") or short(IRI(n)))


def kind(g: nx.MultiDiGraph, n: str) -> str:
    return str(g.nodes[n].get("kind", "other")) if n in g else "other"


def node_options(g: nx.MultiDiGraph, kinds: Iterable[str] | None = None) -> list[str]:
    """Nodes of ``kinds`` (all planner-facing kinds if None), sorted for a picker."""
    wanted = set(kinds) if kinds else None
    skip = {"SDGIndicator", "Ambiguity", "BudgetLine", "SourceDocument"}
    out = [n for n, d in g.nodes(data=True)
           if (d.get("kind") in wanted if wanted else d.get("kind") not in skip)]  # fmt: skip

    def key(n: str) -> tuple:
        d = g.nodes[n]
        k = d.get("kind", "")
        order = 0 if k in PROJECT_KINDS else 1
        c = str(d.get("code") or "")
        natural = (
            [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", c)]
            if k in PROJECT_KINDS | SDG_KINDS
            else []
        )
        return (order, k if order else "", natural, name(g, n).lower())

    return sorted(out, key=key)


def source_text(g: nx.MultiDiGraph, document: str | None, locator: str | None) -> str:
    """``S000 L1857-1860``: the source document's id and the place in it."""
    if not document:
        return ""
    doc = g.nodes[document].get("id") if document in g else None
    return " ".join(x for x in (str(doc or short(IRI(document))), locator or "") if x)


def source_title(g: nx.MultiDiGraph, document: str | None) -> str:
    return str(g.nodes[document].get("label") or "") if document and document in g else ""


# -- overview ------------------------------------------------------------------------------

COUNTED = ("projects", "bodies", "people", "organizations", "systems", "dependencies", "milestones",
           "local_goals", "sdg_targets", "kpis")  # fmt: skip


def counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Headline numbers: records by kind, dependencies, and SDG targets with a local goal."""
    kinds = Counter(d.get("kind") for _, d in g.nodes(data=True))
    deps = sum(1 for *_, d in g.edges(data=True) if d["predicate"] == "dependsOn")
    linked = {
        v
        for u, v, d in g.edges(data=True)
        if d["predicate"] == "broadMatch" and kind(g, v) in SDG_KINDS
    }
    return {
        "projects": sum(kinds[k] for k in PROJECT_KINDS), "bodies": kinds["GovernanceBody"],
        "people": kinds["Person"], "organizations": sum(kinds[k] for k in ORG_KINDS), "systems": kinds["System"],
        "dependencies": deps, "milestones": kinds["Milestone"], "local_goals": kinds["LocalGoal"],
        "sdg_targets": len(linked), "kpis": kinds["KPI"],
    }  # fmt: skip


# Prosjektportalen's default colours per status field (GtStatus*; prosjektportalen.md §1.3).
RAG_COLOURS = {"green": "#2da748", "amber": "#e9b359", "red": "#ea5c73"}
RAG: dict[str, dict[str, str]] = {
    "time": {"Foran plan": "green", "På plan": "green", "Mindre forsinkelser": "amber",
             "Mindre forsinkelse som kan tas igjen": "amber", "Forsinket": "red"},
    "budget": {"Under budsjett": "green", "På budsjett": "green", "Mindre overskridelser": "amber",
               "Vet ikke": "amber", "Over budsjett": "red"},
    "risk": {"Lav": "green", "Medium": "amber", "Høy": "red"},
    "gain": {"Foran plan": "green", "På plan": "green", "Ikke påbegynt": "amber", "Mindre forsinkelser": "amber",
             "Forsinket": "red"},
    "evaluation": {"Green": "green", "Yellow": "amber", "Red": "red"},
}  # fmt: skip


def rag(field_name: str, value: Any) -> str | None:
    """green / amber / red for a status value, or None when the value has no colour."""
    return RAG.get(field_name, {}).get(str(value)) if value is not None else None


@dataclass
class StatusRow:
    project: str
    code: str
    name: str
    date: str
    fields: dict[str, str | None]  # time, risk, budget, gain → value
    phase: str | None
    previous_date: str | None
    previous_time: str | None

    def colour(self, f: str) -> str | None:
        return rag(f, self.fields.get(f))


def status(store, g: nx.MultiDiGraph, lang: str) -> list[StatusRow]:
    """The latest status report per project (named query ``status_overview``)."""
    res = queries.run(store, "status_overview", {}, BIG, lang=lang)
    rows = []
    for r in res.dicts():
        p = r["project"]
        rows.append(StatusRow(p, code(g, p), name(g, p), _date_text(r["date"]),
                              {f: r.get(f) for f in ("time", "risk", "budget", "gain")}, r.get("phase"),
                              _date_text(r.get("previous_date")) or None, r.get("previous_time")))  # fmt: skip
    return sorted(rows, key=lambda s: natural(s.code))


def natural(s: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", s or "")]


def _date_text(v: Any) -> str:
    if v is None:
        return ""
    return v.isoformat() if isinstance(v, dt.date) else str(v)


MILESTONES = """
SELECT ?m ?date ?owner ?type ?status WHERE {
  ?m a kg:Milestone ; kg:date ?date .
  OPTIONAL { ?m kg:milestoneOf ?owner } OPTIONAL { ?m kg:milestoneType ?type } OPTIONAL { ?m kg:milestoneStatus ?status }
}
"""


@dataclass
class MilestoneRow:
    milestone: str
    date: str  # ISO, possibly partial (2017-05)
    title: str
    owner: str | None
    owner_name: str
    type: str | None
    status: str | None
    programme: bool  # a milestone of the programme itself


def milestones(store, g: nx.MultiDiGraph, after: str | None = None) -> list[MilestoneRow]:
    """Milestones in date order, from ``after`` (ISO date; partial dates compare by prefix)."""
    rows = []
    for m, date, owner, typ, st in store.query(MILESTONES, None, BIG).rows:
        d = _date_text(date)
        if after and d < after[: len(d)]:
            continue
        rows.append(MilestoneRow(m, d, name(g, m), owner, name(g, owner) if owner else "", typ, st,
                                 kind(g, owner) == "Program" if owner else False))  # fmt: skip
    rows.sort(key=lambda r: (r.date, r.title))
    seen, out = set(), []
    for r in rows:
        if r.milestone not in seen:
            seen.add(r.milestone)
            out.append(r)
    return out


def as_of(store) -> dt.date:
    """A sensible "today" for the data: the date of the latest status report, else today."""
    res = store.query(
        "SELECT (MAX(STR(?d)) AS ?last) WHERE { ?r a kg:StatusReport ; kg:date ?d }", None, BIG
    )
    last = res.rows[0][0] if res.rows else None
    if last:
        parts = [int(x) for x in str(last).split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])
    return dt.date.today()


def quality(store) -> list[dict]:
    """SHACL violations and warnings as rows (file, row, focus, path, message, severity)."""
    from graph.validate import validate_store

    return [{"severity": v.severity, "file": v.file, "row": v.row, "focus": short(IRI(v.focus)), "path": v.path,
             "message": v.message, "value": v.value} for v in validate_store(store)]  # fmt: skip


# -- dependency explorer -------------------------------------------------------------------

# Relation families a planner can switch on; each is a set of predicates in the networkx view.
RELATIONS: dict[str, tuple[str, ...]] = {
    "depends": ("dependsOn",),
    "structure": ("partOf", "subOrganizationOf"),
    "governance": ("steeringBody", "projectOwner", "projectLeader", "reportsTo", "mandateOf", "decidedBy",
                   "memberOf"),
    "concerns": ("concerns", "usesSystem", "hasStakeIn", "operatesFor"),
    "goals": ("goalOf", "goalOwner", "servesGoal", "actionOf", "responsibleProject", "broadMatch", "kpiOf",
              "measures", "inPlan"),
    "plans": ("milestoneOf", "phaseOf", "itemOf", "marks", "riskOf", "about"),
}  # fmt: skip


def predicates_for(families: Iterable[str]) -> tuple[str, ...]:
    return tuple(p for f in families for p in RELATIONS.get(f, ()))


@dataclass
class Link:
    """One drawn edge with what explains it."""

    source: str
    target: str
    predicate: str
    type: str | None
    criticality: str | None
    rationale: str | None
    document: str | None
    locator: str | None
    depth: int
    path: tuple[str, ...]


@dataclass
class Exploration:
    starts: list[str]
    depth: dict[str, int]  # node → distance from the nearest start
    level: dict[str, int]  # node → column in a left-to-right layout
    links: list[Link]
    reached: dict[str, analysis.Reach] = field(default_factory=dict)

    @property
    def nodes(self) -> list[str]:
        return list(self.depth)


def explore(g: nx.MultiDiGraph, starts: Iterable[str], direction: str = "up", max_depth: int | None = 1,
            families: Iterable[str] = ("depends",), predicates: Iterable[str] | None = None) -> Exploration:  # fmt: skip
    """What ``starts`` depend on (``up``), what depends on them (``down``), or ``both``,
    along the chosen relation families (or explicit ``predicates``), with a path and a
    source for each link."""
    starts = [s for s in starts if s in g]
    preds = tuple(predicates) if predicates else (predicates_for(families) or RELATIONS["depends"])
    depth: dict[str, int] = {s: 0 for s in starts}
    level: dict[str, int] = {s: 0 for s in starts}
    reached: dict[str, analysis.Reach] = {}
    dirs = ("up", "down") if direction == "both" else (direction,)
    for s in starts:
        for d in dirs:
            sign = 1 if d == "up" else -1
            for r in analysis.closure(g, s, d, preds, max_depth):
                if r.node not in depth or r.depth < depth[r.node]:
                    depth[r.node] = r.depth
                    level[r.node] = sign * r.depth
                    reached[r.node] = r
    wanted = set(preds)
    links: list[Link] = []
    seen = set()
    for u in depth:
        for _, v, key, data in g.out_edges(u, keys=True, data=True):
            if v not in depth or data["predicate"] not in wanted or (u, v, key) in seen:
                continue
            seen.add((u, v, key))
            near, far = (u, v) if depth[u] <= depth[v] else (v, u)
            path = reached[near].path if near in reached else (near,)
            if far not in path:  # from a start to the nearer end, then across the link
                path = path + (far,)
            doc, loc = data.get("source"), data.get("locator")
            if doc is None and g.nodes[u].get("source"):
                doc, loc = g.nodes[u]["source"]
            links.append(Link(u, v, data["predicate"], data.get("type"), data.get("criticality"),
                              data.get("rationale"), doc, loc, max(depth[u], depth[v]), tuple(path)))  # fmt: skip
    links.sort(key=lambda k: (k.depth, natural(code(g, k.source)), natural(code(g, k.target))))
    low = min(level.values(), default=0)
    return Exploration(starts, depth, {n: lv - low for n, lv in level.items()}, links, reached)


def path_text(g: nx.MultiDiGraph, path: Iterable[str]) -> str:
    return " → ".join(code(g, n) for n in path)


def link_rows(g: nx.MultiDiGraph, links: Iterable[Link]) -> list[dict]:
    """Table rows for links: from, relation (predicate and type keys), to, path and source."""
    return [{"from": name(g, k.source), "predicate": k.predicate, "type": k.type, "to": name(g, k.target),
             "criticality": k.criticality, "depth": k.depth, "path": path_text(g, k.path),
             "rationale": k.rationale or "", "source": source_text(g, k.document, k.locator),
             "document": source_title(g, k.document)} for k in links]  # fmt: skip


def _tooltip(g: nx.MultiDiGraph, n: str, kind_name: str) -> str:
    d = g.nodes[n]
    lines = [name(g, n), kind_name]
    if d.get("start") or d.get("end"):
        lines.append(f"{_date_text(d.get('start'))} – {_date_text(d.get('end'))}")
    if d.get("date"):
        lines.append(_date_text(d.get("date")))
    if d.get("source"):
        doc, loc = d["source"]
        lines.append(source_text(g, doc, loc))
    return "\n".join(x for x in lines if x)


def _short(s: str, n: int = 42) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def spec_from(g: nx.MultiDiGraph, nodes: Iterable[str], links: Iterable[Link | tuple], *,
              starts: Iterable[str] = (), level: dict[str, int] | None = None,
              kind_names: dict[str, str] | None = None, relation_names: dict[str, str] | None = None) -> GraphSpec:  # fmt: skip
    """A :class:`GraphSpec` for nodes and links of the networkx view.

    ``links`` are :class:`Link` or ``(source, target, predicate)`` tuples; ``kind_names`` and
    ``relation_names`` translate kinds and predicates/types for legends and tooltips.
    """
    kind_names = kind_names or {}
    relation_names = relation_names or {}
    starts = set(starts)
    spec = GraphSpec()
    for n in nodes:
        if n not in g:
            continue
        k = kind(g, n)
        spec.nodes.append(GNode(n, _short(name(g, n)), k, _tooltip(g, n, kind_names.get(k, k)),
                                (level or {}).get(n), n in starts))  # fmt: skip
    present = {x.id for x in spec.nodes}
    for k in links:
        if isinstance(k, Link):
            u, v, pred = k.source, k.target, k.predicate
            rel = relation_names.get(k.type or "", "") or relation_names.get(pred, pred)
            lines = [f"{name(g, u)} → {rel} → {name(g, v)}"]
            if k.criticality:
                lines.append(relation_names.get("criticality", "criticality") + ": " +
                             relation_names.get(k.criticality, k.criticality))  # fmt: skip
            if k.rationale:
                lines.append(f"«{k.rationale}»")
            src = source_text(g, k.document, k.locator)
            if src:
                title = source_title(g, k.document)
                lines.append(
                    f"{relation_names.get('source', 'source')}: {src}"
                    + (f" – {title}" if title else "")
                )
            spec.edges.append(GEdge(u, v, rel, "\n".join(lines), dashes=(k.type in ("refers_to", "guided_by")),
                                    width=3 if k.criticality == "primary" else 1.5 if k.criticality == "high" else 1))  # fmt: skip
        else:
            u, v, pred = k[:3]
            rel = relation_names.get(pred, pred)
            spec.edges.append(GEdge(u, v, rel, f"{name(g, u)} → {rel} → {name(g, v)}"))
        if u not in present or v not in present:
            spec.edges.pop()
    spec.edges = _merge_parallel(spec.edges)
    return spec


def _merge_parallel(edges: list[GEdge]) -> list[GEdge]:
    """One drawn edge per ordered pair of nodes: parallel relations are listed in its tooltip."""
    merged: dict[tuple[str, str], list[GEdge]] = {}
    for e in edges:
        merged.setdefault((e.source, e.target), []).append(e)
    out = []
    for (u, v), es in merged.items():
        if len(es) == 1:
            out.append(es[0])
            continue
        labels = list(dict.fromkeys(e.label for e in es))
        label = labels[0] if len(labels) == 1 else f"{labels[0]} +{len(labels) - 1}"
        title = "\n\n".join(e.title for e in es)
        out.append(
            GEdge(
                u,
                v,
                f"{label} ×{len(es)}",
                title,
                all(e.dashes for e in es),
                max(e.width for e in es),
            )
        )
    return out


# -- aggregation ---------------------------------------------------------------------------

_TO_PROJECT = {"milestoneOf", "phaseOf", "actionOf", "goalOf", "riskOf", "kpiOf", "responsibleProject", "funds",
               "goalOwner", "mandateOf", "partOf"}  # fmt: skip


def top_project(g: nx.MultiDiGraph, n: str) -> str:
    """The project under the programme that ``n`` belongs to (itself if it is one)."""
    cur, seen = n, set()
    while cur not in seen:
        seen.add(cur)
        parents = [v for _, v, d in g.out_edges(cur, data=True)
                   if d["predicate"] == "partOf" and kind(g, v) in PROJECT_KINDS]  # fmt: skip
        if not parents or kind(g, parents[0]) == "Program":
            return cur
        cur = parents[0]
    return cur


def group_key(g: nx.MultiDiGraph, n: str, system_domain: dict[str, str] | None = None) -> str:
    """The aggregate a node folds into: its project, its body, its domain, its SDG goal, or its kind."""
    k = kind(g, n)
    if k == "Program":
        return n
    if k in PROJECT_KINDS:
        return top_project(g, n)
    if k == "System" and system_domain and n in system_domain:
        return system_domain[n]
    if k in ("SDGTarget", "SDGIndicator"):
        cur = n
        for _ in range(3):
            ups = [v for _, v, d in g.out_edges(cur, data=True) if d["predicate"] == "broader"]
            if not ups:
                break
            cur = ups[0]
        return cur
    if k == "GovernanceBody":
        cur, seen = n, set()
        while cur not in seen:
            seen.add(cur)
            ups = [v for _, v, d in g.out_edges(cur, data=True)
                   if d["predicate"] == "subOrganizationOf" and kind(g, v) in {"GovernanceBody"} | PROJECT_KINDS]  # fmt: skip
            if not ups:
                return cur
            if kind(g, ups[0]) in PROJECT_KINDS:
                return top_project(g, ups[0])
            cur = ups[0]
        return cur
    if k in ("Person", "Post"):
        for _, v, d in g.out_edges(n, data=True):
            if d["predicate"] == "memberOf":
                return group_key(g, v, system_domain)
    if k == "MandateItem" or k == "Deliverable":
        for _, v, d in g.out_edges(n, data=True):
            if d["predicate"] == "itemOf":
                return group_key(g, v, system_domain)
    for _, v, d in g.out_edges(n, data=True):
        if d["predicate"] in _TO_PROJECT and kind(g, v) in PROJECT_KINDS:
            return top_project(g, v)
    return f"kind:{k}"


def aggregate(spec: GraphSpec, g: nx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES,
              system_domain: dict[str, str] | None = None, kind_names: dict[str, str] | None = None) -> GraphSpec:  # fmt: skip
    """Fold a graph over ``max_nodes`` into groups (by project, body, domain, goal, else kind).

    Start nodes stay as they are. Groups get a label with their size; parallel edges between
    two groups become one edge whose width grows with their number. If the groups are still
    too many, they are folded by kind.
    """
    if len(spec.nodes) <= max_nodes:
        return spec
    kind_names = kind_names or {}

    def fold(keyfn) -> GraphSpec:
        members: dict[str, list[GNode]] = defaultdict(list)
        where: dict[str, str] = {}
        for n in spec.nodes:
            key = n.id if n.start else keyfn(n)
            members[key].append(n)
            where[n.id] = key
        out = GraphSpec(aggregated_from=len(spec.nodes))
        for key, ms in members.items():
            if len(ms) == 1 and ms[0].id == key:
                out.nodes.append(ms[0])
                continue
            rep = next((m for m in ms if m.id == key), None)
            if key.startswith("kind:"):
                k = key[5:]
                label = f"{kind_names.get(k, k)} ({len(ms)})"
            else:
                k = rep.kind if rep else kind(g, key)
                label = f"{_short(name(g, key), 34)} (+{len(ms) - (1 if rep else 0)})"
            titles = sorted({m.label for m in ms})
            tip = "\n".join(titles[:25]) + (f"\n… +{len(titles) - 25}" if len(titles) > 25 else "")
            levels = [m.level for m in ms if m.level is not None]
            out.nodes.append(
                GNode(key, label, k, tip, min(levels) if levels else None, False, len(ms))
            )
        counted: Counter = Counter()
        sample: dict[tuple[str, str], GEdge] = {}
        for e in spec.edges:
            a, b = where.get(e.source), where.get(e.target)
            if a is None or b is None or a == b:
                continue
            counted[(a, b)] += 1
            sample.setdefault((a, b), e)
        for (a, b), c in counted.items():
            e = sample[(a, b)]
            out.edges.append(GEdge(a, b, e.label if c == 1 else f"{e.label} ×{c}", e.title if c == 1 else
                                   f"{c} ×\n{e.title}", e.dashes, min(6.0, 1 + c / 2)))  # fmt: skip
        return out

    folded = fold(lambda n: group_key(g, n.id, system_domain) if n.id in g else f"kind:{n.kind}")
    if len(folded.nodes) > max_nodes:
        folded = fold(lambda n: f"kind:{n.kind}")
    return folded


SYSTEM_DOMAINS = """
SELECT DISTINCT ?s ?d WHERE { { ?u a kg:SystemUsage ; kg:usesSystem ?s ; kg:inDomain ?d }
  UNION { ?c a kg:SystemChoice ; kg:chosenSystem ?s ; kg:choiceFor ?d } }
"""


def system_domains(store) -> dict[str, str]:
    """System → a domain it is used or chosen in (for aggregation)."""
    out: dict[str, str] = {}
    for s, d in sorted(store.query(SYSTEM_DOMAINS, None, BIG).rows):
        out.setdefault(s, d)
    return out


# -- impact and what-if --------------------------------------------------------------------


@dataclass
class ImpactRow:
    node: str
    code: str
    name: str
    kind: str
    depth: int
    path: str
    predicate: str
    type: str | None
    rationale: str
    source: str


def reach_rows(g: nx.MultiDiGraph, reaches: Iterable[analysis.Reach]) -> list[ImpactRow]:
    rows = []
    for r in reaches:
        last = r.steps[-1] if r.steps else None
        rows.append(ImpactRow(r.node, code(g, r.node), name(g, r.node), kind(g, r.node), r.depth, path_text(g, r.path),
                              last.predicate if last else "", last.type if last else None,
                              (last.rationale or "") if last else "",
                              source_text(g, last.document, last.locator) if last else ""))  # fmt: skip
    return rows


def impact(
    g: nx.MultiDiGraph, node: str, max_depth: int | None = None
) -> dict[str, list[ImpactRow]]:
    """Everything that depends on ``node``, grouped by kind, each with its path."""
    return {k: reach_rows(g, rs) for k, rs in analysis.impact(g, node, max_depth).items()}


@dataclass
class Scenario:
    """The answer to a what-if: delays, milestones at risk, and everything affected."""

    start: str
    delays: list[dict]
    milestones: list[dict]
    affected: dict[str, list[ImpactRow]]
    programme_milestones: list[dict]  # the programme's own milestones and whether they are at risk
    reaches: list[analysis.Reach] = field(default_factory=list)


def _milestone_info(store) -> dict[str, tuple[str, str]]:
    return {
        m: (_date_text(d), str(st or ""))
        for m, d, _, _, st in store.query(MILESTONES, None, BIG).rows
    }


def _open(date: str, status: str, after: str | None) -> bool:
    """A milestone that can still be late: not marked done and not dated before ``after``."""
    if status.lower().startswith("done"):
        return False
    return not (after and date and date < after[: len(date)])


def _programme_milestones(g: nx.MultiDiGraph, at_risk: dict[str, dict], info: dict[str, tuple[str, str]],
                          after: str | None) -> list[dict]:  # fmt: skip
    out = []
    for m, d in g.nodes(data=True):
        if d.get("kind") != "Milestone":
            continue
        owners = [v for _, v, e in g.out_edges(m, data=True) if e["predicate"] == "milestoneOf"]
        if not any(kind(g, o) == "Program" for o in owners):
            continue
        date, status_ = info.get(m, (_date_text(d.get("date")), ""))
        if not _open(date, status_, after):
            continue
        risk = at_risk.get(m)
        out.append({"milestone": m, "title": name(g, m), "date": date, "at_risk": risk is not None,
                    "late_weeks": risk["late_weeks"] if risk else None, "new_date": risk["new_date"] if risk else "",
                    "path": risk["path"] if risk else ""})  # fmt: skip
    out.sort(key=lambda x: x["date"], reverse=True)
    return out


def _whatif(
    g: nx.MultiDiGraph, store, start: str, w: analysis.WhatIf, after: str | None
) -> Scenario:
    info = _milestone_info(store)
    delays = [{"node": d.node, "code": code(g, d.node), "name": name(g, d.node), "kind": kind(g, d.node),
               "weeks": d.weeks, "path": path_text(g, d.path), "nodes": tuple(d.path), "assumed": d.assumed}
              for d in w.delays]  # fmt: skip
    ms = []
    for m in w.milestones:
        date, status_ = info.get(m["milestone"], (_date_text(m["date"]), ""))
        if not _open(date, status_, after):
            continue
        owner = m["owner"]
        ms.append({"milestone": m["milestone"], "title": name(g, m["milestone"]), "date": date,
                   "owner": name(g, owner) if owner else "", "late_weeks": m["late_weeks"],
                   "new_date": _date_text(m["new_date"]) if m["new_date"] else "", "path": path_text(g, m["path"]),
                   "nodes": tuple(m["path"]) + (m["milestone"],), "assumed": m["assumed"], "programme": kind(g, owner) == "Program" if owner else False})  # fmt: skip
    ms.sort(key=lambda x: (not x["programme"], x["date"] or "9999"))
    at_risk = {m["milestone"]: m for m in ms}
    affected = {k: reach_rows(g, rs) for k, rs in w.affected.items()}
    reaches = [r for rs in w.affected.values() for r in rs]
    return Scenario(
        start, delays, ms, affected, _programme_milestones(g, at_risk, info, after), reaches
    )


def slip(
    g: nx.MultiDiGraph, store, project: str, weeks: float, after: str | None = None
) -> Scenario:
    """ "``project`` slips ``weeks`` weeks": delays, and the open milestones (not done, not
    before ``after``) that become late."""
    return _whatif(g, store, project, analysis.slip(g, project, weeks), after)


def switch_off(g: nx.MultiDiGraph, store, system: str, after: str | None = None) -> Scenario:
    """ "``system`` is switched off": everything that depends on it and the open milestones at risk."""
    return _whatif(g, store, system, analysis.switch_off(g, system), after)


def impact_graph(g: nx.MultiDiGraph, node: str, **names) -> GraphSpec:
    """The graph of :func:`impact`: ``node`` and everything that depends on it."""
    return impact_spec(
        g, node, [r for rs in analysis.impact(g, node).values() for r in rs], **names
    )


def scenario_spec(g: nx.MultiDiGraph, sc: Scenario, **names) -> GraphSpec:
    """The graph of a what-if: for a slip, how the delay travels to each late project and
    milestone; for a switched-off system, everything that depends on it."""
    if not any(d["nodes"] for d in sc.delays):
        return impact_spec(g, sc.start, sc.reaches, **names)
    edges, level = [], {sc.start: 0}
    for path in [d["nodes"] for d in sc.delays] + [m["nodes"] for m in sc.milestones]:
        for i, (a, b) in enumerate(zip(path, path[1:], strict=False)):
            edges.append(
                (a, b, "atRisk" if kind(g, b) == "Milestone" else "delays")
            )  # the delay flows a → b
            level[b] = min(level.get(b, 99), i + 1)
    edges = list(dict.fromkeys(edges))
    nodes = list(dict.fromkeys([sc.start] + [x for e in edges for x in e[:2]]))
    return spec_from(g, nodes, edges, starts=[sc.start], level=level, **names)


def impact_spec(
    g: nx.MultiDiGraph, start: str, reaches: Iterable[analysis.Reach], **names
) -> GraphSpec:
    """The start and what it affects, with the step that reached each (for drawing)."""
    reaches = list(reaches)
    nodes = [start] + [r.node for r in reaches]
    links, seen = [], set()
    for r in reaches:
        for s in r.steps:
            key = (s.source, s.target, s.predicate)
            if key not in seen:
                seen.add(key)
                links.append(Link(s.source, s.target, s.predicate, s.type, None, s.rationale, s.document,
                                  s.locator, r.depth, r.path))  # fmt: skip
    level = {start: 0} | {r.node: r.depth for r in reaches}
    return spec_from(g, nodes, links, starts=[start], level=level, **names)


# -- governance ----------------------------------------------------------------------------

GOVERNANCE_EDGES = ("reportsTo", "subOrganizationOf", "steeringBody", "projectOwner", "partOf")


def levels(nodes: Iterable[str], up_edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Rank nodes top-down: a node sits one level below the lowest of the nodes above it.

    ``up_edges`` point from a node to one above it (child → parent). Cycles share a level.

    >>> levels(["a", "b", "c", "d"], [("b", "a"), ("c", "b"), ("c", "a"), ("c", "d")])
    {'a': 0, 'b': 1, 'c': 2, 'd': 1}
    """
    nodes = list(nodes)
    dg = nx.DiGraph()
    dg.add_nodes_from(nodes)
    dg.add_edges_from((p, c) for c, p in up_edges if c in dg and p in dg)
    cond = nx.condensation(dg)
    rank: dict[int, int] = {}
    for comp in nx.topological_sort(cond):
        preds = list(cond.predecessors(comp))
        rank[comp] = 1 + max(rank[p] for p in preds) if preds else 0
    for (
        comp
    ) in cond.nodes:  # a top node sits just above the highest node it is over, not at the very top
        kids = list(cond.successors(comp))
        if not list(cond.predecessors(comp)) and kids:
            rank[comp] = max(0, min(rank[k] for k in kids) - 1)
    return {n: rank[cond.graph["mapping"][n]] for n in nodes}


def governance(
    g: nx.MultiDiGraph, with_projects: bool = True, with_people: bool = False
) -> tuple[list[str], list[tuple]]:
    """Bodies and the reporting lines between them; optionally projects (steering, owner,
    part of) and people (members). Returns nodes and (child, parent, predicate) edges."""
    keep = {"GovernanceBody"}
    if with_projects:
        keep |= PROJECT_KINDS
    if with_people:
        keep |= {"Person"}
    preds = set(GOVERNANCE_EDGES) | ({"memberOf", "projectLeader"} if with_people else set())
    edges = []
    for u, v, d in g.edges(data=True):
        if d["predicate"] in preds and kind(g, u) in keep and kind(g, v) in keep:
            if d["predicate"] in ("steeringBody", "projectOwner", "projectLeader"):
                edges.append((u, v, d["predicate"]))  # project → body above it
            else:
                edges.append((u, v, d["predicate"]))
    involved = {x for e in edges for x in e[:2]}
    nodes = sorted(involved, key=lambda n: (kind(g, n) != "GovernanceBody", name(g, n)))
    return nodes, sorted(set(edges))


def unconnected_bodies(g: nx.MultiDiGraph) -> list[str]:
    """Bodies with no reporting line, owner, steering or part-of relation (left out of the chart)."""
    nodes, _ = governance(g, True, False)
    inside = set(nodes)
    return sorted((n for n, d in g.nodes(data=True) if d.get("kind") == "GovernanceBody" and n not in inside),
                  key=lambda n: name(g, n))  # fmt: skip


def governance_levels(
    nodes: Iterable[str], edges: Iterable[tuple[str, str, str]]
) -> dict[str, int]:
    """Levels for a governance chart: whoever is reported to, owns, steers or leads sits above.

    A body that is part of a project but also steers it (a project board) sits above the
    project: a "part of" edge that contradicts a steering edge is left out.
    """
    edges = list(edges)
    strong = {
        (u, v)
        for u, v, p in edges
        if p in ("steeringBody", "projectOwner", "projectLeader", "reportsTo")
    }
    ups = [(u, v) for u, v, p in edges
           if not (p in ("subOrganizationOf", "memberOf", "partOf") and (v, u) in strong)]  # fmt: skip
    return levels(nodes, ups)


def governance_spec(g: nx.MultiDiGraph, with_projects: bool = True, with_people: bool = False,
                    highlight: Iterable[str] = (), **names) -> GraphSpec:  # fmt: skip
    nodes, edges = governance(g, with_projects, with_people)
    return spec_from(
        g, nodes, edges, starts=highlight, level=governance_levels(nodes, edges), **names
    )


def chain_spec(g: nx.MultiDiGraph, project: str, chain: list[dict], **names) -> GraphSpec:
    """The accountability chain of ``project`` (rows of :func:`accountability`) as a graph."""
    nodes = [project] + [r["node"] for r in chain if r["role"] != "mandate"]
    nodes = list(dict.fromkeys(n for n in nodes if n in g))
    keep = set(nodes)
    preds = set(GOVERNANCE_EDGES) | {"projectLeader", "decidedBy"}
    edges = sorted({(u, v, d["predicate"]) for u in nodes for _, v, d in g.out_edges(u, data=True)
                    if v in keep and d["predicate"] in preds})  # fmt: skip
    for r in chain:  # the mandate's decider decided over the project
        if r["role"] == "mandate_decided_by" and r["node"] in keep:
            edges.append((project, r["node"], "mandateDecidedBy"))
    return spec_from(
        g, nodes, edges, starts=[project], level=governance_levels(nodes, edges), **names
    )


def accountability(store, g: nx.MultiDiGraph, project: str, lang: str) -> list[dict]:
    """The accountability chain of ``project`` (named query ``accountability``), labelled."""
    res = queries.run(store, "accountability", {"project": IRI(project)}, BIG, lang=lang)
    rows = []
    for r in res.dicts():
        n = r["node"]
        rows.append({"role": r["role"], "node": n, "name": name(g, n), "kind": kind(g, n),
                     "level": int(r["depth"]) if r.get("depth") is not None else 0,
                     "date": _date_text(r.get("date"))})  # fmt: skip
    order = {
        "owner": 0,
        "leader": 1,
        "steering_body": 2,
        "mandate": 3,
        "mandate_decided_by": 4,
        "above": 5,
    }
    rows.sort(key=lambda x: (order.get(x["role"], 9), x["level"], x["name"]))
    return rows


MANDATES = """
SELECT ?m ?decider ?decided ?status ?src ?loc WHERE {
  ?m kg:mandateOf $project .
  OPTIONAL { ?m kg:decidedBy ?decider } OPTIONAL { ?m kg:decidedOn ?decided } OPTIONAL { ?m kg:mandateStatus ?status }
  OPTIONAL { ?m prov:wasDerivedFrom ?src } OPTIONAL { ?m kg:locator ?loc }
}
"""
MANDATE_ITEMS = """
SELECT ?i ?seq ?due ?due_text ?deliverable WHERE {
  ?i kg:itemOf $mandate .
  OPTIONAL { ?i kg:order ?seq } OPTIONAL { ?i kg:dueDate ?due } OPTIONAL { ?i kg:dateText ?due_text }
  BIND(EXISTS { ?i a kg:Deliverable } AS ?deliverable)
}
"""


def mandates(store, g: nx.MultiDiGraph, project: str) -> list[dict]:
    """The mandates of ``project`` with who decided them and their items in order."""
    out = []
    for m, decider, decided, st, src, loc in store.query(
        MANDATES, {"project": IRI(project)}, BIG
    ).rows:
        items = []
        for i, seq, due, due_text, deliverable in store.query(
            MANDATE_ITEMS, {"mandate": IRI(m)}, BIG
        ).rows:
            items.append({"seq": seq, "text": name(g, i), "deliverable": bool(deliverable),
                          "due": _date_text(due) or (due_text or "")})  # fmt: skip
        items.sort(key=lambda x: (x["seq"] is None, x["seq"] or 0, x["text"]))
        out.append({"mandate": m, "title": name(g, m), "decided_by": name(g, decider) if decider else "",
                    "decided_on": _date_text(decided), "status": st or "", "source": source_text(g, src, loc),
                    "items": items})  # fmt: skip
    return sorted(out, key=lambda x: x["title"])


RACI_ROLES = ("owner", "steering", "leader", "reports_to", "group", "mandate", "decides")


def raci(g: nx.MultiDiGraph) -> tuple[list[str], list[str], dict[tuple[str, str], list[str]]]:
    """Bodies × projects: which role each body has for each project.

    Roles: owner (prosjekteier), steering (styringsgruppe/prosjektstyre), leader, reports_to
    (the project reports to the body), group (a body inside the project), mandate (decided
    the project's mandate), decides (a decision or decision point about the project).
    """
    cells: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(body: str, project: str, role: str) -> None:
        if kind(g, body) == "GovernanceBody" and kind(g, project) in PROJECT_KINDS:
            cells[(body, project)].add(role)

    for u, v, d in g.edges(data=True):
        p = d["predicate"]
        if p == "projectOwner":
            add(v, u, "owner")
        elif p == "steeringBody":
            add(v, u, "steering")
        elif p == "projectLeader":
            add(v, u, "leader")
        elif p == "reportsTo":
            add(v, u, "reports_to")
        elif p in ("subOrganizationOf", "memberOf"):
            add(u, v, "group")
        elif p == "mandateOf":
            for _, b, e in g.out_edges(u, data=True):
                if e["predicate"] == "decidedBy":
                    add(b, v, "mandate")
        elif p == "about" and kind(g, u) in ("Decision", "DecisionPoint"):
            for _, b, e in g.out_edges(u, data=True):
                if e["predicate"] == "decidedBy":
                    add(b, v, "decides")
    bodies = sorted({b for b, _ in cells}, key=lambda b: name(g, b).lower())
    projects = sorted(
        {p for _, p in cells}, key=lambda p: (kind(g, p) != "Program", natural(code(g, p)))
    )
    return bodies, projects, {k: [r for r in RACI_ROLES if r in v] for k, v in cells.items()}


# -- ICT portfolio -------------------------------------------------------------------------

USAGES = """
SELECT ?m ?s ?d ?users WHERE { ?u a kg:SystemUsage ; kg:user ?m ; kg:usesSystem ?s ; kg:inDomain ?d .
  OPTIONAL { ?u kg:userCount ?users } }
"""
CHOICES = """
SELECT ?c ?d ?status ?reason ?decider ?date WHERE { ?c a kg:SystemChoice ; kg:choiceFor ?d ; kg:decisionStatus ?status .
  OPTIONAL { ?c kg:rationale ?reason } OPTIONAL { ?c kg:decidedBy ?decider } OPTIONAL { ?c kg:date ?date } }
"""
CHOICE_SYSTEMS = """
SELECT ?c ?s ?role WHERE { { ?c a kg:SystemChoice ; kg:chosenSystem ?s BIND("chosen" AS ?role) }
  UNION { ?c a kg:SystemChoice ; kg:replaces ?s BIND("replaces" AS ?role) } }
"""
DOMAINS = """
SELECT ?d ?area ?parent WHERE { ?d a kg:SystemDomain . OPTIONAL { ?d kg:serviceArea ?area }
  OPTIONAL { ?d skos:broader ?parent } }
"""
EVALUATIONS = """
SELECT ?s ?m ?availability ?tasks ?functions ?technology ?dataflow ?status ?computed ?score ?users ?phase_out ?src ?loc
WHERE { ?e a kg:SystemEvaluation ; kg:evaluates ?s ; kg:evaluatedFor ?m .
  OPTIONAL { ?e kg:availabilityRequirement ?availability } OPTIONAL { ?e kg:maturityTasks ?tasks }
  OPTIONAL { ?e kg:maturityFunctions ?functions } OPTIONAL { ?e kg:maturityTechnology ?technology }
  OPTIONAL { ?e kg:maturityDataflow ?dataflow } OPTIONAL { ?e kg:evaluationStatus ?status }
  OPTIONAL { ?e kg:computedStatus ?computed } OPTIONAL { ?e kg:score ?score } OPTIONAL { ?e kg:userCount ?users }
  OPTIONAL { ?e kg:phaseOut ?phase_out } OPTIONAL { ?e prov:wasDerivedFrom ?src } OPTIONAL { ?e kg:locator ?loc } }
"""


@dataclass
class Portfolio:
    municipalities: list[str]
    rows: list[
        dict
    ]  # one per domain: domain, name, area, parent, cells {municipality: [systems]}, chosen, ...
    systems: list[str]  # every system in the matrix (for the "mark a system" picker)


def ict_portfolio(store, g: nx.MultiDiGraph) -> Portfolio:
    """Domain × municipality: the systems in use, the system chosen for the new municipality,
    the state of the choice and why, and the systems it replaces."""
    usage: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    munis: set[str] = set()
    for m, s, d, _users in store.query(USAGES, None, BIG).rows:
        if s not in usage[d][m]:
            usage[d][m].append(s)
        munis.add(m)
    systems_of: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c, s, role in store.query(CHOICE_SYSTEMS, None, BIG).rows:
        systems_of[c][role].append(s)
    choice: dict[str, dict] = {}
    for c, d, st, reason, decider, date in store.query(CHOICES, None, BIG).rows:
        prev = choice.get(d)
        if prev is None or _date_text(date) > prev["date"]:
            choice[d] = {"status": st, "reason": reason or "", "decided_by": name(g, decider) if decider else "",
                         "date": _date_text(date), "chosen": sorted(systems_of[c]["chosen"], key=lambda s: name(g, s)),
                         "replaces": sorted(systems_of[c]["replaces"], key=lambda s: name(g, s))}  # fmt: skip
    domains = {d: (area, parent) for d, area, parent in store.query(DOMAINS, None, BIG).rows}
    rows = []
    for d, (area, parent) in domains.items():
        if d not in usage and d not in choice:
            continue
        if d in choice:
            ch = choice[d]
        elif parent in choice:  # a sub-domain follows the choice made for its broader domain
            ch = {**choice[parent], "inherited": True}
        else:
            ch = {}
        rows.append({"domain": d, "name": name(g, d), "area": area or "", "parent": name(g, parent) if parent else "",
                     "cells": {m: sorted(usage[d].get(m, []), key=lambda s: name(g, s)) for m in munis},
                     "chosen": ch.get("chosen", []), "status": ch.get("status", ""), "reason": ch.get("reason", ""),
                     "decided_by": ch.get("decided_by", ""), "date": ch.get("date", ""),
                     "replaces": [] if ch.get("inherited") else ch.get("replaces", []),
                     "inherited": bool(ch.get("inherited"))})  # fmt: skip
    rows.sort(key=lambda r: (r["area"] == "", r["area"], r["name"]))
    order = sorted(munis, key=lambda m: name(g, m))
    systems = sorted({s for r in rows for ss in list(r["cells"].values()) + [r["chosen"], r["replaces"]] for s in ss},
                     key=lambda s: name(g, s).lower())  # fmt: skip
    return Portfolio(order, rows, systems)


def evaluations(store, g: nx.MultiDiGraph) -> list[dict]:
    """System evaluations: availability requirement, the four maturity scores, status, score."""
    out = []
    for row in store.query(EVALUATIONS, None, BIG).dicts():
        out.append({"system": name(g, row["s"]), "municipality": name(g, row["m"]),
                    "availability": row["availability"] or "", "tasks": row["tasks"], "functions": row["functions"],
                    "technology": row["technology"], "dataflow": row["dataflow"], "status": row["status"] or "",
                    "computed": row["computed"] or "", "score": float(row["score"]) if row["score"] is not None else None,
                    "phase_out": row["phase_out"], "source": source_text(g, row["src"], row["loc"])})  # fmt: skip
    return sorted(out, key=lambda r: (-(r["score"] or 0), r["system"]))


def phase_out(store, g: nx.MultiDiGraph, portfolio: Portfolio | None = None) -> list[dict]:
    """Systems to phase out: what replaces them, who uses them today, and who operates them."""
    portfolio = portfolio or ict_portfolio(store, g)
    operators: dict[str, list[str]] = defaultdict(list)
    for u, v, d in g.edges(data=True):
        if d["predicate"] == "operatesFor":
            operators[v].append(u)
    rows = []
    for r in portfolio.rows:
        for s in r["replaces"]:
            users = sorted({m for m, ss in r["cells"].items() if s in ss} |
                           {u for u, _, d in g.in_edges(s, data=True) if d["predicate"] == "usesSystem"})  # fmt: skip
            ops = sorted({o for m in users for o in operators.get(m, [])}, key=lambda o: name(g, o))
            rows.append({"system": name(g, s), "domain": r["name"], "replaced_by": ", ".join(name(g, c) for c in r["chosen"]),
                         "status": r["status"], "used_by": ", ".join(name(g, m) for m in users),
                         "operated_by": ", ".join(name(g, o) for o in ops)})  # fmt: skip
    return sorted(rows, key=lambda x: (x["domain"], x["system"]))


def companies(store, g: nx.MultiDiGraph, lang: str) -> list[dict]:
    """Companies and IKS per municipality with their form and wind-down (named query ``companies``)."""
    res = queries.run(store, "companies", {}, BIG, lang=lang)
    merged: dict[tuple[str, str], dict] = {}
    for r in res.dicts():
        key = (r["municipality"], r["company"])
        row = merged.setdefault(key, {"municipality": name(g, r["municipality"]), "company": name(g, r["company"]),
                                      "form": r.get("form") or "", "relation": set(), "events": set()})  # fmt: skip
        row["relation"].update(x.strip() for x in (r.get("relation") or "").split(",") if x.strip())
        row["events"].update(x.strip() for x in (r.get("events") or "").split("|") if x.strip())
    out = [{**v, "relation": ", ".join(sorted(v["relation"])), "events": " | ".join(sorted(v["events"]))}
           for v in merged.values()]  # fmt: skip
    return sorted(out, key=lambda x: (x["company"], x["municipality"]))


OPERATIONS = """
SELECT ?op ?customer ?service ?from ?to ?text WHERE { ?o a kg:ICTOperation ; kg:operator ?op ; kg:customer ?customer .
  OPTIONAL { ?o skos:prefLabel ?service } OPTIONAL { ?o kg:validFrom ?from } OPTIONAL { ?o kg:validTo ?to }
  OPTIONAL { ?o kg:dateText ?text } }
"""
WIND_DOWN = """
SELECT ?e ?org ?type ?date ?text WHERE { ?e a kg:ChangeEvent ; org:originalOrganization ?org ; kg:eventType ?type .
  OPTIONAL { ?e kg:date ?date } OPTIONAL { ?e kg:dateText ?text } }
"""


def operators(store, g: nx.MultiDiGraph) -> list[dict]:
    """Who runs ICT for whom, from when to when, and what happens to the operator."""
    events: dict[str, list[str]] = defaultdict(list)
    for e, org, typ, date, text in store.query(WIND_DOWN, None, BIG).rows:
        events[org].append(f"{typ}: {name(g, e)} ({_date_text(date) or text or '?'})")
    rows = []
    for op, customer, service, start, end, text in store.query(OPERATIONS, None, BIG).rows:
        d = g.nodes[op] if op in g else {}
        rows.append({"operator": name(g, op), "kind": d.get("kind", ""), "customer": name(g, customer),
                     "service": service or "", "from": _date_text(start), "to": _date_text(end) or (text or ""),
                     "wind_down": " | ".join(sorted(set(events.get(op, []))))})  # fmt: skip
    return sorted(rows, key=lambda x: (x["operator"], x["customer"]))


# -- SDG traceability ----------------------------------------------------------------------


def sdg_goals(g: nx.MultiDiGraph) -> list[str]:
    return sorted((n for n, d in g.nodes(data=True) if d.get("kind") == "SDGGoal"),
                  key=lambda n: int(g.nodes[n].get("code") or 0))  # fmt: skip


def sdg_linked(g: nx.MultiDiGraph) -> list[str]:
    """SDG goals and targets that a local goal points at, in code order."""
    hit = {
        v
        for u, v, d in g.edges(data=True)
        if d["predicate"] == "broadMatch" and kind(g, v) in SDG_KINDS
    }
    return sorted(hit, key=lambda n: natural(str(g.nodes[n].get("code"))))


def _goal_of(g: nx.MultiDiGraph, n: str) -> str | None:
    cur = n
    for _ in range(3):
        if kind(g, cur) == "SDGGoal":
            return cur
        ups = [v for _, v, d in g.out_edges(cur, data=True) if d["predicate"] == "broader"]
        if not ups:
            return None
        cur = ups[0]
    return cur if kind(g, cur) == "SDGGoal" else None


def project_local_goals(g: nx.MultiDiGraph, project: str) -> set[str]:
    """Local goals a project owns or serves through its actions and plans."""
    out = set()
    for u, _, d in g.in_edges(project, data=True):
        if d["predicate"] == "goalOwner" and kind(g, u) == "LocalGoal":
            out.add(u)
        if d["predicate"] in ("actionOf", "responsibleProject"):
            out |= {v for _, v, e in g.out_edges(u, data=True) if e["predicate"] == "servesGoal"}
    for lg in list(out):  # a sub-goal serves its broader goal's SDG links too
        out |= {
            v
            for _, v, e in g.out_edges(lg, data=True)
            if e["predicate"] == "broader" and kind(g, v) == "LocalGoal"
        }
    return out


def coverage(g: nx.MultiDiGraph) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """17 goals × projects: how many SDG links (through local goals) each project has per goal."""
    cells: Counter = Counter()
    for p, d in g.nodes(data=True):
        if d.get("kind") not in PROJECT_KINDS:
            continue
        for lg in project_local_goals(g, p):
            for _, t, e in g.out_edges(lg, data=True):
                if e["predicate"] == "broadMatch":
                    goal = _goal_of(g, t)
                    if goal:
                        cells[(goal, p)] += 1
    top = {p for p, d in g.nodes(data=True) if d.get("kind") in ("Program", "Project")} | {
        p for _, p in cells
    }
    projects = sorted(top, key=lambda p: (kind(g, p) != "Program", not g.nodes[p].get("notation"),
                                          natural(code(g, p))))  # fmt: skip
    return sdg_goals(g), projects, dict(cells)


def relabel(g: nx.MultiDiGraph, result: Result) -> list[dict]:
    """Result rows with IRIs replaced by names from the graph (in its language)."""
    return [
        {c: (name(g, v) if isinstance(v, IRI) else v) for c, v in row.items()}
        for row in result.dicts()
    ]


@dataclass
class Trace:
    """A traceability answer: table rows, and the edges between the things in them."""

    rows: list[dict]
    edges: list[tuple[str, str, str]]
    start: str

    @property
    def nodes(self) -> list[str]:
        return list(dict.fromkeys([self.start] + [x for e in self.edges for x in e[:2]]))

    def spec(self, g: nx.MultiDiGraph, **names) -> GraphSpec:
        ups = [(u, v) for u, v, _ in self.edges]
        return spec_from(
            g, self.nodes, self.edges, starts=[self.start], level=levels(self.nodes, ups), **names
        )


def trace_down(store, g: nx.MultiDiGraph, sdg: str, lang: str) -> Trace:
    """Goal or target → local goals → plans and actions → projects → KPIs with values."""
    res = queries.run(store, "trace_down", {"sdg": IRI(sdg)}, BIG, lang=lang)
    under = (
        {sdg} | {u for u, _, d in g.in_edges(sdg, data=True) if d["predicate"] == "broader"}
        if sdg in g
        else {sdg}
    )
    rows, seen, edges = [], set(), []
    for r in res.dicts():
        t, lg, step, p, kpi = r["target"], r["local_goal"], r["step"], r["project"], r["kpi"]
        if t not in under:  # only the goal itself and its targets (the query may return more)
            continue
        if t != sdg:
            edges.append((t, sdg, "broader"))
        edges.append((lg, t, "broadMatch"))
        if step:
            edges.append((step, lg, "servesGoal"))
            if p:
                edges.append((p, step, "responsible"))
        elif p:
            edges.append((p, lg, "goalOwner"))
        if kpi:
            edges.append((kpi, step or lg, "measures"))
        key = (t, lg, step, p, kpi)
        if key in seen:  # a project found by notation and by id is one project
            continue
        seen.add(key)
        rows.append({"target": code(g, t), "local_goal": name(g, lg),
                     "step": name(g, step) if step else "", "step_kind": kind(g, step) if step else "",
                     "project": code(g, p) if p else "",
                     "kpi": name(g, kpi) if kpi else "", "values": r.get("values") or ""})  # fmt: skip
    return Trace(rows, list(dict.fromkeys(edges)), sdg)


def trace_up(store, g: nx.MultiDiGraph, project: str, lang: str) -> Trace:
    """Project → its actions and plans → local goals → SDG targets and goals."""
    res = queries.run(store, "trace_up", {"project": IRI(project)}, BIG, lang=lang)
    rows, edges = [], []
    for r in res.dicts():
        t = find_node(g, str(r["target_code"]), SDG_KINDS)
        goal = find_node(g, str(r["goal_code"]), {"SDGGoal"})
        step, lg = r["step"], r["local_goal"]
        if step != project:
            edges.append((project, step, "responsible"))
        edges.append((step, lg, "servesGoal" if step != project else "goalOwner"))
        if t:
            edges.append((lg, t, "broadMatch"))
            if goal and goal != t:
                edges.append((t, goal, "broader"))
        rows.append({"step": name(g, step), "step_kind": kind(g, step), "local_goal": name(g, lg),
                     "target": name(g, t) if t else r["target_code"], "goal": name(g, goal) if goal else r["goal_code"]})  # fmt: skip
    return Trace(rows, list(dict.fromkeys(edges)), project)


def gaps(store, g: nx.MultiDiGraph, lang: str) -> list[dict]:
    """Every ``gap_*`` named query: its title, description and rows (IRIs as names)."""
    out = []
    for q in queries.library().values():
        if q.group != "gaps" and not q.name.startswith("gap_"):
            continue
        res = queries.run(store, q.name, {}, BIG, lang=lang)
        out.append({"name": q.name, "title": q.title.get(lang) or q.title.get("nb") or q.name,
                    "description": q.description.get(lang) or q.description.get("nb") or "",
                    "rows": relabel(g, res), "columns": res.columns})  # fmt: skip
    return out


INTERACTIONS = """
SELECT ?from ?to ?score ?rationale ?assessor ?date WHERE { ?i a kg:Interaction ; kg:interactionFrom ?from ;
  kg:interactionTo ?to ; kg:score ?score . OPTIONAL { ?i kg:rationale ?rationale }
  OPTIONAL { ?i kg:assessor ?assessor } OPTIONAL { ?i kg:date ?date } }
"""


def interactions(store, g: nx.MultiDiGraph, lang: str = "nb") -> list[dict]:
    """Target/goal interactions on the −3..+3 scale with the projects behind each side (may be none).

    Uses the named query ``interactions`` when the library has it (it also finds the projects
    that serve each side); otherwise reads the interactions directly.
    """
    merged: dict[tuple, dict] = {}
    if "interactions" in queries.library():
        rows = queries.run(store, "interactions", {}, BIG, lang=lang).dicts()
    else:
        rows = store.query(INTERACTIONS, None, BIG).dicts()
    for r in rows:
        key = (r["from"], r["to"], r.get("assessor"), _date_text(r.get("date")))
        row = merged.setdefault(key, {"from": name(g, r["from"]), "to": name(g, r["to"]), "score": int(r["score"]),
                                      "rationale": r.get("rationale") or "", "assessor": r.get("assessor") or "",
                                      "date": _date_text(r.get("date")), "projects_from": set(), "projects_to": set()})  # fmt: skip
        for side in ("from", "to"):
            p = r.get(f"project_{side}")
            if p:
                row[f"projects_{side}"].add(code(g, p))
    out = [{**v, "projects_from": ", ".join(sorted(v["projects_from"], key=natural)),
            "projects_to": ", ".join(sorted(v["projects_to"], key=natural))} for v in merged.values()]  # fmt: skip
    return sorted(out, key=lambda x: (x["score"], x["from"], x["to"]))


# -- query console -------------------------------------------------------------------------

EXAMPLE_QUERY = """# What does A4 depend on, and why? (read-only; prefixes kg:, skos:, dct:, prov: are predefined)
SELECT ?to ?label ?type ?rationale WHERE {
  ?d a kg:Dependency ; kg:dependent ?from ; kg:dependee ?to ; kg:dependencyType ?type ; kg:rationale ?rationale .
  ?from skos:notation "A4" .
  OPTIONAL { ?to skos:prefLabel ?label }
}
ORDER BY ?type ?label
"""


EXAMPLE_CYPHER = """// What does A4 depend on, and why? (read-only; the graph as «kg push» mapped it)
MATCH (a:Resource {code: "A4"})-[r:DEPENDS_ON]->(b:Resource)
RETURN b.iri AS node, b.code AS code, coalesce(b.prefLabel_nb, b.name_nb) AS label,
       r.dependencyType AS type, coalesce(r.rationale_nb, r.rationale) AS rationale
ORDER BY type, code
"""


def result_spec(g: nx.MultiDiGraph, result: Result) -> GraphSpec:
    """A query result as a graph: triples (subject, predicate, object) as edges, or for a
    table, an edge between each pair of neighbouring IRI columns in a row."""
    spec = GraphSpec()
    seen_nodes: dict[str, GNode] = {}

    def node(v: str) -> str:
        if v not in seen_nodes:
            label = name(g, v) if v in g else short(IRI(v))
            seen_nodes[v] = GNode(v, _short(label), kind(g, v), f"{label}\n{v}")
        return v

    cols = result.columns
    seen_edges = set()
    if cols == ["subject", "predicate", "object"]:
        for s, p, o in result.rows:
            if isinstance(s, IRI) and isinstance(o, IRI) and (s, p, o) not in seen_edges:
                seen_edges.add((s, p, o))
                spec.edges.append(GEdge(node(s), node(o), short(IRI(p)), short(IRI(p))))
    else:
        for row in result.rows:
            iris = [(c, v) for c, v in zip(cols, row, strict=True) if isinstance(v, IRI)]
            for (ca, a), (cb, b) in zip(iris, iris[1:], strict=False):
                if a != b and (a, b, cb) not in seen_edges:
                    seen_edges.add((a, b, cb))
                    spec.edges.append(GEdge(node(a), node(b), cb, f"{ca} → {cb}"))
            if len(iris) == 1:
                node(iris[0][1])
    spec.nodes = list(seen_nodes.values())
    return spec


def table_rows(result: Result) -> list[dict]:
    """Result rows with values in their compact text form (prefixed IRIs, ISO dates)."""
    return [{c: short(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]


# -- data: uploads and export --------------------------------------------------------------

UPLOAD_TYPES = ("zip", "xlsx", "ttl", "nt", "nq", "trig", "jsonld", "yaml", "yml")
MAX_UPLOAD_MB = 25
MAX_UNZIPPED_MB = 100
MAX_FILES = 500


class UploadError(Exception):
    """An upload that cannot be read as a dataset at all (before any row is looked at)."""

    def __init__(self, en: str, nb: str):
        self.en, self.nb = en, nb
        super().__init__(en)

    def message(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.en


def _safe_extract(data: bytes, into: Path) -> Path:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise UploadError(
            f"not a readable zip archive: {e}", f"ikke et lesbart zip-arkiv: {e}"
        ) from None
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES:
        raise UploadError(f"the archive has {len(infos)} files (limit {MAX_FILES})",
                          f"arkivet har {len(infos)} filer (grense {MAX_FILES})")  # fmt: skip
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_MB * 1024 * 1024:
        raise UploadError(f"the archive unpacks to more than {MAX_UNZIPPED_MB} MB",
                          f"arkivet pakkes ut til mer enn {MAX_UNZIPPED_MB} MB")  # fmt: skip
    root = into.resolve()
    for info in infos:
        parts = Path(info.filename.replace("\\", "/")).parts
        if info.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise UploadError(
                f"unsafe path in the archive: {info.filename}",
                f"utrygg sti i arkivet: {info.filename}",
            )
        if parts and (parts[0] == "__MACOSX" or parts[-1].startswith("._")):
            continue
        target = (root / Path(*parts)).resolve()
        if root not in target.parents:
            raise UploadError(
                f"unsafe path in the archive: {info.filename}",
                f"utrygg sti i arkivet: {info.filename}",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    manifests = sorted(root.rglob("manifest.yaml"), key=lambda p: len(p.parts))
    if manifests:
        return manifests[0].parent
    csvs = sorted(root.rglob("*.csv"), key=lambda p: len(p.parts))
    return csvs[0].parent if csvs else root


def stage_upload(filename: str, data: bytes, folder: Path) -> Path:
    """Write an uploaded file into ``folder`` (unpacking a zip safely) and return the path to load."""
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadError(
            f"the file is over {MAX_UPLOAD_MB} MB", f"filen er over {MAX_UPLOAD_MB} MB"
        )
    base = Path(filename).name or "upload"
    suffix = Path(base).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        raise UploadError(f"unsupported file type '.{suffix}' (use {', '.join('.' + t for t in UPLOAD_TYPES)})",
                          f"filtypen '.{suffix}' støttes ikke (bruk {', '.join('.' + t for t in UPLOAD_TYPES)})")  # fmt: skip
    if suffix == "zip":
        return _safe_extract(data, folder / Path(base).stem)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", base)
    path = folder / safe
    path.write_bytes(data)
    return path


@dataclass
class Loaded:
    store: Any
    name: str
    title: dict[str, str]
    records: int
    triples: int
    seconds: float


def load_upload(filename: str, data: bytes, progress=None) -> Loaded:
    """Validate an upload and load it into a new in-memory store, all or nothing.

    Raises :class:`UploadError` for an unreadable file and :class:`loaders.errors.LoadError`
    (with file, row and column of every problem) for a dataset that does not validate.
    """
    from graph.load import load
    from graph.store import open_store

    with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
        path = stage_upload(filename, data, Path(tmp))
        store = open_store("memory")
        report = load(store, path, progress or (lambda en, nb: None))
    return Loaded(
        store, report.name, dataset_title(store), report.records, report.store_size, report.seconds
    )


DATASET_INFO = """
SELECT ?d ?id ?title (LANG(?title) AS ?lg) ?count WHERE { ?d a kg:Dataset ; dct:identifier ?id .
  OPTIONAL { ?d dct:title ?title } OPTIONAL { ?d kg:recordCount ?count } }
"""


def record_count(store) -> int:
    """Records (rows) in the datasets of ``store``, as their manifests count them."""
    q = "SELECT ?d (SAMPLE(?c) AS ?count) WHERE { ?d a kg:Dataset ; kg:recordCount ?c } GROUP BY ?d"
    return sum(int(c) for _, c in store.query(q, None, BIG).rows if c is not None)


def dataset_title(store) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, ident, title, lg, _ in store.query(DATASET_INFO, None, BIG).rows:
        out.setdefault("id", str(ident))
        if title:
            out[lg or "nb"] = str(title)
    return out


EXPORTS = {"turtle": ("TURTLE", "ttl", "text/turtle"), "ntriples": ("N_TRIPLES", "nt", "application/n-triples"),
           "jsonld": ("JSON_LD", "jsonld", "application/ld+json"), "nquads": ("N_QUADS", "nq", "application/n-quads")}  # fmt: skip


def export(store, fmt: str = "turtle") -> bytes:
    """The whole graph in ``fmt`` (turtle, ntriples, jsonld: the union of all named graphs;
    nquads keeps the graphs)."""
    import pyoxigraph as ox

    from graph.terms import PREFIXES

    name_, _, _ = EXPORTS[fmt]
    rdf = getattr(ox.RdfFormat, name_)
    if fmt == "nquads":
        return store.dump(rdf)
    union = ox.Store()
    union.extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store.quads()
    )
    if fmt == "turtle":
        return union.dump(format=rdf, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    return union.dump(format=rdf, from_graph=ox.DefaultGraph())
