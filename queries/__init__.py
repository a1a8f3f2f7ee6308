"""The named queries as package data: ``<name>.rq`` (SPARQL) and ``<name>.cypher`` (Cypher).

Only data lives here; :mod:`graph.queries` reads and runs them. The files are found with
:mod:`importlib.resources`, so an installed wheel carries them.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def folder() -> Traversable:
    """The folder holding the query files (a plain folder in a checkout or an installed wheel).

    >>> sorted(f.name for f in folder().iterdir() if f.name.startswith("dependencies."))
    ['dependencies.cypher', 'dependencies.rq']
    """
    return resources.files(__name__)
