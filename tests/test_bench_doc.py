"""``bench/run.py --doc FILE`` writes the run into the marked part of docs/scaling.md and leaves
the prose around it alone (bench/doc.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from bench import doc

RUN = {
    "started": "20261202-011500",
    "seconds": 321.4,
    "argv": ["--scales", "1m", "--doc", "docs/scaling.md"],
    "machine": {"cpus": 2, "python": "3.11.7", "load_average": [3.25, 2.5, 1.0]},
    "results": [{"scale": "1m"}],
    "table": "measure (embedded store)   1m\nkg load as documented (s)  12.34",
}


def test_the_run_replaces_only_the_marked_part(tmp_path: Path) -> None:
    path = tmp_path / "scaling.md"
    path.write_text(
        f"# Scaling\n\nProse before.\n\n{doc.BEGIN}\nold figures 99.9\n{doc.END}\n\nProse after.\n",
        encoding="utf-8",
    )
    doc.write(path, RUN)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Scaling\n\nProse before.\n\n") and text.endswith("\n\nProse after.\n")
    assert "old figures 99.9" not in text  # the previous run's figures must NOT stay
    assert "kg load as documented (s)  12.34" in text
    assert "`python3 bench/run.py --scales 1m --doc docs/scaling.md`" in text
    assert "2026-12-02 01:15" in text and "3.2/2.5/1.0" in text and "2 cores" in text
    assert "bench/results/bench-20261202-011500.json" in text
    doc.write(path, {**RUN, "table": "second run 7.77"})
    again = path.read_text(encoding="utf-8")
    assert again.count(doc.BEGIN) == 1 and again.count(doc.END) == 1  # replaced, not appended
    assert "second run 7.77" in again and "12.34" not in again


def test_a_file_without_markers_gets_them_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "other.md"
    path.write_text("# Notes\n", encoding="utf-8")
    doc.write(path, RUN, "/tmp/results")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Notes\n\n## Latest run\n\n" + doc.BEGIN)
    assert text.rstrip().endswith(doc.END) and "/tmp/results/bench-20261202-011500.json" in text


def test_docs_scaling_has_the_markers() -> None:
    text = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    assert text.count(doc.BEGIN) == 1 and text.count(doc.END) == 1
    assert text.index(doc.BEGIN) < text.index(doc.END)
