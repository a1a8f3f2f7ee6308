"""The examples in the docstrings of graph/, loaders/, ontology/ and queries/ run and hold.

Every module of those packages is imported and its doctests run (like ``--doctest-modules``,
without collecting tests/ or the app's Streamlit pages). A module whose examples fail fails here.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

PACKAGES = ("graph", "loaders", "ontology", "queries")


def module_names() -> list[str]:
    names = []
    for package in PACKAGES:
        names.append(package)
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if not info.name.endswith("__main__"):  # importing it would run the CLI
                names.append(info.name)
    return sorted(names)


MODULES = module_names()
FINDER = doctest.DocTestFinder(exclude_empty=True)


def examples(module: ModuleType) -> list[doctest.DocTest]:
    return [t for t in FINDER.find(module, module.__name__) if t.examples]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in examples(module):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_the_examples_are_found() -> None:
    """The modules known to carry examples are collected (a finder that finds nothing passes all)."""
    found = {name: len(examples(importlib.import_module(name))) for name in MODULES}
    for name in ("graph.values", "graph.netx", "graph.analysis", "ontology.terms"):
        assert found[name] >= 1, name
    assert sum(found.values()) >= 12
