"""Files written aside: by a forked child while the caller goes on (``kg load``'s views).

``kg load`` spent a third of its views' time at 1M triples writing files that nothing in the
same process reads again: the compact carrying file (graph/carryfile.py, ~0.5 s of Python) and
the pickle of the plain networkx view (graph/netx.py's cache, ~0.15 s). The process holds the
GIL while it makes them, so a thread would not run them beside the rest; a forked child does,
on the other core, from a copy-on-write snapshot of the values as they are at the fork (the
caller may change them afterwards: the labelled view is the plain one with labels added in
place). One child, not one per file: every page either process touches while the child lives
is copied (a child per file cost ~1.7 s of system CPU at 1M).

Only inside :func:`writing_aside`, and only where ``os.fork`` exists; elsewhere :func:`write`
runs the writer at once, as it does when the fork fails. A writer that fails in the child leaves its file out, as a failed
write does in the caller (the files are caches: a reader builds what it lacks).

A child killed mid-write leaves its ``*.<pid>.tmp`` behind: :func:`drop_stale` removes those
whose writer is gone when the views are written again.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

_children: list[int] | None = None  # the children writing now, inside writing_aside()


@contextlib.contextmanager
def writing_aside() -> Iterator[list[int]]:
    """Within: :func:`write` forks its writer; on leaving, wait for every child. Yields the
    list that gets the exit status of each child, in order (0: written)."""
    global _children
    outer, _children = _children, []
    done: list[int] = []
    try:
        yield done
    finally:
        children, _children = _children, outer
        for pid in children:
            _, status = os.waitpid(pid, 0)
            done.append(os.waitstatus_to_exitcode(status))


def write(writer: Callable[[], object]) -> None:
    """``writer()``: in a forked child inside :func:`writing_aside`, else now."""
    if _children is None or not hasattr(os, "fork"):
        writer()
        return
    sys.stdout.flush()  # a buffer copied into the child is never written twice: it leaves by
    sys.stderr.flush()  # os._exit, which flushes nothing; flushed here so no text waits in it
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a process limit, no memory to commit): write here
        writer()
        return
    if pid == 0:  # the child: write, then leave without running the parent's exit handlers
        code = 1
        try:
            writer()
            code = 0
        finally:
            os._exit(code)
    _children.append(pid)


STALE_AFTER = 3600.0  # s: a temporary file whose name says no writer, untouched this long


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's
        return True
    return True


def drop_stale(folder: Path) -> None:
    """Remove the temporary files in ``folder`` no live process is writing: the views' writers
    name theirs ``<file>.<pid>.tmp`` (graph/netx.py, graph/carryfile.py, graph/viewlines.py),
    so one whose process is gone was left by a writer that died (a child killed mid-write);
    one whose name carries no pid, once untouched for an hour. A file another process is
    writing now is kept."""
    try:
        found = list(folder.glob("*.tmp"))
    except OSError:
        return
    for tmp in found:
        pid = tmp.name.rsplit(".", 2)[-2] if tmp.name.count(".") >= 2 else ""
        # OverflowError: a "pid" too large for os.kill (a file of another's naming)
        with contextlib.suppress(OSError, OverflowError):
            if pid.isdigit():
                if not _alive(int(pid)):
                    tmp.unlink()
            elif time.time() - tmp.stat().st_mtime > STALE_AFTER:
                tmp.unlink()


__all__ = ["drop_stale", "write", "writing_aside"]
