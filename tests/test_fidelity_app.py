"""The app shows how sure each answer is and where the documents disagree (issue 13)."""

from __future__ import annotations

import pytest

from tests.test_app import app, frame, iframes


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


# 000 L1653 names the rådmenn of Drammen and Lier as the owners' representatives; the owners are
# not listed, so «eier» for Drammen and Lier is an interpretation and says so.
def test_ict_companies_table_marks_drammen_and_lier_as_interpreted_owners(kg_store):  # noqa: F811
    at = app(kg_store, page="ict")
    table = frame(at, "Selskap", "Sikkerhet (uttalt / tolket / ekstern)")
    rows = table.to_dict("records")
    sure = "Sikkerhet (uttalt / tolket / ekstern)"
    owners = {
        r["Kommune"]: r[sure] for r in rows if r["Relasjon"] == "eier"
    }  # «eier» alone, not «eier og kunde»
    assert owners["Drammen kommune"] == "tolket" and owners["Lier kommune"] == "tolket"
    assert not any(
        r[sure] == "uttalt"
        and r["Relasjon"] == "eier"
        and r["Kommune"] in ("Drammen kommune", "Lier kommune")
        for r in rows
    )
    at.toggle(key="w_ict_stated").set_value(True).run()
    assert not at.exception
    table = frame(at, "Selskap", sure)
    assert set(table[sure]) == {"uttalt"}
    assert not (
        (table["Relasjon"] == "eier") & table["Kommune"].isin(["Drammen kommune", "Lier kommune"])
    ).any()


def test_overview_tables_show_certainty_and_filter_to_stated(kg_store):  # noqa: F811
    at = app(kg_store)
    sure = "Sikkerhet (uttalt / tolket / ekstern)"
    conflicts = frame(at, "Lesning", "Grafen bruker")
    assert sure in conflicts.columns
    # X1 in Norwegian (ambiguities.csv title; the readings quote 000 L45 and 003 L5)
    assert "Antall selskaper / interkommunale samarbeid" in set(conflicts["Spørsmål"])
    assert "Number of companies / inter-municipal cooperations" not in set(conflicts["Spørsmål"])
    milestones = frame(at, "Milepæl", sure)
    assert "tolket" in set(milestones[sure])
    at.toggle(key="w_ov_stated").set_value(True).run()
    assert not at.exception
    assert set(frame(at, "Milepæl", sure)[sure]) == {"uttalt"}
    assert set(frame(at, "Lesning", "Grafen bruker")[sure]) == {"uttalt"}


@pytest.mark.parametrize(
    "page, section, toggle, heading",
    [
        ("kpis", ("w_kpi_section", "budget"), "w_budget_stated", "Beløp"),
        ("sdg", None, "w_sdg_down_stated", "Lokalt mål"),
        ("governance", None, "w_gov_stated", "Punkt"),
    ],
)
def test_each_page_of_facts_has_the_certainty_column_and_the_switch(
    kg_store,  # noqa: F811
    page,
    section,
    toggle,
    heading,
):
    at = app(kg_store, page=page)
    if section:
        at.segmented_control(key=section[0]).set_value(section[1]).run()
    sure = "Sikkerhet (uttalt / tolket / ekstern)"
    before = frame(at, heading, sure)
    at.toggle(key=toggle).set_value(True).run()
    assert not at.exception
    # the stated rows, or none (then the page says there is nothing to show)
    shown = [d.value for d in at.dataframe if heading in d.value.columns]
    assert shown or at.info
    for after in shown:
        assert set(after[sure]) <= {"uttalt"}
        assert len(after) <= len(before)


def test_sdg_coverage_counts_only_stated_links_when_asked(kg_store):  # noqa: F811
    at = app(kg_store, page="sdg")
    at.segmented_control(key="w_sdg_section").set_value("coverage").run()

    def links() -> int:
        return sum(int(x) for x in frame(at, "Hovedmål", "Sum")["Sum"] if str(x).strip())

    every = links()
    at.toggle(key="w_sdg_cov_stated").set_value(True).run()
    assert not at.exception
    # the local goals' SDG links are readings of the Vesentlighetsmatrisen (003 L153-226,
    # evidence implied), so counting stated links only must count fewer
    assert links() < every
