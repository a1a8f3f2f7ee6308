"""The bad inputs of tests/test_hostile.py: (case id, builder, environment)."""

from __future__ import annotations

from hostile_cases import (
    ALIASES,
    FOREIGN_NQ,
    FOREIGN_TRIG,
    RDFXML,
    ROW,
    TTL,
    P,
    _add,
    _drop,
    _set,
    _table,
    file_named,
    laughs,
    raw_manifest,
    raw_projects,
    variant,
    zip_bomb,
)

BUILDERS = [
    # encodings and CSV structure
    ("empty-csv", raw_projects(b""), {}),
    ("blank-csv", raw_projects(b" \n\n  \n"), {}),
    (
        "utf16-le-bom",
        raw_projects("\ufeff".encode("utf-16-le") + (P + ROW).decode().encode("utf-16-le")),
        {},
    ),
    ("utf16-be-bom", raw_projects(b"\xfe\xff" + (P + ROW).decode().encode("utf-16-be")), {}),
    ("utf16-no-bom", raw_projects((P + ROW).decode().encode("utf-16-le")), {}),
    (
        "utf8-one-bad-byte",
        raw_projects(P + "P1;P1;Bjørn;project;S1\n".encode() + b"P2;P2;Sk\xf8yen;project;S1\n"),
        {},
    ),
    (
        "utf8-bom-bad-byte",
        raw_projects(
            b"\xef\xbb\xbf" + P + "P1;P1;Årdal;project;S1\n".encode() + b"P2;P2;\xff;project;S1\n"
        ),
        {},
    ),
    ("cp1252-undefined-byte", raw_projects(P + b"P1;P1;Bj\xf8rn \x81;project;S1\n"), {}),
    ("binary-png", raw_projects(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), {}),
    (
        "nul-after-64k-in-a-cell",
        raw_projects(
            P
            + b"".join(b"P%d;P%d;Prosjekt;project;S1\n" % (i, i) for i in range(1, 3001))
            + b"P0;P0;a\x00b;project;S1\n"
        ),
        {},
    ),
    (
        "unbalanced-quote-row-2",
        raw_projects(P + b'P1;P1;"Prosjekt;project;S1\nP2;P2;Annet;project;S1\n'),
        {},
    ),
    (
        "unbalanced-quote-row-3",
        raw_projects(P + ROW + b'P2;P2;"Annet;project;S1\nP3;P3;Tredje;project;S1\n'),
        {},
    ),
    ("field-over-limit", raw_projects(P + b"P1;P1;" + b"x" * 140_000 + b";project;S1\n"), {}),
    ("row-too-wide", raw_projects(P + b"P1;P1;Prosjekt;project;S1;ekstra\n"), {}),
    ("csv-over-size-limit", raw_projects(P + ROW * 60_000), {"KG_MAX_MB": "1"}),
    # manifests
    ("manifest-cp1252", raw_manifest("name: bad\ntitle: Bjørn\n".encode("cp1252")), {}),
    (
        "manifest-utf8-bad-byte",
        raw_manifest("name: bad\ntitle: Bjørn\n".encode() + b"description: \xe5r\n"),
        {},
    ),
    ("manifest-utf16", raw_manifest("name: bad\n".encode("utf-16")), {}),
    ("manifest-syntax", raw_manifest(b"name: bad\ntitle: [unclosed\n"), {}),
    ("manifest-list", raw_manifest(b"- name\n- bad\n"), {}),
    ("manifest-bad-name", raw_manifest(b"name: Bad Name\n"), {}),
    ("manifest-bad-base", raw_manifest(b"name: bad\nbase: ftp://example.org/bad\n"), {}),
    ("manifest-bad-language", raw_manifest(b"name: bad\nlanguages: [nb, 'norsk bokmal']\n"), {}),
    ("manifest-billion-laughs", raw_manifest(("name: bad\n" + laughs()).encode()), {}),
    ("manifest-too-many-aliases", raw_manifest(ALIASES.encode()), {}),
    ("manifest-missing", lambda tmp: (tmp / "bad").mkdir() or tmp / "bad", {}),
    (
        "manifest-source-missing",
        raw_manifest(b"name: bad\nsources: [sources.csv, missing.csv]\n"),
        {},
    ),
    # YAML datasets
    ("yaml-top-list", file_named("bad.yaml", b"- a\n- b\n"), {}),
    ("yaml-kind-not-list", file_named("bad.yaml", b"projects: P1\n"), {}),
    ("yaml-row-not-mapping", file_named("bad.yaml", b"projects:\n  - P1\n"), {}),
    ("yaml-billion-laughs", file_named("bad.yaml", laughs().encode()), {}),
    ("yaml-too-deep", file_named("bad.yaml", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"), {}),
    ("yaml-cp1252", file_named("bad.yaml", "projects:\n  - title: Bjørn\n".encode("cp1252")), {}),
    ("yaml-syntax", file_named("bad.yaml", b"projects:\n  - id: P1\n   title: x\n"), {}),
    ("yaml-nodes-limit", file_named("bad.yaml", laughs(4).encode()), {"KG_YAML_NODES": "500"}),
    # RDF
    ("rdfxml-entities", file_named("bad.rdf", RDFXML), {}),
    (
        "rdfxml-entity-lowercase",
        file_named(
            "bad.rdf",
            b'<?xml version="1.0"?><!entity x "y"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        ),
        {},
    ),
    ("trig-foreign-graph", file_named("bad.trig", FOREIGN_TRIG), {}),
    ("nquads-foreign-graph", file_named("bad.nq", FOREIGN_NQ * 3), {}),
    ("turtle-syntax", file_named("bad.ttl", TTL + b"ex:a ex:b .\n"), {}),
    ("turtle-no-triples", file_named("bad.ttl", TTL), {}),
    (
        "turtle-too-many-triples",
        file_named("bad.ttl", TTL + b"ex:a ex:b 1, 2, 3 .\n"),
        {"KG_MAX_TRIPLES": "2"},
    ),
    ("ntriples-bad-iri", file_named("bad.nt", b'<not an iri> <https://example.org/p> "o" .\n'), {}),
    # XLSX and files
    ("xlsx-not-a-zip", file_named("bad.xlsx", b"id;title\nP1;x\n"), {}),
    ("xlsx-zip-bomb", zip_bomb, {"KG_MAX_MB": "1"}),
    ("jsonld-not-json", file_named("bad.jsonld", b"{ not json"), {}),
    ("csv-bom-only", raw_projects(b"\xef\xbb\xbf"), {}),
    (
        "rdfxml-too-large",
        file_named("bad.rdf", b"<a/>" + b" " * (2 * 1024 * 1024)),
        {"KG_MAX_MB": "1"},
    ),
    ("unsupported-suffix", file_named("bad.txt", b"hei\n"), {}),
    # records (one wrong value each, in MINI from tests/conftest.py)
    ("missing-column", variant(_drop("projects", "title")), {}),
    ("unknown-column", variant(_set("organizations", 0, "farge", "blå")), {}),
    ("required-empty", variant(_set("projects", 1, "title", "")), {}),
    ("bad-id", variant(_set("projects", 0, "id", "P 1")), {}),
    ("duplicate-id", variant(_set("projects", 1, "id", "P1")), {}),
    ("bad-criticality", variant(_set("dependencies", 0, "criticality", "kritisk")), {}),
    ("bad-amount", variant(_set("budget_lines", 0, "amount", "mange")), {}),
    ("bad-date", variant(_set("projects", 1, "start", "2017-13-45")), {}),
    ("bad-enum", variant(_set("projects", 0, "type", "sak")), {}),
    ("unknown-ref", variant(_set("dependencies", 0, "to", "P9")), {}),
    ("wrong-ref-kind", variant(_set("reporting_lines", 0, "from", "S1")), {}),
    ("reporting-cycle", variant(_add("reporting_lines", {"from": "radet", "to": "styret"})), {}),
    ("duplicate-row", variant(_add("reporting_lines", {"from": "styret", "to": "radet"})), {}),
    ("unknown-kind", variant(_table("fargar", [{"id": "x"}])), {}),
    ("formula-id", variant(_set("projects", 0, "id", "=cmd|' /C calc'!A0")), {}),
    ("csv-triples-cap", variant(lambda t: None), {"KG_MAX_TRIPLES": "100"}),
    (
        "base-of-another-dataset",
        raw_manifest(b"name: other\nbase: https://example.org/held/\n"),
        {},
    ),
    (
        "base-inside-another-dataset",
        raw_manifest(b"name: other\nbase: https://example.org/held/graph/x/\n"),
        {},
    ),
]
