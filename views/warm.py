"""What the app does before its first visitor: ``serve.py`` runs :func:`warm` while the server
starts (Streamlit's ``st.App`` lifespan), so the first page after a start is as quick as any.

Nothing here depends on who visits: the imports every page needs (pandas, networkx, the
answers, the chart library), the bundled store and the networkx view kept for its generation
(in each language ``kg load`` kept one for), what the start page, the ICT page and the impact
page ask for with their widgets as they start, and then the long-lived objects are put out of
the garbage collector's reach (:func:`views.common.keep_out_of_gc`). The answers are the same
either way: the pages ask the same functions with the same keys, and compute what is missing
when nothing was warmed (``streamlit run app.py``); only the moment differs.

The ICT page's whole-graph reads (~2 s of queries at 1M) are kept per store generation
(graph.netx.cached) and the History page's answers per snapshot (views/history.py: ~8 s at 1M
for the strip, twice that for a diff, each snapshot read whole): the first start after a
``kg load`` makes them here, later starts read them back. A generation that appears while the app runs (a ``kg load`` meanwhile) is read by
its first visitor, as before.

A store not built yet, a server backend (KG_BACKEND) or anything that fails is left to the
first visitor, who sees it happen (or the error) as without the warm-up; the failure is logged.
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path

log = logging.getLogger("kommunegraf.warm")

# The page modules whose imports and per-view answers are made here (their `warm` functions).
PAGES = (
    "views.overview",
    "views.impact",
    "views.governance",
    "views.ict",
    "views.sdg",
    "views.kpis",
    "views.history",
)
# Modules the other pages import (the page scripts themselves run per visit).
MODULES = (
    "pandas",
    "pandas.io.formats.style",  # a coloured table (jinja2): 0.3 s the first time
    "networkx",
    "altair",
    "views.common",
    "views.drawing",
    "views.timeline",
    "views.links",
    "views.downloads",
    "graph.render",
    "streamlit.emojis",  # the page icon is checked against every emoji: its table's import
    "streamlit.material_icon_names",
)


def imports() -> None:
    """The modules the pages import, and every builder graph.answers names (loaded lazily)."""
    for name in MODULES + PAGES:
        importlib.import_module(name)
    from graph import answers

    for name in dir(answers):
        getattr(answers, name)
    from views.i18n import number, plural_form

    for lg in ("nb", "en"):  # Babel reads a locale's data when first asked: 0.1 s
        number(1000, lg)
        plural_form(2, lg)
    # Streamlit's first element of a process asks whether it runs in a REPL by walking the
    # stack with its source lines (inspect.stack()): from a page that is 0.1 s; asked here, once.
    from streamlit import delta_generator

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if callable(check):
        check()


def languages(store) -> list[str]:
    """The languages whose view is kept for the store's generation (``kg load --lang``): only
    those are read here; another is built from the store when first asked for, as before."""
    from graph import netx

    def kept(name: str) -> bool:  # graph.netx.peek would read it: only whether it is there
        path = netx._cache_file(store, name)
        return path is not None and path.exists()

    return [lg for lg in ("nb", "en") if kept(f"labelled-{lg}")]


def warm() -> dict[str, float]:
    """Imports, the bundled store's views and the start pages' answers; the seconds each took
    (also logged). Never raises: what fails here fails again, visibly, for the first visitor."""
    took: dict[str, float] = {}
    started = time.perf_counter()
    try:
        imports()
        took["imports"] = time.perf_counter() - started
        _views(took)
    except Exception:  # the app still starts: the visitor meets the same error on the page
        log.exception("warm-up stopped; the first visit does the rest")
    finally:
        from views.common import keep_out_of_gc

        keep_out_of_gc()
    took["total"] = time.perf_counter() - started
    log.info("warm-up: %s", ", ".join(f"{k} {v:.2f} s" for k, v in took.items()))
    return took


def _views(took: dict[str, float]) -> None:
    from graph.store import default_path
    from views import backend
    from views import common as C

    if backend.name() != "embedded":  # a server's views are per version, read when asked
        return
    path = Path(default_path())
    gen = C._generation(path)
    if gen is None:  # no store yet: the first visitor builds it, with its progress shown
        return
    store = C.bundled_store(str(path), gen)
    t = time.perf_counter()
    C.bundled_system_domains(str(path), gen)  # what a folded graph is grouped by, any page
    took["system domains"] = time.perf_counter() - t
    for lg in languages(store):
        t = time.perf_counter()
        g = C.bundled_graph(str(path), gen, lg)
        took[f"view {lg}"] = time.perf_counter() - t
        for page in PAGES:
            t = time.perf_counter()
            importlib.import_module(page).warm(store, g, lg)
            took[f"{page.split('.')[-1]} {lg}"] = time.perf_counter() - t
