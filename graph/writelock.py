"""One writer at a time for an on-disk store, across processes (``fcntl.flock``).

The embedded store's own ``threading.Lock`` is invisible to another process: two ``kg load``
runs each built a new generation from the one they had opened, and the second flip silently
dropped the first load's dataset. Every write (load, import, compaction) now takes an exclusive
lock on ``write.lock`` in the store folder and re-opens the newest generation under it, so the
data it keeps is what the previous writer left. Readers never touch the lock.

A second writer waits, saying so on stderr; with ``--no-wait`` (or ``KG_LOCK_WAIT=0``) it is
refused with :class:`StoreBusy` (a user error, exit 1).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from graph.store import QueryError

LOCK_FILE = "write.lock"
_held = threading.local()  # lock files this thread holds already: a nested write re-enters


class StoreBusy(QueryError):
    """Another process is writing to the store and the caller asked not to wait."""


def waits() -> bool:
    return os.environ.get("KG_LOCK_WAIT", "1") not in ("0", "no", "false")


def set_wait(wait: bool) -> None:
    """Choose for this process whether a writer waits for another one (``--no-wait``)."""
    os.environ["KG_LOCK_WAIT"] = "1" if wait else "0"


@contextlib.contextmanager
def writer_lock(root: Path, wait: bool | None = None) -> Iterator[None]:
    """Hold the store's writer lock for the block; wait for it or raise :class:`StoreBusy`."""
    root.mkdir(parents=True, exist_ok=True)
    key = str((root / LOCK_FILE).resolve())
    held: set[str] = getattr(_held, "paths", set())
    _held.paths = held
    if key in held:
        yield
        return
    fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not (waits() if wait is None else wait):
                raise StoreBusy(
                    f"another process is writing to the store {root}; try again when it is done "
                    "(or leave out --no-wait to wait for it)",
                    f"en annen prosess skriver til lageret {root}; prøv igjen når den er ferdig "
                    "(eller utelat --no-wait for å vente på den)",
                ) from None
            sys.stderr.write(
                f"… en annen prosess skriver til lageret {root}; venter til den er ferdig"
                f" / another process is writing to the store {root}; waiting for it\n"
            )
            sys.stderr.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
