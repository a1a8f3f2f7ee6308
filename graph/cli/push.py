"""The ``kg push`` sub-command: copy the embedded graph to Neo4j or a SPARQL endpoint (re-sync).

    kg push                  # to Neo4j (KG_NEO4J_URI, KG_NEO4J_USER, KG_NEO4J_PASSWORD[_FILE])
    kg push --to sparql      # to a SPARQL endpoint (KG_SPARQL_QUERY_URL, KG_SPARQL_STORE_URL)

The source is the embedded store (``--store`` or ``$KG_STORE``), opened read-only. Connection
settings come from graph.config (environment, then the settings file).
"""

from __future__ import annotations

import argparse

from graph.cli.common import progress_printer, store_for
from graph.config import backend_options
from graph.store import open_store

# graph.push's defaults, repeated so that every other command starts without importing the Neo4j
# driver and pandas (~2 s); tests/test_startup.py checks they agree.
BATCH_ROWS = 1000
TX_ROWS = 10_000


def cmd_push(args: argparse.Namespace) -> str:
    from graph.push import push  # the Neo4j driver: only for this command

    target_name = args.to or (args.backend if args.backend != "embedded" else "neo4j")
    args.backend = "embedded"  # the source is always the local store
    source = store_for(args)
    target = open_store(target_name, **backend_options(target_name))
    try:
        rep = push(
            source,
            target,
            progress_printer(args.lang),
            batch_size=args.batch_size,
            tx_rows=args.tx_rows,
        )
    finally:
        target.close()
    if target_name == "neo4j":
        if args.lang == "nb":
            return (
                f"Overført {rep.triples} tripler til Neo4j: {rep.nodes} noder, {rep.relationships} relasjoner "
                f"({rep.removed_nodes} noder fjernet, {rep.seconds:.1f} s)."
            )
        return (
            f"Pushed {rep.triples} triples to Neo4j: {rep.nodes} nodes, {rep.relationships} relationships "
            f"({rep.removed_nodes} nodes removed, {rep.seconds:.1f} s)."
        )
    if args.lang == "nb":
        return f"Overført {rep.triples} tripler til SPARQL-endepunktet ({rep.seconds:.1f} s)."
    return f"Pushed {rep.triples} triples to the SPARQL endpoint ({rep.seconds:.1f} s)."


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "push",
        parents=[common],
        help="copy the graph to Neo4j or a SPARQL endpoint / overfør grafen til Neo4j eller et SPARQL-endepunkt",
    )
    p.add_argument(
        "--to",
        choices=["neo4j", "sparql"],
        help="target (default: --backend if not embedded, else neo4j)",
    )
    p.add_argument(
        "--batch-size", type=int, default=BATCH_ROWS, help="rows per UNWIND batch (Neo4j)"
    )
    p.add_argument(
        "--tx-rows",
        type=int,
        default=TX_ROWS,
        help="rows per transaction (Neo4j; keep a transaction well under the server's timeout)",
    )
    p.set_defaults(run=cmd_push)
