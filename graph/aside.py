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
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator

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


__all__ = ["write", "writing_aside"]
