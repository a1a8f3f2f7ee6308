"""Impact, what-if, critical path and timeline on the propagation model (graph/propagation.py),
each as one :class:`~graph.answers.answer.Answer` that ``kg impact|whatif|critical-path|timeline``
and the app's impact page both render (issue 11: nothing is computed twice; issue 12).

Every row carries its strongest why-path: one :class:`~graph.answers.answer.Step` per hop in
``Answer.why`` and, for the JSON document, the hops with relation, rationale, source and the
mark where a hop is an interpretation rather than a stated fact (row key ``hops``).
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import TYPE_CHECKING, Any

from graph import propagation
from graph.answers.answer import Answer, Step, UserError, cols
from graph.output import short

if TYPE_CHECKING:
    import networkx as nx

# graph.analysis, graph.schedule, graph.certainty and graph.whatif are imported where they are
# used: each imports networkx, and a one-shot `kg impact` on the compact view
# (graph/carryfile.py) needs none of them.

YES = "yes"  # the mark in the 'interpreted'/'assumed' columns (the app translates it)


def label(g: nx.MultiDiGraph[str], n: str) -> str:
    """A node's code, else its label, else the end of its IRI."""
    d = g.nodes[n] if n in g else {}
    return str(d.get("code") or d.get("label") or short(n))


def _source(h: propagation.Hop) -> str:
    """``S000 L1857-1860``: the document's short name and the line locator."""
    return " ".join(x for x in ((h.document or "").rsplit("/", 1)[-1], h.locator or "") if x)


def why_text(
    g: nx.MultiDiGraph[str],
    hops: tuple[propagation.Hop, ...] | list[propagation.Hop],
    lang: str = "nb",
) -> str:
    """One line per path: ``A2 →[depends_on, S000 L1857-1860] A4 →[milestoneOf] …``; * = interpreted."""
    parts = [label(g, hops[0].frm)] if hops else []
    parts.extend(_hop_text(g, h, lang) for h in hops)
    return " ".join(parts)


def _hop_text(g: nx.MultiDiGraph[str], h: propagation.Hop, lang: str) -> str:
    """``→[depends_on, S000 L1857-1860] A4``: one hop of a why-path."""
    relation = propagation.relation_label(h.predicate, h.type, lang)
    tag = ", ".join(x for x in (relation, _source(h)) if x)
    return f"→[{tag}{'*' if h.interpreted else ''}] {label(g, h.to)}"


def _steps(g: nx.MultiDiGraph[str], hops: tuple[propagation.Hop, ...]) -> list[Step]:
    return [
        Step(label(g, h.frm), label(g, h.to), h.predicate, h.type, h.rationale or "", _source(h))
        for h in hops
    ]


def _links(hops: tuple[propagation.Hop, ...]) -> list[tuple[str, str, str]]:
    """The hops as ``(from, to, predicate)`` IRIs (what the app draws)."""
    return [(h.frm, h.to, h.type or h.predicate) for h in hops]


class _Hops:
    """Each hop of an answer formatted once: the rows of a hub share their path prefixes (the
    same :class:`~graph.propagation.Hop` objects, graph/propagation.py), so a row costs a join
    of what its hops already have, not a formatting of each hop again."""

    def __init__(self, g: nx.MultiDiGraph[str], lang: str) -> None:
        self.g, self.lang = g, lang
        self._done: dict[int, tuple[propagation.Hop, str, Step, dict[str, Any]]] = {}
        self._why: dict[int, str] = {}
        self._labels: dict[str, str] = {}

    def label(self, n: str) -> str:
        found = self._labels.get(n)
        if found is None:
            found = self._labels[n] = label(self.g, n)
        return found

    def _one(self, h: propagation.Hop) -> tuple[propagation.Hop, str, Step, dict[str, Any]]:
        found = self._done.get(id(h))
        if found is None:  # as _hop_text and _steps, with each node's label made once
            frm, to, src = self.label(h.frm), self.label(h.to), _source(h)
            relation = propagation.relation_label(h.predicate, h.type, self.lang)
            tag = ", ".join(x for x in (relation, src) if x)
            found = (
                h,
                f"→[{tag}{'*' if h.interpreted else ''}] {to}",
                Step(frm, to, h.predicate, h.type, h.rationale or "", src),
                {
                    "from": frm,
                    "to": to,
                    "relation": h.predicate,
                    "type": h.type,
                    "effects": list(h.effects),
                    "strength": round(h.strength, 4),
                    "rationale": h.rationale,
                    "source": (h.document or "").rsplit("/", 1)[-1] or None,
                    "locator": h.locator,
                    "interpreted": h.interpreted,
                },
            )
            self._done[id(h)] = found  # the hop itself is kept, so its id stays its own
        return found

    def why(self, hops: tuple[propagation.Hop, ...]) -> str:
        """:func:`why_text` of ``hops``, built on its prefix's text: the rows of a hub share
        their path prefixes, so a row adds one hop's text instead of joining its whole path.
        Keyed by the last hop: within one traversal a Hop object ends one path only (the
        hops of a state are its predecessor's plus its own, graph/propagation.py _Paths)."""
        if not hops:
            return ""
        last = hops[-1]
        found = self._why.get(id(last))
        if found is None:
            head = self.why(hops[:-1]) if len(hops) > 1 else self.label(hops[0].frm)
            found = self._why[id(last)] = f"{head} {self._one(last)[1]}"  # _one keeps last
        return found

    def steps(self, hops: tuple[propagation.Hop, ...]) -> list[Step]:
        return [self._one(h)[2] for h in hops]

    def dicts(self, hops: tuple[propagation.Hop, ...]) -> list[dict[str, Any]]:
        return [dict(self._one(h)[3]) for h in hops]


