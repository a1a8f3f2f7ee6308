"""Time the imports on a big municipality: a programme of 2,000 projects and 30,000 system rows.

    python3 bench/import_bench.py [--projects 2000] [--systems 30000] [--repeat 3]
    python3 bench/import_bench.py --projects 50000 --systems 0     # issue 14: ≤ 30 s, ≤ 500 MB

Each run imports into a fresh store in a child process, so its peak memory (max RSS) is its
own; wall time, CPU time (user + system of the child) and the load average are printed side
by side, because on a shared machine wall time says more about the neighbours than the code.

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
    ws.append(
        [
            "Tittel",
            "Prosjektnummer",
            "Program",
            "Overordnet prosjekt",
            "Tjenesteområde",
            "Fase",
            "Prosjekteier",
            "Prosjektleder",
            "Målsetning",
            "Startdato",
            "Status tid",
            "Status budsjett",
            "Status risiko",
            "Status gevinst",
            "Sist endret",
            "FNs bærekraftsmål",
            "Avhengig av",
        ]
    )
    ws.append(
        [
            "Storby 2030",
            "P0",
            "Ja",
            None,
            "Administrasjon og IKT",
            "Gjennomføre",
            "Hansen, Kari",
            "ola.nordmann@storby.kommune.no",
            "Hele programmet",
            "3. januar 2024",
            "På plan",
            "På budsjett",
            "Medium",
            "På plan",
            "15.01.24",
            "11",
            None,
        ]
    )
    for i in range(1, n):
        parent = "P0" if i < 200 or i % 5 else f"P{rnd.randrange(1, 200)}"
        deps = (
            "; ".join(sorted({f"P{rnd.randrange(1, i)}" for _ in range(rnd.randrange(0, 3))}))
            if i > 1
            else None
        )
        ws.append(
            [
                f"Prosjekt {i}",
                f"P{i}",
                "Nei",
                parent,
                "Helse og velferd",
                rnd.choice(PHASES),
                f"Eier{i % 97}, Per",
                f"leder{i % 150}@storby.kommune.no",
                f"Mål for prosjekt {i}",
                45292 + i % 300,
                rnd.choice(TIME),
                rnd.choice(BUDGET),
                rnd.choice(("Lav", "Medium", "Høy")),
                "På plan",
                f"{1 + i % 28}. januar 2024",
                str(1 + i % 17),
                deps,
            ]
        )
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
        ws.append(
            [
                f"Område {domain % 6}",
                f"Delområde {domain}",
                f"System {system}",
                f"Leverandør {system % 40}",
                f"{(i * 7) % 3000}",
                f"31.12.{2025 + i % 5}",
            ]
        )
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


def child(files: list[str]) -> None:
    """One run: import the files into a fresh store; print the figures as one JSON line."""
    with tempfile.TemporaryDirectory() as tmp:  # the store and snapshots: 1.7 GB at 50 000
        _run(files, Path(tmp))


def _run(files: list[str], folder: Path) -> None:
    import json
    import resource

    store = open_store("embedded", path=folder / "store")
    steps: dict[str, list[float]] = {}
    out: dict = {"files": {}}
    t0 = time.perf_counter()
    for f in files:
        kind = "pp" if "portefolje" in f else "register"
        t = time.perf_counter()
        rep = import_file(store, f, kind, "Storby", progress=_stepper(steps, kind))
        out["files"][kind] = {
            "seconds": time.perf_counter() - t,
            "counts": rep.counts,
            "records": rep.records,
            "quads": rep.quads,
        }
    _stepper(steps, "")("", "")
    store.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out |= {
        "wall": time.perf_counter() - t0,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "steps": {k: v[0] for k, v in steps.items()},
    }
    print(json.dumps(out))


def main() -> None:
    import json
    import os
    import subprocess

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--systems", type=int, default=30000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        if args.projects:
            files.append(folder / "portefolje-2024-01-31.xlsx")
            portfolio(files[-1], args.projects, random.Random(6))
        if args.systems:
            files.append(folder / "register-2024-01-31.xlsx")
            register(files[-1], args.systems)
        runs = []
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            done = subprocess.run(
                [sys.executable, __file__, "--child", *map(str, files)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(done.stdout.splitlines()[-1]) | {"load": load})
    last = runs[-1]["files"]
    pp, reg = last.get("pp", {}), last.get("register", {})
    print(
        f"Import of {args.projects} projects ({pp.get('counts', {}).get('projects', 0)} read, "
        f"{pp.get('counts', {}).get('status_reports', 0)} status reports) and {args.systems} system rows "
        f"({reg.get('counts', {}).get('system_usages', 0)} usages); dataset "
        f"{(reg or pp).get('records')} records, {(reg or pp).get('quads')} triples. Median of {args.repeat} "
        f"(each in its own process):"
    )
    med = statistics.median
    for name in ("pp", "register"):
        ts = [r["files"][name]["seconds"] for r in runs if name in r["files"]]
        if ts:
            print(f"  {name:<9} {med(ts):7.1f} s wall  (min {min(ts):.1f}, max {max(ts):.1f})")
    print(
        f"  total     {med(r['wall'] for r in runs):7.1f} s wall, {med(r['cpu'] for r in runs):.1f} s CPU, "
        f"peak {med(r['peak_mb'] for r in runs):.0f} MB (max {max(r['peak_mb'] for r in runs):.0f}), "
        f"load average {med(r['load'] for r in runs):.1f} on {os.cpu_count()} cores"
    )
    steps = {k for r in runs for k in r["steps"]}
    print(
        "Steps (median wall): "
        + ", ".join(f"{k} {med(r['steps'].get(k, 0) for r in runs):.1f} s" for k in sorted(steps))
    )


_LAST: list = [None, 0.0]


def _stepper(steps: dict[str, list[float]], file: str):
    """A progress callback that times the steps of import_file (read, merge+validate, store)."""
    names = {
        "reading": "read",
        "merging": "merge+validate",
        "": "store+snapshot",
    }  # «N records; writing …»

    def step(en: str, nb: str) -> None:
        now = time.perf_counter()
        if _LAST[0]:
            steps.setdefault(_LAST[0], []).append(now - _LAST[1])
        word = en.split(" ", 1)[0]
        name = names.get(word, "store+snapshot" if "writing" in en else word)
        _LAST[:] = [f"{file} {name}" if file else None, now]

    return step


if __name__ == "__main__":
    main()
