"""Golden answers for issue 13 (answers that agree with the documents and with each other).

Each expectation cites the seed document and line (as in shared/domain/seed-inventory.md);
none is copied from the code's own output. The documents are /work/shared/seeds/00N_*.txt.
"""

from __future__ import annotations

from collections import Counter

import pytest

from graph import queries
from graph.netx import to_networkx
from graph.views import governing


@pytest.fixture(scope="module")
def g(asker):
    return to_networkx(asker)


# 001 L258: «Organisering Digitale Asker 2020 Programeier 3K Rådmenn Prosjektstyre … Prosjektstyre
# Ole-Kristian Tangen - Leder Anne Britt Stinessen Sveinung Kvamme Anders Fosen Tillitsvalgt»;
# 000 L1873-1878 the same board: «Ole-Kristian Tangen - Leder», «Anne Britt Stinessen»,
# «Sveinung Kvamme», «Anders Fosen – TV».
A4_BOARD = {
    "ole-kristian-tangen": "leder",
    "anne-britt-stinessen": "medlem",
    "sveinung-kvamme": "medlem",
    "anders-fosen": "tillitsvalgt",
}


def test_who_a4_lists_the_board_members_with_their_roles(asker):
    rows = queries.run(asker, "accountability", {"project": "A4"}, lang="nb").dicts()
    members = {r["code"]: r["member_role"] for r in rows if r["role"] == "steering_member"}
    assert members == A4_BOARD
    # the leader and three members (001 L258), not the board's own name or anyone else
    assert sum(1 for role in members.values() if role != "leder") == 3


def test_who_a4_lists_each_node_once(asker):
    rows = queries.run(asker, "accountability", {"project": "A4"}, lang="nb").dicts()
    twice = [n for n, c in Counter(r["node"] for r in rows).items() if c > 1]
    assert twice == []  # the board used to come back as steering_body AND as "above" it
    roles = {r["role"] for r in rows if r["code"] == "prosjektstyre-a4"}
    assert roles == {"steering_body"}


def test_who_builder_gives_the_same_people(asker, g):
    a4 = next(n for n in g if n.endswith("/project/A4"))
    rows = governing.accountability(asker, g, a4, "nb")
    members = {r["node"].rsplit("/", 1)[1]: r["member_role"] for r in rows
               if r["role"] == "steering_member"}  # fmt: skip
    assert members == A4_BOARD
    assert len({r["node"] for r in rows}) == len(rows)
    # the chain graph draws each member linked to the board, not floating alone
    spec = governing.chain_spec(g, a4, rows)
    linked = {e.source for e in spec.edges} | {e.target for e in spec.edges}
    assert {n for n in linked if n.rsplit("/", 1)[1] in A4_BOARD} == {
        r["node"] for r in rows if r["role"] == "steering_member"
    }


# 000 L1633-1634 («10 prioriterte»): «1. Økonomi- og regnskapssystem Visma Øk | Agresso Øk |
# Agresso Øk» and «2. HR system Visma HRM | Agresso HR | Visma HRM» (Hurum | Røyken | Asker);
# 001 L276: «Økonomi, regnskap, lønn og HR: … Videreføre dagens løsning i Asker (Agresso,
# Framsikt og Visma HRM)». Asker's HR system is Visma HRM, so HR keeps Visma HRM and Røyken's
# Agresso HR goes; Agresso stays for økonomi.
def test_hr_row_shows_the_hr_choice_not_the_parents(asker, g):
    from graph.views import ict

    pf = ict.ict_portfolio(asker, g)
    row = next(r for r in pf.rows if r["name"] == "HR system")
    assert [ict.name(g, s) for s in row["chosen"]] == ["Visma HRM"]
    assert not row["inherited"]  # not the parent domain's Agresso + Framsikt + Visma HRM
    royken = next(m for m in pf.municipalities if ict.name(g, m) == "Røyken kommune")
    assert [ict.name(g, s) for s in row["cells"][royken]] == ["Agresso"]
    assert not set(row["cells"][royken]) & set(row["chosen"])  # Røyken's Agresso HR not chosen
    oko = next(r for r in pf.rows if r["name"] == "Økonomi- og regnskapssystem")
    assert [ict.name(g, s) for s in oko["chosen"]] == ["Agresso"]
    # the named query gives the same choice
    res = queries.run(asker, "ict_portfolio", {}, lang="nb").dicts()
    hr = next(r for r in res if r["domain_name"] == "HR system")
    assert hr["chosen"] == "Visma HRM" and hr["phase_out"] == "Agresso"


