"""One scale of the benchmark, in its own process (so its peak memory is its own).

    python3 bench/worker.py --data DIR --work DIR --out result.json [--starts 50] [--no-rdflib]

Sections, in order (peak memory is read after each): load from the CSV folder; the networkx
view (built, then read back from its cache); opening the built graph; impact (named SPARQL
query and networkx analysis) over random start nodes; trace from SDG targets (named query and
the walk on the networkx view the app uses); each gap report; what-if; the app's page builders
(graph/answers/); then rdflib's in-memory store on the same quads and queries.
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import os
import random
import re
import shutil
import sys
import time
import traceback
import types
from itertools import zip_longest
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.timing import Timeout, clock, guarded, peak_mb, repeat, summary, timed  # noqa: E402
from graph import queries  # noqa: E402
from graph.answers.sdg import trace_down as app_trace_down  # noqa: E402
from graph.load import load  # noqa: E402
from graph.netx import to_networkx  # noqa: E402
from graph.store import IRI, LimitExceeded, Limits, open_store  # noqa: E402

BIG = Limits(seconds=600, rows=50_000_000)
START_KINDS = (
    "Program",
    "Project",
    "SubProject",
    "System",
    "GovernanceBody",
    "InterMunicipalCooperation",
    "LocalGoal",
    "SDGTarget",
)
PAGE = 25  # rows on the first page of a hub's impact answer
RISKY = {"status", "gaps", "trace_down", "quality"}  # builders that run whole-graph named queries
# Page builders in graph/answers/ and views/drawing.py that do real work (helpers such as name() are left out).
BUILDERS = (
    "graph_for",
    "counts",
    "status",
    "milestones",
    "as_of",
    "explore",
    "node_options",
    "governance_spec",
    "raci",
    "accountability",
    "mandates",
    "chain_spec",
    "unconnected_bodies",
    "ict_portfolio",
    "evaluations",
    "phase_out",
    "companies",
    "operators",
    "system_domains",
    "impact",
    "why_spec",
    "slip",
    "scenario_spec",
    "switch_off",
    "as_of_for",
    "timeline",
    "critical_path",
    "coverage",
    "sdg_goals",
    "sdg_linked",
    "gaps",
    "interactions",
    "trace_down",
    "trace_up",
    "dataset_title",
    "quality",
)


class Bench:
    def __init__(self, args):
        self.args = args
        self.out: dict[str, Any] = {"scale": args.scale, "notes": [], "peak_mb": {}}
        self.rng = random.Random(args.seed)
        self.disturbed = False  # a guarded call is still running in the background

    def note(self, text: str) -> None:
        self.out["notes"].append(text)
        print("  note:", text, file=sys.stderr, flush=True)

    def checkpoint(self, name: str) -> None:
        self.out["peak_mb"][name] = peak_mb()
        print(f"  [{name}] peak {peak_mb():.0f} MB", file=sys.stderr, flush=True)

    def guard(self, what: str, fn, seconds: float):
        try:
            return guarded(fn, seconds)
        except Timeout:
            self.disturbed = True
            self.note(
                f"{what}: stopped waiting after {seconds:g} s; it runs on in the background, so "
                "later figures of this scale may be slower than they should"
            )
            raise

    # -- sections --------------------------------------------------------------------------

    def load(self) -> None:
        store_dir = Path(self.args.work) / "store"
        shutil.rmtree(store_dir, ignore_errors=True)
        marks: list[float] = []
        store = open_store("embedded", path=store_dir)
        started = time.perf_counter()
        rep = load(store, self.args.data, lambda en, nb: marks.append(time.perf_counter()))
        total = time.perf_counter() - started
        read = marks[1] - started if len(marks) >= 2 else None
        seconds = rep.seconds  # until the data is live; the compaction follows
        self.out["load"] = {
            "records": rep.records,
            "triples": rep.quads,
            "store_size": rep.store_size,
            "seconds": round(seconds, 3),
            "read_validate_s": round(read, 3) if read else None,
            "write_s": round(seconds - read, 3) if read else None,
            "compact_s": round(rep.compacting, 3),
            "total_s": round(total, 3),
            "records_per_s": round(rep.records / seconds),
            "triples_per_s": round(rep.quads / seconds),
        }
        store.close()
        del store
        gc.collect()
        self.store_dir = store_dir
        self.reps = 3 if rep.quads <= 150_000 else 1  # repeats of the slow whole-graph calls
        self.checkpoint("load")

    def open_and_view(self) -> None:
        store = open_store("embedded", path=self.store_dir, read_only=True)
        views = _views()
        if views is not None and hasattr(views, "prepare"):  # what `kg load` does after a load
            from graph.answers import viewrows  # as `kg load` does: from the lines the load kept

            t, _ = clock(lambda: viewrows.prepare(store, None, "nb"))
            g = to_networkx(store, "nb")
        else:
            t, g = clock(lambda: to_networkx(store, "nb"))
        self.out["view"] = {
            "build_s": round(t, 3),
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
        }
        del g
        gc.collect()

        def open_only():
            s = open_store("embedded", path=self.store_dir, read_only=True)
            s.query("ASK { ?s ?p ?o }")
            s.close()

        def open_view():
            s = open_store("embedded", path=self.store_dir, read_only=True)
            to_networkx(s, "nb")
            s.close()

        self.out["open"] = {"store": repeat(open_only, 5), "store_and_view": repeat(open_view, 3)}
        self.store = store
        self.g = to_networkx(store, "nb")
        self.checkpoint("view")

    def starts(self) -> None:
        g = self.g
        by_kind: dict[str, list[str]] = {}
        for n, d in g.nodes(data=True):
            by_kind.setdefault(d.get("kind"), []).append(n)
        for v in by_kind.values():
            v.sort()
        self.by_kind = by_kind
        # Half projects (the usual question), half the other kinds a planner starts from.
        projects = sorted(n for k in ("Project", "SubProject") for n in by_kind.get(k, []))
        others = sorted(
            n for k in START_KINDS if k not in ("Project", "SubProject") for n in by_kind.get(k, [])
        )
        half = min(len(projects), self.args.starts // 2)
        self.impact_starts = self.rng.sample(projects, half) + self.rng.sample(
            others, min(len(others), self.args.starts - half)
        )
        self.projects = self.rng.sample(projects, min(self.args.starts, len(projects)))
        systems = by_kind.get("System", [])
        self.systems = self.rng.sample(systems, min(20, len(systems)))
        linked = sorted(
            {
                v
                for u, v, d in g.edges(data=True)
                if d["predicate"] == "broadMatch" and g.nodes[v].get("kind") == "SDGTarget"
            }
        )
        self.targets = [self.rng.choice(linked) for _ in range(self.args.starts)] if linked else []
        kinds: dict[str, int] = {}
        for n in self.impact_starts:
            k = g.nodes[n].get("kind")
            kinds[k] = kinds.get(k, 0) + 1
        # The heaviest hubs of every start kind (national systems among the systems): the nodes
        # with the most edges, where an impact answer is largest (issue 16's hub start set).
        degree = g.degree()
        self.hubs = [
            n
            for k in START_KINDS
            for n in sorted(by_kind.get(k, []), key=lambda n: (-degree[n], n))[: self.args.hubs]
        ]
        self.out["start_nodes"] = {
            "impact": dict(sorted(kinds.items())),
            "trace_targets": len(set(self.targets)),
            "hubs": len(self.hubs),
            "projects": len(self.projects),
            "systems": len(self.systems),
        }

    def impact(self) -> None:
        """Impact with why-paths as ``kg impact`` and the app's impact page give it:
        graph.answers.scenarios.impact (ranked rows, each with its hops), random starts and hubs;
        wall and CPU time of each call, and the load average."""
        from graph.answers import scenarios

        store, g = self.store, self.g
        named, nx_times, nx_cpu, sizes, left = [], [], [], [], []
        named_cpu: list[float] = []
        for n in self.impact_starts:
            t, c, res = timed(lambda n=n: queries.run(store, "impact", {"node": IRI(n)}, BIG))
            named.append(t)
            named_cpu.append(c)
            t, c, ans = timed(lambda n=n: scenarios.impact(g, n))
            nx_times.append(t)
            nx_cpu.append(c)
            sizes.append(len(ans.rows))
            left.append(ans.facts["left_out"])
        out = {
            "named_sparql": summary(named, named_cpu),
            "networkx": summary(nx_times, nx_cpu),
            "measured": "graph.answers.scenarios.impact (ranked rows with why-paths, as kg impact)",
            "rows": _sizes(sizes),
            "left_out": _sizes(left),
        }
        # The hubs kind by kind in turn, so a --budget stop leaves every kind measured alike.
        per_kind: dict[str, list[str]] = {}
        for n in self.hubs:
            per_kind.setdefault(g.nodes[n].get("kind"), []).append(n)
        order = [n for group in zip_longest(*per_kind.values()) for n in group if n is not None]
        # The first page first: each hub's first query (what a planner opening a hub waits for),
        # the first PAGE ranked rows with their why-paths and the counts of all
        # (scenarios.impact(limit=...)); then the whole answers of the same hubs.
        if "limit" in inspect.signature(scenarios.impact).parameters:
            page_w: list[float] = []
            page_c: list[float] = []
            started = time.perf_counter()
            for n in order:
                t, c, _ = timed(lambda n=n: scenarios.impact(g, n, limit=PAGE))
                page_w.append(t)
                page_c.append(c)
                if time.perf_counter() - started > self.args.budget:
                    break
            out["networkx_hubs_first_page"] = {**summary(page_w, page_c), "rows": PAGE}
        hubs: list[float] = []
        hubs_cpu: list[float] = []
        by_kind: dict[str, list[tuple[float, float]]] = {}
        hub_rows: dict[str, list[int]] = {}
        started = time.perf_counter()
        for n in order:
            t, c, ans = timed(lambda n=n: scenarios.impact(g, n))
            hubs.append(t)
            hubs_cpu.append(c)
            kind = g.nodes[n].get("kind")
            by_kind.setdefault(kind, []).append((t, c))
            hub_rows.setdefault(kind, []).append(len(ans.rows) + ans.facts["left_out"])
            if time.perf_counter() - started > self.args.budget:
                self.note(f"impact from hubs stopped after {len(hubs)} of {len(order)} (--budget)")
                break
        out["networkx_hubs"] = summary(hubs, hubs_cpu)
        out["hubs_by_kind"] = {
            k: {**summary([t for t, _ in v], [c for _, c in v]), "reached": _sizes(hub_rows[k])}
            for k, v in sorted(by_kind.items())
        }
        self.out["impact"] = out
        self.checkpoint("impact")

    def trace(self) -> None:
        store, g = self.store, self.g
        out: dict[str, Any] = {}
        if not self.targets:
            self.note("no SDG target has a local goal: trace not measured")
            self.out["trace"] = out
            return
        nxt = [clock(lambda t=t: app_trace_down(store, g, t, "nb"))[0] for t in self.targets]
        out["networkx_plus_values"] = summary(nxt)
        named = []
        started = time.perf_counter()
        try:
            for t in self.targets:
                named.append(
                    self.guard(
                        "named trace_down",
                        lambda t=t: clock(
                            lambda: queries.run(store, "trace_down", {"sdg": IRI(t)}, BIG)
                        )[0],
                        self.args.risky_guard,
                    )
                )
                if time.perf_counter() - started > self.args.budget:
                    break
            out["named_sparql"] = summary(named)
        except Timeout:
            out["named_sparql"] = {**summary(named), "timeout_s": self.args.risky_guard}
        up = [
            clock(lambda p=p: queries.run(store, "trace_up", {"project": IRI(p)}, BIG))[0]
            for p in self.projects[:20]
        ]
        out["trace_up_named_sparql"] = summary(up)
        self.out["trace"] = out
        self.checkpoint("trace")

    def gaps(self) -> None:
        """Each named gap report over the whole graph (late: a slow one runs on when stopped)."""
        out = {}
        for name in sorted(n for n in queries.library() if n.startswith("gap_")):
            try:
                rows = []
                res = self.guard(
                    name,
                    lambda n=name, rows=rows: repeat(
                        lambda: rows.append(len(queries.run(self.store, n, {}, BIG).rows)),
                        self.reps,
                    ),
                    self.args.risky_guard,
                )
                res["rows"] = rows[0] if rows else None
                out[name] = res
            except Timeout:
                out[name] = {"n": 0, "timeout_s": self.args.risky_guard}
            except Exception as e:  # e.g. the store's own time limit
                self.runaway(name, e)
                out[name] = {"n": 0, "error": f"{type(e).__name__}: {e}"[:200]}
        self.out["gaps"] = out
        self.checkpoint("gaps")

    def runaway(self, what: str, e: Exception) -> None:
        if isinstance(e, LimitExceeded):  # the store stopped waiting; Oxigraph cannot be stopped
            self.disturbed = True
            self.note(
                f"{what}: the store's time limit stopped it, but the query runs on in the background"
            )

    def whatif(self) -> None:
        """The what-if answers as ``kg whatif`` and the app's impact page give them
        (graph/answers/scenarios.py: slip with its delays and late milestones, switch-off with
        its users, decisions and ranked losses), each with its as-of date found as theirs is."""
        from graph.answers import scenarios

        store, g = self.store, self.g

        def slip(p: str):
            as_of, given = scenarios.as_of_for(store, p, None)
            return scenarios.slip(store, g, p, 8.0, as_of, given)

        def off(s: str):
            as_of, given = scenarios.as_of_for(store, s, None)
            return scenarios.switch_off(store, g, s, as_of, "nb", given)

        out: dict[str, Any] = {}
        for name, fn, starts in (
            ("slip_8_weeks", slip, self.projects[:20]),
            ("switch_off_system", off, self.systems),
        ):
            walls, cpus = [], []
            for n in starts:
                t, c, _ = timed(lambda n=n, fn=fn: fn(n))
                walls.append(t)
                cpus.append(c)
            out[name] = summary(walls, cpus)
        out["measured"] = "graph.answers.scenarios.slip / switch_off (as kg whatif)"
        self.out["whatif"] = out
        self.checkpoint("whatif")

    def pages_risky(self) -> None:
        """The builders that run whole-graph named queries known to be slow at scale."""
        self.pages(risky=True)

    def pages(self, risky: bool = False) -> None:
        views = _views()
        if views is None:
            self.note("graph/answers/ not found: app page builders not timed")
            return
        store, g = self.store, self.g
        project = self.projects[0] if self.projects else None
        sample = {
            "store": store,
            "g": g,
            "lang": "nb",
            "project": project,
            "node": project,
            "start": project,
            "starts": [project] if project else [],
            "system": self.systems[0] if self.systems else None,
            "sdg": self.targets[0] if self.targets else None,
            "weeks": 8.0,
            "municipalities": views.default_municipalities(views.ict_municipalities(g))
            if hasattr(views, "default_municipalities")
            else None,
        }
        out: dict[str, Any] = (self.out.get("pages") or {}).get("builders", {})
        for name in BUILDERS:
            fn = getattr(views, name, None)
            if fn is None or (name in RISKY) != risky:
                continue
            if name == "quality" and self.out["load"]["triples"] > 150_000:
                out[name] = {
                    "skipped": "SHACL validation of the whole graph with pyshacl; see smaller scales"
                }
                continue
            kwargs, missing = {}, []
            for p in inspect.signature(fn).parameters.values():
                if p.name in sample and sample[p.name] is not None:
                    kwargs[p.name] = sample[p.name]
                elif p.default is inspect.Parameter.empty and p.kind not in (
                    p.VAR_KEYWORD,
                    p.VAR_POSITIONAL,
                ):
                    missing.append(p.name)
            if missing:
                out[name] = {"skipped": f"needs {', '.join(missing)}"}
                continue
            reps = 1 if name == "quality" else self.reps
            limit = self.args.risky_guard if risky and name != "quality" else 120
            try:
                res = self.guard(
                    f"views.{name}", lambda f=fn, k=kwargs, r=reps: repeat(lambda: f(**k), r), limit
                )
                out[name] = res
            except Timeout:
                out[name] = {"n": 0, "timeout_s": limit}
            except Exception as e:  # a builder whose signature or data needs changed
                self.runaway(f"views.{name}", e)
                out[name] = {"error": f"{type(e).__name__}: {e}"[:200]}
        self.out["pages"] = {"builders": out, "pages": _page_totals(out)}
        self.checkpoint("pages")

    def reference(self) -> None:
        from bench.reference import Reference

        ours_peak = peak_mb()
        started = time.perf_counter()
        try:
            ref = Reference.from_store(self.store)
        except MemoryError:
            self.note("rdflib ran out of memory")
            return
        r: dict[str, Any] = {
            "load_s": round(ref.load_seconds, 3),
            "dump_and_load_s": round(time.perf_counter() - started, 3),
            "triples": ref.triples,
            "triples_per_s": round(ref.triples / ref.load_seconds),
        }
        guard, budget = self.args.ref_guard, self.args.budget
        impact = queries.get("impact").sparql
        r["impact_named_sparql"] = ref.time(
            impact, [{"node": IRI(n), "lang": "nb"} for n in self.impact_starts], guard, budget
        )
        if self.targets:
            r["trace_named_sparql"] = ref.time(
                queries.get("trace_down").sparql,
                [{"sdg": IRI(t), "lang": "nb"} for t in self.targets],
                guard,
                budget,
            )
        r["gaps"] = {}
        for name in sorted(n for n in queries.library() if n.startswith("gap_")):
            text = queries.get(name).sparql
            r["gaps"][name] = ref.time(text, [{"lang": "nb"}], guard, budget)
        r["peak_mb_with_rdflib"] = peak_mb()
        r["rdflib_extra_mb"] = round(peak_mb() - ours_peak, 1)
        self.out["rdflib"] = r

    def save(self) -> None:
        self.args.out.write_text(json.dumps(self.out, indent=1, default=str), encoding="utf-8")

    def run(self) -> dict[str, Any]:
        # Whatever may run away (a whole-graph named query past its limit keeps a core busy, as
        # Oxigraph cannot be stopped) comes after the rdflib reference, and last of all.
        safe = [
            self.load,
            self.open_and_view,
            self.starts,
            self.impact,
            self.whatif,
            self.trace,
            self.pages,
        ]
        risky = [self.pages_risky, self.gaps]
        only = set(self.args.only.split(",")) if self.args.only else None
        wanted = {"pages_risky": "pages"}
        for step in safe + [self.reference_step] + risky:
            name = step.__name__
            if name == "reference_step":
                self.out["peak_mb"]["ours"] = peak_mb()  # before rdflib and the late sections
                if self.args.no_rdflib or (only and "reference" not in only):
                    continue
            elif only and wanted.get(name, name) not in only | {"load", "open_and_view", "starts"}:
                continue
            print(f"  {self.args.scale}: {name}", file=sys.stderr, flush=True)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                step()
            except Exception as e:
                self.note(f"{name} failed: {type(e).__name__}: {e}")
                traceback.print_exc()
            # CPU time and load average beside each section's wall time (a shared machine)
            self.out.setdefault("sections", {})[name] = {
                "wall_s": round(time.perf_counter() - wall, 2),
                "cpu_s": round(time.process_time() - cpu, 2),
                "load_avg": round(os.getloadavg()[0], 2),
            }
            self.save()  # what is measured so far survives a kill
        self.out["peak_mb"]["ours_with_late_sections"] = peak_mb()
        if self.out.get("rdflib"):
            self.out["ratios"] = _ratios(self.out)
        self.out["disturbed"] = self.disturbed
        return self.out

    def reference_step(self) -> None:
        if self.disturbed:
            self.note("rdflib reference skipped: a stopped query is still running")
            return
        self.reference()


def _sizes(v: list[int]) -> dict[str, int]:
    """Median and max of a list of counts (empty: nothing)."""
    return {"median": sorted(v)[len(v) // 2], "max": max(v)} if v else {}


def _views():
    """The page builders: the answers, and the drawing of them next to the app's pages."""
    try:
        from graph import answers
        from views import drawing
    except ImportError:
        return None
    names = {n: getattr(answers, n) for n in answers.__all__}  # graph.answers loads them lazily
    return types.SimpleNamespace(**{**names, **{n: getattr(drawing, n) for n in dir(drawing)}})


