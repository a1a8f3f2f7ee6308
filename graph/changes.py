"""The audit trail of edits: change sets as PROV-O in the graph, and reading them back.

A change set is a ``prov:Activity`` in the dataset's edits graph (``<base>graph/edits``)::

    <base>change/20261201T213000123456-1a2b3c4d> a prov:Activity ;
        prov:wasAssociatedWith <base>agent/<hash of subject> ;      # a prov:Agent, foaf:name
        prov:startedAtTime "…"^^xsd:dateTime ; prov:endedAtTime "…"^^xsd:dateTime ;
        kg:changeAction "add" | "change" | "remove" ;
        kg:changedRecord <the record> ; kg:recordKind "dependencies" ; kg:recordKey "D7" ;
        kg:changeReason "why"@nb ;
        kg:valuesBefore "{json}" ; kg:valuesAfter "{json}" ;        # CSV column → cell text
        kg:versionBefore "…" ; kg:versionAfter "…" ;                # content hashes
        kg:undoes <an earlier change set> .                         # only for an undo

The change sets are not typed with a ``kg:`` class, so the planner's views (which list
``kg:`` things) do not show them as nodes. Who is stored as the identity provider's subject and
display name; no e-mail address and never a token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from graph.access import Identity
from graph.store import IRI, Store
from ontology.terms import KG, iri

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ACTIVITY = NamedNode(iri("prov:Activity"))
AGENT = NamedNode(iri("prov:Agent"))
ASSOCIATED = NamedNode(iri("prov:wasAssociatedWith"))
STARTED = NamedNode(iri("prov:startedAtTime"))
ENDED = NamedNode(iri("prov:endedAtTime"))
FOAF_NAME = NamedNode(iri("foaf:name"))
P = {
    name: NamedNode(KG[name])
    for name in (
        "changeAction",
        "changedRecord",
        "recordKind",
        "recordKey",
        "changeReason",
        "valuesBefore",
        "valuesAfter",
        "versionBefore",
        "versionAfter",
        "undoes",
        "accountId",
    )
}


def version_of(values: dict[str, str] | None) -> str:
    """The content hash of a record's cell values ("" for a record that does not exist)."""
    if not values:
        return ""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Change:
    """One change set as read back from the graph."""

    iri: str
    action: str
    record: str
    kind: str
    key: str
    who: str
    subject: str
    when: str
    reason: str
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    version_before: str = ""
    version_after: str = ""
    undoes: str = ""

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "when": self.when,
            "who": self.who,
            "action": self.action,
            "kind": self.kind,
            "key": self.key,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "undoes": self.undoes.rsplit("/", 1)[-1] if self.undoes else "",
        }


def _dt(value: dt.datetime) -> Literal:
    return Literal(value.isoformat(), datatype=NamedNode(XSD + "dateTime"))


def agent_iri(base: str, identity: Identity) -> NamedNode:
    return NamedNode(f"{base}agent/{hashlib.sha1(identity.subject.encode()).hexdigest()[:16]}")


def change_quads(
    base: str,
    graph: NamedNode,
    identity: Identity,
    action: str,
    record: str,
    kind: str,
    key: str,
    reason: str,
    lang: str,
    before: dict[str, str] | None,
    after: dict[str, str] | None,
    started: dt.datetime,
    undoes: str | None = None,
) -> tuple[NamedNode, list[Quad]]:
    """The quads of one change set (and its agent) in ``graph``."""
    stamp = started.strftime("%Y%m%dT%H%M%S%f")
    node = NamedNode(f"{base}change/{stamp}-{uuid.uuid4().hex[:8]}")
    agent = agent_iri(base, identity)
    ended = dt.datetime.now(dt.UTC)
    out = [
        Quad(node, RDF_TYPE, ACTIVITY, graph),
        Quad(node, ASSOCIATED, agent, graph),
        Quad(node, STARTED, _dt(started), graph),
        Quad(node, ENDED, _dt(max(ended, started)), graph),
        Quad(node, P["changeAction"], Literal(action), graph),
        Quad(node, P["changedRecord"], NamedNode(record), graph),
        Quad(node, P["recordKind"], Literal(kind), graph),
        Quad(node, P["recordKey"], Literal(key), graph),
        Quad(node, P["changeReason"], Literal(reason, language=lang), graph),
        Quad(
            node,
            P["valuesBefore"],
            Literal(json.dumps(before or {}, ensure_ascii=False, sort_keys=True)),
            graph,
        ),
        Quad(
            node,
            P["valuesAfter"],
            Literal(json.dumps(after or {}, ensure_ascii=False, sort_keys=True)),
            graph,
        ),
        Quad(node, P["versionBefore"], Literal(version_of(before)), graph),
        Quad(node, P["versionAfter"], Literal(version_of(after)), graph),
        Quad(agent, RDF_TYPE, AGENT, graph),
        Quad(agent, P["accountId"], Literal(identity.subject), graph),
    ]
    if identity.display:
        out.append(Quad(agent, FOAF_NAME, Literal(identity.display), graph))
    if undoes:
        out.append(Quad(node, P["undoes"], NamedNode(undoes), graph))
    return node, out


HISTORY = """
SELECT ?c ?action ?record ?kind ?key ?name ?sub ?when ?reason ?before ?after ?vb ?va ?undoes WHERE {
  ?c kg:changeAction ?action ; kg:changedRecord ?record ; kg:recordKind ?kind ; kg:recordKey ?key ;
     prov:wasAssociatedWith ?agent ; prov:startedAtTime ?when ; kg:changeReason ?reason ;
     kg:valuesBefore ?before ; kg:valuesAfter ?after .
  ?agent kg:accountId ?sub .
  OPTIONAL { ?agent foaf:name ?name }
  OPTIONAL { ?c kg:versionBefore ?vb } OPTIONAL { ?c kg:versionAfter ?va }
  OPTIONAL { ?c kg:undoes ?undoes }
  FILTER(STRSTARTS(STR(?c), $base))
  %s
}
ORDER BY DESC(STR(?when)) DESC(STR(?c))
"""


def _rows(store: Store, base: str, extra: str, params: dict[str, Any], limit: int) -> list[Change]:
    from graph.store import Limits

    res = store.query(HISTORY % extra, {"base": base, **params}, Limits(rows=limit))
    out = []
    for (
        c,
        action,
        record,
        kind,
        key,
        name,
        sub,
        when,
        reason,
        before,
        after,
        vb,
        va,
        undoes,
    ) in res.rows:
        out.append(
            Change(
                iri=str(c),
                action=action,
                record=str(record),
                kind=kind,
                key=key,
                who=name or sub,
                subject=sub,
                when=str(when),
                reason=reason,
                before=json.loads(before),
                after=json.loads(after),
                version_before=vb or "",
                version_after=va or "",
                undoes=str(undoes or ""),
            )
        )
    return out


def history(store: Store, base: str, record: str, limit: int = 1000) -> list[Change]:
    """The change sets of one record, newest first."""
    return _rows(store, base, "FILTER(?record = $record)", {"record": IRI(record)}, limit)


def changes(store: Store, base: str, limit: int = 1000) -> list[Change]:
    """All change sets of a dataset, newest first."""
    return _rows(store, base, "", {}, limit)


def change(store: Store, base: str, change_iri: str) -> Change | None:
    found = _rows(store, base, "FILTER(?c = $change)", {"change": IRI(change_iri)}, 1)
    return found[0] if found else None
