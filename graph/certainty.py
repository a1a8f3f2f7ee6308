"""How sure each fact is: **stated** in the documents, **interpreted** (reasoned from them), or
**external** (from outside the documents, e.g. kommunenummer from SSB KLASS 131).

A record's certainty comes from what the dataset already says about it, in this order:

1. ``evidence`` = ``implied`` → interpreted (dependencies, project links, SDG links);
2. its source document is a register or a web page (``doc_type``) → external;
3. its note marks an interpretation («(interp.)», "interpretation", "interpreted") → interpreted;
4. otherwise → stated.

A note marks the whole row, so a row with one interpreted cell counts as interpreted; the
reason (the note or the rationale) says which part. An edge of the networkx view gets the
certainty of the record that states it: the qualified relation behind it (a dependency, a
membership, an SDG link), else the row of the node it starts from. :func:`annotate` puts
``certainty`` and ``certainty_reason`` on every edge; :func:`path_certainty` gives the weakest
along a path; :func:`stated_only` keeps the stated edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph.store import IRI, Limits, Store
from graph.viewquery import ViewQuery
from ontology.terms import SDG_NS

STATED, INTERPRETED, EXTERNAL = "stated", "interpreted", "external"
LEVELS = (STATED, EXTERNAL, INTERPRETED)  # weakest last
EXTERNAL_DOC_TYPES = {"register", "web"}
# the dataset's notes are English; a Norwegian text marks a reading as «(tolkning)» or «tolket»
INTERP = re.compile(
    r"\(interp\.?\)|\binterpretation\b|\binterpreted\b|\(tolkning\)|\btolket\b", re.IGNORECASE
)

RECORDS = ViewQuery(
    "certainty.records",
    """