# Pages that show one section at a time (a segmented control): a page run calls the builders of
# the chosen section only, so such a page costs its dearest section, not the sum of all. Kept in
# step with views/sdg.py, views/impact.py and views/governance.py by hand.
SECTIONS = {
    "sdg": {
        "down": ["sdg_goals", "sdg_linked", "trace_down"],
        "up": ["node_options", "trace_up"],
        "coverage": ["coverage"],
        "gaps": ["gaps"],
        "interactions": ["interactions"],
    },
    "impact": {
        "impact": ["node_options", "as_of_for", "impact", "why_spec", "timeline", "critical_path"],
        "slip": ["node_options", "as_of_for", "slip", "scenario_spec", "timeline", "critical_path"],
        "switch_off": [
            "node_options",
            "as_of_for",
            "switch_off",
            "why_spec",
            "timeline",
            "critical_path",
        ],
    },
    "governance": {
        "project": ["node_options", "accountability", "chain_spec", "mandates"],
        "chart": ["governance_spec", "unconnected_bodies"],
        "raci": ["raci"],
    },
}


def _page_totals(builders: dict[str, Any]) -> dict[str, Any]:
    """Server-side time of each app page: the sum of the builders its module calls (views/*.py),
    or of its dearest section (:data:`SECTIONS`)."""
    folder = ROOT / "views"
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.glob("*.py")):
        if path.stem in ("__init__", "i18n"):
            continue
        called = sorted(set(re.findall(r"\bV\.([a-z_]+)\(", path.read_text(encoding="utf-8"))))
        timed = {n: builders[n]["median_ms"] for n in called if "median_ms" in builders.get(n, {})}
        stopped = {
            n: builders[n].get("timeout_s") or 60
            for n in called
            if builders.get(n, {}).get("timeout_s")
            or "LimitExceeded" in str(builders.get(n, {}).get("error"))
        }
        total = sum(timed.values())
        if path.stem in SECTIONS and timed:
            per = {k: sum(timed.get(n, 0) for n in ns) for k, ns in SECTIONS[path.stem].items()}
            worst = max(per, key=per.get)
            total = per[worst]
        if timed:
            out[path.stem] = {
                "median_ms_sum": round(total, 1),
                "builders": timed,
                "not_timed": [n for n in called if n in builders and n not in timed],
                "stopped_after_s": stopped,
                **(
                    {
                        "sections_ms": {k: round(v, 1) for k, v in per.items()},
                        "dearest_section": worst,
                    }
                    if path.stem in SECTIONS
                    else {}
                ),
            }
            if (
                path.stem == "common"
            ):  # cached per store generation (st.cache_resource), not per page
                out[path.stem]["once_per_generation"] = True
    return out


