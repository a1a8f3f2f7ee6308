"""The UN SDG loader: 17 goals, 169 targets and the indicators as SKOS concepts, in nb and en.

Concepts are keyed by their official codes under the UN KOS namespace
(``http://metadata.un.org/sdg/3.a``), so local goals link to the same IRIs that other SDG
data uses. Titles come from data/sdg (in a wheel: ``loaders.sdg_data``; open-sdg translations, MIT).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import yaml
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from loaders.triples import RDF_TYPE, sdg_iri
from ontology.terms import KG, SDG_NS, iri

if TYPE_CHECKING:

    class Folder(Traversable, Hashable, Protocol):
        """A folder of data files that the caches below can key on (Traversable is not Hashable)."""

else:
    Folder = Traversable


def _sdg_dir() -> Folder:
    """data/sdg: in a checkout that folder, in an installed wheel the package ``loaders.sdg_data``."""
    try:  # files() of a regular package is a path (hashable)
        return cast("Folder", resources.files("loaders.sdg_data"))
    except ModuleNotFoundError:  # a checkout on sys.path: the folder itself
        return Path(__file__).resolve().parent.parent / "data" / "sdg"


SDG_DIR = _sdg_dir()
GRAPH = NamedNode(SDG_NS + "graph")
SCHEME = NamedNode(SDG_NS + "scheme")
KEY = re.compile(r"^(\d+(?:-[0-9a-z]+)*)-(title|short)$")
LANGS = {"en": "en", "nb_NO": "nb"}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser, where PyYAML has it


@cache
def titles(folder: Folder = SDG_DIR) -> dict[str, dict[str, dict[str, str]]]:
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


ENGLISH_MARK = "(engelsk tekst)"
REPEAT = re.compile(r"\b(\w{3,}(?: \w+){0,2}) og \1\b", re.IGNORECASE)


@cache
def corrections(folder: Folder = SDG_DIR) -> dict[str, dict[str, str]]:
    """code → {lang → note} for the Norwegian texts shown in English (data/sdg/corrections.yml)."""
    path = folder / "corrections.yml"
    if not path.is_file():  # is_file: a Traversable (in a wheel) has no exists()
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    return {str(code): dict(entry["problem"]) for code, entry in data.items()}


def text_problems(texts: dict[str, dict[str, dict[str, str]]], lang: str = "nb") -> list[str]:
    """What is wrong with the ``lang`` titles: two codes sharing a text although their English
    titles differ (1.a carrying 1.5's), or a phrase repeated around «og» ("beskytte og beskytte").

    >>> text_problems({"1.5": {"title": {"nb": "A", "en": "x"}}, "1.a": {"title": {"nb": "A", "en": "y"}},
    ...                "2.5": {"title": {"nb": "rettferdig og rettferdig", "en": "fair and equitable"}}})
    ['1.a: same text as 1.5', "2.5: repeats 'rettferdig'"]
    """
    problems: list[str] = []
    first: dict[str, str] = {}  # text → the first code that has it
    for code in sorted(texts, key=lambda c: [(len(x), x) for x in c.split(".")]):
        title = texts[code].get("title", {})
        text = title.get(lang)
        if not text:
            continue
        other = first.setdefault(text, code)
        if other != code and texts[other]["title"].get("en") != title.get("en"):
            problems.append(f"{code}: same text as {other}")
        m = REPEAT.search(text)
        if m:
            problems.append(f"{code}: repeats '{m[1]}'")
    return problems


def corrected(folder: Folder = SDG_DIR) -> dict[str, dict[str, dict[str, str]]]:
    """:func:`titles` with each Norwegian text in :func:`corrections` replaced by the English one,
    marked, so no wrong Norwegian text is shown."""
    out = titles(folder)
    fixes = corrections(folder)
    if not fixes:
        return out
    out = {code: {k: dict(v) for k, v in texts.items()} for code, texts in out.items()}
    for code in fixes:
        title = out.get(code, {}).get("title", {})
        if "en" in title:
            title["nb"] = f"{ENGLISH_MARK} {title['en']}"
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
    note = NamedNode(iri("skos:editorialNote"))
    fixes = corrections()
    for code, texts in sorted(corrected().items()):
        node = sdg_iri(code)
        for lang, text in fixes.get(code, {}).items():  # why a Norwegian text is shown in English
            yield Quad(node, note, Literal(text, language=lang), GRAPH)
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
    data = serialize(list(quads()), format=RdfFormat.N_QUADS)
    assert data is not None  # without an output, serialize returns the bytes
    return data
