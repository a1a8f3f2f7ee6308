"""The app on a server store: ``KG_BACKEND=neo4j`` or ``KG_BACKEND=sparql`` (docs/shared.md).

Each app process opens the server once (``st.cache_resource``) and, on every page run, reads the
graph's version from it (:func:`graph.shared.version`): an edit saved by another process, or a
push, changes it, and the caches in views/common.py are keyed by it, so every page shows the
new graph at its next rerun. With ``KG_BACKEND=embedded`` (the default) nothing here is used.
"""

from __future__ import annotations

import os

import streamlit as st

from graph.store import Store

PREFIX = "server:"  # the 'path' of a server graph in the caches of views/common.py


def name() -> str:
    """The backend the app runs on: ``embedded`` unless ``KG_BACKEND`` names a server.

    A misspelt value is refused (``shared.check_backend``), never read as ``embedded``: an app
    meant for the shared server must not quietly show a private copy instead.
    """
    value = os.environ.get("KG_BACKEND", "embedded").strip().lower() or "embedded"
    if value == "embedded":  # the server clients (the Neo4j driver: ~0.3 s) are not imported
        return value
    from graph import shared

    shared.check_backend(value)
    return value


def is_server(path: str) -> bool:
    return path.startswith(PREFIX)


@st.cache_resource(show_spinner=False)
def server_store(backend: str) -> Store:
    """One handle on the server for this process, shared by its sessions."""
    from graph import shared
    from graph.config import backend_options

    return shared.open_shared(backend, **backend_options(backend))


def current() -> tuple[str, str]:
    """(cache path, version) of the server graph now: one small read from the server."""
    from graph import shared

    backend = name()
    return PREFIX + backend, shared.version(server_store(backend))


def store_for(path: str) -> Store:
    return server_store(path[len(PREFIX) :])
