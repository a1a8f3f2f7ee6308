"""The UN SDG loader: 17 goals, 169 targets and the indicators as SKOS concepts, in nb and en.

Concepts are keyed by their official codes under the UN KOS namespace
(``http://metadata.un.org/sdg/3.a``), so local goals link to the same IRIs that other SDG
data uses. Titles come from data/sdg (in a wheel: ``loaders.sdg_data``; open-sdg translations, MIT).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from loaders.triples import RDF_TYPE, sdg_iri
from ontology.terms import KG, SDG_NS, iri


def _sdg_dir() -> Traversable:
    """data/sdg: in a checkout that folder, in an installed wheel the package ``loaders.sdg_data``."""
    try:
        return resources.files("loaders.sdg_data")
    except ModuleNotFoundError:  # a checkout on sys.path: the folder itself
        return Path(__file__).resolve().parent.parent / "data" / "sdg"


SDG_DIR = _sdg_dir()
GRAPH = NamedNode(SDG_NS + "graph")
SCHEME = NamedNode(SDG_NS + "scheme")
KEY = re.compile(r"^(\d+(?:-[0-9a-z]+)*)-(title|short)$")
LANGS = {"en": "en", "nb_NO": "nb"}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser, where PyYAML has it


@cache
def titles(folder: Traversable = SDG_DIR) -> dict[str, dict[str, dict[str, str]]]:
    """code → {'title'|'short' → {lang → text}} for every goal, target and indicator."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    found = (
        f for f in folder.iterdir() if f.name.startswith("global_") and f.name.endswith(".yml")
    )
    for path in sorted(found, key=lambda f: f.name):
        lang = LANGS[path.name.rsplit(".", 2)[1]]
        for key, text in (
            yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        ).items():
            m = KEY.match(str(key))
            if m and text:
                code = m[1].replace("-", ".")
                out.setdefault(code, {}).setdefault(m[2], {})[lang] = " ".join(str(text).split())
    return out


def codes() -> frozenset[str]:
    return frozenset(titles())


def level(code: str) -> str:
    return ("SDGGoal", "SDGTarget", "SDGIndicator")[code.count(".")]


def quads() -> Iterator[Quad]:
    label = NamedNode(iri("skos:prefLabel"))
    alt = NamedNode(iri("skos:altLabel"))
    notation = NamedNode(iri("skos:notation"))
    broader = NamedNode(iri("skos:broader"))
    in_scheme = NamedNode(iri("skos:inScheme"))
    concept = NamedNode(iri("skos:Concept"))
    yield Quad(SCHEME, RDF_TYPE, NamedNode(iri("skos:ConceptScheme")), GRAPH)
    yield Quad(SCHEME, label, Literal("FNs bærekraftsmål", language="nb"), GRAPH)
    yield Quad(SCHEME, label, Literal("UN Sustainable Development Goals", language="en"), GRAPH)
    for code, texts in sorted(titles().items()):
        node = sdg_iri(code)
        yield Quad(node, RDF_TYPE, NamedNode(KG[level(code)]), GRAPH)
        yield Quad(node, RDF_TYPE, concept, GRAPH)
        yield Quad(node, notation, Literal(code), GRAPH)
        yield Quad(node, in_scheme, SCHEME, GRAPH)
        if "." in code:
            yield Quad(node, broader, sdg_iri(code.rsplit(".", 1)[0]), GRAPH)
        # A goal is known by its short name ("3 God helse"); a target by its full text.
        main, other = ("title", "short") if "." in code else ("short", "title")
        for lang, text in texts.get(main, {}).items():
            yield Quad(node, label, Literal(f"{code} {text}", language=lang), GRAPH)
        for lang, text in texts.get(other, {}).items():
            yield Quad(node, alt, Literal(text, language=lang), GRAPH)


@cache
def nquads() -> bytes:
    """The SDG graph as N-Quads (the same for every load: built once)."""
    return serialize(list(quads()), format=RdfFormat.N_QUADS)
