"""``kg impact`` and ``kg whatif`` on the propagation model (graph/propagation.py): ranked rows,
each with its strongest why-path (relation, rationale, source, and a mark where a hop is an
interpretation), the count of rows left out as too weak, and who must act on a late milestone."""

from __future__ import annotations

import datetime as dt

from graph import analysis, propagation, queries
from graph.certainty import stated_only
from graph.cli.common import UserError, store_for
from graph.netx import to_networkx
from graph.output import render, short
from graph.store import Result
from graph.whatif import dataset_date, parse_date, who_must_act


def _label(g, n: str) -> str:
    d = g.nodes[n] if n in g else {}
    return str(d.get("code") or d.get("label") or short(n))


def why(g, hops) -> str:
    """One line per path: ``A2 →[depends_on, S000 L1857-1860] A4 →[milestoneOf] …``; * = interpreted."""
    parts = [_label(g, hops[0].frm)] if hops else []
    for h in hops:
        src = " ".join(x for x in ((h.document or "").rsplit("/", 1)[-1], h.locator or "") if x)
        tag = ", ".join(x for x in (h.type or h.predicate, src) if x) + (
            "*" if h.interpreted else ""
        )
        parts.append(f"→[{tag}] {_label(g, h.to)}")
    return " ".join(parts)


def cmd_impact(args) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    if args.stated_only:  # only the facts the documents state
        g = stated_only(g)
    start = queries.resolve_node(store, args.node, (), "node")
    effects = (
        frozenset(e.strip() for e in args.effect.split(",")) if args.effect else propagation.ALL
    )
    if not effects <= propagation.ALL:
        raise UserError(f"--effect: one or more of {', '.join(propagation.ALL)}",
                        f"--effect: en eller flere av {', '.join(propagation.ALL)}")  # fmt: skip
    ans = propagation.propagate(
        g, start, effects, 0.0 if args.all else propagation.MIN_STRENGTH, args.depth
    )
    rows = []
    for r in ans.rows:
        last = r.hops[-1]
        src = " ".join(
            x for x in ((last.document or "").rsplit("/", 1)[-1], last.locator or "") if x
        )
        rows.append((_label(g, r.node), g.nodes[r.node].get("label", ""), r.kind, r.depth, r.strength,
                     ",".join(sorted({e for h in r.hops for e in h.effects})), why(g, r.hops),
                     last.rationale or "", src, "yes" if any(h.interpreted for h in r.hops) else ""))  # fmt: skip
    head = [
        "code",
        "label",
        "kind",
        "depth",
        "strength",
        "effects",
        "why",
        "rationale",
        "source",
        "interpreted",
    ]
    if args.format == "json":  # one document: the rows with every hop, and what was left out
        import json

        body = json.loads(render(Result(head, rows), "json"))
        for row, r in zip(body["rows"], ans.rows, strict=True):
            row["node"] = r.node
            row["hops"] = [{"from": _label(g, h.frm), "to": _label(g, h.to), "relation": h.predicate, "type": h.type,
                            "effects": list(h.effects), "strength": round(h.strength, 4), "rationale": h.rationale,
                            "source": (h.document or "").rsplit("/", 1)[-1] or None, "locator": h.locator,
                            "interpreted": h.interpreted} for h in r.hops]  # fmt: skip
        body |= {
            "start": start,
            "effects": sorted(effects),
            "min_strength": ans.min_strength,
            "left_out": len(ans.weak),
        }
        return json.dumps(body, ensure_ascii=False, indent=2)
    out = render(Result(head, rows), args.format)
    if args.format == "table":
        out += ("\n" + (f"{len(ans.weak)} svakere treff utelatt (styrke < {ans.min_strength}); vis dem med --all"
                        if args.lang == "nb" else
                        f"{len(ans.weak)} weaker rows left out (strength < {ans.min_strength}); show them with --all"))  # fmt: skip
    return out


def cmd_whatif(args) -> str:
    store = store_for(args)
    g = to_networkx(store, args.lang)
    if not args.system and not args.project:
        raise UserError(
            "give a project (and --weeks) or --system",
            "oppgi et prosjekt (og --weeks) eller --system",
        )
    start = queries.resolve_node(store, args.system or args.project, (), "node")
    if args.as_of:
        try:
            as_of: dt.date | None = parse_date(args.as_of)
        except ValueError:
            raise UserError(f"--as-of: '{args.as_of}' is not a date (2024-02-20, 20.02.2024 or 2024-02)",
                            f"--as-of: '{args.as_of}' er ikke en dato (2024-02-20, 20.02.2024 eller 2024-02)") from None  # fmt: skip
    else:
        as_of = dataset_date(store, start)
    nb = args.lang == "nb"
    if args.system:
        return _switch_off(args, store, g, start, as_of)
    result = analysis.slip(g, start, args.weeks, as_of)
    parts = []
    if args.format == "table":
        parts.append(
            (f"Per dato (as-of): {as_of}" if nb else f"As of: {as_of}")
            + (
                ""
                if args.as_of
                else (" (datasettets statusdato)" if nb else " (the dataset's status date)")
            )
        )
    rows = [(_label(g, d.node), g.nodes[d.node].get("label", ""), d.weeks, " → ".join(_label(g, n) for n in d.path),
             "yes" if d.assumed else "") for d in result.delays]  # fmt: skip
    parts.append(
        render(Result(["code", "label", "delay_weeks", "path", "assumed"], rows), args.format)
    )
    ms = []
    for m in result.milestones:
        act = (
            who_must_act(g, m["owner"]) if m["owner"] else {"owner": [], "board": [], "decides": []}
        )
        ms.append((m["label"] or short(m["milestone"]), str(m["date"] or ""), m["late_weeks"], str(m["new_date"] or ""),
                   " → ".join(_label(g, n) for n in m["path"]) + f" → {_label(g, m['milestone'])}",
                   "; ".join(act["owner"]), "; ".join(act["board"]), "; ".join(act["decides"])))  # fmt: skip
    head = ["milestone", "date", "late_weeks", "new_date", "path", "owner", "board", "decides"]
    parts.append(render(Result(head, ms), args.format))
    if args.format == "json":  # one JSON document
        import json

        docs = [json.loads(p) for p in parts]
        return json.dumps({"as_of": str(as_of) if as_of else None, "delays": docs[0], "milestones": docs[1]},
                          ensure_ascii=False)  # fmt: skip
    return "\n\n".join(parts)


