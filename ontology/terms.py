"""Ontology terms as Python constants, read from the package's kg.ttl at import time.

``KG.dependsOn`` works only if the ontology declares ``kg:dependsOn``; a misspelled term
raises :class:`AttributeError` at import of the module that uses it, not at run time in a
query. Reused vocabularies come from rdflib's closed namespaces, which behave the same way
(imported only when :func:`iri` expands one: a one-shot ``kg`` command does not import rdflib).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from ontology import folder, read

ONTOLOGY_DIR = folder()  # for messages and tools that write the files (loaders.shapes)
KG_NS = "https://w3id.org/kommunegraf/ontology#"
SDG_NS = "http://metadata.un.org/sdg/"

# As rdflib.namespace spells them (tests/test_startup.py compares), written out so that
# importing the terms does not import rdflib (~0.4 s of every ``kg`` command's start).
PREFIXES = {
    "kg": KG_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sdg": SDG_NS,
}


@cache
def _closed() -> dict[str, Any]:
    """rdflib's closed namespaces of the reused vocabularies (an unknown term raises)."""
    from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS

    return {
        "skos": SKOS,
        "dct": DCTERMS,
        "prov": PROV,
        "org": ORG,
        "foaf": FOAF,
        "rdf": RDF,
        "rdfs": RDFS,
    }


@cache
def declared() -> frozenset[str]:
    """Local names declared with ``kg:`` in the ontology files (a cheap scan, no RDF parse)."""
    names: set[str] = set()
    pattern = re.compile(r"^kg:([A-Za-z][A-Za-z0-9_]*)\s+(?:a|rdf:type)\s", re.M)
    for name in ontology_files():
        names.update(pattern.findall(read(name)))
    return frozenset(names)


def ontology_files() -> list[str]:
    """The names of the ontology's Turtle files (``kg*.ttl``), in order.

    >>> ontology_files()
    ['kg.ttl']
    """
    return sorted(f.name for f in files("ontology").iterdir() if re.fullmatch(r"kg.*\.ttl", f.name))


class _Vocabulary:
    """Attribute access to ``kg:`` terms that the ontology declares, as IRI strings."""

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in declared():
            raise AttributeError(f"kg:{name} is not declared in {ONTOLOGY_DIR}/kg.ttl")
        return KG_NS + name

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)  # the instance has no attributes of its own


KG = _Vocabulary()


def iri(curie: str) -> str:
    """Expand ``kg:dependsOn`` / ``skos:prefLabel`` / a bare ``dependsOn`` to a checked IRI."""
    prefix, sep, local = curie.partition(":")
    if not sep:
        return KG[curie]
    if prefix == "kg":
        return KG[local]
    if prefix in _closed():
        return str(_closed()[prefix][local])  # closed namespace: unknown term raises
    raise KeyError(f"unknown prefix in {curie!r}")


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
