"""Kommunegraf – the web app: ``streamlit run app.py``.

Opens the bundled nye Asker graph (built from data/nye-asker into ``$KG_STORE`` or
``./.kg/store`` on first use). The sidebar chooses the language (Norwegian Bokmål or English;
default from the browser), the dataset (the bundled graph or one uploaded in this session) and
the page. Each page is a module in views/, a thin layer over graph/answers/.
"""

from __future__ import annotations

import os

import streamlit as st

from views import auth, common, links
from views.i18n import LANGUAGE_NAMES, lang, t

st.set_page_config(
    page_title="Kommunegraf",
    page_icon="🕸️",
    layout="wide",
    initial_sidebar_state="expanded",
)

common.keep_widget_state()
links.from_url("lang", "w_lang", "text", list(LANGUAGE_NAMES))  # ?lang=en opens in English
common.init_language()
common.streamlit_texts()

PAGES = [
    ("views/overview.py", "page.overview", "start", ":material/dashboard:"),
    ("views/explorer.py", "page.explorer", "dependencies", ":material/account_tree:"),
    ("views/impact.py", "page.impact", "impact", ":material/crisis_alert:"),
    ("views/governance.py", "page.governance", "governance", ":material/account_balance:"),
    ("views/ict.py", "page.ict", "ict", ":material/dns:"),
    ("views/sdg.py", "page.sdg", "sdg", ":material/public:"),
    ("views/kpis.py", "page.kpis", "kpis", ":material/monitoring:"),
    ("views/history.py", "page.history", "history", ":material/history:"),
    ("views/console.py", "page.console", "query", ":material/terminal:"),
    ("views/data.py", "page.data", "data", ":material/database:"),
]

with st.sidebar:
    st.radio(
        t("sidebar.language"),
        list(LANGUAGE_NAMES),
        key="w_lang",
        horizontal=True,
        format_func=lambda code: LANGUAGE_NAMES[code],
    )

pages = [
    st.Page(path, title=t(title), url_path=slug, icon=icon, default=(slug == "start"))
    for path, title, slug, icon in PAGES
]
identity = auth.current_identity()  # a reader unless signed in with a role (views/auth.py)
if auth.can_edit(identity):
    pages.append(
        st.Page("views/edit.py", title=auth.edit_title(), url_path="edit", icon=":material/edit:")
    )
# The default page answers at "/", never at its own url_path: "/overview" (an old or guessed
# link) goes to a hidden page that switches to it, keeping the query parameters.
pages.append(
    st.Page(
        lambda: st.switch_page(pages[0], query_params=st.query_params.to_dict()),
        title=t("page.overview"),
        url_path="overview",
        visibility="hidden",
    )
)
nav = st.navigation(pages, position="sidebar")

with st.sidebar:
    keys = common.dataset_keys()
    common.valid(common.DATASET, keys, common.BUNDLED)
    st.selectbox(
        t("sidebar.dataset"),
        keys,
        placeholder=t("widget.choose"),
        key=common.DATASET,
        format_func=common.dataset_format(),
        help=t("sidebar.dataset.help"),
    )
    with st.expander(t("sidebar.settings")):
        if "w_max_nodes" not in st.session_state:
            st.session_state["w_max_nodes"] = int(os.environ.get("KG_MAX_NODES", "300"))
        st.number_input(
            t("sidebar.max_nodes"),
            min_value=20,
            max_value=3000,
            step=20,
            key="w_max_nodes",
            help=t("sidebar.max_nodes.help"),
        )
    auth.sidebar(identity)
    st.caption(t("sidebar.footer", lang=LANGUAGE_NAMES[lang()]))

nav.run()
