"""The README's examples are real output (as datasette checks its docs).

Each example is a plain ``` block; the command it shows is the first `kg …` in backticks in the
paragraph just before it. The test runs that command on the bundled graph (messages and labels
in Norwegian unless the command says ``--lang en``) and compares. Elision: the output and the
block are split at blank lines into parts (a what-if prints its delays, then its milestones);
a part of the block whose last line is ``…`` must be the first lines of the output's part,
any other part must equal it. Trailing spaces do not count.

Regenerate the examples after a change of output with ``python3 tests/test_readme.py``: it
rewrites each block from the command's output, keeping as many lines of each elided part.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
NYE_ASKER = ROOT / "data" / "nye-asker"
ELIDED = "…"


def examples(text: str) -> list[tuple[str, int, int]]:
    """(command, first line, end line) of each example block: lines[first:end] is its body."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("```"):  # ```sh blocks are set-up commands, not examples
            end = lines.index("```", i + 1)
            if lines[i] != "```":
                i = end + 1
                continue
            before = "\n".join(lines[max(0, i - 4) : i]).split("\n\n")[-1]
            found = re.search(r"`(kg [^`]+)`", before)
            if found:
                out.append((found.group(1), i + 1, end))
            i = end + 1
        else:
            i += 1
    return out


def run(command: str, store: Path) -> str:
    env = {**os.environ, "KG_STORE": str(store), "KG_LANG": "nb", "PYTHONPATH": str(ROOT)}
    args = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}: {done.stderr}"
    return done.stdout


def parts(text: str) -> list[list[str]]:
    chunks = re.split(r"\n\s*\n", text.strip("\n"))
    return [[line.rstrip() for line in c.split("\n")] for c in chunks]


def matches(shown: list[list[str]], real: list[list[str]]) -> list[str]:
    """The differences between a README block and real output (empty when they agree)."""
    if len(shown) != len(real):
        return [f"{len(shown)} parts in the README, {len(real)} in the output"]
    problems = []
    for n, (s, r) in enumerate(zip(shown, real, strict=True), 1):
        if s and s[-1] == ELIDED:
            if r[: len(s) - 1] != s[:-1]:
                problems.append(
                    f"part {n}: the README's lines are not the first lines of the output"
                )
        elif s != r:
            problems.append(f"part {n} differs")
    return problems


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("readme") / "store"
    env = {**os.environ, "KG_STORE": str(path), "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "graph.cli", "load", str(NYE_ASKER), "--no-warm"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path


def test_the_readme_has_the_examples_it_promises():
    commands = [c for c, _, _ in examples(README.read_text(encoding="utf-8"))]
    assert "kg who A4 --lang en" in commands and len(commands) >= 3, commands


def test_readme_examples_are_real_output(store):
    text = README.read_text(encoding="utf-8")
    lines = text.split("\n")
    failures = []
    for command, first, end in examples(text):
        shown = parts("\n".join(lines[first:end]))
        problems = matches(shown, parts(run(command, store)))
        failures += [f"{command}: {p}" for p in problems]
    assert not failures, "\n".join(failures) + "\n(regenerate: python3 tests/test_readme.py)"


def test_the_comparison_can_fail():
    real = parts("a  b\n-  -\n1  2\n3  4\n\nx\n-\n9")
    assert not matches(parts("a  b\n-  -\n1  2\n…\n\nx\n-\n9"), real)
    assert matches(parts("a  b\n-  -\n3  4\n…\n\nx\n-\n9"), real)  # not the first lines
    assert matches(parts("a  b\n-  -\n1  2\n\nx\n-\n9"), real)  # elided without saying so
    assert matches(parts("a  b\n-  -\n1  2\n3  4"), real)  # a part missing


def regenerate() -> None:
    text = README.read_text(encoding="utf-8")
    lines = text.split("\n")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        env = {**os.environ, "KG_STORE": str(store), "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "graph.cli", "load", str(NYE_ASKER), "--no-warm"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        for command, first, end in reversed(examples(text)):
            shown, real = parts("\n".join(lines[first:end])), parts(run(command, store))
            new = []
            for n, r in enumerate(real):
                s = shown[n] if n < len(shown) else []
                new.append(r[: len(s) - 1] + [ELIDED] if s and s[-1] == ELIDED else r)
            lines[first:end] = "\n\n".join("\n".join(p) for p in new).split("\n")
    README.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    regenerate()