def test_phase_out_list_has_agresso_hr_for_royken_only(asker, g):
    from graph.views import ict

    out = {(r["system"], r["domain"]): r for r in ict.phase_out(asker, g)}
    agresso = out[("Agresso", "HR system")]
    assert agresso["used_by"] == "Røyken kommune"  # not Asker, whose Agresso is for økonomi
    assert agresso["replaced_by"] == "Visma HRM"
    assert out[("Visma Øk", "Økonomi- og regnskapssystem")]["used_by"] == "Hurum kommune"
    assert out[("Profil", "Pleie og omsorg")]["replaced_by"] == "Gerica"  # 001 L282, 000 L1639
    assert not any(r["system"] == "Agresso" and r["domain"] != "HR system" for r in out.values())


def test_every_query_header_parses_with_commas_kept():
    from graph.queries import QUERY_DIR, _header, library

    files = sorted(QUERY_DIR.glob("*.rq")) + sorted(QUERY_DIR.glob("*.cypher"))
    assert len(files) >= 30
    metas = {}
    for f in files:
        meta = _header(f.read_text(encoding="utf-8"), "#+" if f.suffix == ".rq" else "//+", str(f))
        assert set(meta["title"]) == {"nb", "en"}, f
        for name, spec in (meta.get("params") or {}).items():
            assert set(spec) >= {"type", "nb", "en"}, (f, name)
        metas[f.name] = meta
    for f in QUERY_DIR.glob("*.cypher"):  # the twins have the same title and parameters
        if (QUERY_DIR / f"{f.stem}.rq").exists():
            rq = metas[f"{f.stem}.rq"]
            assert (metas[f.name]["title"], metas[f.name].get("params")) == (
                rq["title"],
                rq.get("params"),
            ), f.name
    lib = library()
    assert lib["gap_kpis_without_measurement"].title["nb"] == "KPI-er med mål, men uten måling"
    node = next(p for p in lib["impact"].params if p.name == "node")
    assert node.label == {"nb": "Node (id, kode eller navn)", "en": "Node (id, code or name)"}
    assert not any(
        t.endswith("(id") for q in lib.values() for p in q.params for t in p.label.values()
    )


def test_unquoted_comma_in_a_header_is_an_error_naming_the_file(tmp_path):
    from graph.queries import library

    (tmp_path / "x.rq").write_text("#+ title: {nb: Mål, men ikke målt, en: Goals}\nSELECT * {}\n")
    with pytest.raises(ValueError, match=r"x\.rq.*title.*quote"):
        library(tmp_path)


def test_norwegian_sdg_texts_have_no_shared_or_doubled_text():
    from loaders import sdg

    # the check finds what is wrong in the copied open-sdg files (so it can fail) ...
    raw = sdg.text_problems(sdg.titles())
    assert {"1.a: same text as 1.5", "10.3: same text as 10.2", "11.4: repeats 'beskytte'"} <= set(
        raw
    )
    # ... and nothing is left in the texts the graph shows
    assert sdg.text_problems(sdg.corrected()) == []
    # indicators the UN itself repeats under two targets (1.5.1 = 11.5.1 = 13.1.1) are not flagged
    assert not any(p.startswith(("11.5.1", "13.1.1")) for p in raw)


def test_wrong_norwegian_target_shown_in_english_with_a_note(asker):
    res = asker.query("""SELECT ?l ?n WHERE { ?t skos:notation "1.a" ; skos:prefLabel ?l ; skos:editorialNote ?n
        FILTER(LANG(?l) = "nb" && LANG(?n) = "nb") }""")
    ((label, note),) = res.rows
    assert label.startswith("1.a (engelsk tekst) Ensure significant mobilization of resources")
    assert "1.5" in note
    five = asker.query(
        'SELECT ?l WHERE { ?t skos:notation "1.5" ; skos:prefLabel ?l FILTER(LANG(?l) = "nb") }'
    )
    assert five.rows[0][0] != label  # 1.a no longer carries 1.5's text
    ok = asker.query('SELECT ?n WHERE { ?t skos:notation "3.3" ; skos:editorialNote ?n }')
    assert ok.rows == []  # a correct text gets no note
