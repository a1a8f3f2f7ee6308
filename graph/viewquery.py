"""Whole-graph queries the app's views run, named so that a faster answerer can serve them.

A :class:`ViewQuery` is a SPARQL text with a name. Its module defines it once as a constant and
runs it with :meth:`ViewQuery.run`, which passes the name to ``store.query``. The load-time view
(:class:`graph.answers.viewrows.ViewRows`) answers such queries from the N-Quads lines a load
kept: it finds its handler by the name and checks that the text is the constant's own, so an
edited query can never be answered by a handler written for the old one. Every view query is in
:data:`REGISTRY`; tests/test_viewdata.py fails when one has neither a handler nor an explicit
place on the list of queries left to the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.store import Limits, Result, Store

REGISTRY: dict[str, ViewQuery] = {}


@dataclass(frozen=True)
class ViewQuery:
    """One named view query; constructing it registers it (names are unique)."""

    name: str
    text: str

    def __post_init__(self) -> None:
        if self.name in REGISTRY and REGISTRY[self.name].text != self.text:
            raise ValueError(f"two view queries are named {self.name!r}")
        REGISTRY[self.name] = self

    def run(
        self, store: Store, params: dict[str, Any] | None = None, limits: Limits | None = None
    ) -> Result:
        """``store.query`` of this text under this name."""
        return store.query(self.text, params, limits, name=self.name)
