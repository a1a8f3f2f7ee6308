"""``python3 -m graph.cli``: the ``kg`` command."""

import gc
import os
import sys

from graph.cli import _command, main

load = _command(sys.argv[1:]) == "load"
if load:
    # A load runs with the collector off (cmd_load): left off here, it is not turned back on
    # when the command returns, where its first pass walked every object the load's views
    # still held (over 30 s at 8.8M triples on a busy machine).
    gc.disable()
code = main()
if load:
    # What a load leaves in memory (the view's maps and graphs: ~5 GB at 9M triples) would be
    # freed object by object at exit: 4-5 s of a 10M load's wall time for nothing. Every file
    # is written and closed and every child waited for by now; only the output is buffered.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
