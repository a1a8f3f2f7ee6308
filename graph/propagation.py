"""The propagation model, written once: which relation carries which effect, which way, how strongly.

The declaration lives in the ontology (ontology/kg.ttl: ``kg:carriesEffect``,
``kg:effectDirection``, ``kg:hopWeight`` on each relation; a dependency's type is its own
sub-property of ``kg:dependsOn``, e.g. ``kg:depSupplies``). This module reads it and
answers with it on the networkx view (:func:`propagate`); the named query ``impact``
(queries/impact.rq and impact.cypher) and docs/propagation.md are generated from it
(``python -m graph.propagation``), and a test fails when they are stale, so the three
backends walk the same links.

A relation without ``kg:carriesEffect`` carries nothing: reporting, membership,
coordination and references are information, not a path for a delay or a loss.
"""

from __future__ import annotations

import heapq
import sys
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

if (
    TYPE_CHECKING
):  # only in annotations: a one-shot `kg impact` (graph/carryfile.py) runs without it
    import networkx as nx

from ontology.terms import KG_NS, ONTOLOGY_DIR, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
EFFECTS = {
    "schedule": "ScheduleEffect",
    "service": "ServiceLossEffect",
    "accountability": "AccountabilityEffect",
}
ALL = frozenset(EFFECTS)
# A hop's strength is the relation's weight × the dependency's criticality × its evidence.
CRITICALITY = {"primary": 1.0, "high": 0.9, "normal": 0.8, "low": 0.4}
IMPLIED = 0.8  # a hop that is an interpretation of the source, not stated in it
MIN_STRENGTH = 0.3  # rows weaker than this are left out (counted; ``--all`` shows them)
_RDFS_SUB = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"


@dataclass(frozen=True)
class Rule:
    """One relation: the effects it carries, whether they travel subject → object, its weight."""

    predicate: str  # prefixed name, e.g. kg:usesSystem, org:reportsTo
    local: str  # the predicate name in the networkx view (kg:depSupplies → depSupplies)
    effects: frozenset[str]
    forward: bool  # True: subject → object (partOf); False: object → subject (dependsOn)
    weight: float
    dependency_type: str | None = None  # for the sub-properties of kg:dependsOn
    link_type: str | None = None  # for the sub-properties of kg:concerns


def _prefixed(iri: str) -> str:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{p}:{iri[len(ns) :]}"
    return f"<{iri}>"


@cache
def rules() -> dict[str, Rule]:
    """Every relation the ontology annotates with ``kg:carriesEffect`` or that stands for a
    dependency type, by its name in the networkx view."""
    props: dict[str, dict[str, list[str]]] = {}
    with open(ONTOLOGY_DIR / "kg.ttl", "rb") as f:
        for t in parse(f, RdfFormat.TURTLE):
            if isinstance(t.subject, NamedNode):
                props.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(
                    t.object.value
                )
    out = {}
    for iri, p in props.items():
        dep_type = (p.get(KG_NS + "dependencyTypeValue") or (None,))[0]
        link_type = (p.get(KG_NS + "linkTypeValue") or (None,))[0]
        effects = p.get(KG_NS + "carriesEffect", [])
        if not effects and dep_type is None and link_type is None:
            continue
        names = {v: k for k, v in EFFECTS.items()}
        rule = Rule(
            _prefixed(iri),
            iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            frozenset(names[e[len(KG_NS) :]] for e in effects),
            p.get(KG_NS + "effectDirection", [""])[0] == KG_NS + "SubjectToObject",
            float(p.get(KG_NS + "hopWeight", ["0"])[0]),
            dep_type,
            link_type,
        )
        out[rule.local] = rule
    return dict(sorted(out.items()))


@cache
def _by_type() -> dict[tuple[str, str], Rule]:
    out = {("dependsOn", r.dependency_type): r for r in rules().values() if r.dependency_type}
    return out | {("concerns", r.link_type): r for r in rules().values() if r.link_type}


