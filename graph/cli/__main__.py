"""``python3 -m graph.cli``: the ``kg`` command."""

from graph.cli import run

run()
