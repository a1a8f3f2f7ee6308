"""The Streamlit pages of Kommunegraf: one module per page, each a thin layer over graph.answers.

``common`` holds what the pages share (language, the current dataset and the caches) and
``i18n`` the one table of user interface strings in Norwegian Bokmål and English.
"""
