"""The synthetic national graph (graph/synth.py, `kg synth`): reproducible, realistic in shape,
and loadable by the real loaders."""

from __future__ import annotations

import argparse
import csv
import filecmp
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from graph import analysis, synth
from graph.cli import synth as synth_commands
from graph.load import load
from graph.netx import to_networkx
from graph.store import open_store
from loaders import sdg
from loaders.dataset import read_dataset


def rows(folder: Path, kind: str) -> list[dict]:
    with open(folder / f"{kind}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "small"
    synth.generate(out, municipalities=6, seed=3, density=1.0)
    return out


def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(small, tmp_path):
    again = tmp_path / "again"
    synth.generate(again, municipalities=6, seed=3, density=1.0)
    files = sorted(p.name for p in small.iterdir())
    assert files == sorted(p.name for p in again.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(small, again, files, shallow=False)
    assert not mismatch and not errors
    other = tmp_path / "other"
    synth.generate(other, municipalities=6, seed=4, density=1.0)
    assert (other / "projects.csv").read_bytes() != (small / "projects.csv").read_bytes()


def test_it_loads_through_the_real_loaders(small):
    ds = read_dataset(small)  # raises LoadError with every problem if the data were invalid
    kinds = Counter(r.kind.name for r in ds.records)
    for kind in (
        "organizations",
        "projects",
        "dependencies",
        "bodies",
        "reporting_lines",
        "system_usages",
        "ownerships",
        "local_goals",
        "target_links",
        "actions",
        "kpis",
        "measurements",
        "milestones",
        "status_reports",
    ):
        assert kinds[kind] > 0, kind
    assert ds.manifest.name == "synth-6-3"
    store = open_store("memory")
    assert load(store, small).quads == len(ds.quads)


def test_municipalities_look_real(small):
    names = synth.municipality_names(356, seed=1)
    assert len({n for n, _, _ in names}) == 356 and len({k for _, k, _ in names}) == 356
    counties = {c for c, *_ in synth.COUNTIES}
    assert all(re.fullmatch(r"\d{4}", k) and k[:2] in counties for _, k, _ in names)
    munis = [r for r in rows(small, "organizations") if r["type"] == "municipality"]
    assert len(munis) == 6 and all(r["name"].endswith(" kommune") for r in munis)


def test_each_municipality_has_a_programme_projects_and_about_300_system_usages(small):
    projects = rows(small, "projects")
    per = Counter(r["id"].split("-")[0] for r in projects)
    assert len(per) == 6 and all(
        35 <= n <= 65 for n in per.values()
    )  # ~50 projects and the programme
    assert sum(r["type"] == "program" for r in projects) == 6
    usages = Counter(r["municipality"] for r in rows(small, "system_usages"))
    assert all(240 <= n <= 360 for n in usages.values())
    real = {r["id"] for r in rows(Path(synth.DOMAINS_CSV).parent, "domains")}
    assert {r["domain"] for r in rows(small, "system_usages")} <= real


def test_companies_are_owned_by_several_neighbours(small):
    owners = defaultdict(set)
    for r in rows(small, "ownerships"):
        owners[r["company"]].add(r["owner"])
    assert owners and all(len(o) >= 2 for o in owners.values())


def test_goals_link_to_real_sdg_targets_and_kpis_have_yearly_values(small):
    codes = sdg.codes()
    linked = [r["target"] for r in rows(small, "target_links")]
    assert linked and all(
        t.startswith("sdg:") and t[4:] in codes and t.count(".") == 1 for t in linked
    )
    years = Counter(r["year"] for r in rows(small, "measurements") if r["type"] == "actual")
    assert set(years) == {"2021", "2022", "2023", "2024"}


def test_dependencies_are_mostly_a_dag_and_reporting_lines_acyclic(small):
    store = open_store("memory")
    load(store, small)
    g = to_networkx(store)
    deps = [(u, v) for u, v, d in g.edges(data=True) if d["predicate"] == "dependsOn"]
    in_cycles = {n for c in analysis.cycles(g) for n in c}
    assert len(deps) > 200 and len(in_cycles) < len({n for e in deps for n in e}) / 5
    assert not analysis.cycles(g, "reportsTo")


def test_presets_and_the_kg_synth_command(tmp_path):
    assert set(synth.PRESETS) == {"10k", "100k", "1m", "5m"}
    assert synth.PRESETS["5m"].municipalities == synth.NATIONAL_MUNICIPALITIES == 356
    parser = argparse.ArgumentParser()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", default="en")
    synth_commands.register(parser.add_subparsers(dest="command"), common)
    args = parser.parse_args(
        ["synth", "--scale", "10k", "--seed", "2", "--out", str(tmp_path / "d")]
    )
    text = args.run(args)
    assert text.startswith("Wrote ") and "kg load" in text
    triples = len(read_dataset(tmp_path / "d").quads)
    assert 7_000 <= triples <= 14_000  # "about 10 thousand"


def test_the_networkx_view_is_cached_per_store_generation(small, tmp_path, monkeypatch):
    import graph.netx as netx

    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    store = open_store("embedded", path=tmp_path / "store")
    load(store, small)
    first = to_networkx(store)
    calls = []
    monkeypatch.setattr(netx, "_build", lambda *a: calls.append(a))  # a second build would show
    reopened = open_store("embedded", path=tmp_path / "store", read_only=True)
    again = to_networkx(reopened)
    assert not calls and sorted(again.nodes) == sorted(first.nodes)
    assert again is not first  # a fresh object each time: callers may change it
    live = store.opened.name
    assert list((tmp_path / "store" / "views").glob(f"{live}.netx-nb-0.*.pickle"))
    smaller = small.parent / "fewer"
    synth.generate(smaller, municipalities=6, seed=3, density=0.2)  # same name: replaces it
    monkeypatch.undo()
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    load(store, smaller)  # a new generation: the old view must not come back
    assert store.opened.name != live
    assert to_networkx(store).number_of_nodes() < first.number_of_nodes()