def effects_from(text: str | None) -> frozenset[str]:
    """``schedule,service`` → the effects; all of them when ``text`` is empty."""
    if not text:
        return propagation.ALL
    effects = frozenset(e.strip() for e in text.split(",") if e.strip())
    if not effects or not effects <= propagation.ALL:
        raise UserError(
            f"--effect: one or more of {', '.join(sorted(propagation.ALL))}",
            f"--effect: en eller flere av {', '.join(sorted(propagation.ALL))}",
        )
    return effects


IMPACT = cols(
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("kind", "type node", "kind"),
    ("depth", "dybde", "depth"),
    ("strength", "styrke", "strength"),
    ("effects", "virkning", "effects"),
    ("why", "hvorfor", "why"),
    ("rationale", "begrunnelse", "rationale"),
    ("source", "kilde", "source"),
    ("interpreted", "tolket", "interpreted"),
)


def impact(
    g: nx.MultiDiGraph[str],
    start: str,
    effects: frozenset[str] = propagation.ALL,
    show_all: bool = False,
    depth: int | None = None,
    stated: bool = False,
    lang: str = "nb",
    limit: int | None = None,
) -> Answer:
    """What a change to ``start`` reaches, ranked (direct first, then by path strength), each
    row with its strongest why-path; rows weaker than ``propagation.MIN_STRENGTH`` are left out
    and counted (``show_all`` keeps them). ``stated``: only the facts the documents state.
    ``limit``: the first page only, the first ``limit`` rows (``truncated`` when there are
    more; facts ``total`` counts them all, ``not_shown`` those after the page, and a note says
    "Showing 25 of 15 980"): a hub reaches thousands, a page shows a few."""
    if stated:
        from graph.certainty import stated_only

        g = stated_only(g)
    ans = propagation.propagate(
        g,
        start,
        effects,
        0.0 if show_all else propagation.MIN_STRENGTH,
        depth,
        keep_weak=False,
        first=limit,
    )
    rows, why = [], []
    fmt = _Hops(g, lang)
    nodes, one = g.nodes, fmt._one
    for r in ans.rows:
        hops = r.hops
        last = hops[-1]
        done = [one(h) for h in hops]  # each hop's text, Step and dict, made once per answer
        d = nodes[r.node]
        rows.append(
            {
                "code": str(d.get("code") or d.get("label") or short(r.node)),  # label(g, node)
                "label": d.get("label", ""),
                "kind": r.kind,
                "depth": r.depth,
                "strength": r.strength,
                "effects": ",".join(sorted({e for h in hops for e in h.effects})),
                "why": fmt.why(hops),
                "rationale": last.rationale or "",
                "source": done[-1][2].document,
                "interpreted": YES if any(h.interpreted for h in hops) else "",
                "node": r.node,
                "hops": [dict(x[3]) for x in done],
                "links": _links(hops),
            }
        )
        why.append([x[2] for x in done])
    left = ans.left_out
    notes = []
    if ans.strong > len(rows):  # the first page: say how many rows there are beyond it
        shown, every = thousands(len(rows)), thousands(ans.strong)
        notes.append(
            {
                "nb": f"Viser {shown} av {every} treff; vis flere med --limit",
                "en": f"Showing {shown} of {every} rows; show more with --limit",
                "at": "end",
            }
        )
    note = {
        "nb": f"{left} svakere treff utelatt (styrke < {ans.min_strength}); vis dem med --all",
        "en": f"{left} weaker rows left out (strength < {ans.min_strength}); show them with --all",
        "at": "end",
    }
    title = {"nb": f"Hva som rammes av {label(g, start)}", "en": f"What {label(g, start)} affects"}
    facts: dict[str, Any] = {
        "start": start,
        "effects": sorted(effects),
        "min_strength": ans.min_strength,
        "left_out": left,
    }
    if limit is not None:  # the rows there are, and how many of them the page leaves out
        facts["total"] = ans.strong
        facts["not_shown"] = ans.strong - len(rows)
    return Answer(
        "impact",
        title,
        IMPACT,
        rows,
        notes=[*notes, note],
        why=why,
        truncated=ans.strong > len(rows),
        extra=("node", "hops"),
        facts=facts,
    )


