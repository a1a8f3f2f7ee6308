"""Render a graph as one self-contained HTML page with vis-network (no network access needed).

The page is written here, not by pyvis: pyvis' template puts titles into ``innerHTML`` when
any title contains "href" and pastes the heading and options unescaped (see
docs on visualisation). This module only borrows the vis-network files that ship inside the
pyvis package (``pyvis/templates/lib/vis-9.1.2``) and inlines them, so a graph renders with
no CDN. Safety rules, each enforced here and tested:

- every text from data (labels, tooltips, legend, headings) goes through :func:`html.escape`
  before it is put into the page;
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
    "Program": "programme", "Project": "project", "SubProject": "project", "Study": "project", "Task": "project",
    "GovernanceBody": "body", "Person": "person", "Post": "person",
    "Organization": "organization", "Municipality": "organization", "County": "organization",
    "Company": "organization", "InterMunicipalCooperation": "organization", "StateAgency": "organization",
    "OrganizationalUnit": "organization", "ChangeEvent": "decision",
    "System": "system", "SystemDomain": "domain",
    "SDGGoal": "sdg", "SDGTarget": "sdg", "SDGIndicator": "sdg",
    "LocalGoal": "goal", "ProjectGoal": "goal",
    "Plan": "plan", "Action": "action", "KPI": "kpi",
    "Milestone": "milestone", "Phase": "milestone", "Decision": "decision", "DecisionPoint": "decision",
    "Mandate": "mandate", "MandateItem": "mandate", "Deliverable": "mandate",
    "SourceDocument": "source", "BudgetLine": "other", "Risk": "decision", "Ambiguity": "other",
}  # fmt: skip


def group_of(kind: str) -> str:
    return KIND_GROUP.get(kind, "other")


# -- escaping ------------------------------------------------------------------------------


def text(value: Any) -> str:
    """Data text made inert for HTML: ``& < >`` escaped (quotes stay, JSON escapes them)."""
    return html.escape("" if value is None else str(value), quote=False)


def attr(value: Any) -> str:
    """Data text for an HTML attribute or element body: everything escaped, quotes too."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>``, ``&`` or line separators."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))  # fmt: skip


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
  function done() {
    if (data.physics) { network.setOptions({physics: false}); }
    network.fit({animation: false});
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
  window.kgNetwork = network;
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
  .sw {{ display: inline-block; width: 12px; height: 12px; border: 1px solid #555; }}
  .sw.ellipse, .sw.dot, .sw.hexagon {{ border-radius: 50%; }}
  .sw.diamond {{ transform: rotate(45deg) scale(.8); }}
  .sw.triangle, .sw.triangleDown, .sw.star {{ clip-path: polygon(50% 0, 100% 100%, 0 100%); }}
  .tools {{ margin-left: auto; display: inline-flex; gap: 4px; }}
  .tools button {{ font-size: 12px; padding: 2px 8px; cursor: pointer; background: #fff; border: 1px solid #c3c8cf; border-radius: 4px; }}
  #status {{ font-size: 12px; color: #444; min-height: 1.2em; white-space: pre-wrap; margin-top: 4px; }}
  div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; font-family: inherit; font-size: 13px; }}
</style>
</head>
<body>
<div id="bar" aria-label="{legend_label}">{legend}<span class="tools"><button id="zoom-out" type="button" aria-label="−">−</button><button id="zoom-in" type="button" aria-label="+">+</button><button id="fit" type="button">{fit}</button></span></div>
<div id="graph" role="img" aria-label="{title}"></div>
<div id="status" aria-live="polite"></div>
<script id="graph-data" type="application/json">{data}</script>
<script>{vis}</script>
<script>{init}</script>
</body>
</html>
"""


def _options(layout: str, direction: str, edge_count: int, physics: bool) -> dict:
    opts: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "Arial", "multi": False}, "borderWidth": 1,
                  "scaling": {"label": {"enabled": False, "drawThreshold": 3}},
                  "widthConstraint": {"maximum": 220}, "margin": 8},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "color": {"color": "#7b8794", "highlight": "#1f2933"},
                  "font": {"size": 11, "align": "middle", "strokeWidth": 3}, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "zoomSpeed": 0.6},
    }  # fmt: skip
    if layout == "hierarchical":
        opts["layout"] = {"hierarchical": {"enabled": True, "direction": direction, "sortMethod": "directed",
                                           "levelSeparation": 240 if direction in ("LR", "RL") else 120,
                                           "nodeSpacing": 70 if direction in ("LR", "RL") else 190,
                                           "treeSpacing": 120, "blockShifting": True,
                                           "edgeMinimization": True, "parentCentralization": True,
                                           "shakeTowards": "roots"}}  # fmt: skip
        opts["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier",
                                   "forceDirection": "horizontal" if direction in ("LR", "RL") else "vertical",
                                   "roundness": 0.4}  # fmt: skip
        opts["physics"] = {"enabled": False}
    else:
        opts["layout"] = {"randomSeed": 7, "improvedLayout": edge_count < 400}
        opts["edges"]["smooth"] = {"enabled": True, "type": "dynamic"}
        opts["physics"] = {"enabled": physics, "solver": "barnesHut",
                           "barnesHut": {"gravitationalConstant": -4500, "centralGravity": 0.35, "springLength": 105,
                                         "springConstant": 0.04, "avoidOverlap": 0.3},
                           "stabilization": {"enabled": True, "iterations": 400, "fit": True}}  # fmt: skip
    return opts


def vis_data(spec: GraphSpec, layout: str = "force", direction: str = "LR") -> dict:
    """The JSON handed to vis-network (every string escaped with :func:`text`)."""
    show_edge_labels = len(spec.edges) <= 80
    nodes = []
    for n in spec.nodes:
        colour, shape = STYLE.get(group_of(n.kind), STYLE["other"])
        item: dict[str, Any] = {
            "id": n.id, "label": text(n.label), "title": text(n.title or n.label), "shape": shape,
            "color": {"background": colour, "border": "#1f2933" if n.start else "#4d5660",
                      "highlight": {"background": colour, "border": "#000"}},
            "font": {"color": "#ffffff" if shape in ("box", "ellipse") and group_of(n.kind) != "goal" else "#1f2933",
                     "bold": n.start},
            "borderWidth": 3 if n.start else 1,
        }  # fmt: skip
        if shape not in ("box", "ellipse"):
            item["size"] = (
                14 + min(16, 3 * (n.count - 1)) if n.count > 1 else (20 if n.start else 13)
            )
        if layout == "hierarchical" and n.level is not None:
            item["level"] = int(n.level)
        nodes.append(item)
    edges = []
    for i, e in enumerate(spec.edges):
        edges.append({"id": f"e{i}", "from": e.source, "to": e.target,
                      "label": text(e.label) if show_edge_labels else "", "title": text(e.title or e.label),
                      "dashes": bool(e.dashes), "width": float(e.width)})  # fmt: skip
    physics = layout != "hierarchical"
    return {"nodes": nodes, "edges": edges, "physics": physics,
            "options": _options(layout, direction, len(edges), physics)}  # fmt: skip


def to_html(spec: GraphSpec, *, layout: str = "force", direction: str = "LR", height: int = 600,
            legend: list[tuple[str, str]] | None = None, title: str = "", lang: str = "nb",
            fit_label: str = "Fit") -> str:  # fmt: skip
    """A complete HTML page drawing ``spec``.

    ``legend`` is a list of (kind group, text) pairs; the colour and shape come from
    :data:`STYLE`. All texts are escaped here, so callers pass plain strings.
    """
    js, css = vis_assets()
    data = vis_data(spec, layout, direction)
    keys = []
    for group, label in legend or []:
        colour, shape = STYLE.get(group, STYLE["other"])
        keys.append(f'<span class="key"><span class="sw {attr(shape)}" style="background:{attr(colour)}"></span>'
                    f"{attr(label)}</span>")  # fmt: skip
    hashes = " ".join((_sha256(js), _sha256(_INIT)))
    return _PAGE.format(lang=attr(lang if lang in ("nb", "en") else "nb"), hashes=hashes, title=attr(title),
                        css=css, height=int(height), legend="".join(keys), legend_label=attr(title),
                        fit=attr(fit_label), data=script_json(data), vis=js, init=_INIT)  # fmt: skip


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
