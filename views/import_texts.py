"""The import section's texts (views/importer.py), in Norwegian Bokmål and English.

Kept beside the one table in views/i18n.py, which adds them to ``STRINGS``, so the import
work and other pages' texts can change without touching the same lines.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "imp.title": {
        "nb": "Importer fra Prosjektportalen eller IKT-register",
        "en": "Import from Prosjektportalen or an ICT register",
    },
    "imp.help": {
        "nb": "Last opp en porteføljeeksport fra Prosjektportalen eller et IKT-systemregister "
        "slik den er (Excel eller CSV, også med semikolon og Windows-tegnsett, høyst {mb} MB). "
        "Appen foreslår hva hver kolonne betyr; rett forslaget, lagre det som kolonnefil og "
        "importer. Importen havner i et lager som bare denne økten ser, ikke i den "
        "medfølgende grafen.",
        "en": "Upload a portfolio export from Prosjektportalen or an ICT system register as it "
        "is (Excel or CSV, semicolons and the Windows character set too, at most {mb} MB). The "
        "app proposes what each column means; correct the proposal, save it as a mapping file "
        "and import. The import goes into a store only this session sees, not into the bundled "
        "graph.",
    },
    "imp.file": {"nb": "Eksport eller register", "en": "Export or register"},
    "imp.saved": {
        "nb": "Kolonnefil fra før (valgfritt)",
        "en": "A mapping file from before (optional)",
    },
    "imp.saved.help": {
        "nb": "En kolonnefil du har lagret her eller brukt med «kg import --mapping»: forslaget "
        "starter fra den, så neste måneds eksport trenger færre valg.",
        "en": "A mapping file you saved here or used with «kg import --mapping»: the proposal "
        "starts from it, so next month's export needs fewer choices.",
    },
    "imp.kind": {"nb": "Filen er", "en": "The file is"},
    "imp.kind.pp": {
        "nb": "en porteføljeeksport fra Prosjektportalen",
        "en": "a Prosjektportalen portfolio export",
    },
    "imp.kind.register": {"nb": "et IKT-systemregister", "en": "an ICT system register"},
    "imp.columns": {"nb": "Kolonnene i filen", "en": "The columns of the file"},
    "imp.columns.help": {
        "nb": "Under hver kolonne fra filen står feltet den leses som. Kjente navn er gjenkjent, "
        "for de andre står forslaget (det samme som «kg import suggest» gir). Velg «ikke i "
        "bruk» for en kolonne som ikke skal leses.",
        "en": "Under each column of the file is the field it is read as. Known names are "
        "recognised; the others show the suggestion (the same as «kg import suggest» gives). "
        "Choose «not used» for a column that is not to be read.",
    },
    "imp.unused": {"nb": "(ikke i bruk)", "en": "(not used)"},
    "imp.values": {"nb": "Ukjente verdier", "en": "Unknown values"},
    "imp.values.help": {
        "nb": "Verdier importen ikke kjenner: velg hva hver av dem betyr.",
        "en": "Values the import does not know: choose what each of them means.",
    },
    "imp.value": {"nb": "«{value}» i {column}", "en": "«{value}» in {column}"},
    "imp.no_status": {"nb": "(ingen status)", "en": "(no status)"},
    "imp.mapping.show": {"nb": "Vis kolonnefilen", "en": "Show the mapping file"},
    "imp.mapping.download": {
        "nb": "Lagre kolonnefilen (YAML)",
        "en": "Save the mapping file (YAML)",
    },
    "imp.municipality": {"nb": "Kommune", "en": "Municipality"},
    "imp.municipality.placeholder": {
        "nb": "for eksempel Nye Vestby",
        "en": "for example Nye Vestby",
    },
    "imp.municipality.help": {
        "nb": "Skriv hvilken kommune dataene gjelder for å importere.",
        "en": "Write which municipality the data is about to import.",
    },
    "imp.run": {"nb": "Importer", "en": "Import"},
    "imp.refused": {
        "nb": "Importen av {file} ble avvist, ingenting er endret:",
        "en": "The import of {file} was refused, nothing was changed:",
    },
    "imp.unreadable": {"nb": "Kunne ikke lese {file}:", "en": "Could not read {file}:"},
    "imp.report": {"nb": "Importrapport", "en": "Import report"},
    "imp.none": {"nb": "Ingen.", "en": "None."},
    "imp.unknown": {
        "nb": "Kolonner som ikke ble lest: {columns}",
        "en": "Columns that were not read: {columns}",
    },
    "imp.ignored": {
        "nb": "Kjente kolonner som ikke lagres: {columns}",
        "en": "Known columns that are not stored: {columns}",
    },
    "imp.private": {
        "nb": "Datasettet «{dataset}» finnes bare i denne økten; velg det under «Datasett i "
        "denne økten» for å se det på de andre sidene.",
        "en": "The dataset «{dataset}» exists in this session only; choose it under «Datasets "
        "in this session» to see it on the other pages.",
    },
    "imp.diff": {"nb": "Endringer siden forrige import", "en": "Changes since the previous import"},
    "imp.diff.first": {
        "nb": "Ingen tidligere import før {date} i denne økten: dette er det første "
        "øyeblikksbildet, så det er ingenting å sammenligne med.",
        "en": "No earlier import before {date} in this session: this is the first snapshot, so "
        "there is nothing to compare with.",
    },
    "imp.hint.pp": {
        "nb": "Filen ser ut som en porteføljeeksport fra Prosjektportalen, ikke et datasett: "
        "last den opp under «Importer fra Prosjektportalen eller IKT-register» nedenfor.",
        "en": "The file looks like a Prosjektportalen portfolio export, not a dataset: upload "
        "it under «Import from Prosjektportalen or an ICT register» below.",
    },
    "imp.hint.register": {
        "nb": "Filen ser ut som et IKT-systemregister, ikke et datasett: last den opp under "
        "«Importer fra Prosjektportalen eller IKT-register» nedenfor.",
        "en": "The file looks like an ICT system register, not a dataset: upload it under "
        "«Import from Prosjektportalen or an ICT register» below.",
    },
    "imp.col.value": {"nb": "Verdi", "en": "Value"},
    # the dataset upload (views/data.py) given one CSV file
    "data.csv.alone": {
        "nb": "{file} viser til poster i andre filer i datasettet ({kinds}), og en enkelt "
        "CSV-fil lastes bare når den står på egne ben. Last opp hele datasettet: mappen med "
        "manifest.yaml og alle CSV-filene som .zip, eller en .xlsx-arbeidsbok med ett ark per "
        "posttype.",
        "en": "{file} refers to records in other files of the dataset ({kinds}), and a single "
        "CSV file is loaded only when it stands on its own. Upload the whole dataset: its "
        "folder with manifest.yaml and all the CSV files as a .zip, or an .xlsx workbook with "
        "one sheet per kind.",
    },
    "data.csv.import": {
        "nb": "En eksport fra Prosjektportalen eller et IKT-register lastes opp under "
        "«Importer fra Prosjektportalen eller IKT-register» nedenfor.",
        "en": "An export from Prosjektportalen or an ICT register is uploaded under "
        "«Import from Prosjektportalen or an ICT register» below.",
    },
}
