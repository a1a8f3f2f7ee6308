"""The answer to a planner's question, as one typed value both front ends render.

An :class:`Answer` holds columns (a key and a heading in nb and en), rows (dicts keyed by the
column keys; a row may carry more keys, such as the node's IRI or kind, that a front end uses
but does not show), notes, the *why* of each row (the steps that lead to it, each with its
relation, rationale and source) and, for a question with several parts such as a what-if,
sections that are answers of their own, and facts (values of the answer as a whole, such as
the as-of date or the count of rows left out). A note may say where it goes (``"at": "top"``
or ``"end"``): such notes are printed with the table. The CLI prints the columns as they are (table, CSV or
one JSON document); the app shows the headings in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.store import Result


class UserError(Exception):
    """A question that cannot be answered as asked (a missing or contradictory argument)."""

    def __init__(self, en: str, nb: str) -> None:
        self.en, self.nb = en, nb
        super().__init__(en)

    def message(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.en


@dataclass(frozen=True)
class Column:
    """One column: the key rows use, and its heading in Norwegian Bokmål and English."""

    key: str
    nb: str
    en: str

    def heading(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.en


@dataclass(frozen=True)
class Step:
    """One step of the path that explains a row: ``source`` --relation--> ``target``."""

    source: str
    target: str
    relation: str
    type: str | None = None
    rationale: str = ""
    document: str = ""  # the source document, as ``S000 L1857-1860``


@dataclass
class Answer:
    """Rows and columns, the notes that go with them and the why of each row."""

    key: str
    title: dict[str, str]
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    why: list[list[Step]] | None = None  # one list of steps per row, when the rows have one
    sections: list[Answer] = field(default_factory=list)
    truncated: bool = False  # a row limit cut the rows short
    extra: tuple[str, ...] = ()  # row keys the JSON document carries besides the columns
    facts: dict[str, Any] = field(default_factory=dict)  # the answer's own values (as-of date, …)

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("nb") or self.key

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def shown(self) -> list[dict[str, Any]]:
        """The rows with the shown columns only, in column order."""
        return [{k: r.get(k) for k in self.keys} for r in self.rows]

    def result(self) -> Result:
        """The shown rows as a :class:`graph.store.Result` (what the table/CSV/JSON writers take)."""
        rows = [tuple(r.get(k) for k in self.keys) for r in self.rows]
        return Result(self.keys, rows, truncated=self.truncated)


def cols(*spec: tuple[str, str, str]) -> list[Column]:
    """Columns from ``(key, nb, en)`` triples."""
    return [Column(k, nb, en) for k, nb, en in spec]