def thousands(n: int) -> str:
    """A count as both languages print it here: ``15 980`` (a space between thousands).

    >>> thousands(15980), thousands(25)
    ('15 980', '25')
    """
    return f"{n:,}".replace(",", " ")


def as_of_for(store: Any, start: str, text: str | None) -> tuple[dt.date | None, bool]:
    """The as-of date: ``text`` as people write it, else the status date of ``start``'s own
    dataset; and whether it was given."""
    from graph.whatif import dataset_date, parse_date

    if text:
        try:
            return parse_date(text), True
        except ValueError:
            raise UserError(
                f"--as-of: '{text}' is not a date (2024-02-20, 20.02.2024 or 2024-02)",
                f"--as-of: '{text}' er ikke en dato (2024-02-20, 20.02.2024 eller 2024-02)",
            ) from None
    return dataset_date(store, start), False


def _as_of_note(as_of: dt.date | None, given: bool) -> dict[str, str]:
    nb, en = f"Per dato: {as_of}", f"As of: {as_of}"  # no English word in the nb text
    if not given:
        nb, en = nb + " (datasettets statusdato)", en + " (the dataset's status date)"
    return {"nb": nb, "en": en, "at": "top"}


DELAYS = cols(
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("delay_weeks", "forsinkelse (uker)", "delay (weeks)"),
    ("assumed", "antatt", "assumed"),  # before the long path, so it stays in view
    ("path", "sti", "path"),
)
LATE = cols(
    ("milestone", "milepæl", "milestone"),
    ("date", "dato", "date"),
    ("late_weeks", "uker for sent", "weeks late"),
    ("new_date", "ny dato", "new date"),
    ("path", "sti", "path"),
    ("owner", "eier", "owner"),
    ("board", "styre", "board"),
    ("decides", "beslutter", "decides"),
)


def slip(
    store: Any,
    g: nx.MultiDiGraph[str],
    start: str,
    weeks: float,
    as_of: dt.date | None = None,
    given: bool = True,
) -> Answer:
    """ "``start`` slips ``weeks`` weeks": the delays along the dependencies, and the open
    milestones (not done, not decided, not before ``as_of``) that become late, each with who
    must act: the owner, the board and the body that decides, as names."""
    from graph import analysis
    from graph.whatif import who_must_act

    w = analysis.slip(g, start, weeks, as_of)
    delays = [
        {
            "code": label(g, d.node),
            "label": g.nodes[d.node].get("label", ""),
            "delay_weeks": d.weeks,
            "path": " → ".join(label(g, n) for n in d.path),
            "assumed": YES if d.assumed else "",
            "node": d.node,
            "kind": g.nodes[d.node].get("kind", ""),
            "nodes": tuple(d.path),
        }
        for d in w.delays
    ]
    late = []
    for m in w.milestones:
        act = (
            who_must_act(g, m["owner"]) if m["owner"] else {"owner": [], "board": [], "decides": []}
        )
        owner_kind = g.nodes[m["owner"]].get("kind") if m["owner"] in g else None
        late.append(
            {
                "milestone": m["label"] or short(m["milestone"]),
                "date": str(m["date"] or ""),
                "late_weeks": m["late_weeks"],
                "new_date": str(m["new_date"] or ""),
                "path": " → ".join(label(g, n) for n in m["path"])
                + f" → {label(g, m['milestone'])}",
                "owner": "; ".join(act["owner"]),
                "board": "; ".join(act["board"]),
                "decides": "; ".join(act["decides"]),
                "node": m["milestone"],
                "nodes": (*m["path"], m["milestone"]),
                "programme": owner_kind == "Program",
            }
        )
    title = {
        "nb": f"Hvis {label(g, start)} blir {weeks:g} uker forsinket",
        "en": f"If {label(g, start)} slips {weeks:g} weeks",
    }
    return Answer(
        "whatif",
        title,
        [],
        notes=[_as_of_note(as_of, given)],
        facts={"as_of": str(as_of) if as_of else None},
        sections=[
            Answer("delays", {"nb": "Forsinkelser", "en": "Delays"}, DELAYS, delays),
            Answer(
                "milestones", {"nb": "Milepæler i fare", "en": "Milestones at risk"}, LATE, late
            ),
        ],
    )


