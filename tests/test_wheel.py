"""The built wheel installs and works outside the checkout.

Builds the wheel from a copy of the checkout (no network: ``--no-build-isolation`` with the
setuptools and wheel already installed), installs it into a fresh virtualenv that reuses the
installed dependencies (``--system-site-packages``), and from a folder outside the checkout runs
``kg load`` on the bundled nye Asker data and one named query. The venv's Python must import
``graph`` from the wheel, never from the checkout (a wheel without its .ttl/.rq files failed
with ``kg:documentType is not declared``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = {
    ".git",
    ".kg",
    "build",
    "test-artifacts",
    ".venv",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "target",
    "results",
    "node_modules",
}


def _ignore(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in SKIP or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy (a build writes build/ and *.egg-info into its source)."""
    src = tmp_path_factory.mktemp("src") / "kommunegraf"
    shutil.copytree(ROOT, src, ignore=_ignore)
    out = tmp_path_factory.mktemp("dist")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(out),
        str(src),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("kommunegraf-*.whl")
    return built


def test_wheel_holds_the_packages_and_their_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "ontology/kg.ttl",
        "ontology/shapes.ttl",
        "ontology/terms.py",
        "queries/dependencies.rq",
        "queries/dependencies.cypher",
        "queries/__init__.py",
        "graph/cli.py" if (ROOT / "graph" / "cli.py").exists() else "graph/cli/__init__.py",
        "loaders/dataset.py",
        "loaders/sdg_data/global_targets.nb_NO.yml",
    ):
        assert name in names, name
    # every named query and every package of the checkout is in it
    for path in (ROOT / "queries").iterdir():
        if path.suffix in (".rq", ".cypher"):
            assert f"queries/{path.name}" in names, path.name
    for init in ROOT.glob("[glo]*/**/__init__.py"):
        rel = init.relative_to(ROOT).as_posix()
        if rel.split("/")[0] in ("graph", "loaders", "ontology"):
            assert rel in names, f"package {init.parent.name} missing from the wheel (setup.py)"
    # and not the bundled dataset, nor tests
    assert not [n for n in names if n.startswith(("data/", "tests/", "nye-asker"))]


def test_installed_wheel_loads_and_answers_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)  # ensurepip: offline
    py, kg = env_dir / "bin" / "python", str(env_dir / "bin" / "kg")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        KG_STORE=str(tmp_path / "store"), KG_SNAPSHOTS="0", KG_CONFIG=str(tmp_path / "none.toml")
    )
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=600)

    # (pip leaves the checkout's editable install in the base environment alone: outside the venv)
    done = run(
        str(py),
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--force-reinstall",
        "--no-index",
        str(wheel),
    )
    assert done.returncode == 0, done.stdout + done.stderr

    where = run(
        str(py),
        "-c",
        "import graph, ontology, queries, loaders; "
        "print(graph.__file__); print(ontology.__file__); print(queries.__file__)",
    )
    assert where.returncode == 0, where.stderr
    for file in where.stdout.split():
        assert Path(file).is_relative_to(env_dir), f"{file} is not from the wheel in {env_dir}"
        assert not Path(file).is_relative_to(ROOT)

    loaded = run(kg, "--lang", "en", "load", str(ROOT / "data" / "nye-asker"), "--no-warm")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "Traceback" not in loaded.stderr and "not declared" not in loaded.stdout + loaded.stderr

    # 000 L1857–1865 (seed-inventory D1–D5): A4 depends on A2 (the main one), A1, A3, A5 and A6.
    answer = run(kg, "--lang", "en", "run", "dependencies", "-p", "project=A4", "--format", "json")
    assert answer.returncode == 0, answer.stdout + answer.stderr
    rows = json.loads(answer.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    direct = {r["code"]: r for r in rows if r["depth"] == 1}
    assert {"A1", "A2", "A3", "A5", "A6"} <= set(direct)
    assert direct["A2"]["criticality"] == "primary"
    assert "A4" not in direct  # a project does not depend on itself


def _imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (ast, not a regex)."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_lower_packages_import_nothing_from_graph() -> None:
    """ontology/ and queries/ are the bottom, loaders/ sits on ontology/: none of them may reach
    up into graph/ (it used to: loaders took the terms from graph.terms)."""
    files = [p for d in ("loaders", "ontology", "queries") for p in (ROOT / d).rglob("*.py")]
    assert len(files) > 10
    for path in files:
        upward = {m for m in _imported(path) if m == "graph" or m.startswith("graph.")}
        assert not upward, f"{path.relative_to(ROOT)} imports {sorted(upward)}"
    assert not (ROOT / "graph" / "terms.py").exists()  # the terms live in ontology/ only
