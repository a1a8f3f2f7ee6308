"""Ad-hoc queries that really stop at their time limit: each runs in a worker process.

pyoxigraph cannot interrupt a running query, and the embedded store's thread went on after
the caller was told "stopped": three cartesian COUNTs in the console kept 0.85 of a core busy
until restart, and a 600 s ``kg query`` held 2.7 GB. Here the query runs in a child process
that opens the same generation read-only, applies the row limit itself and sends back plain
rows; at the deadline the child is killed, so no CPU or memory stays in use.

Chosen for ``kg query`` and the app's console (:func:`adhoc_query`). The app's named queries
keep the store's in-process path: they are our own, bounded queries, and a process per chart
would cost more than it saves. Server backends (Neo4j, remote SPARQL) pass the limit to the
server, which stops the query itself, so they are called as they are.

A store on disk is queried from a ``forkserver`` child (a clean process: forking one that has
RocksDB open can hang); an in-memory store (an app upload) only exists in this process, so its
child is a ``fork`` that inherits it.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import time
import types
from multiprocessing.connection import Connection
from typing import Any

from graph.store import Capability, LimitExceeded, Limits, QueryError, Result, Store

_SERVER: Any = None


def _context(kind: str) -> Any:
    global _SERVER
    if kind == "fork":
        return mp.get_context("fork")
    if _SERVER is None:
        _SERVER = mp.get_context("forkserver")
        _SERVER.set_forkserver_preload(["graph.cancel", "graph.embedded"])
    return _SERVER


_STARTING = threading.Lock()


def _start(worker: Any) -> None:
    """Start ``worker`` without it re-running the caller's main script.

    A forkserver child imports the parent's ``__main__`` again (as ``__mp_main__``): for a
    script without a ``__main__`` guard, or a program read from stdin, that re-runs or breaks
    it. The worker needs nothing from ``__main__``, so a bare one stands in while it starts.
    """
    with _STARTING:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            worker.start()
        finally:
            sys.modules["__main__"] = main


def _work(
    conn: Connection,
    where: Any,
    text: str,
    params: dict[str, Any] | None,
    limits: Limits,
    name: str | None,
) -> None:
    """In the child: run the query, send ("ok", Result) or (kind, message) back."""
    try:
        from graph.embedded import EmbeddedStore

        store = EmbeddedStore.reading(where) if isinstance(where, str) else where
        conn.send(("ok", store.query(text, params, limits, name)))
    except LimitExceeded:
        conn.send(("time", ""))
    except QueryError as e:  # sent as its two texts: its own pickling would lose the Norwegian
        conn.send(("query", (e.en, e.nb)))
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the caller as text
        conn.send(("error", str(e) or type(e).__name__))
    finally:
        conn.close()


def _too_long(limits: Limits, name: str | None) -> LimitExceeded:
    return LimitExceeded(
        f"the query ran longer than the time limit of {limits.seconds:g} s and was stopped",
        f"spørringen brukte mer enn tidsgrensen på {limits.seconds:g} s og ble stoppet",
        name,
    )


def adhoc_query(
    store: Store,
    text: str,
    params: dict[str, Any] | None = None,
    limits: Limits | None = None,
    name: str | None = None,
) -> Result:
    """Run a user's query on ``store`` so that the time limit really ends it (see module doc)."""
    from graph.embedded import EmbeddedStore

    if not isinstance(store, EmbeddedStore):
        return store.query(text, params, limits)
    from graph.safety import check_sparql

    check_sparql(text, name)  # refused here, before a process is started for it
    limits = limits or Limits()
    started = time.perf_counter()
    gen = store.opened if store.supports(Capability.GENERATIONS) else None
    where: str | EmbeddedStore
    if gen is not None:
        ctx, where = _context("forkserver"), str(gen)
    else:
        ctx, where = _context("fork"), store  # in memory: the forked child inherits it
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_work, args=(send, where, text, params, limits, name), daemon=True)
    _start(worker)
    send.close()
    try:
        left = limits.seconds - (time.perf_counter() - started)
        if not receive.poll(max(left, 0.0)):
            raise _too_long(limits, name)
        try:
            kind, value = receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            raise QueryError(
                "the query process ended without an answer",
                "spørreprosessen sluttet uten svar",
                name,
            ) from None
    finally:
        if worker.is_alive():
            worker.kill()  # the point of it all: nothing keeps running after the limit
        worker.join()
        receive.close()
    if kind == "time":
        raise _too_long(limits, name)
    if kind == "query":
        en, nb = value
        raise QueryError(en, nb, name)
    if kind == "error":
        raise QueryError(f"query failed: {value}", f"spørringen feilet: {value}", name)
    result: Result = value
    result.elapsed = time.perf_counter() - started
    return result