def _ratios(out: dict[str, Any]) -> dict[str, Any]:
    """Our figure divided by rdflib's (below 1: we are faster)."""
    ref = out.get("rdflib", {})

    def ratio(a, b):
        return round(a / b, 4) if a is not None and b else None

    r = {
        "load": ratio(out["load"]["seconds"], ref.get("load_s")),
        "impact_named_sparql_median": ratio(
            out.get("impact", {}).get("named_sparql", {}).get("median_ms"),
            ref.get("impact_named_sparql", {}).get("median_ms"),
        ),
        "impact_networkx_median": ratio(
            out.get("impact", {}).get("networkx", {}).get("median_ms"),
            ref.get("impact_named_sparql", {}).get("median_ms"),
        ),
        "trace_named_sparql_median": ratio(
            out.get("trace", {}).get("named_sparql", {}).get("median_ms"),
            ref.get("trace_named_sparql", {}).get("median_ms"),
        ),
    }
    for name, v in ref.get("gaps", {}).items():
        ours = out.get("gaps", {})
        r[name] = ratio(ours.get(name, {}).get("median_ms"), v.get("median_ms"))
    return r


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", required=True, type=Path)
    p.add_argument("--work", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--scale", default="?")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--starts", type=int, default=50, help="random start nodes (default %(default)s)"
    )
    p.add_argument(
        "--budget", type=float, default=60, help="seconds per slow series before it stops early"
    )
    p.add_argument(
        "--hubs", type=int, default=50, help="heaviest hubs per start kind (default %(default)s)"
    )
    p.add_argument("--ref-guard", type=float, default=120, help="seconds one rdflib query may take")
    p.add_argument(
        "--risky-guard",
        type=float,
        default=30,
        help="seconds to wait for a whole-graph named query known to be slow at scale",
    )
    p.add_argument("--no-rdflib", action="store_true")
    p.add_argument(
        "--only",
        help="comma-separated sections: impact,whatif,pages,gaps,trace,reference "
        "(load and the view always run)",
    )
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    result = Bench(args).run()
    args.out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