def cmd_critical_path(args) -> str:
    from graph import schedule

    store = store_for(args)
    g = to_networkx(store, args.lang)
    start = queries.resolve_node(store, args.milestone, (), "milestone")
    rows = []
    for i, link in enumerate(schedule.critical_chain(g, start)):
        h = link.hop
        src = (
            " ".join(x for x in ((h.document or "").rsplit("/", 1)[-1], h.locator or "") if x)
            if h
            else ""
        )
        rows.append((i + 1, _label(g, link.node), g.nodes[link.node].get("label", ""), g.nodes[link.node].get("kind", ""),
                     str(link.date or ""), (h.type or h.predicate) if h else "", (h.rationale or "") if h else "", src,
                     "yes" if h and h.interpreted else ""))  # fmt: skip
    head = [
        "step",
        "code",
        "label",
        "kind",
        "date",
        "relation_to_next",
        "rationale",
        "source",
        "interpreted",
    ]
    return render(Result(head, rows), args.format)


def cmd_timeline(args) -> str:
    from graph import schedule

    store = store_for(args)
    g = to_networkx(store, args.lang)
    delays: dict[str, float] = {}
    if args.slip:
        start = queries.resolve_node(store, args.slip, (), "slip")
        as_of = dataset_date(store, start)
        w = analysis.slip(g, start, args.weeks, as_of)
        delays = {d.node: d.weeks for d in w.delays}
        delays.update({m["milestone"]: m["late_weeks"] for m in w.milestones})
    rows = [(_label(g, b.node), g.nodes[b.node].get("label", ""), b.kind, str(b.start or ""), str(b.end or ""),
             str(b.new_end or ""), " ".join(_label(g, a) for a in b.after))
            for b in schedule.timeline(g, delays)]  # fmt: skip
    return render(
        Result(["code", "label", "kind", "start", "end", "new_end", "after"], rows), args.format
    )


def register(sub, common) -> None:
    """``kg critical-path MILESTONE`` and ``kg timeline [--slip NODE --weeks N]``."""
    p = sub.add_parser("critical-path", parents=[common],
                       help="the chain of dependencies that decides a milestone's date")  # fmt: skip
    p.add_argument("milestone")
    p.set_defaults(run=cmd_critical_path)
    p = sub.add_parser("timeline", parents=[common],
                       help="projects and milestones with dates and dependency arrows, before/after a slip")  # fmt: skip
    p.add_argument("--slip", help="a node that slips")
    p.add_argument("--weeks", type=float, default=4.0)
    p.set_defaults(run=cmd_timeline)


def _switch_off(args, store, g, system: str, as_of) -> str:
    """Who uses the system and in which domain, what is decided about it, and the ranked
    projects and open milestones that lose something, each with its why-path."""
    from graph.whatif import system_use

    use = system_use(store, g, system, args.lang)
    ans = propagation.propagate(g, system, frozenset({"service", "schedule"}))
    hit = []
    for r in ans.rows:
        d = g.nodes[r.node]
        if r.kind not in {"Program", "Project", "SubProject", "Study", "Task", "Milestone", "Municipality",
                          "Organization", "InterMunicipalCooperation"}:  # fmt: skip
            continue
        if r.kind == "Milestone" and not analysis._open(d, as_of):
            continue
        last = r.hops[-1]
        hit.append((_label(g, r.node), d.get("label", ""), r.kind, str(d.get("date") or d.get("end") or ""),
                    r.strength, why(g, r.hops), last.rationale or "",
                    "yes" if any(h.interpreted for h in r.hops) else ""))  # fmt: skip
    tables = {
        "users": Result(["municipality", "domain", "users", "contract_end", "source"],
                        [tuple(u.values()) for u in use["users"]]),
        "decisions": Result(["domain", "state", "date", "reason", "source"], [tuple(c.values()) for c in use["choices"]]),
        "affected": Result(["code", "label", "kind", "date", "strength", "why", "rationale", "interpreted"], hit),
    }  # fmt: skip
    if args.format == "json":
        import json

        return json.dumps({"as_of": str(as_of) if as_of else None, "left_out": len(ans.weak),
                           **{k: json.loads(render(v, "json")) for k, v in tables.items()}}, ensure_ascii=False)  # fmt: skip
    titles = {"users": ("Hvem bruker systemet", "Who uses the system"),
              "decisions": ("Hva er besluttet", "What is decided"),
              "affected": ("Hva som rammes", "What is affected")}  # fmt: skip
    i = 0 if args.lang == "nb" else 1
    parts = [(f"Per dato (as-of): {as_of}" if i == 0 else f"As of: {as_of}")]
    parts += [f"## {titles[k][i]}\n" + render(v, args.format) for k, v in tables.items()]
    return "\n\n".join(parts)
