"""Builders of bad inputs for tests/test_hostile.py: each writes one dataset (folder or file).

Every builder makes exactly one thing wrong, by construction, so the position in the expected
message (file, row, column, line) is known from the builder, not from the code under test.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import MINI, write_dataset

Builder = Callable[[Path], Path]
MANIFEST = "name: bad\nbase: https://example.org/bad/\n"
HEADER = "id;code;title;type;source\n"
S1 = "id;title;doc_type;source\nS1;Prosjektplan;slides;S1\n"


def variant(change: Callable[[dict], None]) -> Builder:
    def build(tmp: Path) -> Path:
        tables = copy.deepcopy(MINI)
        change(tables)
        return write_dataset(tmp / "bad", tables, name="bad")

    return build


def raw_projects(data: bytes) -> Builder:
    """A folder with a good sources.csv and ``data`` as projects.csv."""

    def build(tmp: Path) -> Path:
        folder = tmp / "bad"
        folder.mkdir()
        (folder / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
        (folder / "sources.csv").write_text(S1, encoding="utf-8")
        (folder / "projects.csv").write_bytes(data)
        return folder

    return build


def raw_manifest(data: bytes) -> Builder:
    def build(tmp: Path) -> Path:
        folder = tmp / "bad"
        folder.mkdir()
        (folder / "manifest.yaml").write_bytes(data)
        (folder / "sources.csv").write_text(S1, encoding="utf-8")
        return folder

    return build


def file_named(name: str, data: bytes) -> Builder:
    def build(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    return build


def zip_bomb(tmp: Path) -> Path:
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>")
    return path


def laughs(levels: int = 9) -> str:
    """The YAML "billion laughs": each level is nine aliases of the one before (9**9 nodes)."""
    out = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        out.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(out) + "\n"


def _set(kind: str, i: int, key: str, value: object) -> Callable[[dict], None]:
    def change(t: dict) -> None:
        t[kind][i][key] = value

    return change


def _drop(kind: str, key: str) -> Callable[[dict], None]:
    def change(t: dict) -> None:
        for r in t[kind]:
            r.pop(key, None)

    return change


def _add(kind: str, row: dict) -> Callable[[dict], None]:
    def change(t: dict) -> None:
        t[kind].append(row)

    return change


def _table(kind: str, rows: list[dict]) -> Callable[[dict], None]:
    def change(t: dict) -> None:
        t[kind] = rows

    return change


P = HEADER.encode()
ROW = b"P1;P1;Prosjekt;project;S1\n"
ALIASES = "name: bad\nx: &x a\ny: [" + ", ".join(["*x"] * 101) + "]\n"
TTL = b"@prefix ex: <https://example.org/> .\n"
FOREIGN_TRIG = b"GRAPH <https://data.kommunegraf.no/nye-asker/graph/projects.csv> { <https://example.org/s> <https://example.org/p> 1 . }\n"
FOREIGN_NQ = (
    b'<https://example.org/s> <https://example.org/p> "o" <https://example.org/other/graph/x> .\n'
)
RDFXML = b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
