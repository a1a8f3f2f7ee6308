"""The Kommunegraf ontology as a package: kg.ttl and shapes.ttl ship as package data.

The lowest layer: both :mod:`loaders` and :mod:`graph` import it, it imports neither. The
Turtle files are found with :mod:`importlib.resources`, so they are read from an installed
wheel as well as from a checkout.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(name: str) -> Traversable:
    """One file of the ontology package (``kg.ttl``, ``shapes.ttl``)."""
    return resources.files(__name__).joinpath(name)


def read(name: str) -> str:
    """The text of one ontology file.

    >>> read("kg.ttl").startswith("@prefix")
    True
    """
    return resource(name).read_text(encoding="utf-8")


def folder() -> Path:
    """The package folder on disk (a wheel is installed unzipped; rdflib and pyoxigraph want paths)."""
    return Path(str(resources.files(__name__)))