@cache
def typed_predicates() -> frozenset[str]:
    """kg:depSupplies, kg:linkDecides, ...: they repeat a dependsOn / concerns edge whose type the
    networkx view keeps on that edge."""
    return frozenset(r.local for r in rules().values() if r.dependency_type or r.link_type)


DEFAULT_TYPE = {"dependsOn": "depends_on", "concerns": "concerns"}
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@cache
def _labels() -> dict[str, dict[str, str]]:
    """The ontology's labels of its properties, by local name and language."""
    out: dict[str, dict[str, str]] = {}
    with open(ONTOLOGY_DIR / "kg.ttl", "rb") as f:
        for t in parse(f, RdfFormat.TURTLE):
            if t.predicate.value == _RDFS_LABEL and isinstance(t.subject, NamedNode):
                if isinstance(t.object, Literal):
                    local = t.subject.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                    out.setdefault(local, {})[t.object.language or ""] = t.object.value
    return out


# Relation labels known without parsing the ontology (~0.1 s): graph/carryfile.py keeps those
# of its view's links (made from this ontology: its file's name carries the ontology's hash).
KNOWN_LABELS: dict[tuple[str, str | None, str], str] = {}


def relation_label(predicate: str, typ: str | None, lang: str) -> str:
    """A hop's relation in words (``depends_on`` → «avhenger av»), from the ontology's labels of
    the type's sub-property; the name itself where the ontology has no label.

    >>> relation_label("dependsOn", "depends_on", "en") != "depends_on"
    True
    """
    known = KNOWN_LABELS.get((predicate, typ, lang))
    if known is not None:
        return known
    rule = _by_type().get((predicate, typ)) if typ else None
    names = _labels().get(rule.local if rule else predicate, {})
    return names.get(lang) or names.get("en") or names.get("") or typ or predicate


def rule_for(predicate: str, data: dict[str, Any]) -> Rule | None:
    """The rule of one networkx edge: a ``dependsOn`` or ``concerns`` edge by its type."""
    if predicate in DEFAULT_TYPE:
        return _by_type().get((predicate, data.get("type") or DEFAULT_TYPE[predicate]))
    return rules().get(predicate)


def carrying(effects: frozenset[str] = ALL) -> list[Rule]:
    """The rules that carry at least one of ``effects``."""
    return [r for r in rules().values() if r.effects & effects]


def hop_factor(rule: Rule, data: dict[str, Any]) -> float:
    """How strongly one edge carries: weight × criticality × evidence (explicit 1, implied 0.8)."""
    f = rule.weight * CRITICALITY.get(data.get("criticality") or "", 1.0)
    return f * (IMPLIED if data.get("evidence") == "implied" else 1.0)


@dataclass(frozen=True)
class Hop:
    """One link of a why-path, in the direction the effect travels (``frm`` → ``to``)."""

    frm: str
    to: str
    predicate: str  # name in the networkx view (dependsOn, usesSystem, ...)
    type: str | None  # dependency or link type
    effects: tuple[str, ...]
    strength: float
    rationale: str | None = None
    document: str | None = None
    locator: str | None = None
    interpreted: bool = False  # evidence 'implied': an interpretation, not stated in the source


class Row:
    """A node an effect reaches, with its strongest path.

    The path and its hops are read from the traversal's predecessor map when first asked for
    (:class:`_Paths`): a hub reaches thousands of nodes, and most of them are only counted."""

    __slots__ = ("node", "kind", "strength", "depth", "_state", "_paths")

    def __init__(
        self,
        node: str,
        kind: str,
        strength: float,
        depth: int,
        state: tuple[str, str],
        paths: _Paths,
    ) -> None:
        self.node, self.kind, self.strength, self.depth = node, kind, strength, depth
        self._state, self._paths = state, paths

    @property
    def hops(self) -> tuple[Hop, ...]:
        return self._paths.hops(self._state)

    @property
    def path(self) -> tuple[str, ...]:
        return (self._paths.start,) + tuple(h.to for h in self.hops)

    def _key(self) -> tuple[Any, ...]:
        return (self.node, self.kind, self.strength, self.depth, self.path, self.hops)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Row(node={self.node!r}, kind={self.kind!r}, strength={self.strength!r}, "
            f"depth={self.depth!r}, path={self.path!r})"
        )


