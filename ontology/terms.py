"""Ontology terms as Python constants, read from the package's kg.ttl at import time.

``KG.dependsOn`` works only if the ontology declares ``kg:dependsOn``; a misspelled term
raises :class:`AttributeError` at import of the module that uses it, not at run time in a
query. Reused vocabularies come from rdflib's closed namespaces, which behave the same way.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from ontology import folder, read

ONTOLOGY_DIR = folder()  # for messages and tools that write the files (loaders.shapes)
KG_NS = "https://w3id.org/kommunegraf/ontology#"
SDG_NS = "http://metadata.un.org/sdg/"

PREFIXES = {
    "kg": KG_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "sdg": SDG_NS,
}
_CLOSED = {
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
    if prefix in _CLOSED:
        return str(_CLOSED[prefix][local])  # closed namespace: unknown term raises
    raise KeyError(f"unknown prefix in {curie!r}")


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
