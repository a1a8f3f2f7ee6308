"""Write a benchmark run into docs/scaling.md: ``python3 bench/run.py --doc docs/scaling.md``.

The part of the file between the two markers below is replaced by the run's figures (when,
the command, the machine and its load average, the table and the targets as bench/run.py
printed them); the prose around it is left as it is. A file without the markers gets them,
with the figures, at its end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

BEGIN = "<!-- bench:begin (written by bench/run.py --doc; do not edit by hand) -->"
END = "<!-- bench:end -->"


def section(doc: dict[str, Any], results: str = "bench/results") -> str:
    """The Markdown for one run: ``doc`` is what bench/run.py writes to ``results``/*.json."""
    when = dt.datetime.strptime(doc["started"], "%Y%m%d-%H%M%S")
    machine = doc.get("machine", {})
    avg = machine.get("load_average") or []
    scales = ", ".join(r.get("scale", "?") for r in doc.get("results", []))
    argv = " ".join(doc.get("argv") or [])
    lines = [
        BEGIN,
        "",
        f"`python3 bench/run.py {argv}`".replace(" `", "`"),
        "",
        f"Run written {when:%Y-%m-%d %H:%M} ({scales}; {doc.get('seconds', 0):.0f} s in all) on "
        f"{machine.get('cpus', '?')} cores, Python {machine.get('python', '?')}; load average "
        f"at the end {'/'.join(f'{x:.1f}' for x in avg) or '?'} (1/5/15 min). Full figures in "
        f"`{results}/bench-{doc['started']}.json` (not committed). Every wall time has its "
        "CPU time and the load average beside it: on a shared machine a wall time alone says "
        "little.",
        "",
        "```",
        doc.get("table", "").rstrip(),
        "```",
        "",
        END,
    ]
    return "\n".join(lines)


def write(path: Path, doc: dict[str, Any], results: str = "bench/results") -> None:
    """Replace the marked part of ``path`` with :func:`section` of ``doc`` (add it if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    new = section(doc, results)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + new + tail
    else:
        text = text.rstrip("\n") + "\n\n## Latest run\n\n" + new + "\n"
    path.write_text(text, encoding="utf-8")
