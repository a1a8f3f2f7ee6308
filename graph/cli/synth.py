"""``kg synth``: write a synthetic national dataset (see :mod:`graph.synth`) to a folder.

kg synth --scale 1m --out /tmp/nasjonal            # a preset: 10k, 100k, 1m or 5m triples
kg synth --municipalities 356 --seed 7 --out DIR   # the whole nation, density 1
kg load DIR                                        # it loads like any dataset
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from graph import synth
from graph.cli.common import UserError


def cmd_synth(args: argparse.Namespace) -> str:
    if args.scale:
        preset = synth.PRESETS[args.scale]
        municipalities = args.municipalities or preset.municipalities
        density = args.density if args.density is not None else preset.density
    else:
        municipalities = args.municipalities or synth.NATIONAL_MUNICIPALITIES
        density = args.density if args.density is not None else 1.0
    if municipalities < 3:
        raise UserError("--municipalities must be at least 3", "--municipalities må være minst 3")
    if density <= 0:
        raise UserError("--density must be above 0", "--density må være over 0")
    started = time.perf_counter()
    counts = synth.generate(args.out, municipalities, args.seed, density)
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    if args.lang == "nb":
        return (
            f"Skrev {rows} rader i {len(counts)} tabeller til {args.out} ({municipalities} kommuner, "
            f"frø {args.seed}, tetthet {density:g}, {seconds:.1f} s). Last med: kg load {args.out}"
        )
    return (
        f"Wrote {rows} rows in {len(counts)} tables to {args.out} ({municipalities} municipalities, "
        f"seed {args.seed}, density {density:g}, {seconds:.1f} s). Load with: kg load {args.out}"
    )


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "synth",
        parents=[common],
        help="write a synthetic national dataset (seeded) / lag et syntetisk nasjonalt datasett",
    )
    p.add_argument("--out", type=Path, required=True, help="folder to write (CSV files + manifest)")
    p.add_argument(
        "--municipalities", type=int, help="how many (3–356; default 356 or the preset's)"
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    p.add_argument(
        "--scale",
        choices=list(synth.PRESETS),
        help="a preset size in triples: "
        + ", ".join(f"{k} ({v.municipalities} municipalities)" for k, v in synth.PRESETS.items()),
    )
    p.add_argument(
        "--density",
        type=float,
        help="records per municipality relative to ~50 projects (default 1 or the preset's)",
    )
    p.set_defaults(run=cmd_synth)
