"""Snapshots of one dataset written at once by two loads whose stores share a folder.

Two loads of one dataset on one day into sibling stores (``a/store1``, ``a/store2``) share the
snapshot folder ``a/snapshots``; both wrote ``<date>.nq.tmp``, and the second to finish found it
renamed away by the first (FileNotFoundError: exit 2 on a good load).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox

from graph import snapshots

DAY = dt.date(2026, 12, 2)


def test_two_writers_of_one_day_each_finish(tmp_path: Path) -> None:
    first = snapshots.Writer(tmp_path, "ds", DAY)
    second = snapshots.Writer(tmp_path, "ds", DAY)
    a = b"<urn:a> <urn:p> <urn:o> <urn:g> .\n"
    b = b"<urn:b> <urn:p> <urn:o> <urn:g> .\n"
    assert list(first.tee([a])) == [a]
    assert list(second.tee([b])) == [b]
    assert first.commit() == tmp_path / "ds" / "2026-12-02.nq"
    path = second.commit()  # raised FileNotFoundError when both wrote one .tmp
    assert path.read_bytes() == b  # the last to finish is the day's snapshot, whole
    assert not list((tmp_path / "ds").glob("*.tmp"))  # nothing left beside it
    assert [p.name for p in (tmp_path / "ds").iterdir()] == ["2026-12-02.nq"]


def test_an_aborted_writer_leaves_the_other_and_no_file(tmp_path: Path) -> None:
    kept = snapshots.Writer(tmp_path, "ds", DAY)
    dropped = snapshots.Writer(tmp_path, "ds", DAY)
    list(kept.tee([b"<urn:a> <urn:p> <urn:o> <urn:g> .\n"]))
    dropped.abort()  # must not remove the file the other is writing
    assert kept.commit().read_bytes() == b"<urn:a> <urn:p> <urn:o> <urn:g> .\n"
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == ["2026-12-02.nq"]


def test_save_beside_a_writer(tmp_path: Path) -> None:
    w = snapshots.Writer(tmp_path, "ds", DAY)
    quad = ox.Quad(
        ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:g")
    )
    snapshots.save(tmp_path, "ds", DAY, [quad])
    list(w.tee([b"<urn:w> <urn:p> <urn:o> <urn:g> .\n"]))
    assert w.commit().read_bytes() == b"<urn:w> <urn:p> <urn:o> <urn:g> .\n"


def test_a_dead_writers_file_goes_a_live_ones_stays(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "ds"
    folder.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = folder / f"2026-12-01.abcd1234.{int(gone.stdout)}.tmp"  # a load killed mid-snapshot
    dead.write_bytes(b"half")
    live = snapshots.Writer(tmp_path, "ds", DAY)  # this process: alive
    other = snapshots.Writer(tmp_path, "ds", DAY)
    assert not dead.exists()
    list(live.tee([b"<urn:a> <urn:p> <urn:o> <urn:g> .\n"]))
    assert live.commit().is_file()  # the second writer's start did not remove the first's file
    other.abort()


def test_a_file_named_with_a_number_too_large_for_a_pid_is_left(tmp_path: Path) -> None:
    # os.kill raised OverflowError (not an OSError) out of graph.aside.drop_stale: every
    # snapshot and view write in that folder failed
    folder = tmp_path / "ds"
    folder.mkdir()
    odd = folder / "x.99999999999999999999.tmp"
    odd.write_bytes(b"")
    w = snapshots.Writer(tmp_path, "ds", DAY)
    w.abort()
    assert odd.exists()  # no live process can be asked about it: left alone