@dataclass
class Answer:
    start: str
    effects: frozenset[str]
    min_strength: float
    rows: list[Row]  # shown, ranked
    weak: list[Row]  # left out as too weak (below min_strength); empty when not kept
    left_out: int = 0  # how many rows are too weak (len(weak) when they are kept)
    strong: int = 0  # how many rows are strong enough (len(rows) unless cut to the first)


def _scan(g: nx.MultiDiGraph[str], node: str, effects: frozenset[str]) -> list[tuple[str, Hop]]:
    """(next, hop) for every link out of ``node`` that carries one of ``effects``, by asking
    each edge of ``node``; :func:`_steps` answers the same from the view's carrying index."""
    best: dict[str, Hop] = {}
    old_d: dict[str, tuple[str, ...]] = {}

    def consider(nxt: str, subj: str, obj: str, d: dict[str, Any]) -> None:
        rule = rule_for(d["predicate"], d)
        if rule is None or not rule.effects & effects:
            return
        f = hop_factor(rule, d)
        old = best.get(nxt)
        if old is None or (f, _tie(d)) > (old.strength, old_d[nxt]):
            best[nxt] = _hop(node, nxt, tuple(sorted(rule.effects & effects)), f, d)
            old_d[nxt] = _tie(d)

    for u, keyed in g.pred[
        node
    ].items():  # u → node: the effect goes node → u if it goes object → subject
        for d in keyed.values():
            r = rule_for(d["predicate"], d)
            if r is not None and not r.forward:
                consider(u, u, node, d)
    for v, keyed in g.succ[node].items():
        for d in keyed.values():
            r = rule_for(d["predicate"], d)
            if r is not None and r.forward:
                consider(v, node, v, d)
    return sorted(best.items())


def _tie(d: dict[str, Any]) -> tuple[str, ...]:
    """Between equally strong links of one pair, the one whose source sorts last wins: the
    choice must not depend on the order a backend returned the records in (Asker's use of
    Gerica is stated twice, S000 L1639 and S001 L282, and both are one hop of strength 1)."""
    keys = ("source", "locator", "predicate", "type", "rationale", "evidence")
    return tuple(str(d.get(k) or "") for k in keys)


def _hop(frm: str, to: str, effects: tuple[str, ...], f: float, d: dict[str, Any]) -> Hop:
    return Hop(
        frm,
        to,
        d["predicate"],
        d.get("type"),
        effects,
        f,
        d.get("rationale"),
        d.get("source"),
        d.get("locator"),
        d.get("evidence") == "implied",
    )


# One carrying link in the index: (next node, hop strength, the edge's data in the view).
Link = tuple[str, float, dict[str, Any]]
NONE: dict[str, list[Link]] = {}


