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
from typing import Any, NoReturn, cast

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


def build_parser(
    only: str | None = None, cls: type[argparse.ArgumentParser] = argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """The ``kg`` parser; with ``only``, the sub-command of that name alone (see :func:`main`)."""
    p = cls(prog="kg", description="Kommunegraf: the programme knowledge graph / kunnskapsgrafen")
    _options(p, defaults=True)
    common = argparse.ArgumentParser(add_help=False)
    _options(common, defaults=False)  # the same options are accepted after the sub-command
    sub = p.add_subparsers(dest="command", required=True)
    target = cast("argparse._SubParsersAction[argparse.ArgumentParser]", _Only(sub, only))
    for group in (build, questions, kpis, push, history, synth, changes):
        group.register(target if only else sub, common)
    return p


class _Skipped:
    """A sub-command parser not built: every call on it is a no-op that returns another."""

    def __getattr__(self, name: str) -> Any:
        return lambda *a, **k: _Skipped()


class _Only:
    """The sub-parsers action, building only the sub-command ``name`` (argparse spends ~1 ms
    per sub-command on formatters and gettext look-ups: a one-shot command pays for one)."""

    def __init__(self, sub: Any, name: str | None) -> None:
        self.sub, self.name = sub, name

    def add_parser(self, name: str, **kw: Any) -> Any:
        if name == self.name or self.name in kw.get("aliases", ()):
            return self.sub.add_parser(name, **kw)
        return _Skipped()


class _Retry(Exception):
    """The parser of one sub-command could not parse the line: the whole parser words it."""


class _OneCommand(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Retry(message)


VALUED = {"--store", "--backend", "--lang", "--format", "-f"}  # the options before a command


def _command(argv: list[str]) -> str | None:
    """The sub-command ``argv`` names (its first word that is no option nor an option's value),
    or None (help, or a line this does not read: the whole parser takes it)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in VALUED:
            skip = True
        elif not word.startswith("-"):
            return word
        elif word in ("-h", "--help", "--") or not word.startswith("--") or "=" not in word:
            return None
    return None


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """``argv`` parsed as the whole parser parses it, building only the sub-command it names
    when it names one; anything that parser refuses is parsed (and worded) by the whole one."""
    argv = sys.argv[1:] if argv is None else list(argv)
    name = _command(argv)
    if name is not None:
        try:
            return build_parser(name, _OneCommand).parse_args(argv)
        except _Retry:
            pass
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
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


def run() -> NoReturn:
    """The ``kg`` command as a process (the ``kg`` script, ``python3 -m graph.cli``): :func:`main`,
    then exit, at once when the command asked to (:class:`graph.cli.common.Process`)."""
    from graph.cli.common import Process

    Process.ends_with_command = True
    code = main()
    if Process.leave_at_once:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:  # a reader that left: as main() treats it
            pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