SELECT ?r ?evidence ?dtype ?note WHERE {
  ?r prov:wasDerivedFrom ?src .
  OPTIONAL { ?src kg:documentType ?dtype }
  OPTIONAL { ?r kg:evidence ?evidence }
  OPTIONAL { ?r skos:editorialNote ?note }
}
""",
)
# The records of one qualified kind and the two ends of the direct edge each gives.
DIRECT = ViewQuery("certainty.direct", "SELECT ?r ?a ?b WHERE { ?r a $cls ; $fp ?a ; $tp ?b }")


def classify(
    evidence: str | None, doc_type: str | None, notes: Iterable[str] = ()
) -> tuple[str, str]:
    """(certainty, reason) of one record.

    >>> classify("implied", "slides", ["A4 needs it (interp.)"])
    ('interpreted', 'A4 needs it (interp.)')
    >>> classify(None, "register", [])
    ('external', 'register')
    >>> classify("explicit", "slides", ["Both kept."])
    ('stated', '')
    """
    notes = [str(n) for n in notes if n]
    marked = next((n for n in notes if INTERP.search(n)), "")
    if str(evidence or "") == "implied":
        return INTERPRETED, marked or (notes[0] if notes else "evidence: implied")
    if str(doc_type or "") in EXTERNAL_DOC_TYPES:
        return EXTERNAL, str(doc_type)
    if marked:
        return INTERPRETED, marked
    return STATED, ""


def classify_all(
    evidence: Iterable[Any], doc_types: Iterable[Any], notes: Iterable[str] = ()
) -> tuple[str, str]:
    """:func:`classify` of a record with several evidence values or source document types:
    as sure as the least sure of them, whatever order they come in (implied if one is; an
    external document type if one is, the first by name).

    >>> classify_all(["explicit", "implied"], ["slides"])
    ('interpreted', 'evidence: implied')
    >>> classify_all([None], ["slides", "web", "register"])
    ('external', 'register')
    >>> classify_all([], [])
    ('stated', '')
    """
    implied = any(str(e) == "implied" for e in evidence if e)
    external = sorted(str(d) for d in doc_types if d and str(d) in EXTERNAL_DOC_TYPES)
    return classify("implied" if implied else None, external[0] if external else None, notes)


def values_block(var: str, iris: Iterable[str]) -> str:
    """``VALUES ?var { <a> <b> … }``: a whole-graph query narrowed to some IRIs (the view
    patch, graph/viewpatch.py). The IRIs come from the store, so they hold no ``>``."""
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in sorted(iris)) + " }"


def _narrowed(text: str, block: str) -> str:
    head, tail = text.split("WHERE {", 1)
    return f"{head}WHERE {{ {block}{tail}"


def records(
    store: Store, limits: Limits | None = None, only: Iterable[str] | None = None
) -> dict[str, tuple[str, str]]:
    """record IRI → (certainty, reason) for every record with a source (or those in ``only``)."""
    result = (
        RECORDS.run(store, None, limits)
        if only is None
        else store.query(_narrowed(RECORDS.text, values_block("r", only)), None, limits)
    )
    return classify_rows(result.rows)


def classify_rows(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[str, str]]:
    """record → (certainty, reason) from rows (record, evidence, document type, note) of
    :data:`RECORDS` (or of a lookup of some records), by :func:`classify_all`: every value
    seen counts, not the first (the rows come in the store's order, or the kept lines').

    >>> classify_rows([("r", "explicit", "slides", None), ("r", "implied", "slides", "n")])
    {'r': ('interpreted', 'n')}
    """
    found: dict[str, tuple[set[Any], set[Any], set[str]]] = {}
    for r, evidence, dtype, note in rows:
        entry = found.setdefault(r, (set(), set(), set()))
        entry[0].add(evidence)
        entry[1].add(dtype)
        if note:
            entry[2].add(str(note))
    return {r: classify_all(e, d, sorted(n)) for r, (e, d, n) in found.items()}


def _direct_records(
    store: Store, limits: Limits | None = None, ends: Iterable[str] | None = None
) -> dict[tuple[str, str, str], list[str]]:
    """(from, predicate, to) → the qualified records whose row gives that direct edge (with
    ``ends``: only the edges that start or end at one of them)."""
    from loaders.schema import KINDS  # the qualified kinds and the direct edge each row gives
    from ontology.terms import iri

    out: dict[tuple[str, str, str], list[str]] = {}
    for kind in KINDS:
        if not kind.direct:
            continue
        a, pred, b = kind.direct
        fa, fb = kind.by_name[a].prop, kind.by_name[b].prop
        assert fa and fb, kind.cls  # both ends of a direct edge are properties in the schema
        fp, tp = iri(fa), iri(fb)
        params = {"cls": IRI(iri(kind.cls)), "fp": IRI(fp), "tp": IRI(tp)}
        local = pred.rsplit(":", 1)[-1]
        if ends is None:
            rows = DIRECT.run(store, params, limits).rows
        else:
            ends = sorted(ends)
            rows = []
            for var, near, far in (("a", "$fp", "$tp"), ("b", "$tp", "$fp")):
                # the bound end first, so the engine starts from it, not from every record
                text = (
                    f"SELECT ?r ?a ?b WHERE {{ {values_block(var, ends)} ?r {near} ?{var} . "
                    f"?r a $cls . ?r {far} ?{'b' if var == 'a' else 'a'} }}"
                )
                rows += [r for r in store.query(text, params, limits).rows if r not in rows]
        for r, x, y in rows:
            out.setdefault((x, local, y), []).append(r)
    return out


def _inverse_predicates() -> set[str]:
    """Predicates written from the referenced node to the row that states them (inverse columns)."""
    from loaders.schema import KINDS

    return {c.prop.rsplit(":", 1)[-1] for k in KINDS for c in k.columns if c.inverse and c.prop}


def weakest(values: Iterable[str]) -> str:
    """The least sure of ``values`` (stated < external < interpreted); stated when empty."""
    found = [v for v in values if v in LEVELS]
    return max(found, key=LEVELS.index) if found else STATED


def annotate(store: Store, g: nx.MultiDiGraph[str], limits: Limits | None = None) -> None:
    """Put ``certainty`` and ``certainty_reason`` on every edge of ``g`` (in place)."""
    grade(g.edges(data=True), records(store, limits), _direct_records(store, limits))


def grade(
    edges: Iterable[tuple[str, str, dict[str, Any]]],
    known: dict[str, tuple[str, str]],
    direct: dict[tuple[str, str, str], list[str]],
) -> None:
    """:func:`annotate` for ``edges``, given the records' certainty and the direct records."""
    inverse = _inverse_predicates()
    for u, v, d in edges:
        behind = [d["relation"]] if d.get("relation") else direct.get((u, d["predicate"], v), [])
        graded = [known[r] for r in behind if r in known]
        row = v if d["predicate"] in inverse else u  # the row whose cell gives the edge
        if not graded and row in known:
            graded = [known[row]]
        if not graded:  # no record states it: the UN SDG hierarchy is reference data from outside
            d["certainty"] = EXTERNAL if u.startswith(SDG_NS) else STATED
            d["certainty_reason"] = "UN SDG" if u.startswith(SDG_NS) else ""
            continue
        # several records giving the same edge: it is as sure as the surest of them
        best = min(graded, key=lambda c: LEVELS.index(c[0]))
        d["certainty"], d["certainty_reason"] = best[0], best[1] or str(d.get("rationale") or "")


def path_certainty(g: nx.MultiDiGraph[str], path: list[str]) -> str:
    """The weakest certainty along ``path`` (of the surest edge between each pair)."""
    out = []
    for a, b in zip(path, path[1:], strict=False):
        data = list((g.get_edge_data(a, b) or {}).values()) or list(
            (g.get_edge_data(b, a) or {}).values()
        )
        if data:
            out.append(min((x.get("certainty", STATED) for x in data), key=LEVELS.index))
    return weakest(out)


def stated_only(g: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """The view with only the stated edges (every node kept)."""
    h: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    h.add_nodes_from(g.nodes(data=True))
    # (u, v, key, data) is a multigraph's edge; the stub knows only (u, v[, data])
    h.add_edges_from(
        (u, v, k, d)  # type: ignore[misc]
        for u, v, k, d in g.edges(keys=True, data=True)
        if d.get("certainty", STATED) == STATED
    )
    return h
