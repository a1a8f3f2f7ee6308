"""The app on Neo4j: the time of a save and of a page, at a synthetic preset (default 100k).

    python3 -m bench.shared_bench [--preset 100k] [--saves 5]

Starts its own Neo4j (tools/neo4j/run.sh, as the tests do) in a temporary folder, generates the
preset (graph.synth), loads it, pushes it (the property graph and the RDF beside it), then in
this process, as an app process does (views/backend.py):

- opening the replica (:class:`graph.neo4jrdf.Neo4jReplica`: the RDF read from Neo4j once);
- a page run that finds nothing new: reading the version (one small Cypher read);
- a page run after an edit elsewhere: the version, the edit's quads, and the networkx view
  patched with them (``graph_for``, graph/viewpatch.py), then the overview's status table;
  beside it the view built again from the whole graph, as a page run did before the patch;
- a save (``graph.edits.save`` of a new dependency: checks, SHACL, one write transaction),
  ``--saves`` times, median and max;
- one named question in the engine (Cypher ``dependents``) after the saves.

Prints one JSON document; times in milliseconds. Not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servers import new_neo4j  # noqa: E402

from graph import answers as V  # noqa: E402
from graph import edits, queries, shared, synth  # noqa: E402
from graph.access import Identity, Role  # noqa: E402
from graph.answers.common import _labelled  # noqa: E402
from graph.load import load  # noqa: E402
from graph.push import push  # noqa: E402
from graph.store import open_store  # noqa: E402

EDITOR = Identity("bench-sub", "Bench Editor", Role.EDITOR)


def ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", default="100k", choices=sorted(synth.PRESETS))
    p.add_argument("--saves", type=int, default=5)
    args = p.parse_args(argv)
    out: dict[str, object] = {"preset": args.preset}
    with tempfile.TemporaryDirectory(prefix="kg-shared-bench-") as tmp:
        data = Path(tmp) / "data"
        synth.generate_preset(data, args.preset)
        source = open_store("embedded", path=Path(tmp) / "store")
        report = load(source, data)
        out["triples"] = report.quads
        neo = new_neo4j(Path(tmp) / "neo4j").start()
        try:
            started = time.perf_counter()
            push(source, neo.store())
            out["push_ms"] = ms(started)
            started = time.perf_counter()
            app = shared.Neo4jReplica(neo.store())
            out["open_replica_ms"] = ms(started)
            other = shared.Neo4jReplica(neo.store())  # another app process
            started = time.perf_counter()
            V.graph_for(app, "nb")
            out["first_page_view_ms"] = ms(started)
            started = time.perf_counter()
            shared.version(app)
            out["page_version_check_ms"] = ms(started)

            ds = edits.dataset(other)
            projects = [
                str(r[0])
                for r in other.query(
                    "SELECT ?id WHERE { ?s a kg:Project ; dct:identifier ?id } ORDER BY ?id LIMIT 2"
                ).rows
            ]
            (src,) = other.query(
                "SELECT ?id WHERE { ?s a kg:SourceDocument ; dct:identifier ?id } LIMIT 1"
            ).rows[0]
            saves = []
            for i in range(args.saves):
                values = {
                    "id": f"DBENCH{i}",
                    "from": projects[0],
                    "to": projects[1],
                    "type": "depends_on",
                    "evidence": "explicit",
                    "rationale": f"bench {i}",
                    "source": str(src),
                }
                started = time.perf_counter()
                edits.save(other, EDITOR, "dependencies", values, reason="bench", expected="")
                saves.append(ms(started))
            out["save_ms"] = {"median": statistics.median(saves), "max": max(saves), "all": saves}
            del ds

            started = time.perf_counter()
            shared.version(app)  # the edits made by the other process
            out["page_after_edits_sync_ms"] = ms(started)
            started = time.perf_counter()
            g = V.graph_for(app, "nb")  # the view of the first page, patched with the edits
            out["page_after_edits_view_ms"] = ms(started)
            started = time.perf_counter()
            V.counts(g)
            V.status(app, g, "nb")
            out["page_after_edits_tables_ms"] = ms(started)
            started = time.perf_counter()
            _labelled(app, "nb")  # what the page run did before graph/viewpatch.py
            out["full_view_build_ms"] = ms(started)
            started = time.perf_counter()
            rows = queries.run(app.server, "dependents", {"project": projects[1]})
            out["cypher_dependents_ms"] = ms(started)
            out["cypher_dependents_rows"] = len(rows.rows)
        finally:
            neo.stop()
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