class Carrying:
    """The links that carry an effect out of each node of one view, per effect: only those,
    with the hop strength and the strongest edge per next node (equals by :func:`_tie`),
    sorted by next node, as :func:`_scan` finds them.

    Asking each edge for its rule on every step made a hub's impact slow (a node with
    thousands of reporting or membership links was scanned once per step and effect); here
    a node's edges are asked once per view, when the node is first reached, so a one-shot
    ``kg impact`` pays only for the nodes it reaches."""

    def __init__(self, g: nx.MultiDiGraph[str]) -> None:
        self.g = g
        self._out: dict[str, dict[str, list[Link]]] = {}
        self._rules: dict[tuple[str, Any], Rule | None] = {}
        self._hops: dict[tuple[str, str, str], Hop] = {}

    def hop(self, frm: str, to: str, effect: str, f: float, d: dict[str, Any]) -> Hop:
        """The :class:`Hop` of the link ``frm`` → ``to`` carrying ``effect`` (its strength
        ``f`` and edge ``d``, from :meth:`out`): made once per view, as the link is one per
        (node, next node, effect); a Hop is immutable, so the answers may share it."""
        key = (frm, to, effect)
        found = self._hops.get(key)
        if found is None:
            found = self._hops[key] = _hop(frm, to, (effect,), f, d)
        return found

    def _rule(self, d: dict[str, Any]) -> Rule | None:
        k = (d["predicate"], d.get("type"))
        if k not in self._rules:
            self._rules[k] = rule_for(d["predicate"], d)
        return self._rules[k]

    def out(self, node: str) -> dict[str, list[Link]]:
        """Per effect, the links out of ``node`` that carry it."""
        found = self._out.get(node)
        if found is not None:
            return found
        best: dict[str, dict[str, tuple[float, dict[str, Any]]]] = {}

        def consider(nxt: str, r: Rule, d: dict[str, Any]) -> None:
            f = hop_factor(r, d)
            for m in r.effects:
                at = best.setdefault(m, {})
                old = at.get(nxt)
                if old is None or (f, _tie(d)) > (old[0], _tie(old[1])):
                    at[nxt] = (f, d)

        # u → node: the effect goes node → u if it goes object → subject (as _scan: these first)
        for u, keyed in self.g.pred[node].items():
            for d in keyed.values():
                r = self._rule(d)
                if r is not None and r.effects and not r.forward:
                    consider(u, r, d)
        for v, keyed in self.g.succ[node].items():
            for d in keyed.values():
                r = self._rule(d)
                if r is not None and r.effects and r.forward:
                    consider(v, r, d)
        found = (
            {m: [(n, f, d) for n, (f, d) in sorted(at.items())] for m, at in best.items()}
            if best
            else NONE
        )
        self._out[node] = found
        return found


class Links(Protocol):
    """What the traversal asks of an index: :class:`Carrying`, or the compact file of the same
    view (graph/carryfile.py ``CompactView``), which answers every node alike."""

    _out: dict[str, dict[str, list[Link]]]  # the nodes answered so far

    def out(self, node: str) -> dict[str, list[Link]]: ...

    def hop(self, frm: str, to: str, effect: str, f: float, d: dict[str, Any]) -> Hop: ...


# The index of each view, made on its first traversal and dropped with the view. The view is
# immutable once built (graph/netx.py builds a new object per call); a caller that changes a
# graph calls forget(g) (after which it is walked by its own edges).
_INDEX: weakref.WeakKeyDictionary[nx.MultiDiGraph[str], Links] = weakref.WeakKeyDictionary()


def carrying_index(g: nx.MultiDiGraph[str]) -> Links:
    """The index of the view ``g`` (one per view): the links :func:`attach` gave it, else a
    :class:`Carrying` index of its edges."""
    own = getattr(g, "carrying", None)  # a compact view (graph/carryfile.py) brings its own
    if own is not None:
        return own()  # type: ignore[no-any-return]
    found = _INDEX.get(g)
    if found is None:
        found = _INDEX[g] = Carrying(g)
    return found


def attach(g: nx.MultiDiGraph[str], links: Links) -> None:
    """Walk the view ``g`` by ``links``: the compact file written from this very view
    (graph/netx.py attaches it to the views it hands out). A hub's first impact then reads
    its links from the file's arrays instead of asking each of thousands of edges of every
    node it reaches (a national system: 43 ms CPU median, 211 ms at worst, at 1M); the
    answer is the same, link for link (tests/test_carryfile.py). A copy of ``g`` (e.g.
    ``stated_only``) is not attached and is walked by its own edges."""
    _INDEX[g] = links


def forget(g: nx.MultiDiGraph[str]) -> None:
    """Drop the carrying index of ``g`` (after changing ``g``): it is walked by its own edges."""
    _INDEX.pop(g, None)


