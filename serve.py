"""Kommunegraf served warm: ``streamlit run serve.py`` (the same options as ``app.py``).

The same app as ``streamlit run app.py``, with the work that does not depend on the visitor
done while the server starts (views/warm.py): the server answers its first request only when
the bundled graph's views are read and the start pages' answers made, so the first page after
a start is as quick as the next (Streamlit's ``st.App`` lifespan, which runs before the server
serves anything).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st


@asynccontextmanager
async def _warm(app: Any) -> AsyncIterator[None]:
    from views import warm

    await asyncio.to_thread(warm.warm)  # the event loop stays free (the server is not up yet)
    yield


app = st.App("app.py", lifespan=_warm)
