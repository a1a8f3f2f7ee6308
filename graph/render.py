"""Render a graph as one self-contained HTML page with vis-network (no network access needed).

The page is written here, not by pyvis: pyvis' template puts titles into ``innerHTML`` when
any title contains "href" and pastes the heading and options unescaped (see
docs on visualisation). This module only borrows the vis-network files that ship inside the
pyvis package (``pyvis/templates/lib/vis-9.1.2``) and inlines them, so a graph renders with
no CDN. Safety rules, each enforced here and tested:

- every text from data that lands in HTML (legend, headings, options) goes through
  :func:`html.escape`; labels and tooltips are NOT escaped, because vis-network draws labels
  on a canvas and puts string tooltips in with ``innerText`` – escaping them would show
  ``&amp;`` literally (escape once, where the text meets HTML);
- node and edge data travel as JSON inside a ``<script>`` element, with ``<``, ``>`` and
  ``&`` written as ``\\u003c``, ``\\u003e`` and ``\\u0026`` so that ``</script>`` in data cannot
  end the element;
- tooltips are plain strings, which vis-network ≥ 9 shows as text (never ``innerHTML``);
- a Content-Security-Policy allows only the page's own two scripts (by hash), no network
  requests and no plugins, so even a missed escape could not run anything.

No streamlit or pyvis import here: :func:`to_html` returns a string for any front end.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

VIS_VERSION = "9.1.2"
FONT_PX = 14  # node label size at scale 1
# Smallest label drawn, in screen pixels: the first view zooms so labels are at least this big,
# and vis-network hides labels that zooming out makes smaller instead of drawing unreadable
# text. (drawThreshold hides below threshold − 1 and fades the colour towards transparent at
# and below the threshold: at threshold + 1 a 12 px label is drawn fully transparent.)
MIN_LABEL_PX = 12


@dataclass
class GNode:
    """A node to draw: ``id`` is any string (an IRI), ``label`` and ``title`` are plain text."""

    id: str
    label: str
    kind: str = "other"
    title: str = ""
    level: int | None = None
    start: bool = False
    count: int = 1  # > 1 for an aggregated node


@dataclass
class GEdge:
    source: str
    target: str
    label: str = ""
    title: str = ""
    dashes: bool = False
    width: float = 1.0


@dataclass
class GraphSpec:
    """What a page wants drawn; ``aggregated`` says how many nodes were folded into groups."""

    nodes: list[GNode] = field(default_factory=list)
    edges: list[GEdge] = field(default_factory=list)
    aggregated_from: int | None = None
    # Neighbours not drawn yet: double-clicking a node adds its own from here (no round trip).
    reserve_nodes: list[GNode] = field(default_factory=list)
    reserve_edges: list[GEdge] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.nodes)


# Colour and shape per kind group. Shapes differ as well as colours, so the legend works in
# greyscale and for colour-blind readers.
STYLE: dict[str, tuple[str, str]] = {
    "programme": ("#0b3d91", "box"),
    "project": ("#2f6fbf", "box"),
    "body": ("#8e44ad", "ellipse"),
    "person": ("#138d75", "dot"),
    "organization": ("#8d6e63", "triangle"),
    "system": ("#e67e22", "diamond"),
    "domain": ("#f0b27a", "square"),
    "sdg": ("#1e8449", "hexagon"),
    "goal": ("#7dcea0", "dot"),
    "plan": ("#5dade2", "square"),
    "action": ("#48c9b0", "dot"),
    "kpi": ("#d4ac0d", "star"),
    "milestone": ("#c0392b", "star"),
    "mandate": ("#7f8c8d", "square"),
    "decision": ("#a04000", "triangleDown"),
    "source": ("#aab7b8", "dot"),
    "other": ("#b2babb", "dot"),
}

KIND_GROUP: dict[str, str] = {
    "Program": "programme",
    "Project": "project",
    "SubProject": "project",
    "Study": "project",
    "Task": "project",
    "GovernanceBody": "body",
    "Person": "person",
    "Post": "person",
    "Organization": "organization",
    "Municipality": "organization",
    "County": "organization",
    "Company": "organization",
    "InterMunicipalCooperation": "organization",
    "StateAgency": "organization",
    "OrganizationalUnit": "organization",
    "ChangeEvent": "decision",
    "System": "system",
    "SystemDomain": "domain",
    "SDGGoal": "sdg",
    "SDGTarget": "sdg",
    "SDGIndicator": "sdg",
    "LocalGoal": "goal",
    "ProjectGoal": "goal",
    "Plan": "plan",
    "Action": "action",
    "KPI": "kpi",
    "Milestone": "milestone",
    "Phase": "milestone",
    "Decision": "decision",
    "DecisionPoint": "decision",
    "Mandate": "mandate",
    "MandateItem": "mandate",
    "Deliverable": "mandate",
    "SourceDocument": "source",
    "BudgetLine": "other",
    "Risk": "decision",
    "Ambiguity": "other",
}


def group_of(kind: str) -> str:
    return KIND_GROUP.get(kind, "other")


# -- escaping ------------------------------------------------------------------------------


def plain(value: Any) -> str:
    """Data text as a plain string (for the canvas and innerText, which never parse HTML)."""
    return "" if value is None else str(value)


def text(value: Any) -> str:
    """Data text made inert for HTML: ``& < >`` escaped (quotes stay, JSON escapes them)."""
    return html.escape("" if value is None else str(value), quote=False)


def attr(value: Any) -> str:
    """Data text for an HTML attribute or element body: everything escaped, quotes too."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>``, ``&`` or line separators."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        out.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- assets --------------------------------------------------------------------------------