def _steps(g: nx.MultiDiGraph[str], node: str, effects: frozenset[str]) -> list[tuple[str, Hop]]:
    """(next, hop) for every link out of ``node`` that carries one of ``effects``."""
    if len(effects) != 1:
        return _scan(g, node, effects)
    (m,) = effects
    links = carrying_index(g).out(node).get(m, ())
    return [(n, _hop(node, n, (m,), f, d)) for n, f, d in links]


State = tuple[str, str]  # (node, the effect the path carries)


class _Paths:
    """The predecessor map of one traversal: each state's hop tuple built when first asked for,
    from its predecessor's (so the rows of a hub share their prefixes)."""

    def __init__(
        self,
        start: str,
        via: dict[State, tuple[State, float, dict[str, Any]]],
        index: Links,
    ) -> None:
        self.start, self.via, self.index = start, via, index
        self._hops: dict[State, tuple[Hop, ...]] = {}

    def hops(self, state: State) -> tuple[Hop, ...]:
        found = self._hops.get(state)
        if found is not None:
            return found
        chain = []
        at = state
        while at in self.via and at not in self._hops:
            chain.append(at)
            at = self.via[at][0]
        out = self._hops.get(at, ())
        for st in reversed(chain):
            prev, f, d = self.via[st]
            out = out + (self.index.hop(prev[0], st[0], st[1], f, d),)
            self._hops[st] = out
        return out


# One effect per path: a delay travels on as a delay, a change of accountability as one. A lost
# system or service may turn into a delay where it lands (the project that chose the system
# slips), never the other way round; so a path is service* schedule*, schedule+ or
# accountability+. MODES: the effects a path in each mode may take next.
MODES = {
    "schedule": ("schedule",),
    "service": ("service", "schedule"),
    "accountability": ("accountability",),
}


def propagate(
    g: nx.MultiDiGraph[str],
    start: str,
    effects: frozenset[str] = ALL,
    min_strength: float = MIN_STRENGTH,
    max_depth: int | None = None,
    keep_weak: bool = True,
    first: int | None = None,
) -> Answer:
    """Everything an effect of ``start`` reaches, each with its strongest path, ranked: direct
    links first, then by path strength (the product of the hop strengths), then depth.
    ``keep_weak=False``: the rows below ``min_strength`` are only counted (``left_out``), not
    made or ranked (a national system reaches hundreds that the answers only count).
    ``first``: only the first ``first`` rows are kept (``strong`` counts them all); the rest are
    not ranked beyond knowing they come later.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n, k in [("A2", "Project"), ("A4", "Project"), ("pl", "GovernanceBody")]:
    ...     g.add_node(n, kind=k)
    >>> _ = g.add_edge("A4", "A2", predicate="dependsOn", type="depends_on", criticality="primary")
    >>> _ = g.add_edge("A2", "pl", predicate="reportsTo"); _ = g.add_edge("A4", "pl", predicate="reportsTo")
    >>> [(r.node, r.strength) for r in propagate(g, "A2").rows]
    [('A4', 1.0)]
    """
    index = carrying_index(g)
    cached, out_of = index._out, index.out
    strength: dict[State, float] = {}
    depth: dict[State, int] = {}
    via: dict[State, tuple[State, float, dict[str, Any]]] = {}
    heap = [(-1.0, 0, start, m) for m in sorted(effects)]
    for m in effects:
        strength[(start, m)], depth[(start, m)] = 1.0, 0
    done: set[State] = set()
    # Per mode, the next modes this query allows (MODES filtered once, not on every pop).
    modes = {m: tuple(x for x in nxt if x in effects) for m, nxt in MODES.items()}
    push, pop, seen = heapq.heappush, heapq.heappop, strength.get
    while heap:
        s, dep, cur, mode = pop(heap)
        here = (cur, mode)
        if here in done:
            continue
        done.add(here)
        if max_depth is not None and dep >= max_depth:
            continue
        out = cached.get(cur)
        if out is None:
            out = out_of(cur)
        for nmode in modes[mode]:
            links = out.get(nmode)
            if not links:
                continue
            for nxt, f, d in links:
                key, ns = (nxt, nmode), -s * f
                if nxt != start and ns > seen(key, 0.0) and key not in done:
                    strength[key], depth[key], via[key] = ns, dep + 1, (here, f, d)
                    push(heap, (-ns, dep + 1, nxt, nmode))
    best: dict[str, State] = {}
    for key in via:
        n = key[0]
        if n not in best:
            best[n] = key
            continue
        b = best[n]
        if (strength[key], -depth[key]) > (strength[b], -depth[b]):
            best[n] = key
    paths = _Paths(start, via, index)
    nodes = g.nodes
    rows: list[Row] = []
    weak: list[Row] = []
    rank: list[tuple[bool, float, int, str]] = []
    weak_rank: list[tuple[bool, float, int, str]] = []
    left_out = 0
    # Ranked by (not direct, -strength, depth, code); the strong and the weak rows are ranked
    # apart (a stable sort of each keeps the order one sort of all and a split would give).
    for n, key in best.items():
        st, dp = round(strength[key], 4), depth[key]
        if st < min_strength:
            left_out += 1
            if not keep_weak:
                continue
        d = nodes[n]
        row = Row(n, d.get("kind", "?"), st, dp, key, paths)
        k = (dp != 1, -st, dp, str(d.get("code") or d.get("label") or n))
        if st < min_strength:
            weak.append(row)
            weak_rank.append(k)
        else:
            rows.append(row)
            rank.append(k)
    return Answer(
        start,
        effects,
        min_strength,
        _ranked(rows, rank, first),
        _ranked(weak, weak_rank),
        left_out,
        len(rows),
    )


