"""``python3 -m graph.cli``: the ``kg`` command."""

import os
import sys

from graph.cli import _command, main

code = main()
if _command(sys.argv[1:]) == "load":
    # What a load leaves in memory (the view's maps and graphs: ~5 GB at 9M triples) would be
    # freed object by object at exit: 4-5 s of a 10M load's wall time for nothing. Every file
    # is written and closed and every child waited for by now; only the output is buffered.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
