"""Long coloured tables in the app are shown a page at a time (issue 16: at national scale the
overview's status table has 4 000+ rows and pandas styles every cell in Python, seconds per
page run), and the translation helpers give the same words as ``t`` per row.

The tables here are built by the test (700 rows), so the expected rows are known without the
app: page 1 holds rows 1–300, page 3 rows 601–700; a table of 300 rows or fewer has no page
picker and shows every row.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _styled_table(rows: int) -> None:
    import pandas as pd
    import streamlit as st

    from views import common as C

    st.session_state.setdefault("w_lang", "nb")
    n = int(st.session_state.get("rows", 0)) or rows
    frame = pd.DataFrame(
        {
            "Kode": [f"P{i + 1}" for i in range(n)],
            "Tid": ["■ Rød" if i % 2 else "● Grønn" for i in range(n)],
        }
    )
    shown = frame.style.map(lambda v: "background-color: #f00" if v[:1] == "■" else "")
    C.dataframe(shown, frame, key="big")


def _app(rows: int) -> AppTest:
    at = AppTest.from_function(_styled_table, args=(rows,), default_timeout=60)
    at.session_state["rows"] = rows
    return at.run()


def test_a_long_coloured_table_is_shown_a_page_at_a_time():
    at = _app(700)
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 300  # NOT all 700 rows styled in one run
    assert list(shown["Kode"])[:2] == ["P1", "P2"] and shown["Kode"].iloc[-1] == "P300"
    assert any("Viser rad 1–300 av 700" in c.value for c in at.caption)
    at.number_input(key="big__page").set_value(3).run()
    shown = at.dataframe[0].value
    assert list(shown["Kode"]) == [f"P{i}" for i in range(601, 701)]
    assert shown["Tid"].iloc[0] == "● Grønn"  # the cells are the data's, not shifted
    assert any("Viser rad 601–700 av 700" in c.value for c in at.caption)
    # the downloads under the table are still there (they are built from every row)
    assert len(at.get("download_button")) == 2


def test_a_short_coloured_table_has_no_pages():
    at = _app(300)
    assert not at.exception
    assert len(at.dataframe[0].value) == 300
    assert not at.number_input  # no page picker
    assert not any("Viser rad" in c.value for c in at.caption)


def test_memo_gives_what_the_function_gives():
    from views.common import memo

    calls: list[tuple] = []

    def word(a: str, b: str | None) -> str:
        calls.append((a, b))
        return f"{a}:{b}"

    m = memo(word)
    assert [m("time", "green"), m("time", "green"), m("time", None)] == [
        "time:green",
        "time:green",
        "time:None",
    ]
    assert calls == [("time", "green"), ("time", None)]  # once per distinct value