def _ranked(
    rows: list[Row], keys: list[tuple[bool, float, int, str]], first: int | None = None
) -> list[Row]:
    """``rows`` in the order of their ``keys`` (stable: rows of equal keys keep their order);
    only the first ``first`` of them when given (heapq.nsmallest is sorted(...)[:first])."""
    if first is not None and first < len(rows):
        order = heapq.nsmallest(first, range(len(rows)), key=keys.__getitem__)
    else:
        order = sorted(range(len(rows)), key=keys.__getitem__)
    return [rows[i] for i in order]


# -- generated artefacts: the named query in SPARQL and Cypher, and the docs table -----------

MARK = "generated by graph/propagation.py from ontology/kg.ttl; regenerate with: python -m graph.propagation"


def sparql_path(effects: frozenset[str] = ALL) -> str:
    """The SPARQL property path of one step that carries one of ``effects``."""
    return "|".join(r.predicate if r.forward else "^" + r.predicate for r in carrying(effects))


def sparql_paths(effects: frozenset[str] = ALL) -> list[str]:
    """The property paths of the modes (:data:`MODES`), one per mode that no other mode's path
    covers: ``(acc)+`` and ``(serv)*/(sched)*``. A mode that another mode may turn into, and
    that turns into nothing itself (schedule), is covered by the other's path when that path
    starts with ``*``: ``serv* sched*`` walks ``sched+`` too, plus the start itself, which the
    query leaves out anyway. One alternative less for Oxigraph to parse and walk than
    ``(acc)+ | (sched)+ | (serv)+/(sched)*``, with the same nodes."""
    tails = {mode: [m for m in MODES[mode] if m != mode and m in effects] for mode in effects}
    covered = {m for tail in tails.values() for m in tail if not tails[m]}
    out = []
    for mode in sorted(effects - covered):
        tail = tails[mode]
        head = f"({sparql_path(frozenset({mode}))})" + ("*" if tail else "+")
        out.append(head + "".join(f"/({sparql_path(frozenset({m}))})*" for m in tail))
    return out


