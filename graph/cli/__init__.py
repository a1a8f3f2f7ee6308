"""The ``kg`` command: a thin client of the graph library, one module per command group
(:mod:`~graph.cli.build`, :mod:`~graph.cli.questions`, :mod:`~graph.cli.kpis`, :mod:`~graph.cli.history`,
:mod:`~graph.cli.push`, :mod:`~graph.cli.synth`); the answers come from :mod:`graph.answers`.

Exit codes: 0 ok, 1 a user error (bad input, unknown name, refused query) with a message,
2 an internal error. Messages follow ``--lang`` (nb or en; default from $LANG).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from graph.answers.answer import UserError
from graph.cli import build, changes, history, kpis, push, questions, synth
from graph.store import QueryError
from loaders.errors import LoadError


def default_lang() -> str:
    env = os.environ.get("KG_LANG") or os.environ.get("LANG", "")
    return (
        "en" if env.startswith("en") else "nb"
    )  # the users are Norwegian unless they say otherwise


def _options(p: argparse.ArgumentParser, defaults: bool) -> None:
    def d(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    p.add_argument(
        "--store",
        type=Path,
        default=d(None),
        help="store folder (default: $KG_STORE or ./.kg/store)",
    )
    p.add_argument(
        "--backend",
        default=d(os.environ.get("KG_BACKEND", "embedded")),
        choices=["embedded", "sparql", "neo4j"],
        help="where the graph lives",
    )
    p.add_argument(
        "--lang",
        choices=["nb", "en"],
        default=d(default_lang()),
        help="language of labels and messages",
    )
    p.add_argument(
        "--format", "-f", choices=["table", "csv", "json"], default=d("table"), help="output format"
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kg", description="Kommunegraf: the programme knowledge graph / kunnskapsgrafen"
    )
    _options(p, defaults=True)
    common = argparse.ArgumentParser(add_help=False)
    _options(common, defaults=False)  # the same options are accepted after the sub-command
    sub = p.add_subparsers(dest="command", required=True)
    for group in (build, questions, kpis, push, history, synth, changes):
        group.register(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = args.lang
    try:
        out = args.run(args)
        if out:
            sys.stdout.write(out if out.endswith("\n") else out + "\n")
        return int(getattr(args, "exit_code", 0))
    except LoadError as e:
        sys.stderr.write(
            (
                "Lasting avbrutt, ingenting er endret:\n"
                if lang == "nb"
                else "Load refused, nothing was changed:\n"
            )
            + e.text(lang)
            + "\n"
        )
        return 1
    except QueryError as e:
        sys.stderr.write(("Feil: " if lang == "nb" else "Error: ") + e.message(lang) + "\n")
        return 1
    except UserError as e:
        sys.stderr.write(("Feil: " if lang == "nb" else "Error: ") + e.message(lang) + "\n")
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception:  # an internal error: keep the trace for the bug report
        sys.stderr.write("Intern feil / internal error:\n" + traceback.format_exc())
        return 2


if __name__ == "__main__":
    sys.exit(main())