AFFECTED_KINDS = {
    "Program",
    "Project",
    "SubProject",
    "Study",
    "Task",
    "Milestone",
    "Municipality",
    "Organization",
    "InterMunicipalCooperation",
}
USERS = cols(
    ("municipality", "kommune", "municipality"),
    ("domain", "tjenesteområde", "domain"),
    ("users", "brukere", "users"),
    ("contract_end", "kontrakt til", "contract end"),
    ("source", "kilde", "source"),
)
DECISIONS = cols(
    ("domain", "tjenesteområde", "domain"),
    ("state", "status", "state"),
    ("date", "dato", "date"),
    ("reason", "begrunnelse", "reason"),
    ("source", "kilde", "source"),
)
AFFECTED = cols(
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("kind", "type node", "kind"),
    ("date", "dato", "date"),
    ("strength", "styrke", "strength"),
    ("why", "hvorfor", "why"),
    ("rationale", "begrunnelse", "rationale"),
    ("interpreted", "tolket", "interpreted"),
)


def switch_off(
    store: Any,
    g: nx.MultiDiGraph[str],
    system: str,
    as_of: dt.date | None = None,
    lang: str = "nb",
    given: bool = True,
) -> Answer:
    """ "``system`` is switched off": who uses it (municipality, service domain), what is decided
    about it, and the ranked projects, bodies and open milestones that lose something, each with
    its why-path."""
    from graph import analysis
    from graph.whatif import system_use

    use = system_use(store, g, system, lang)
    ans = propagation.propagate(g, system, frozenset({"service", "schedule"}), keep_weak=False)
    hit, why = [], []
    fmt = _Hops(g, lang)
    for r in ans.rows:
        d = g.nodes[r.node]
        if r.kind not in AFFECTED_KINDS or (r.kind == "Milestone" and not analysis._open(d, as_of)):
            continue
        hit.append(
            {
                "code": label(g, r.node),
                "label": d.get("label", ""),
                "kind": r.kind,
                "date": str(d.get("date") or d.get("end") or ""),
                "strength": r.strength,
                "why": fmt.why(r.hops),
                "rationale": r.hops[-1].rationale or "",
                "interpreted": YES if any(h.interpreted for h in r.hops) else "",
                "node": r.node,
                "links": _links(r.hops),
            }
        )
        why.append(fmt.steps(r.hops))
    title = {
        "nb": f"Hvis {label(g, system)} slås av",
        "en": f"If {label(g, system)} is switched off",
    }
    return Answer(
        "switch_off",
        title,
        [],
        notes=[_as_of_note(as_of, given)],
        facts={
            "as_of": str(as_of) if as_of else None,
            "left_out": ans.left_out,
            "min_strength": ans.min_strength,
        },
        sections=[
            Answer(
                "users",
                {"nb": "Hvem bruker systemet", "en": "Who uses the system"},
                USERS,
                [dict(u) for u in use["users"]],
            ),
            Answer(
                "decisions",
                {"nb": "Hva er besluttet", "en": "What is decided"},
                DECISIONS,
                [dict(c) for c in use["choices"]],
            ),
            Answer(
                "affected",
                {"nb": "Hva som rammes", "en": "What is affected"},
                AFFECTED,
                hit,
                why=why,
            ),
        ],
    )