def cypher_types(effects: frozenset[str] = ALL) -> tuple[list[str], list[str]]:
    """Relationship types walked forwards and backwards (Neo4j mapping: graph/pgmap.rel_type)."""
    from graph.pgmap import rel_type

    def full(name: str) -> str:
        prefix, _, local = name.partition(":")
        return PREFIXES[prefix] + local

    fwd = [rel_type(full(r.predicate)) for r in carrying(effects) if r.forward]
    back = [rel_type(full(r.predicate)) for r in carrying(effects) if not r.forward]
    return fwd, back


def _wrap(items: list[str], indent: str, width: int = 96) -> str:
    lines, cur = [], ""
    for it in items:
        if cur and len(indent) + len(cur) + len(it) + 2 > width:
            lines.append(cur)
            cur = ""
        cur = f"{cur}, {it}" if cur else it
    lines.append(cur)
    return (",\n" + indent).join(lines)


def _wrap_path(path: str, indent: str, width: int = 96) -> str:
    lines, line = [], ""
    for part in path.split("|"):
        if line and len(indent) + len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line = f"{line}|{part}" if line else part
    lines.append(line)
    return f"\n{indent}|".join(lines)


def generate_sparql() -> str:
    template = (ROOT / "queries" / "impact.rq.in").read_text(encoding="utf-8")
    paths = [_wrap_path(p, " " * 10) for p in sparql_paths()]
    return template.replace("{{MARK}}", MARK).replace("{{PATH}}", "\n         | ".join(paths))


def _cypher_step(mode: str, a: str, r: str, b: str) -> str:
    fwd, back = cypher_types(frozenset({mode}))
    cond = []
    if fwd:
        cond.append(
            f"(type({r}) IN [{_wrap([repr(t) for t in fwd], ' ' * 22)}] AND startNode({r}) = {a})"
        )
    if back:
        cond.append(
            f"(type({r}) IN [{_wrap([repr(t) for t in back], ' ' * 22)}] AND endNode({r}) = {a})"
        )
    return f"(({a})-[{r}]-({b}) WHERE\n      " + "\n      OR ".join(cond) + ")"


def generate_cypher() -> str:
    template = (ROOT / "queries" / "impact.cypher.in").read_text(encoding="utf-8")
    parts = []
    for mode in sorted(ALL):
        tail = [m for m in MODES[mode] if m != mode]
        pattern = f"MATCH (start) {_cypher_step(mode, 'a', 'r', 'b')}+"
        for m in tail:
            pattern += f"\n    {_cypher_step(m, 'c', 'q', 'd')}*"
        parts.append(f"COLLECT {{\n  {pattern} (affected)\n  RETURN DISTINCT affected\n}}")
    return template.replace("{{MARK}}", MARK).replace("{{PATHS}}", "\n  + ".join(parts))


_NAMES = {
    "schedule": ("forsinkelse", "schedule delay"),
    "service": ("tap av system/tjeneste", "service loss"),
    "accountability": ("endret ansvar", "accountability"),
}


def generate_docs() -> str:
    rows = []
    for r in rules().values():
        eff = ", ".join(_NAMES[e][1] for e in sorted(r.effects)) or "— (none)"
        way = ("subject → object" if r.forward else "object → subject") if r.effects else ""
        rows.append(
            f"| `{r.predicate}` | {r.dependency_type or r.link_type or ''} | {eff} | {way} | "
            f"{r.weight if r.effects else ''} |"
        )
    table = "\n".join(rows)
    template = (ROOT / "docs" / "propagation.md.in").read_text(encoding="utf-8")
    return template.replace("{{MARK}}", MARK).replace("{{TABLE}}", table)


GENERATED = {
    "queries/impact.rq": generate_sparql,
    "queries/impact.cypher": generate_cypher,
    "docs/propagation.md": generate_docs,
}


def main() -> None:
    for rel, make in GENERATED.items():
        (ROOT / rel).write_text(make(), encoding="utf-8")
        sys.stdout.write(f"wrote {rel}\n")


if __name__ == "__main__":
    main()
