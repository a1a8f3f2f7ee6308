"""``python3 -m graph.cli``: the ``kg`` command."""

import sys

from graph.cli import main

sys.exit(main())
