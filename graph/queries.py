"""Named queries: queries/<name>.rq (SPARQL) and queries/<name>.cypher (Cypher) share a name.

Each file starts with a header of ``#+`` lines (``//+`` in Cypher) holding YAML: a title and a
description in Norwegian and English, and the parameters with their types and defaults::

    #+ title: {nb: Hva prosjektet avhenger av, en: What a project depends on}
    #+ params:
    #+   project: {type: node, kinds: [projects], default: A4, nb: Prosjekt, en: Project}

Parameter values are converted to typed values (a ``node`` parameter is looked up by id,
code or label and becomes an IRI) and bound by the store, never pasted into the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any

import yaml

import queries as query_files
from graph.store import IRI, Capability, Limits, QueryError, Result, Store

TYPES = ("node", "string", "int", "decimal", "date", "bool", "enum")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    kinds: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    label: dict[str, str] = field(default_factory=dict)
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    params: tuple[Param, ...]
    sparql: str | None
    cypher: str | None
    group: str = "other"

    @property
    def version(self) -> str:
        """A short hash of the query's texts: answers kept on disk from its rows (graph.netx.cached)
        carry it in their name, so a store loaded before the query changed is not read for them."""
        both = f"{self.sparql or ''}\x00{self.cypher or ''}"
        return hashlib.sha1(both.encode()).hexdigest()[:8]

    def text(self, language: str) -> str:
        body = self.sparql if language == "sparql" else self.cypher
        if body is None:
            raise QueryError(
                f"no {language} version of '{self.name}'",
                f"ingen {language}-versjon av '{self.name}'",
            )
        return body


LANGUAGES = {"nb", "en"}
PARAM_KEYS = {"type", "kinds", "default", "values", "required"} | LANGUAGES


def _header(text: str, marker: str, where: str = "") -> dict[str, Any]:
    """The YAML of the header lines. A text with a comma must be quoted (``{nb: "a, b"}``): in a
    YAML flow mapping an unquoted comma ends the value, and the rest would become a key of its
    own, so any key besides the known ones is an error naming the file, not a cut title."""
    lines = [line[len(marker) :] for line in text.splitlines() if line.startswith(marker)]
    meta = (
        yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
        or {}
    )
    texts = [(k, meta.get(k) or {}, LANGUAGES) for k in ("title", "description")]
    texts += [(f"params.{k}", v or {}, PARAM_KEYS) for k, v in (meta.get("params") or {}).items()]
    for key, value, allowed in texts:
        extra = sorted(map(str, set(value) - allowed)) if isinstance(value, dict) else []
        if extra:
            raise ValueError(
                f"{where or 'query header'}: {key} has unknown keys {extra}; "
                "quote a text that holds a comma"
            )
    return meta


def _param(name: str, spec: dict[str, Any]) -> Param:
    kind = spec.get("type", "string")
    if kind not in TYPES:
        raise ValueError(f"parameter {name}: unknown type {kind}")
    return Param(
        name,
        kind,
        spec.get("default"),
        tuple(spec.get("kinds", ())),
        tuple(spec.get("values", ())),
        {k: spec[k] for k in ("nb", "en") if k in spec},
        bool(spec.get("required", True)),
    )


@cache
def library(folder: Traversable | None = None) -> dict[str, NamedQuery]:
    """All named queries in ``folder`` (default: the :mod:`queries` package data), by name."""
    folder = folder or query_files.folder()
    texts = {f.name: f for f in folder.iterdir() if f.name.endswith((".rq", ".cypher"))}
    names = sorted({n.rsplit(".", 1)[0] for n in texts})
    out = {}
    for name in names:
        rq, cy = texts.get(f"{name}.rq"), texts.get(f"{name}.cypher")
        sparql = rq.read_text(encoding="utf-8") if rq else None
        cypher = cy.read_text(encoding="utf-8") if cy else None
        meta = (
            _header(sparql, "#+", name + ".rq")
            if sparql
            else _header(cypher or "", "//+", name + ".cypher")
        )
        params = tuple(_param(k, v or {}) for k, v in (meta.get("params") or {}).items())
        out[name] = NamedQuery(
            name,
            meta.get("title", {}),
            meta.get("description", {}),
            params,
            sparql,
            cypher,
            meta.get("group", "other"),
        )
    return out


def get(name: str) -> NamedQuery:
    lib = library()
    if name not in lib:
        raise QueryError(
            f"no named query '{name}' (known: {', '.join(lib)})",
            f"ingen lagret spørring med navnet '{name}' (kjente: {', '.join(lib)})",
        )
    return lib[name]


NODE_LOOKUP = """
SELECT DISTINCT ?node ?kind WHERE {
  { ?node dct:identifier ?key } UNION { ?node skos:notation ?key } UNION { ?node skos:prefLabel ?l FILTER(STR(?l) = ?key) }
  UNION { ?node foaf:name ?l FILTER(STR(?l) = ?key) }
  ?node a ?c . FILTER(STRSTARTS(STR(?c), STR(kg:))) BIND(STRAFTER(STR(?c), STR(kg:)) AS ?kind)
}
"""
_KIND_CLASSES = {
    "projects": {"Project", "Program", "SubProject", "Study", "Task"},
    "bodies": {"GovernanceBody"},
    "systems": {"System"},
    "organizations": {"Organization"},
    "people": {"Person"},
    "sdg": {"SDGGoal", "SDGTarget", "SDGIndicator"},
    "local_goals": {"LocalGoal"},
    "kpis": {"KPI"},
    "domains": {"SystemDomain"},
}


def resolve_node(
    store: Store,
    key: str,
    kinds: tuple[str, ...] = (),
    param: str = "node",
    query: str | None = None,
) -> IRI:
    """An id, code or exact label (or an IRI) → the IRI of the one node it names."""
    key = key.strip()
    if re.match(r"^https?://", key):
        return IRI(key)
    if key.lower().startswith("sdg:"):
        key = key[4:]
    wanted = set().union(*(_KIND_CLASSES.get(k, {k}) for k in kinds)) if kinds else None
    hits: dict[str, set[str]] = {}
    lookup = store.lookup_node if store.supports(Capability.LOOKUP_NODE) else None  # Neo4j
    # Codes are case-insensitive (`kg deps a4`): try the key as given, then its common casings;
    # each is an exact lookup, so this stays an index hit at national scale.
    for variant in dict.fromkeys((key, key.upper(), key.lower(), key.capitalize())):
        found = (
            lookup(variant)
            if lookup
            else store.query(NODE_LOOKUP, {"key": variant}, Limits(seconds=30, rows=1000)).rows
        )
        for node, kind in found:
            hits.setdefault(node, set()).add(kind)
        if hits:
            break
    found_kinds = sorted({k for ks in hits.values() for k in ks})
    if wanted:
        hits = {n: k for n, k in hits.items() if k & wanted}
    if len(hits) == 1:
        return IRI(next(iter(hits)))
    where = f" ({', '.join(kinds)})" if kinds else ""
    if not hits and found_kinds:  # it names something, of another kind
        raise QueryError(
            f"parameter '{param}': nothing is called '{key}'{where}; it names a {', '.join(found_kinds)}",
            f"parameter '{param}': ingenting heter '{key}'{where}; det er en {', '.join(found_kinds)}",
            query,
        )
    if not hits:
        near = suggestions(store, key, wanted)
        en = f"; did you mean {', '.join(near)}?" if near else ""
        nb = f"; mente du {', '.join(near)}?" if near else ""
        raise QueryError(
            f"parameter '{param}': nothing is called '{key}'{where}{en}",
            f"parameter '{param}': ingenting heter '{key}'{where}{nb}",
            query,
        )
    raise QueryError(
        f"parameter '{param}': '{key}' names {len(hits)} things; use the id",
        f"parameter '{param}': '{key}' passer på {len(hits)} ting; bruk id-en",
        query,
    )


KEYS = """SELECT DISTINCT ?key ?kind WHERE { { ?n dct:identifier ?key } UNION { ?n skos:notation ?key }
  ?n a ?c . FILTER(STRSTARTS(STR(?c), STR(kg:))) BIND(STRAFTER(STR(?c), STR(kg:)) AS ?kind) }"""


def suggestions(store: Store, key: str, wanted: set[str] | None = None, n: int = 3) -> list[str]:
    """The ``n`` ids or codes (of the ``wanted`` kinds) closest to ``key``; asked only when
    nothing matched, so a scan of every code is affordable."""
    import difflib

    try:
        rows = store.query(KEYS, None, Limits(seconds=30, rows=5_000_000)).rows
    except (
        Exception
    ):  # a store that cannot list them (Neo4j): no suggestions, the error still stands
        return []
    keys = [str(k) for k, kind in rows if wanted is None or str(kind) in wanted]
    lower = {k.lower(): k for k in keys}
    return [lower[k] for k in difflib.get_close_matches(key.lower(), list(lower), n=n, cutoff=0.5)]


def convert(store: Store, q: NamedQuery, raw: dict[str, Any]) -> dict[str, Any]:
    """Check and type the parameters of ``q``; unknown names and bad values are refused."""
    known = {p.name for p in q.params}
    for k in raw:
        if k not in known:
            raise QueryError(
                f"unknown parameter '{k}' (known: {', '.join(sorted(known)) or 'none'})",
                f"ukjent parameter '{k}' (kjente: {', '.join(sorted(known)) or 'ingen'})",
                q.name,
            )
    out: dict[str, Any] = {}
    for p in q.params:
        value = raw.get(p.name, p.default)
        if value is None or value == "":
            if p.required:
                raise QueryError(
                    f"parameter '{p.name}' is required", f"parameteren '{p.name}' må oppgis", q.name
                )
            continue
        out[p.name] = _typed(store, q, p, value)
    return out


def _typed(store: Store, q: NamedQuery, p: Param, value: Any) -> Any:
    text = str(value).strip()

    def bad(en: str, nb: str) -> QueryError:
        return QueryError(
            f"parameter '{p.name}': '{text}' {en}", f"parameter '{p.name}': '{text}' {nb}", q.name
        )

    if p.type == "node":
        return (
            value if isinstance(value, IRI) else resolve_node(store, text, p.kinds, p.name, q.name)
        )
    if p.type == "int":
        if not re.fullmatch(r"-?\d+", text):
            raise bad("is not a whole number", "er ikke et heltall")
        return int(text)
    if p.type == "decimal":
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise bad("is not a number", "er ikke et tall") from None
    if p.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise bad("is not a date (YYYY-MM-DD)", "er ikke en dato (ÅÅÅÅ-MM-DD)") from None
    if p.type == "bool":
        if text.lower() not in ("true", "false", "ja", "nei", "yes", "no", "1", "0"):
            raise bad("is not true/false", "er ikke sann/usann")
        return text.lower() in ("true", "ja", "yes", "1")
    if p.type == "enum" and text not in p.values:
        raise bad(f"is not one of {', '.join(p.values)}", f"er ikke en av {', '.join(p.values)}")
    return text


def run(
    store: Store,
    name: str,
    params: dict[str, Any] | None = None,
    limits: Limits | None = None,
    lang: str = "nb",
) -> Result:
    """Run the named query ``name`` on ``store`` (SPARQL or Cypher, whichever the store speaks)."""
    q = get(name)
    values = convert(store, q, dict(params or {}))
    if "lang" not in values and "$lang" in (q.sparql or "") + (q.cypher or ""):
        values["lang"] = lang
    return store.query(q.text(store.language), values, limits, name=name)
