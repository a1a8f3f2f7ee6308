"""Time the imports on a big municipality: a programme of 2,000 projects and 30,000 system rows.

    python3 bench/import_bench.py [--projects 2000] [--systems 30000] [--repeat 3]

Builds a Prosjektportalen export (one programme, 1,999 projects and sub-projects with owners,
leaders, status, SDG tags and dependencies) and an ICT register (system list of 30,000 rows
over 1,000 systems and 30 domains, plus an evaluation list), then imports both into a fresh
on-disk store, as ``kg import`` does, ``--repeat`` times. Prints the median (and min–max) of
reading + validating + writing the store + the snapshot, per file and in total.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from graph.imports import import_file  # noqa: E402
from graph.store import open_store  # noqa: E402

PHASES = ("Konsept", "Planlegge", "Gjennomføre", "Avslutte")
TIME = ("På plan", "Mindre forsinkelser", "Forsinket", "Foran plan")
BUDGET = ("På budsjett", "Under budsjett", "Over budsjett", "Vet ikke")


def portfolio(path: Path, n: int, rnd: random.Random) -> None:
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Porteføljestatus")
    ws.append(["Porteføljeoversikt – Storby kommune"])
    ws.append([])
    ws.append(["Tittel", "Prosjektnummer", "Program", "Overordnet prosjekt", "Tjenesteområde", "Fase", "Prosjekteier",
               "Prosjektleder", "Målsetning", "Startdato", "Status tid", "Status budsjett", "Status risiko",
               "Status gevinst", "Sist endret", "FNs bærekraftsmål", "Avhengig av"])  # fmt: skip
    ws.append(["Storby 2030", "P0", "Ja", None, "Administrasjon og IKT", "Gjennomføre", "Hansen, Kari",
               "ola.nordmann@storby.kommune.no", "Hele programmet", "3. januar 2024", "På plan", "På budsjett",
               "Medium", "På plan", "15.01.24", "11", None])  # fmt: skip
    for i in range(1, n):
        parent = "P0" if i < 200 or i % 5 else f"P{rnd.randrange(1, 200)}"
        deps = (
            "; ".join(sorted({f"P{rnd.randrange(1, i)}" for _ in range(rnd.randrange(0, 3))}))
            if i > 1
            else None
        )
        ws.append([f"Prosjekt {i}", f"P{i}", "Nei", parent, "Helse og velferd", rnd.choice(PHASES),
                   f"Eier{i % 97}, Per", f"leder{i % 150}@storby.kommune.no", f"Mål for prosjekt {i}",
                   45292 + i % 300, rnd.choice(TIME), rnd.choice(BUDGET), rnd.choice(("Lav", "Medium", "Høy")),
                   "På plan", f"{1 + i % 28}. januar 2024", str(1 + i % 17), deps])  # fmt: skip
    book.save(path)


def register(path: Path, rows: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Systemliste")
    ws.append(
        ["Tjenesteområde", "Delområde", "System", "Leverandør", "Antall brukere", "Avtale utløper"]
    )
    domains = 30
    for i in range(rows):
        system, domain = i // domains, i % domains
        ws.append([f"Område {domain % 6}", f"Delområde {domain}", f"System {system}", f"Leverandør {system % 40}",
                   f"{(i * 7) % 3000}", f"31.12.{2025 + i % 5}"])  # fmt: skip
    ev = book.create_sheet("Vurdering")
    ev.append(
        [
            "Systemnavn",
            "Krav til tilgjengelighet",
            "Modenhet – teknologi",
            "Status",
            "Bør fases ut?",
        ]
    )
    for s in range(rows // domains):
        ev.append([f"System {s}", "Høyt", 1 + s % 5, ("Grønn", "Gul", "Rød")[s % 3], f"{s % 20},5"])
    book.save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--systems", type=int, default=30000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pp, reg = folder / "portefolje-2024-01-31.xlsx", folder / "register-2024-01-31.xlsx"
        portfolio(pp, args.projects, random.Random(6))
        register(reg, args.systems)
        times: dict[str, list[float]] = {"portfolio": [], "register": [], "total": []}
        steps: dict[str, list[float]] = {}
        for run in range(args.repeat):
            store = open_store("embedded", path=folder / f"run{run}" / "store")
            t0, c0 = time.perf_counter(), time.process_time()
            a = import_file(store, pp, "pp", "Storby", progress=_stepper(steps, "portfolio"))
            t1 = time.perf_counter()
            b = import_file(store, reg, "register", "Storby", progress=_stepper(steps, "register"))
            t2 = time.perf_counter()
            _stepper(steps, "")("", "")
            times["portfolio"].append(t1 - t0)
            times["register"].append(t2 - t1)
            times["total"].append(t2 - t0)
            times.setdefault("total CPU", []).append(
                time.process_time() - c0
            )  # steady on a busy machine
            store.close()
    print(f"Import of {args.projects} projects ({a.counts.get('projects')} read, {a.counts.get('status_reports')} "
          f"status reports, {a.counts.get('dependencies')} dependencies) and {args.systems} system rows "
          f"({b.counts.get('systems')} systems, {b.counts.get('system_usages')} usages); dataset {b.records} records, "
          f"{b.quads} triples. Median of {args.repeat}:")  # fmt: skip
    for name, ts in times.items():
        print(
            f"  {name:<10} {statistics.median(ts):6.2f} s  (min {min(ts):.2f}, max {max(ts):.2f})"
        )
    print(
        "Steps (median): "
        + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in steps.items())
    )


_LAST: list = [None, 0.0]


def _stepper(steps: dict[str, list[float]], file: str):
    """A progress callback that times the steps of import_file (read, merge+validate, store)."""
    names = {"reading": "read", "merging": "merge+validate", "": "store+snapshot"}

    def step(en: str, nb: str) -> None:
        now = time.perf_counter()
        if _LAST[0]:
            steps.setdefault(_LAST[0], []).append(now - _LAST[1])
        word = en.split(" ", 1)[0]
        name = names.get(word, "store+snapshot" if "triples" in en else word)
        _LAST[:] = [f"{file} {name}" if file else None, now]

    return step


if __name__ == "__main__":
    main()
