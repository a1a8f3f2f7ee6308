"""The import log of a workspace: every import's batch, so the history does not depend on the order.

Each import keeps its batch (the rows of our kinds it read, the columns its file had, what it
replaces) in ``<workspace>/.history/<source>.json`` (``pp-2018-03-31.json``). The workspace is
the :func:`fold` of all logged batches in date order, and the snapshot of a date is the fold of
the batches up to that date, so importing March then April gives the same workspace and the
same snapshots as April then March. A workspace written before the log existed is kept as the
``base`` the fold starts from. The folder is hidden, so ``kg load <workspace>`` ignores it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from loaders.importing import Batch, Cells, Origin, _origin, key_of, merge

FOLDER = ".history"
BASE = "base"


def to_json(batch: Batch) -> str:
    return "".join(_json_parts(batch))


ROWS_PER_PART = 2000  # rows encoded at a time: a 50 000-project log is ~100 MB as one string


def _json_parts(batch: Batch) -> Iterator[str]:
    """The JSON of :func:`to_json` in parts, for writing without holding it whole."""

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {
        "importer": batch.importer,
        "date": batch.date.isoformat(),
        "present": {k: sorted(v) for k, v in batch.present.items()},
        "complete": list(batch.complete),
        "replaces": [
            [k, c, sorted(vs), o, *({w: sorted(x) for w, x in n[0].items()} for _ in n[:1])]
            for k, c, vs, o, *n in batch.replaces
        ],
    }
    yield dumps(head)[:-1] + ',"rows":{'
    for i, (kind, rows) in enumerate(batch.rows.items()):
        yield ("," if i else "") + dumps(kind) + ":{"
        items = list(rows.items())
        for start in range(0, len(items), ROWS_PER_PART):
            part = dumps(dict(items[start : start + ROWS_PER_PART]))[1:-1]
            yield ("," if start and part else "") + part
        yield "}"
    yield "}}"


def from_json(text: str) -> Batch:
    d = json.loads(text)
    b = Batch(d["importer"], dt.date.fromisoformat(d["date"]), rows=d["rows"])
    b.present = {k: frozenset(v) for k, v in d["present"].items()}
    b.complete = tuple(d["complete"])
    b.replaces = [
        (k, c, frozenset(vs), o, *({w: frozenset(x) for w, x in n[0].items()} for _ in n[:1]))
        for k, c, vs, o, *n in d["replaces"]
    ]
    files = {sid: c.get("file", "") for sid, c in b.rows.get("sources", {}).items()}
    for kind, rows in b.rows.items():  # origins point back into the spreadsheet, as in a workspace
        for key, cells in rows.items():
            b.origins[(kind, key)] = _origin(cells, files, f"{kind}.csv", 0)
    return b


def base_batch(held: dict[str, dict[str, tuple[Cells, Origin]]]) -> Batch:
    """A workspace from before the log, as the batch the fold starts from."""
    b = Batch(BASE, dt.date.min)
    for kind, rows in held.items():
        for key, (cells, origin) in rows.items():
            b.rows.setdefault(kind, {})[key] = cells
            b.origins[(kind, key)] = origin
    return b


def name_of(batch: Batch) -> str:
    return BASE if batch.importer == BASE else f"{batch.importer}-{batch.date.isoformat()}"


def read_log(folder: Path | None) -> list[Batch]:
    if folder is None or not (folder / FOLDER).is_dir():
        return []
    return [
        from_json(p.read_text(encoding="utf-8")) for p in sorted((folder / FOLDER).glob("*.json"))
    ]


def write_log(staged: Path, batches: list[Batch]) -> None:
    """Write the log into a staged workspace (it is put in place with the workspace)."""
    out = staged / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for b in batches:
        with open(out / f"{name_of(b)}.json", "w", encoding="utf-8") as f:
            f.writelines(_json_parts(b))


def with_batch(log: list[Batch], batch: Batch) -> list[Batch]:
    """The log with ``batch`` in it (the same importer and date again replaces it), in fold order."""
    kept = [b for b in log if name_of(b) != name_of(batch)] + [batch]
    return sorted(kept, key=lambda b: (b.importer != BASE, b.date, b.importer))


def fold(
    batches: list[Batch], until: dt.date | None = None
) -> dict[str, dict[str, tuple[Cells, Origin]]]:
    """The workspace the batches make, in date order (only those dated ``until`` or earlier)."""
    out: dict[str, dict[str, tuple[Cells, Origin]]] = {}
    for b in batches:
        if until is not None and b.importer != BASE and b.date > until:
            continue
        if b.importer == BASE:
            out = {
                k: {key: (c, b.origins[(k, key)]) for key, c in rows.items()}
                for k, rows in b.rows.items()
            }
        else:
            out = merge(out, b)
    return out


__all__ = ["fold", "key_of", "read_log", "with_batch", "write_log"]