def vis_dir() -> Path:
    """The vis-network files inside the installed pyvis package (found without importing it)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "pyvis is not installed: it provides the vis-network files (pip install pyvis)"
        )
    return Path(spec.origin).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"


@cache
def vis_assets() -> tuple[str, str]:
    """(vis-network.min.js, vis-network.css) as text, read once."""
    folder = vis_dir()
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # 94 % of the stylesheet is inline icon images for the navigation and editing buttons, which
    # these pages switch off; leaving those rules out makes each graph ~200 kB lighter.
    css = "".join(rule for rule in re.findall(r"[^{}]+\{[^{}]*\}", css) if "data:image" not in rule)
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline element early
        raise RuntimeError("vis-network assets contain an end tag and cannot be inlined")
    return js, css


def _sha256(source: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        + "'"
    )


# -- the page ------------------------------------------------------------------------------

_INIT = r"""
(function () {
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var el = document.getElementById("graph");
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var network = new vis.Network(el, {nodes: nodes, edges: edges}, data.options);
  var status = document.getElementById("status");
  var MIN_PX = data.minPx, FONT = data.options.nodes.font.size;
  // Fit the whole graph; if that makes labels smaller than MIN_PX, zoom in to the readable
  // scale on the start node instead (the fit button still shows everything, where labels
  // below MIN_PX are hidden by scaling.label.drawThreshold rather than drawn unreadable).
  function readable() {
    network.fit({animation: false});
    var s = network.getScale();
    if (s * FONT >= MIN_PX) { return; }
    var focus = data.focus !== null && nodes.get(data.focus) ? data.focus : null;
    var pos = focus !== null ? network.getPositions([focus])[focus] : network.getViewPosition();
    network.moveTo({position: pos, scale: MIN_PX / FONT, animation: false});
  }
  function done() {
    if (data.physics) { network.setOptions({physics: false}); }
    readable();
    document.body.setAttribute("data-ready", "1");
  }
  if (data.physics) { network.once("stabilizationIterationsDone", done); }
  network.once("afterDrawing", function () { if (!data.physics) { done(); } });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  function zoom(f) { network.moveTo({scale: network.getScale() * f}); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.8); });
  network.on("selectNode", function (p) {
    var n = nodes.get(p.nodes[0]);
    status.textContent = n ? n.title : "";
  });
  network.on("deselectNode", function () { status.textContent = ""; });
  // Double-click: add the node's neighbours held in data.reserve (Bloom-style expand).
  var reserveNodes = {};
  data.reserve.nodes.forEach(function (n) { reserveNodes[n.id] = n; });
  function expand(id) {
    var added = 0;
    data.reserve.edges.forEach(function (e) {
      if (e.from !== id && e.to !== id) { return; }
      var other = e.from === id ? e.to : e.from;
      if (!nodes.get(other) && reserveNodes[other]) {
        var p = network.getPositions([id])[id];
        var n = Object.assign({}, reserveNodes[other], {x: p.x + 80 * Math.cos(added), y: p.y + 80 * Math.sin(added)});
        nodes.add(n); added++;
      }
      if (nodes.get(other) && !edges.get(e.id)) { edges.add(e); }
    });
    status.textContent = data.texts.expanded.replace("{n}", String(added));
    document.body.setAttribute("data-expanded", String(Number(document.body.getAttribute("data-expanded") || 0) + added));
    return added;
  }
  network.on("doubleClick", function (p) { if (p.nodes.length) { expand(p.nodes[0]); } });
  // Search: the first node whose label contains the text is selected and centred.
  var search = document.getElementById("search");
  function find() {
    var q = search.value.trim().toLowerCase();
    if (!q) { return; }
    var hit = nodes.get({filter: function (n) { return String(n.label).toLowerCase().indexOf(q) >= 0; }})[0];
    if (!hit) { status.textContent = data.texts.notFound; return; }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: Math.max(network.getScale(), MIN_PX / FONT), animation: false});
    status.textContent = hit.title;
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(); } });
  search.addEventListener("change", find);
  window.kgNetwork = network;
  window.kgExpand = expand;
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'">
<title>{title}</title>
<style>{css}</style>
<style>
  html, body {{ margin: 0; padding: 0; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; background: #fff; }}
  #graph {{ width: 100%; height: {height}px; border: 1px solid #e3e6ea; border-radius: 6px; box-sizing: border-box; }}
  #bar {{ display: flex; gap: 10px; align-items: center; flex-wrap: wrap; font-size: 13px; color: #333; margin: 0 0 6px 0; }}
  .key {{ display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }}
  .key svg {{ display: block; }}
  #search {{ font-size: 13px; padding: 2px 6px; border: 1px solid #c3c8cf; border-radius: 4px; width: 12em; }}
  .tools {{ margin-left: auto; display: inline-flex; gap: 4px; }}
  .tools button {{ font-size: 12px; padding: 2px 8px; cursor: pointer; background: #fff; border: 1px solid #c3c8cf; border-radius: 4px; }}
  #status {{ font-size: 12px; color: #444; min-height: 1.2em; white-space: pre-wrap; margin-top: 4px; }}
  #edges {{ display: flex; gap: 12px; font-size: 12px; color: #444; margin: 0 0 4px 0; flex-wrap: wrap; }}
  div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; font-family: inherit; font-size: 13px; }}
</style>
</head>
<body>
<div id="bar" aria-label="{legend_label}">{legend}<span class="tools"><input id="search" type="search" list="names" placeholder="{search}" aria-label="{search}"><datalist id="names">{names}</datalist><button id="zoom-out" type="button" aria-label="−">−</button><button id="zoom-in" type="button" aria-label="+">+</button><button id="fit" type="button">{fit}</button></span></div>
<div id="edges">{edge_legend}</div>
<div id="graph" role="img" aria-label="{title}"></div>
<div id="status" aria-live="polite"></div>
<script id="graph-data" type="application/json">{data}</script>
<script>{vis}</script>
<script>{init}</script>
</body>
</html>
"""


def _options(layout: str, direction: str, edge_count: int, physics: bool) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {"size": FONT_PX, "face": "Arial", "multi": False},
            "borderWidth": 1,
            "scaling": {"label": {"enabled": False, "drawThreshold": MIN_LABEL_PX}},
            "widthConstraint": {"maximum": 220},
            "margin": 8,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#7b8794", "highlight": "#1f2933"},
            "font": {"size": 12, "align": "middle", "strokeWidth": 3},
            "selectionWidth": 2,
            "scaling": {"label": {"enabled": False, "drawThreshold": MIN_LABEL_PX}},
        },
        "interaction": {
            "hover": True,
            "zoomView": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
            "zoomSpeed": 0.6,
        },
    }
    if layout == "hierarchical":
        opts["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": direction,
                "sortMethod": "directed",
                "levelSeparation": 240 if direction in ("LR", "RL") else 120,
                "nodeSpacing": 70 if direction in ("LR", "RL") else 190,
                "treeSpacing": 120,
                "blockShifting": True,
                "edgeMinimization": True,
                "parentCentralization": True,
                "shakeTowards": "roots",
            }
        }
        opts["edges"]["smooth"] = {
            "enabled": True,
            "type": "cubicBezier",
            "forceDirection": "horizontal" if direction in ("LR", "RL") else "vertical",
            "roundness": 0.4,
        }
        opts["physics"] = {"enabled": False}
    else:
        opts["layout"] = {"randomSeed": 7, "improvedLayout": edge_count < 400}
        opts["edges"]["smooth"] = {"enabled": True, "type": "dynamic"}
        opts["physics"] = {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4500,
                "centralGravity": 0.35,
                "springLength": 105,
                "springConstant": 0.04,
                "avoidOverlap": 0.3,
            },
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        }
    return opts


def _node(n: GNode, layout: str) -> dict[str, Any]:
    colour, shape = STYLE.get(group_of(n.kind), STYLE["other"])
    # Labels and tooltips are plain text: the canvas draws them and vis-network sets string
    # tooltips with innerText, so they are not HTML-escaped (that showed "&amp;").
    item: dict[str, Any] = {
        "id": n.id,
        "label": plain(n.label),
        "title": plain(n.title or n.label),
        "shape": shape,
        "color": {
            "background": colour,
            "border": "#1f2933" if n.start else "#4d5660",
            "highlight": {"background": colour, "border": "#000"},
        },
        "font": {
            "color": "#ffffff"
            if shape in ("box", "ellipse") and group_of(n.kind) != "goal"
            else "#1f2933",
            "bold": n.start,
        },
        "borderWidth": 3 if n.start else 1,
    }
    if shape not in ("box", "ellipse"):
        item["size"] = 14 + min(16, 3 * (n.count - 1)) if n.count > 1 else (20 if n.start else 13)
    if layout == "hierarchical" and n.level is not None:
        item["level"] = int(n.level)
    return item


def _edge(i: str, e: GEdge, show_label: bool) -> dict[str, Any]:
    return {
        "id": i,
        "from": e.source,
        "to": e.target,
        "label": plain(e.label) if show_label else "",
        "title": plain(e.title or e.label),
        "dashes": bool(e.dashes),
        "width": float(e.width),
    }


def vis_data(spec: GraphSpec, layout: str = "force", direction: str = "LR") -> dict[str, Any]:
    """The JSON handed to vis-network (plain strings; :func:`script_json` makes it inert)."""
    show_edge_labels = len(spec.edges) <= 80
    nodes = [_node(n, layout) for n in spec.nodes]
    edges = [_edge(f"e{i}", e, show_edge_labels) for i, e in enumerate(spec.edges)]
    reserve = {
        "nodes": [_node(n, "force") for n in spec.reserve_nodes],
        "edges": [_edge(f"r{i}", e, show_edge_labels) for i, e in enumerate(spec.reserve_edges)],
    }
    physics = layout != "hierarchical"
    # the first view centres on the start node, or on the best-connected node when there is none
    # (the middle of a wide hierarchy is often empty space)
    degree: dict[str, int] = {}
    for e in spec.edges:
        degree[e.source] = degree.get(e.source, 0) + 1
        degree[e.target] = degree.get(e.target, 0) + 1
    hub = max(spec.nodes, key=lambda n: degree.get(n.id, 0)).id if spec.edges else None
    focus = next((n.id for n in spec.nodes if n.start), hub)
    return {
        "nodes": nodes,
        "edges": edges,
        "physics": physics,
        "reserve": reserve,
        "focus": focus,
        "minPx": MIN_LABEL_PX,
        "options": _options(layout, direction, len(edges), physics),
    }


# -- the legend: the same shapes vis-network draws, as small inline SVGs ----------------------

_SHAPES = {
    "box": '<rect x="1" y="3" width="14" height="10" rx="2"/>',
    "ellipse": '<ellipse cx="8" cy="8" rx="7" ry="5"/>',
    "dot": '<circle cx="8" cy="8" r="6"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "triangle": '<polygon points="8,1 15,14 1,14"/>',
    "triangleDown": '<polygon points="1,2 15,2 8,15"/>',
    "star": '<polygon points="8,1 9.8,5.9 15,6 10.9,9.2 12.3,14.3 8,11.3 3.7,14.3 5.1,9.2 1,6 6.2,5.9"/>',
    "hexagon": '<polygon points="8,1 14.1,4.5 14.1,11.5 8,15 1.9,11.5 1.9,4.5"/>',
}


def shape_svg(shape: str, colour: str) -> str:
    """A 16 px swatch of a vis-network node shape (the legend draws what the canvas draws)."""
    body = _SHAPES.get(shape, _SHAPES["dot"])
    return (
        f'<svg width="16" height="16" viewBox="0 0 16 16" data-shape="{attr(shape)}" aria-hidden="true">'
        f'<g fill="{attr(colour)}" stroke="#4d5660" stroke-width="1">{body}</g></svg>'
    )


def edge_svg(dashed: bool = False, width: float = 1.0) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<svg width="34" height="12" viewBox="0 0 34 12" aria-hidden="true"><line x1="1" y1="6" x2="27" y2="6" '
        f'stroke="#7b8794" stroke-width="{float(width)}"{dash}/><polygon points="26,2 33,6 26,10" fill="#7b8794"/></svg>'
    )


def edge_styles(spec: GraphSpec) -> list[str]:
    """The edge styles drawn in ``spec``: ``plain``, ``dashed``, ``high``, ``primary``."""
    found = {"plain"} if spec.edges else set()
    for e in spec.edges + spec.reserve_edges:
        if e.dashes:
            found.add("dashed")
        if e.width >= 3:
            found.add("primary")
        elif e.width > 1:
            found.add("high")
    return [k for k in ("plain", "dashed", "high", "primary") if k in found]


EDGE_STYLE = {
    "plain": (False, 1.0),
    "dashed": (True, 1.0),
    "high": (False, 1.5),
    "primary": (False, 3.0),
}


def to_html(
    spec: GraphSpec,
    *,
    layout: str = "force",
    direction: str = "LR",
    height: int = 600,
    legend: list[tuple[str, str]] | None = None,
    title: str = "",
    lang: str = "nb",
    fit_label: str = "Fit",
    texts: dict[str, str] | None = None,
) -> str:
    """A complete HTML page drawing ``spec``.

    ``legend`` is a list of (kind group, text) pairs; the colour and shape come from
    :data:`STYLE`. ``texts`` holds the page's own words (``search``, ``expanded`` with ``{n}``,
    ``notFound``, ``edge.plain`` … ``edge.primary``, ``dblclick``); English by default. All
    texts are escaped here, so callers pass plain strings.
    """
    words = {**DEFAULT_TEXTS, **(texts or {})}
    js, css = vis_assets()
    data = vis_data(spec, layout, direction)
    data["texts"] = {"expanded": words["expanded"], "notFound": words["notFound"]}
    keys = []
    for group, label in legend or []:
        colour, shape = STYLE.get(group, STYLE["other"])
        keys.append(
            f'<span class="key" data-group="{attr(group)}">{shape_svg(shape, colour)}{attr(label)}</span>'
        )
    edge_keys = [
        f'<span class="key" data-edge="{k}">{edge_svg(*EDGE_STYLE[k])}{attr(words["edge." + k])}</span>'
        for k in edge_styles(spec)
    ]
    if spec.reserve_edges:
        edge_keys.append(f'<span class="key">{attr(words["dblclick"])}</span>')
    names = "".join(f'<option value="{attr(n.label)}"></option>' for n in spec.nodes[:2000])
    hashes = " ".join((_sha256(js), _sha256(_INIT)))
    return _PAGE.format(
        lang=attr(lang if lang in ("nb", "en") else "nb"),
        hashes=hashes,
        title=attr(title),
        css=css,
        height=int(height),
        legend="".join(keys),
        legend_label=attr(title),
        fit=attr(fit_label),
        data=script_json(data),
        vis=js,
        init=_INIT,
        search=attr(words["search"]),
        names=names,
        edge_legend="".join(edge_keys),
    )


DEFAULT_TEXTS = {
    "search": "Find a node",
    "expanded": "{n} neighbours added",
    "notFound": "No node matches",
    "edge.plain": "relation",
    "edge.dashed": "indirect (refers to, guided by)",
    "edge.high": "high criticality",
    "edge.primary": "primary criticality",
    "dblclick": "Double-click a node to show its neighbours",
}


def choose_layout(spec: GraphSpec, widest: int = 12) -> str:
    """``hierarchical`` when the levels are narrow enough to read as columns, else ``force``."""
    counts: dict[int, int] = {}
    for n in spec.nodes:
        if n.level is None:
            return "force"
        counts[n.level] = counts.get(n.level, 0) + 1
    return "hierarchical" if counts and max(counts.values()) <= widest else "force"


def legend_for(spec: GraphSpec) -> list[str]:
    """The kind groups present in ``spec``, in a stable order (for the legend)."""
    present = {group_of(n.kind) for n in spec.nodes}
    return [g for g in STYLE if g in present]
