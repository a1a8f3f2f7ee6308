"""The app shows how sure each answer is and where the documents disagree (issue 13)."""

from __future__ import annotations

from tests.test_app import app, frame, iframes, kg_store  # noqa: F401  (kg_store is a fixture)


# 000 L45 «58 selskaper/-interkommunale samarbeid» vs 003 L5-L7 «64 selskaper/-interkommunale samarbeid»
def test_overview_lists_the_conflicts_between_documents(kg_store):  # noqa: F811
    at = app(kg_store)
    table = frame(at, "Lesning", "Grafen bruker").to_csv(index=False)
    assert "«58 selskaper/-interkommunale samarbeid»" in table and "S000 L45" in table
    assert "«64 selskaper/-interkommunale samarbeid»" in table and "S003 L5, L7" in table
    assert "«16 hovedprosjekter»" in table and "S000 L132" in table


# A4 → A/P 3 rests on readings of 001 L284-286 and 000 L1654 (evidence implied): an interpretation,
# drawn dashed; A4 → A2 is stated (000 L1857-1860).
def test_explorer_links_say_how_sure_they_are(kg_store):  # noqa: F811
    at = app(kg_store, page="explorer")
    links = frame(at, "Fra", "Sikkerhet (uttalt / tolket / ekstern)")
    rows = links.to_dict("records")
    sure = {r["Sikkerhet (uttalt / tolket / ekstern)"] for r in rows if "A/P 3" in str(r["Til"])}
    assert sure == {"tolket"}
    assert "uttalt" in {
        r["Sikkerhet (uttalt / tolket / ekstern)"] for r in rows if "A2 -" in str(r["Til"])
    }
    (page,) = iframes(at)
    assert '"dashes": true' in page.replace("\\u0022", '"') or '"dashes":true' in page


def test_explorer_stated_facts_only(kg_store):  # noqa: F811
    at = app(kg_store, page="explorer")
    at.toggle(key="w_dep_stated").set_value(True).run()
    assert not at.exception
    links = frame(at, "Fra", "Sikkerhet (uttalt / tolket / ekstern)")
    assert set(links["Sikkerhet (uttalt / tolket / ekstern)"]) == {"uttalt"}
    assert not any("A/P 3" in str(x) for x in links["Til"])  # the interpreted link is gone
    assert any("A2 -" in str(x) for x in links["Til"])  # the stated one stays
