"""At least 60 distinct bad inputs, each refused with its exact message in English and Bokmål.

Issue 15 (items 3, 5 and 8): limits, encodings and structure. The builders are in
tests/hostile_table.py; each makes one thing wrong, so the file, row, column or line in the
expected text is known from the builder. What must NOT happen: a traceback, a load that goes
through, or any change to a store that already holds a dataset.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, write_dataset
from hostile_table import BUILDERS

from graph.load import load
from graph.store import open_store
from loaders.errors import LoadError

EXPECTED = [
    # The store already holds 'held' (base https://example.org/held/, see the fixture below).
    (
        "base-of-another-dataset",
        "bad: the base <https://example.org/held/> overlaps that of dataset 'held' (<https://example.org/held/>): "
        "loading would replace its graphs; give this dataset its own base in the manifest",
        "bad: basen <https://example.org/held/> overlapper basen til datasettet 'held' (<https://example.org/held/>): "
        "lastingen ville erstattet grafene dets; gi dette datasettet sin egen base i manifestet",
    ),
    (
        "base-inside-another-dataset",
        "bad: the base <https://example.org/held/graph/x/> overlaps that of dataset 'held' (<https://example.org/held/>): "
        "loading would replace its graphs; give this dataset its own base in the manifest",
        "bad: basen <https://example.org/held/graph/x/> overlapper basen til datasettet 'held' (<https://example.org/held/>): "
        "lastingen ville erstattet grafene dets; gi dette datasettet sin egen base i manifestet",
    ),
    ("empty-csv", "projects.csv: the file is empty", "projects.csv: filen er tom"),
    ("blank-csv", "projects.csv: the file is empty", "projects.csv: filen er tom"),
    (
        "utf16-le-bom",
        "projects.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
        "projects.csv: filen er UTF-16-tekst; lagre den som UTF-8 (i Excel: «CSV UTF-8»)",
    ),
    (
        "utf16-be-bom",
        "projects.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
        "projects.csv: filen er UTF-16-tekst; lagre den som UTF-8 (i Excel: «CSV UTF-8»)",
    ),
    (
        "utf16-no-bom",
        "projects.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
        "projects.csv: filen er UTF-16-tekst; lagre den som UTF-8 (i Excel: «CSV UTF-8»)",
    ),
    (
        "utf8-one-bad-byte",
        "projects.csv: the file is UTF-8 but byte 0xF8 at line 3, column 9 is not valid UTF-8; fix that byte or save the file again as UTF-8",
        "projects.csv: filen er UTF-8, men byte 0xF8 på linje 3, kolonne 9 er ikke gyldig UTF-8; rett den eller lagre filen på nytt som UTF-8",
    ),
    (
        "utf8-bom-bad-byte",
        "projects.csv: the file is UTF-8 but byte 0xFF at line 3, column 7 is not valid UTF-8; fix that byte or save the file again as UTF-8",
        "projects.csv: filen er UTF-8, men byte 0xFF på linje 3, kolonne 7 er ikke gyldig UTF-8; rett den eller lagre filen på nytt som UTF-8",
    ),
    (
        "cp1252-undefined-byte",
        "projects.csv: the file is not UTF-8 (byte 0x81 at line 2, column 13); save it as UTF-8",
        "projects.csv: filen er ikke UTF-8 (byte 0x81 på linje 2, kolonne 13); lagre den som UTF-8",
    ),
    (
        "binary-png",
        "projects.csv: not a text (CSV) file: it holds binary data",
        "projects.csv: ikke en tekstfil (CSV): den inneholder binære data",
    ),
    (
        "nul-after-64k-in-a-cell",
        "projects.csv: not a text (CSV) file: it holds binary data",
        "projects.csv: ikke en tekstfil (CSV): den inneholder binære data",
    ),
    (
        "unbalanced-quote-row-2",
        'projects.csv, row 2: a quote (") opened in this row is never closed, so the rest of the file would be one cell',
        'projects.csv, rad 2: et anførselstegn (") som åpnes i denne raden, lukkes aldri, så resten av filen ville blitt én celle',
    ),
    (
        "unbalanced-quote-row-3",
        'projects.csv, row 3: a quote (") opened in this row is never closed, so the rest of the file would be one cell',
        'projects.csv, rad 3: et anførselstegn (") som åpnes i denne raden, lukkes aldri, så resten av filen ville blitt én celle',
    ),
    (
        "field-over-limit",
        "projects.csv, row 2: a cell is longer than 131072 characters (often a quote that is never closed)",
        "projects.csv, rad 2: en celle er lengre enn 131072 tegn (ofte et anførselstegn som aldri lukkes)",
    ),
    (
        "row-too-wide",
        "projects.csv, row 2: the row has 6 cells, the header has 5",
        "projects.csv, rad 2: raden har 6 celler, overskriften har 5",
    ),
    (
        "csv-over-size-limit",
        "projects.csv: the file is 1.5 MB, over the limit of 1 MB (raise it with KG_MAX_MB)",
        "projects.csv: filen er 1.5 MB, over grensen på 1 MB (heves med KG_MAX_MB)",
    ),
    (
        "manifest-cp1252",
        "manifest.yaml: the file is not UTF-8 (byte 0xF8 at line 2, column 10); save it as UTF-8",
        "manifest.yaml: filen er ikke UTF-8 (byte 0xF8 på linje 2, kolonne 10); lagre den som UTF-8",
    ),
    (
        "manifest-utf8-bad-byte",
        "manifest.yaml: the file is UTF-8 but byte 0xE5 at line 3, column 14 is not valid UTF-8; fix that byte or save the file again as UTF-8",
        "manifest.yaml: filen er UTF-8, men byte 0xE5 på linje 3, kolonne 14 er ikke gyldig UTF-8; rett den eller lagre filen på nytt som UTF-8",
    ),
    (
        "manifest-utf16",
        "manifest.yaml: the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
        "manifest.yaml: filen er UTF-16-tekst; lagre den som UTF-8 (i Excel: «CSV UTF-8»)",
    ),
    (
        "manifest-syntax",
        "manifest.yaml: not valid YAML at line 3, column 1: expected ',' or ']', but got '<stream end>'",
        "manifest.yaml: ikke gyldig YAML: syntaksfeil på linje 3, kolonne 1",
    ),
    (
        "manifest-list",
        "manifest.yaml: manifest: must be a mapping (key: value)",
        "manifest.yaml: manifest: må være en tabell (nøkkel: verdi)",
    ),
    (
        "manifest-bad-name",
        "manifest.yaml: manifest: name 'Bad Name' must be lowercase letters, digits, - or _",
        "manifest.yaml: manifest: navnet 'Bad Name' må bestå av små bokstaver, tall, - eller _",
    ),
    (
        "manifest-bad-base",
        "manifest.yaml: manifest: base 'ftp://example.org/bad' must be an http(s) IRI ending in / or #",
        "manifest.yaml: manifest: base 'ftp://example.org/bad' må være en http(s)-IRI som slutter på / eller #",
    ),
    (
        "manifest-bad-language",
        "manifest.yaml: manifest: languages: 'norsk bokmal' is not a language tag (nb, en, ...)",
        "manifest.yaml: manifest: languages: 'norsk bokmal' er ikke en språkkode (nb, en, ...)",
    ),
    (
        "manifest-billion-laughs",
        "manifest.yaml: the YAML expands to more than 1000000 nodes through its aliases; raise the limit with KG_YAML_NODES if you trust the file",
        "manifest.yaml: YAML-filen utvides til mer enn 1000000 noder gjennom aliasene sine; hev grensen med KG_YAML_NODES hvis du stoler på filen",
    ),
    (
        "manifest-too-many-aliases",
        "manifest.yaml: more than 100 YAML aliases (*name); raise the limit with KG_YAML_ALIASES if you trust the file",
        "manifest.yaml: mer enn 100 YAML-aliaser (*navn); hev grensen med KG_YAML_ALIASES hvis du stoler på filen",
    ),
    (
        "manifest-missing",
        "bad: no manifest.yaml in the dataset folder",
        "bad: ingen manifest.yaml i datasettmappen",
    ),
    ("manifest-source-missing", "missing.csv: no such file or folder", "missing.csv: finnes ikke"),
    (
        "yaml-top-list",
        "bad.yaml: the top level must be a mapping of kind → list of rows",
        "bad.yaml: øverste nivå må være en tabell av posttype → liste med rader",
    ),
    (
        "yaml-kind-not-list",
        "bad.yaml, row 1: 'projects' must be a list of rows",
        "bad.yaml, rad 1: 'projects' må være en liste med rader",
    ),
    (
        "yaml-row-not-mapping",
        "bad.yaml, row 2: each row must be a mapping (key: value)\nbad.yaml, row 1, column 'id': required column 'id' is missing\nbad.yaml, row 1, column 'title': required column 'title' is missing\nbad.yaml, row 1, column 'type': required column 'type' is missing\nbad.yaml, row 1, column 'source': required column 'source' is missing",
        "bad.yaml, rad 2: hver rad må være en tabell (nøkkel: verdi)\nbad.yaml, rad 1, kolonne 'id': påkrevd kolonne 'id' mangler\nbad.yaml, rad 1, kolonne 'title': påkrevd kolonne 'title' mangler\nbad.yaml, rad 1, kolonne 'type': påkrevd kolonne 'type' mangler\nbad.yaml, rad 1, kolonne 'source': påkrevd kolonne 'source' mangler",
    ),
    (
        "yaml-billion-laughs",
        "bad.yaml: the YAML expands to more than 1000000 nodes through its aliases; raise the limit with KG_YAML_NODES if you trust the file",
        "bad.yaml: YAML-filen utvides til mer enn 1000000 noder gjennom aliasene sine; hev grensen med KG_YAML_NODES hvis du stoler på filen",
    ),
    (
        "yaml-too-deep",
        "bad.yaml: the YAML is nested too deeply to read",
        "bad.yaml: YAML-filen er nøstet for dypt til å leses",
    ),
    (
        "yaml-cp1252",
        "bad.yaml: the file is not UTF-8 (byte 0xF8 at line 2, column 14); save it as UTF-8",
        "bad.yaml: filen er ikke UTF-8 (byte 0xF8 på linje 2, kolonne 14); lagre den som UTF-8",
    ),
    (
        "yaml-syntax",
        "bad.yaml: not valid YAML at line 3, column 4: expected <block end>, but found '<block mapping start>'",
        "bad.yaml: ikke gyldig YAML: syntaksfeil på linje 3, kolonne 4",
    ),
    (
        "yaml-nodes-limit",
        "bad.yaml: the YAML expands to more than 500 nodes through its aliases; raise the limit with KG_YAML_NODES if you trust the file",
        "bad.yaml: YAML-filen utvides til mer enn 500 noder gjennom aliasene sine; hev grensen med KG_YAML_NODES hvis du stoler på filen",
    ),
    (
        "rdfxml-entities",
        "bad.rdf: RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion can fill the disk); remove the DOCTYPE",
        "bad.rdf: RDF/XML med DOCTYPE- eller ENTITY-deklarasjon avvises (utvidelse av entiteter kan fylle disken); fjern DOCTYPE",
    ),
    (
        "rdfxml-entity-lowercase",
        "bad.rdf: RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion can fill the disk); remove the DOCTYPE",
        "bad.rdf: RDF/XML med DOCTYPE- eller ENTITY-deklarasjon avvises (utvidelse av entiteter kan fylle disken); fjern DOCTYPE",
    ),
    (
        "trig-foreign-graph",
        "bad.trig: 1 quads name graphs outside this dataset (first: <https://data.kommunegraf.no/nye-asker/graph/projects.csv>); a load writes only into its own graphs (<https://data.kommunegraf.no/bad/graph/…>); use --foreign-graphs move to move them into this dataset's graph",
        "bad.trig: 1 kvader navngir grafer utenfor dette datasettet (første: <https://data.kommunegraf.no/nye-asker/graph/projects.csv>); en lasting skriver bare i sine egne grafer (<https://data.kommunegraf.no/bad/graph/…>); bruk --foreign-graphs move for å flytte dem inn i datasettets graf",
    ),
    (
        "nquads-foreign-graph",
        "bad.nq: 3 quads name graphs outside this dataset (first: <https://example.org/other/graph/x>); a load writes only into its own graphs (<https://data.kommunegraf.no/bad/graph/…>); use --foreign-graphs move to move them into this dataset's graph",
        "bad.nq: 3 kvader navngir grafer utenfor dette datasettet (første: <https://example.org/other/graph/x>); en lasting skriver bare i sine egne grafer (<https://data.kommunegraf.no/bad/graph/…>); bruk --foreign-graphs move for å flytte dem inn i datasettets graf",
    ),
    (
        "turtle-syntax",
        "bad.ttl: not valid RDF: Parser error at line 2 column 11: . is not a valid RDF object (bad.ttl, line 2)",
        "bad.ttl: ikke gyldig RDF (melding fra RDF-leseren: Parser error at line 2 column 11: . is not a valid RDF object (bad.ttl, line 2))",
    ),
    ("turtle-no-triples", "bad.ttl: the file is empty", "bad.ttl: filen er tom"),
    (
        "turtle-too-many-triples",
        "bad.ttl: more than 2 triples in one load; raise the limit with KG_MAX_TRIPLES if that is intended",
        "bad.ttl: mer enn 2 tripler i én lasting; hev grensen med KG_MAX_TRIPLES hvis det er meningen",
    ),
    (
        "ntriples-bad-iri",
        "bad.nt: not valid RDF: Parser error at line 1 between columns 1 and 13: Invalid IRI code point ' ' (bad.nt, line 1)",
        "bad.nt: ikke gyldig RDF (melding fra RDF-leseren: Parser error at line 1 between columns 1 and 13: Invalid IRI code point ' ' (bad.nt, line 1))",
    ),
    (
        "xlsx-not-a-zip",
        "bad.xlsx: not a readable XLSX workbook: File is not a zip file",
        "bad.xlsx: ikke en lesbar XLSX-arbeidsbok (melding fra XLSX-leseren: File is not a zip file)",
    ),
    (
        "xlsx-zip-bomb",
        "bomb.xlsx: the workbook unpacks to 3.0 MB, over the limit of 1 MB (raise it with KG_MAX_MB)",
        "bomb.xlsx: arbeidsboken pakkes ut til 3.0 MB, over grensen på 1 MB (heves med KG_MAX_MB)",
    ),
    (
        "jsonld-not-json",
        "bad.jsonld: not valid RDF: Parser error at line 1 between columns 3 and column 6: null expected (bad.jsonld, line 1)",
        "bad.jsonld: ikke gyldig RDF (melding fra RDF-leseren: Parser error at line 1 between columns 3 and column 6: null expected (bad.jsonld, line 1))",
    ),
    ("csv-bom-only", "projects.csv: the file is empty", "projects.csv: filen er tom"),
    (
        "rdfxml-too-large",
        "bad.rdf: the file is 2.0 MB, over the limit of 1 MB (raise it with KG_MAX_MB)",
        "bad.rdf: filen er 2.0 MB, over grensen på 1 MB (heves med KG_MAX_MB)",
    ),
    (
        "unsupported-suffix",
        "bad.txt: unsupported file type '.txt' (use a folder, .xlsx, .yaml, .csv, .ttl, .nt, .nq, .trig, .jsonld or .rdf)",
        "bad.txt: filtypen '.txt' støttes ikke (bruk en mappe, .xlsx, .yaml, .csv, .ttl, .nt, .nq, .trig, .jsonld eller .rdf)",
    ),
    (
        "missing-column",
        "projects.csv, row 1, column 'title': required column 'title' is missing",
        "projects.csv, rad 1, kolonne 'title': påkrevd kolonne 'title' mangler",
    ),
    (
        "unknown-column",
        "organizations.csv, row 1, column 'farge': unknown column 'farge' (known: id, name, name_en, type, org_form, part_of, valid_from, valid_to, homepage, description, source, locator, note)",
        "organizations.csv, rad 1, kolonne 'farge': ukjent kolonne 'farge' (kjente: id, name, name_en, type, org_form, part_of, valid_from, valid_to, homepage, description, source, locator, note)",
    ),
    (
        "required-empty",
        "projects.csv, row 3, column 'title': 'title' is required",
        "projects.csv, rad 3, kolonne 'title': 'title' må fylles ut",
    ),
    (
        "bad-id",
        "projects.csv, row 2, column 'id': 'P 1' is not a valid id (letters, digits, - _ . /)",
        "projects.csv, rad 2, kolonne 'id': 'P 1' er ikke en gyldig id (bokstaver, tall, - _ . /)",
    ),
    (
        "duplicate-id",
        "projects.csv, row 3, column 'id': id 'P1' is already used at projects.csv row 2\ndependencies.csv, row 2, column 'from': 'P2' refers to no record in projects, bodies, organizations, people, systems, domains, mandates, mandate_items, decisions, milestones, plans, actions, local_goals, kpis, sources, phases, risks, budget_lines, change_events, posts",
        "projects.csv, rad 3, kolonne 'id': id 'P1' er allerede brukt i projects.csv rad 2\ndependencies.csv, rad 2, kolonne 'from': 'P2' viser ikke til noen post i prosjekter, organer, organisasjoner, personer, IKT-systemer, delområder, mandater, mandatpunkter, beslutninger, milepæler, planer, tiltak, lokale mål, KPI-er, kilder, faser, risikoer, budsjettlinjer, endringshendelser, stillinger",
    ),
    (
        "bad-criticality",
        "dependencies.csv, row 2, column 'criticality': 'kritisk' is not allowed; use one of: primary, high, normal, low",
        "dependencies.csv, rad 2, kolonne 'criticality': 'kritisk' er ikke tillatt; bruk en av: primary, high, normal, low",
    ),
    (
        "bad-amount",
        "budget_lines.csv, row 2, column 'amount': 'mange' is not a number",
        "budget_lines.csv, rad 2, kolonne 'amount': 'mange' er ikke et tall",
    ),
    (
        "bad-date",
        "projects.csv, row 3, column 'start': '2017-13-45' is not a date (2017-02-28, 28.02.2017, 2017-02 or 2017)",
        "projects.csv, rad 3, kolonne 'start': '2017-13-45' er ikke en dato (2017-02-28, 28.02.2017, 2017-02 eller 2017)",
    ),
    (
        "bad-enum",
        "projects.csv, row 2, column 'type': 'sak' is not allowed; use one of: program, project, subproject, initiative, study, task",
        "projects.csv, rad 2, kolonne 'type': 'sak' er ikke tillatt; bruk en av: program, project, subproject, initiative, study, task",
    ),
    (
        "unknown-ref",
        "dependencies.csv, row 2, column 'to': 'P9' refers to no record in projects, bodies, organizations, people, systems, domains, mandates, mandate_items, decisions, milestones, plans, actions, local_goals, kpis, sources, phases, risks, budget_lines, change_events, posts, sdg",
        "dependencies.csv, rad 2, kolonne 'to': 'P9' viser ikke til noen post i prosjekter, organer, organisasjoner, personer, IKT-systemer, delområder, mandater, mandatpunkter, beslutninger, milepæler, planer, tiltak, lokale mål, KPI-er, kilder, faser, risikoer, budsjettlinjer, endringshendelser, stillinger, FN-bærekraftsmål",
    ),
    (
        "wrong-ref-kind",
        "reporting_lines.csv, row 2, column 'from': 'S1' is a record in sources, but 'from' must refer to bodies, projects, people, organizations",
        "reporting_lines.csv, rad 2, kolonne 'from': 'S1' er en post i kilder, men 'from' må vise til organer, prosjekter, personer, organisasjoner",
    ),
    (
        "reporting-cycle",
        "reporting_lines.csv, row 2, column 'to': cycle in reporting_lines: radet → styret → radet",
        "reporting_lines.csv, rad 2, kolonne 'to': syklus i rapporteringslinjer: radet → styret → radet",
    ),
    (
        "duplicate-row",
        "reporting_lines.csv, row 3: the same from + to appears already at row 2",
        "reporting_lines.csv, rad 3: samme from + to står allerede i rad 2",
    ),
    (
        "unknown-kind",
        "fargar.csv: 'fargar' is not a known kind of record (known: actions, ambiguities, bodies, budget_lines, change_events, decisions, dependencies, domains, evaluations, figures, interactions, kpis, local_goals, mandate_items, mandates, measurements, memberships, milestones, municipality_numbers, operations, organizations, ownerships, people, phases, plans, posts, project_goals, project_links, projects, reference_models, reporting_lines, risks, sources, status_reports, system_choices, system_usages, systems, target_links)",
        "fargar.csv: 'fargar' er ikke en kjent posttype (kjente: avhengigheter, beslutninger, budsjettlinjer, delområder, eierskap, endringshendelser, faser, IKT-drift, IKT-systemer, kilder, kommunenumre, KPI-er, lokale mål, mandater, mandatpunkter, medlemskap, milepæler, målinger, nøkkeltall fra kildene, organer, organisasjoner, personer, planer, prioriterte FN-delmål, prosjekter, prosjektkoblinger, prosjektmål, rapporteringslinjer, referansemodeller, risikoer, samspill mellom mål, statusrapporter, stillinger, systembruk, systemvalg, systemvurderinger, tiltak, uklarheter i kildene)",
    ),
    (
        "formula-id",
        "projects.csv, row 2, column 'id': '=cmd|' /C calc'!A0' is not a valid id (letters, digits, - _ . /)",
        "projects.csv, rad 2, kolonne 'id': '=cmd|' /C calc'!A0' er ikke en gyldig id (bokstaver, tall, - _ . /)",
    ),
    (
        "csv-triples-cap",
        "bad: more than 100 triples in one load; raise the limit with KG_MAX_TRIPLES if that is intended",
        "bad: mer enn 100 tripler i én lasting; hev grensen med KG_MAX_TRIPLES hvis det er meningen",
    ),
]
BY_ID = {cid: (build, env) for cid, build, env in BUILDERS}


@pytest.fixture(scope="module")
def holding(tmp_path_factory: pytest.TempPathFactory):
    """A store that already holds a dataset: a refused load must leave it exactly as it was."""
    store = open_store("memory")
    load(store, write_dataset(tmp_path_factory.mktemp("held") / "held", MINI, name="held"))
    return store


def test_the_table_is_big_and_distinct() -> None:
    assert len(EXPECTED) >= 60
    assert len({c for c, _, _ in EXPECTED}) == len(EXPECTED) == len(BY_ID)


@pytest.mark.parametrize(("case", "en", "nb"), EXPECTED, ids=[c for c, _, _ in EXPECTED])
def test_bad_input_is_refused_with_its_message(
    case: str, en: str, nb: str, tmp_path: Path, holding, monkeypatch: pytest.MonkeyPatch
) -> None:
    build, env = BY_ID[case]
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("KG_SNAPSHOTS", "0")
    path = build(tmp_path)
    before = (len(holding), holding.graphs())
    with pytest.raises(LoadError) as e:
        load(holding, path)
    assert e.value.text("en") == en
    assert e.value.text("nb") == nb
    assert (len(holding), holding.graphs()) == before
