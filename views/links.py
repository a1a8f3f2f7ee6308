"""Shareable links: the state a page shows lives in the URL's query parameters
(``/dependencies?project=A4&direction=up``), so a copied address opens the same view.

A page calls :func:`from_url` for each linked widget before drawing it (the URL's value wins
when it is new, e.g. a pasted link) and :func:`to_url` after drawing (the URL follows the
widgets). Nodes travel as their code (``A4``, ``11.1``, ``gerica``) and are looked up among
the widget's options, so a link works in either language and across store generations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from graph import answers as V

SEEN = "kg_url_seen"  # session_state: param → the raw value last read from or written to the URL


def _seen() -> dict[str, str]:
    return st.session_state.setdefault(SEEN, {})


def encode(g: Any, value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "node":
        return V.code(g, value)
    if kind == "nodes":
        return ",".join(V.code(g, v) for v in value)
    return str(value)


def decode(g: Any, raw: str, kind: str, options: Iterable[Any] | None) -> Any:
    """The widget value a URL value means, or None when it names nothing on offer."""
    opts = list(options) if options is not None else None

    def node(code: str) -> Any:
        code = code.strip()
        for o in opts or []:
            if o == code or V.code(g, o).lower() == code.lower():
                return o
        return None

    if kind == "node":
        return node(raw)
    if kind == "nodes":
        found = [n for n in (node(c) for c in raw.split(",") if c.strip()) if n is not None]
        return found or None
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            return None
    return raw if opts is None or raw in opts else None


def from_url(
    param: str, key: str, kind: str = "text", options: Iterable[Any] | None = None, g: Any = None
) -> None:
    """Set widget ``key`` from ``?param=`` when the URL holds a value this session has not seen."""
    raw = st.query_params.get(param)
    if raw is None or _seen().get(param) == raw:
        return
    _seen()[param] = raw
    value = decode(g, raw, kind, options)
    if value is not None:
        st.session_state[key] = value


def to_url(params: dict[str, tuple[str, str]], g: Any = None) -> None:
    """Write the widgets' values into the URL (param → (widget key, kind)); others are dropped."""
    wanted = {}
    for param, (key, kind) in params.items():
        if key in st.session_state and st.session_state[key] is not None:
            wanted[param] = encode(g, st.session_state[key], kind)
    keep = {k: v for k, v in st.query_params.items() if k == "lang"}
    if {**keep, **wanted} != dict(st.query_params.items()):
        st.query_params.from_dict({**keep, **wanted})
    _seen().update(wanted)
