"""Pure parts of the app's Excel downloads, plurals, links and graph page (no browser).

The CSV must open in Norwegian Excel as columns: ``;`` separator, UTF-8 with a BOM, decimal
comma. The XLSX must open with openpyxl with the same cells. Plurals come from Babel's CLDR
rules (nb: 1 prosjekt, 2 prosjekter). The graph page must keep "&" as "&" in labels.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from graph.render import GEdge, GNode, GraphSpec, to_html, vis_data
from views.downloads import to_csv_excel, to_xlsx
from views.i18n import fill

FRAME = pd.DataFrame(
    {
        "Kode": ["A4", "A/P 1", "X"],
        "Prosjekt": ["Prosjekt A4 - Digitale Asker 2020", "Helse & omsorg; «sitat»", None],
        "Beløp": [1234.5, 0.25, 2.0],
        "Antall": [3, 0, 12],
        "Dato": [dt.date(2017, 2, 1), dt.date(2020, 1, 1), None],
    }
)


def test_csv_for_norwegian_excel():
    raw = to_csv_excel(FRAME)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kode", "Prosjekt", "Beløp", "Antall", "Dato"]
    assert rows[1] == ["A4", "Prosjekt A4 - Digitale Asker 2020", "1234,5", "3", "2017-02-01"]
    # a ";" inside a cell is quoted, not a new column; the ampersand stays as it is
    assert rows[2][1] == "Helse & omsorg; «sitat»" and len(rows[2]) == 5
    assert rows[2][2] == "0,25" and rows[3][2] == "2,0"
    assert rows[3][1] == "" and rows[3][4] == ""
    # NOT comma separated, NOT decimal point
    assert "1234.5" not in raw.decode("utf-8-sig") and raw.decode("utf-8-sig").count(",") == 3
    assert raw.decode("utf-8-sig").count("\r\n") == 4


def test_xlsx_opens_with_the_same_cells():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(FRAME, "Status")))
    ws = book.active
    assert ws.title == "Status" and ws.freeze_panes == "B2"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Kode", "Prosjekt", "Beløp", "Antall", "Dato"]
    assert rows[1][:4] == ["A4", "Prosjekt A4 - Digitale Asker 2020", 1234.5, 3]
    assert rows[1][4].date() == dt.date(2017, 2, 1)  # a real date cell, not text
    assert rows[3][1] is None and len(rows) == 4


@pytest.mark.parametrize(
    ("n", "lang", "text"),
    [
        (1, "nb", "1 prosjekt"),
        (2, "nb", "2 prosjekter"),
        (0, "nb", "0 prosjekter"),
        (12345, "nb", "12\xa0345 prosjekter"),
        (1, "en", "1 project"),
        (1234, "en", "1,234 projects"),
    ],
)
def test_plural_and_number_by_babel(n, lang, text):
    words = "{n} {n:prosjekt|prosjekter}" if lang == "nb" else "{n} {n:project|projects}"
    assert fill(words, {"n": n}, lang) == text


def test_no_string_reads_1_prosjekter():
    """Every nb string with a count next to a noun picks its plural with Babel."""
    from views.i18n import STRINGS

    for key, entry in STRINGS.items():
        for n in (1, 2):
            values = {k: n for k in re.findall(r"\{(\w+)\}", entry["nb"])}
            out = fill(entry["nb"], values, "nb")
            assert not re.search(
                r"\b1 (prosjekter|noder|lenker|milepæler|rader|merknader|kommuner|organer|grupper|uker|tripler|poster|naboer|mål|målkonflikter|delmål|systemer|personer|KPI-er)\b",
                out,
            ), (key, out)


def test_graph_page_shows_ampersand_once_and_legend_matches_shapes():
    spec = GraphSpec(
        [
            GNode("a", "Helse & omsorg", "Project", "Helse & omsorg – tooltip", start=True),
            GNode("k", "K1 Sykefravær", "KPI"),
            GNode("s", "11", "SDGGoal"),
        ],
        [GEdge("a", "k", "måles av", dashes=True), GEdge("a", "s", "bidrar til", width=3)],
        reserve_nodes=[GNode("r", "Nabo & co", "System")],
        reserve_edges=[GEdge("a", "r", "bruker")],
    )
    page = to_html(spec, legend=[("project", "Prosjekt"), ("kpi", "KPI"), ("sdg", "Bærekraftsmål")])
    data = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["nodes"][0]["label"] == "Helse & omsorg"
    assert data["nodes"][0]["title"] == "Helse & omsorg – tooltip"
    assert "&amp;" not in json.dumps(data)
    shapes = {n["shape"] for n in data["nodes"]}
    legend = set(re.findall(r'data-shape="(\w+)"', page))
    assert shapes == legend == {"box", "star", "hexagon"}  # stars as stars, hexagons as hexagons
    assert 'data-edge="dashed"' in page and 'data-edge="primary"' in page
    assert 'data-edge="high"' not in page  # no edge of that style drawn, none explained
    assert [n["id"] for n in data["reserve"]["nodes"]] == ["r"] and data["focus"] == "a"
    assert vis_data(GraphSpec([GNode("x", "x")]))["focus"] is None  # no start, no edges: the middle
    hub = GraphSpec(
        [GNode("x", "x"), GNode("y", "y"), GNode("z", "z")], [GEdge("x", "y"), GEdge("z", "y")]
    )
    assert vis_data(hub)["focus"] == "y"  # no start: the best-connected node
    assert (
        data["options"]["nodes"]["scaling"]["label"]["drawThreshold"] == 12
    )  # fades below 12 px, never at it
    assert (
        'id="search"' in page and '<option value="Helse &amp; omsorg">' in page
    )  # escaped in HTML
