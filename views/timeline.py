"""The timeline (issue 12, item 6): projects as bars and milestones as points on a time axis,
with their dependency arrows, before and after a slip, and a critical path drawn on it.

Drawn with Altair (Vega-Lite ships with Streamlit, so it works offline) from the rows of the
answer :func:`graph.answers.scenarios.timeline`; nothing is computed here."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from graph.answers.answer import Answer


def drawn_rows(answer: Answer, moved_only: bool, highlight: set[str]) -> list[dict[str, Any]]:
    """The rows the chart draws: those with a date (only what moved and what it waits for when
    ``moved_only``)."""
    rows = [r for r in answer.rows if r["start"] or r["end"]]
    if moved_only:  # what the slip moves, and what those wait for
        moved = {r["node"] for r in rows if r["new_end"]} | highlight
        waits = {a for r in rows if r["node"] in moved for a in r["after_nodes"]}
        rows = [r for r in rows if r["node"] in moved | waits]
    return rows


def chart(
    answer: Answer,
    labels: dict[str, str],
    moved_only: bool = False,
    highlight: set[str] | None = None,
) -> alt.LayerChart | None:
    """Bars from start to end (a milestone: a point at its date), the part a slip adds in red,
    dependency arrows from the end of what a node waits for to its own end, and the ``highlight`` nodes (a critical path)
    outlined. ``labels``: the legend texts ``before``, ``after``, ``critical``, ``arrow``."""
    highlight = highlight or set()
    rows = drawn_rows(answer, moved_only, highlight)
    if not rows:
        return None
    at = {r["node"]: r for r in rows}
    order = [r["code"] for r in sorted(rows, key=lambda r: (r["start"] or r["end"], r["code"]))]
    frame = pd.DataFrame(
        [
            {
                "code": r["code"],
                "name": r["label"],
                "kind": r["kind"],
                "start": r["start"] or r["end"],
                "end": r["end"] or r["start"],
                "new_end": r["new_end"] or None,
                "state": labels["critical"] if r["node"] in highlight else labels["before"],
            }
            for r in rows
        ]
    )
    arrows = pd.DataFrame(
        [
            {"edge": f"{a}>{r['node']}", "code": c, "when": w}
            for r in rows
            for a in r["after_nodes"]
            if a in at
            for c, w in (
                (at[a]["code"], at[a]["end"] or at[a]["start"]),
                (r["code"], r["end"] or r["start"]),
            )
        ],
        columns=["edge", "code", "when"],
    )
    y = alt.Y("code:N", sort=order, title=None)
    # Channel objects, not shorthand strings: Altair turns each string into its channel class by
    # hashing every class of the Vega-Lite schema (0.3 s of CPU per chart); the spec is the same.
    tip = [alt.Tooltip(f) for f in ("code", "name", "kind", "start", "end", "new_end")]
    colour = alt.Color(
        "state:N",
        title=None,
        scale=alt.Scale(
            domain=[labels["before"], labels["critical"]], range=["#4c78a8", "#f58518"]
        ),
    )
    bars = (
        alt.Chart(frame)
        .transform_filter("datum.kind != 'Milestone'")
        .mark_bar(height=10)
        .encode(x=alt.X("start:T", title=None), x2=alt.X2("end:T"), y=y, color=colour, tooltip=tip)
    )
    points = (
        alt.Chart(frame)
        .transform_filter("datum.kind == 'Milestone'")
        .mark_point(shape="diamond", filled=True, size=90)
        .encode(x=alt.X("end:T"), y=y, color=colour, tooltip=tip)
    )
    slip = (
        alt.Chart(frame)
        .transform_filter("datum.new_end != null")
        .mark_bar(height=6, color="#e45756")
        .encode(x=alt.X("end:T"), x2=alt.X2("new_end:T"), y=y, tooltip=tip)
    )
    moved = (
        alt.Chart(frame)
        .transform_filter("datum.new_end != null")
        .mark_point(shape="diamond", filled=True, size=90, color="#e45756")
        .encode(x=alt.X("new_end:T"), y=y, tooltip=tip)
    )
    lines = (
        alt.Chart(arrows)
        .mark_line(
            color="#999",
            strokeDash=[3, 2],
            point=alt.OverlayMarkDef(shape="triangle-right", size=30, color="#999"),
        )
        .encode(x=alt.X("when:T"), y=y, detail=alt.Detail("edge:N"))
    )
    return alt.layer(lines, bars, slip, points, moved).properties(height=max(160, 22 * len(order)))
