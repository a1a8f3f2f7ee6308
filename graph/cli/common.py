"""What every ``kg`` command group shares: the store a command works on, progress lines on
standard error, ``NAME=VALUE`` parameters, writing an export, and printing an answer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from graph.answers.answer import Answer, UserError
from graph.config import backend_options
from graph.output import render, to_json
from graph.store import Store, default_path, open_store

__all__ = ["UserError", "store_for", "progress_printer", "params", "write_output", "show", "render"]


class Process:
    """How the process running a command ends (set by :func:`graph.cli.run`, the ``kg`` script
    and ``python3 -m graph.cli``; tests call :func:`graph.cli.main` in their own process)."""

    # The process ends when the command returns: nothing it made needs freeing.
    ends_with_command = False
    # The command asks to leave at once (os._exit) once its output is flushed: freeing a 1M
    # load's millions of objects, and the garbage collector's pass over them when turned back
    # on, took ~0.5-1 s after everything was written (issue 16). Only a command whose files
    # are all closed and whose store holds no open writer may ask.
    leave_at_once = False


def store_for(args: argparse.Namespace, write: bool = False) -> Store:
    """The store the command works on, from --backend/--store or the environment."""
    if args.backend == "embedded":
        path = args.store or default_path()
        if not write and not (Path(path) / "current").exists():
            raise UserError(
                f"no graph in {path} yet: run 'kg load data/nye-asker' first",
                f"ingen graf i {path} ennå: kjør 'kg load data/nye-asker' først",
            )
        return open_store("embedded", path=path, read_only=not write)
    return open_store(args.backend, **backend_options(args.backend))


def progress_printer(lang: str) -> Any:
    def report(en: str, nb: str) -> None:
        sys.stderr.write(f"… {nb if lang == 'nb' else en}\n")
        sys.stderr.flush()

    return report


def params(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(
                f"parameter '{pair}' must be NAME=VALUE", f"parameteren '{pair}' må være NAVN=VERDI"
            )
        out[key] = value
    return out


def write_output(args: argparse.Namespace, data: bytes) -> str:
    """Write an export to ``--output``, or to standard output when none is given."""
    if args.output:
        Path(args.output).write_bytes(data)
        return f"Skrev {args.output}" if args.lang == "nb" else f"Wrote {args.output}"
    sys.stdout.buffer.write(data)
    return ""


def _json(answer: Answer) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(to_json(answer.result()))
    if answer.extra:  # row keys the JSON carries besides the columns (an impact row's hops)
        extra = json.loads(
            json.dumps(
                [{k: r.get(k) for k in answer.extra} for r in answer.rows],
                default=str,
                ensure_ascii=False,
            )
        )
        for row, more in zip(body["rows"], extra, strict=True):
            row.update(more)
    return body | answer.facts


def _notes(answer: Answer, at: str, lang: str) -> list[str]:
    return [n.get(lang) or n.get("nb", "") for n in answer.notes if n.get("at") == at]


def show(answer: Answer, fmt: str, lang: str, headings: bool = False) -> str:
    """An answer as a table, CSV or ONE JSON document.

    A single-part answer prints as before (the columns by key, and the answer's facts next to
    the rows in JSON). An answer in sections prints each section in turn as a table or CSV
    (``headings`` puts ``## title (n)`` over each table), and as one JSON object
    ``{"key", …facts, "sections": [{"key", "title", "columns", "rows"}, …]}``. A table shows
    the notes placed ``top`` above it and those placed ``end`` below it.
    """
    if fmt == "json":
        if not answer.sections:
            return json.dumps(_json(answer), ensure_ascii=False, indent=2, default=str)
        parts = [{"key": s.key, "title": s.title_in(lang), **_json(s)} for s in answer.sections]
        body = {"key": answer.key, **answer.facts, "sections": parts}
        return json.dumps(body, ensure_ascii=False, indent=2, default=str)
    if not answer.sections:
        out = [render(answer.result(), fmt)]
    else:
        out = []
        for s in answer.sections:
            text = render(s.result(), fmt)
            if headings and fmt == "table":
                text = f"## {s.title_in(lang)} ({len(s.rows)})\n" + text
            out.append(text)
    if fmt != "table":
        return "\n\n".join(out)
    top, end = _notes(answer, "top", lang), _notes(answer, "end", lang)
    text = "\n\n".join([*top, *out])
    return text + "".join("\n" + n for n in end)
