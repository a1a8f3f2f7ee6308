"""``kg synth``: write a synthetic national dataset (see :mod:`graph.synth`) to a folder.

kg synth --scale 1m --out /tmp/nasjonal            # a preset: 10k, 100k, 1m or 5m triples
kg synth --municipalities 356 --seed 7 --out DIR   # the whole nation, density 1
kg load DIR                                        # it loads like any dataset
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

from graph.cli.common import UserError

# graph.synth (its tables of counties and names) is imported when the command runs or its
# presets are listed, not by every other `kg` command's start-up.


class _Presets:
    """``--scale``'s choices, read from graph.synth only when argparse checks or lists them."""

    def __contains__(self, name: object) -> bool:
        from graph import synth

        return name in synth.PRESETS

    def __iter__(self) -> Iterator[str]:
        from graph import synth

        return iter(synth.PRESETS)


class _PresetsHelp(argparse.Action):
    """``--scale``: its help names each preset's municipalities, read when help is shown."""

    @property
    def help(self) -> str:
        from graph import synth

        return "a preset size in triples: " + ", ".join(
            f"{k} ({v.municipalities} municipalities)" for k, v in synth.PRESETS.items()
        )

    @help.setter
    def help(self, value: str | None) -> None:
        pass

    def __call__(self, parser: object, namespace: object, values: object, _: object = None) -> None:
        setattr(namespace, self.dest, values)


def cmd_synth(args: argparse.Namespace) -> str:
    from graph import synth

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
    scale = p.add_argument("--scale", action=_PresetsHelp)
    scale.choices = _Presets()  # after add_argument, which would list them to check its usage line
    p.add_argument(
        "--density",
        type=float,
        help="records per municipality relative to ~50 projects (default 1 or the preset's)",
    )
    p.set_defaults(run=cmd_synth)
