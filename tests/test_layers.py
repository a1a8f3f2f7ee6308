"""The import graph points down only, and graph/ has no import cycles (issue 11).

Layers, lowest first: the ontology terms (graph.terms, or the ``ontology`` package they move
to) → loaders → the stores → analysis, named queries, the networkx view and exports → the
answers (graph.answers) → drawing (graph.render) → the front ends (graph.cli, views/, app.py). Every import counts,
including those inside functions and modules named in strings (graph.answers loads its names
lazily): a function-level import may speed up start-up, but it may neither point up nor close
a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest
from conftest import ROOT

LAYERS: list[tuple[str, ...]] = [
    ("graph.terms", "ontology", "queries"),
    ("loaders",),
    (
        "graph.store",
        "graph.binding",
        "graph.safety",
        "graph.config",
        "graph.embedded",
        "graph.remote",
        "graph.neo4j",
        "graph.pgmap",
        "graph.pgread",
        "graph.snapshots",
        "graph.load",
        "graph.validate",
        "graph.push",
        "graph.diff",
        "graph.imports",
        "graph.synth",
        "graph.cells",
        "graph.cancel",
        "graph.writelock",
        "graph.aside",
        "graph.values",
        "graph.viewlines",
        "graph.viewparse",
        "graph.viewquery",
        "graph.neo4jrdf",
        "graph.shared",
        "graph",
    ),
    (
        "graph.analysis",
        "graph.queries",
        "graph.netx",
        "graph.viewpatch",
        "graph.exports",
        "graph.archimate",
        "graph.output",
        "graph.propagation",
        "graph.carryfile",
        "graph.whatif",
        "graph.schedule",
        "graph.certainty",
        "graph.served",
        "graph.conflicts",
        "graph.access",
        "graph.changes",
        "graph.edits",
        "graph.csvexport",
    ),
    ("graph.answers",),
    ("graph.render",),  # vis-network HTML: drawing is presentation, the answers do not draw
    ("graph.cli", "views", "app"),
]

# The store factory picks a backend module by name at run time (a plug-in registry, not a
# dodge): graph.store ↔ graph.embedded/remote/neo4j. The store-seam rework (issue 11, item 3)
# replaces it; until then these edges are left out of the cycle check, and only these.
REGISTRY = {
    ("graph.store", "graph.embedded"),
    ("graph.store", "graph.remote"),
    ("graph.store", "graph.neo4j"),
}


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for i, names in enumerate(LAYERS):
        for n in names:
            inside = module == n or (
                module.startswith(n + ".") and n != "graph"
            )  # graph: __init__ only
            if inside and len(n) > best:
                best, rank = len(n), i
    if rank < 0:
        raise AssertionError(f"{module}: in no layer; add it to LAYERS")
    return rank


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, Path]:
    files = [ROOT / "app.py"]
    for top in ("graph", "loaders", "views", "ontology"):
        files += sorted((ROOT / top).rglob("*.py"))
    return {module_name(f): f for f in files if f.exists()}


def imports(path: Path, module: str, known: set[str]) -> list[tuple[str, int]]:
    """Every project module ``path`` imports (at any depth of the code), with the line."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # "from graph import answers" imports the module graph.answers when there is one
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        elif isinstance(node, ast.Constant) and node.value in known and "." in str(node.value):
            names = [node.value]  # a module named in a string: a lazy import (importlib, PEP 562)
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                out.append((name, getattr(node, "lineno", 0)))
    return out


def edges() -> list[tuple[str, str, str]]:
    src = sources()
    known = set(src)
    return [
        (m, target, f"{src[m].relative_to(ROOT)}:{line}")
        for m, path in src.items()
        for target, line in imports(path, m, known)
    ]


def test_every_import_points_down_or_sideways():
    upward = [f"{where}: {m} imports {t}" for m, t, where in edges() if layer_of(t) > layer_of(m)]
    assert not upward, "\n".join(upward)


def test_no_cycles_among_modules_or_packages():
    g = nx.DiGraph()
    for m, t, where in edges():
        if (m, t) in REGISTRY or t == "graph" or m == "graph":
            continue
        g.add_edge(m, t, where=where)
        # A package imports what its __init__ re-exports; a module of it is part of the package,
        # so a cycle between packages (graph.answers → graph.cli → graph.answers) shows too.
        pm, pt = _package(m), _package(t)
        if pm != pt:
            g.add_edge(pm, pt, where=where)
    cycles = list(nx.simple_cycles(g))
    text = [
        "  →  ".join(c + [c[0]])
        + "  ("
        + ", ".join(g.edges[a, b]["where"] for a, b in zip(c, c[1:] + c[:1], strict=True))
        + ")"
        for c in cycles[:10]
    ]
    assert not cycles, "\n".join(text)


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) + ":pkg" if len(parts) > 2 else module + ":pkg"


@pytest.mark.parametrize(
    "code,bad",
    [
        ("from graph.cli import main\n", "graph.answers imports graph.cli"),
        ("from graph import answers\n", "graph.exports imports graph.answers"),
    ],
)
def test_the_check_sees_an_upward_import_inside_a_function(tmp_path, monkeypatch, code, bad):
    """The test can fail: an import placed inside a function is still found and refused."""
    module, target = bad.split(" imports ")
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    " + code.strip() + "\n", encoding="utf-8")
    found = imports(path, module, set(sources()))
    assert found and found[0][0] == target and layer_of(target) > layer_of(module)