CHAIN = cols(
    ("step", "steg", "step"),
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("kind", "type node", "kind"),
    ("date", "dato", "date"),
    ("relation_to_next", "relasjon til neste", "relation to next"),
    ("rationale", "begrunnelse", "rationale"),
    ("source", "kilde", "source"),
    ("interpreted", "tolket", "interpreted"),
)


def critical_path(g: nx.MultiDiGraph[str], milestone: str) -> Answer:
    """The chain of dependencies that decides ``milestone``'s date, first link first; reporting
    and programme-membership links are ignored (graph/schedule.py)."""
    from graph import schedule

    rows, why = [], []
    for i, link in enumerate(schedule.critical_chain(g, milestone)):
        h, d = link.hop, g.nodes[link.node]
        rows.append(
            {
                "step": i + 1,
                "code": label(g, link.node),
                "label": d.get("label", ""),
                "kind": d.get("kind", ""),
                "date": str(link.date or ""),
                "relation_to_next": (h.type or h.predicate) if h else "",
                "rationale": (h.rationale or "") if h else "",
                "source": _source(h) if h else "",
                "interpreted": YES if h and h.interpreted else "",
                "node": link.node,
                "next": h.to if h else None,
            }
        )
        why.append(_steps(g, (h,)) if h else [])
    title = {
        "nb": f"Kritisk sti til {label(g, milestone)}",
        "en": f"Critical path to {label(g, milestone)}",
    }
    return Answer("critical_path", title, CHAIN, rows, why=why)


BARS = cols(
    ("code", "kode", "code"),
    ("label", "navn", "label"),
    ("kind", "type node", "kind"),
    ("start", "start", "start"),
    ("end", "slutt", "end"),
    ("new_end", "ny slutt", "new end"),
    ("after", "venter på", "after"),
)


# The rows before any slip, per view: the schedule links of every project and milestone
# (10⁴ at national scale, a second) do not depend on the slip; only the new ends do.
_ROWS: weakref.WeakKeyDictionary[Any, tuple[int, list[dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def _timeline_rows(g: nx.MultiDiGraph[str], delays: dict[str, float]) -> list[dict[str, Any]]:
    """The rows of :func:`graph.schedule.timeline`'s bars, those before the slip kept per view
    (a view is not changed once built: an edit gives a new one; one that gained or lost nodes
    since is read again. Not its edges: counting them walks every edge, which this saves)."""
    from graph import schedule

    size = g.number_of_nodes()
    kept = _ROWS.get(g)
    if kept is None or kept[0] != size:
        rows = [
            {
                "code": label(g, b.node),
                "label": g.nodes[b.node].get("label", ""),
                "kind": b.kind,
                "start": str(b.start or ""),
                "end": str(b.end or ""),
                "new_end": "",
                "after": " ".join(label(g, a) for a in b.after),
                "node": b.node,
                "after_nodes": b.after,
                "_end": b.end,
            }
            for b in schedule.timeline(g)
        ]
        kept = (size, rows)
        _ROWS[g] = kept
    out = []
    for r in kept[1]:
        row = r.copy()  # every call gets its own rows (a copy in C: 10⁴ rows per page run)
        end = row.pop("_end")
        w = delays.get(r["node"])
        if end and w:
            row["new_end"] = str(end + dt.timedelta(weeks=w))
        out.append(row)
    return out


def timeline(
    store: Any, g: nx.MultiDiGraph[str], slipping: str | None = None, weeks: float = 4.0
) -> Answer:
    """Projects and milestones with their dates and dependency arrows; with ``slipping``, the
    new end of everything the slip of ``weeks`` weeks moves (as of the start's dataset date)."""
    from graph import analysis
    from graph.whatif import dataset_date

    delays: dict[str, float] = {}
    as_of = None
    if slipping:
        as_of = dataset_date(store, slipping)
        w = analysis.slip(g, slipping, weeks, as_of)
        delays = {d.node: d.weeks for d in w.delays}
        delays.update({m["milestone"]: m["late_weeks"] for m in w.milestones})
    rows = _timeline_rows(g, delays)
    title = {"nb": "Tidslinje", "en": "Timeline"}
    facts: dict[str, Any] = {}
    if slipping:
        facts = {"slip": slipping, "weeks": weeks, "as_of": str(as_of) if as_of else None}
    return Answer("timeline", title, BARS, rows, facts=facts)
