"""The timeline: events on a time axis over their whole EDTF uncertainty, with the claims per source beneath.

Each event is a bar, never a point: the bar spans the dates the EDTF value
states (its strict bounds), a capped line through it the wider span its '?'
and '~' qualifiers allow (the fuzzy bounds ``belarus-data validate`` reports).
Open ends ('..') run to the edge of the axis with an arrow. Colour is the
PLOVER event type. Beneath, one band per source: its publication interval as
an outline and each dated claim as a thin bar in its event's colour (grey when
the claim reports no event). PNG and SVG come from matplotlib; HTML is one
self-contained file (the SVG inline, plus tables of the events and claims).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from belarus_data.atomic import write_bytes, write_text
from belarus_data.export.common import Step, checked_root, load_frames, no_step, require, table_records
from belarus_data.tables import table

FORMATS = ("png", "svg", "html")
PURPOSE = "the timeline"
EXTRA = "plot"
LABEL_CHARS = 60
# matplotlib's tab20 hues, assigned so that the types most often seen together differ in hue:
# cooperative types in greens/blues/purples, conflictual ones in oranges/browns/pinks/reds.
TYPE_COLOURS: dict[str, str] = {
    "AGREE": "#2ca02c",
    "CONSULT": "#17becf",
    "SUPPORT": "#bcbd22",
    "CONCEDE": "#98df8a",
    "COOPERATE": "#1f77b4",
    "AID": "#9467bd",
    "RETREAT": "#aec7e8",
    "REQUEST": "#c5b0d5",
    "ACCUSE": "#ff7f0e",
    "REJECT": "#8c564b",
    "THREATEN": "#f7b6d2",
    "PROTEST": "#ffbb78",
    "SANCTION": "#c49c94",
    "MOBILIZE": "#e377c2",
    "COERCE": "#ff9896",
    "ASSAULT": "#d62728",
}
NO_EVENT_COLOUR = "#8c8c8c"


@dataclass(frozen=True)
class Span:
    """What an EDTF value allows: strict bounds (as written) inside fuzzy bounds (qualifiers widened).

    None marks an open end ('..') or an unknown one.
    """

    strict_start: dt.date | None
    strict_end: dt.date | None
    fuzzy_start: dt.date | None
    fuzzy_end: dt.date | None


def _day(value: object) -> dt.date | None:
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, float) and math.isinf(value):
        return None
    return None


@lru_cache(maxsize=65536)
def span(value: str | None) -> Span | None:
    """The strict and fuzzy bounds of an EDTF value; None for an empty or unparseable one.

    >>> span("2016-06?/2016-08?").strict_start, span("2016-06?/2016-08?").strict_end
    (datetime.date(2016, 6, 1), datetime.date(2016, 8, 31))
    """
    from belarus_data import edtf_dates

    if not value or edtf_dates.parse(value) is None:  # the project's own validity rule first
        return None
    from edtf import parse_edtf

    parsed = parse_edtf(value)
    return Span(
        _day(parsed.lower_strict()), _day(parsed.upper_strict()), _day(parsed.lower_fuzzy()), _day(parsed.upper_fuzzy())
    )


def type_colours() -> dict[str, str]:
    """Event type -> colour, fixed per type so a type keeps its colour across datasets and versions."""
    from belarus_data import vocab

    # A new vocabulary code without a colour is drawn black rather than crashing the timeline.
    return {code: TYPE_COLOURS.get(code, "#000000") for code in vocab.EVENT_TYPE}


def _num(day: dt.date) -> float:
    """Matplotlib's number for a day (its date axis unit)."""
    from matplotlib.dates import date2num

    return float(date2num(day))  # type: ignore[no-untyped-call]


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _limits(spans: list[Span]) -> tuple[dt.date, dt.date]:
    days = [d for s in spans for d in (s.strict_start, s.strict_end, s.fuzzy_start, s.fuzzy_end) if d is not None]
    if not days:
        today = dt.date.today()
        return today - dt.timedelta(days=365), today
    low, high = min(days), max(days)
    pad = max(dt.timedelta(days=15), (high - low) / 20)
    return low - pad, high + pad


def _sorted_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(e: dict[str, Any]) -> tuple[int, dt.date, str]:
        s = span(e["date_edtf"])
        if s is None:
            return (1, dt.date.max, e["id"])
        first = s.strict_start or s.fuzzy_start or s.strict_end or dt.date.min
        return (0, first, e["id"])

    return sorted(events, key=key)


def _draw_span(
    ax: Any, y: float, s: Span, colour: str, lo: dt.date, hi: dt.date, height: float, *, whisker: bool = False
) -> None:
    """Draw one interval: the stated span as a bar, the qualifiers' wider span as a line (capped unless ``whisker``)."""

    def ends(start: dt.date | None, end: dt.date | None) -> tuple[float, float]:
        # The end day is included, so the bar runs to the end of that day.
        return _num(start or lo), _num((end or hi) + dt.timedelta(days=1))

    left, right = ends(s.fuzzy_start, s.fuzzy_end)
    # The qualifiers' span is a capped line, so no faint fill can be mistaken for another type's colour.
    ax.plot([left, right], [y, y], color=colour, lw=0.9 if whisker else 1.4, alpha=0.8, solid_capstyle="butt")
    if not whisker:
        ax.plot([left, right], [y, y], ls="none", marker="|", color=colour, markersize=8, alpha=0.8)
    left, right = ends(s.strict_start, s.strict_end)
    ax.barh(y, right - left, left=left, height=height, color=colour, alpha=0.95, lw=0)
    for end, side, marker in ((s.strict_start, lo, "<"), (s.strict_end, hi, ">")):
        if end is None:  # an open end: the interval continues beyond the axis
            ax.plot(_num(side), y, marker=marker, color=colour, markersize=6, clip_on=False)


def figure(records: dict[str, list[dict[str, Any]]]) -> Any:
    """The timeline as a matplotlib Figure (no pyplot: no global state, no display needed)."""
    require("matplotlib", EXTRA, PURPOSE)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    colours = type_colours()
    events = [e for e in _sorted_events(records["events"]) if e["record_status"] == "active"]
    claims = [c for c in records["claims"] if c["record_status"] == "active"]
    sources = [s for s in records["sources"] if s["record_status"] == "active"]
    event_type = {e["id"]: e["event_type"] for e in events}
    per_source: dict[str, list[dict[str, Any]]] = {s["id"]: [] for s in sources}
    for claim in claims:
        per_source.setdefault(claim["source_id"], []).append(claim)
    spans = [x for x in (span(e["date_edtf"]) for e in events) if x]
    spans += [x for x in (span(c["time_edtf"]) for c in claims) if x]
    spans += [x for x in (span(s["published"]) for s in sources) if x]
    lo, hi = _limits(spans)

    lanes = {sid: max(1, sum(1 for c in cs if span(c["time_edtf"]))) for sid, cs in per_source.items()}
    source_rows = sum(min(n, 24) * 0.22 + 0.6 for n in lanes.values()) or 1.0
    event_rows = max(1, len(events))
    height = 1.6 + 0.42 * event_rows + 0.5 * source_rows
    fig = Figure(figsize=(13, height), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[0.42 * event_rows + 0.4, 0.5 * source_rows + 0.4])

    for row, event in enumerate(events):
        s = span(event["date_edtf"])
        colour = colours[event["event_type"]]
        if s is not None:
            _draw_span(top, row, s, colour, lo, hi, 0.45)
        else:
            top.text(
                0.99,
                row,
                "undated",
                transform=top.get_yaxis_transform(),
                ha="right",
                va="center",
                color="#666",
                fontsize=8,
                style="italic",
            )
    top.set_yticks(
        range(len(events)),
        [f"{_short(e['description'])}  [{e['event_type']}, {e['event_status']}]" for e in events],
        fontsize=8,
    )
    top.set_ylim(len(events) - 0.5, -0.5)
    top.set_title(
        f"Events ({len(events)}): bar = the dates as stated; line = what the '?' and '~' qualifiers allow",
        fontsize=10,
        loc="left",
    )
    used = sorted({e["event_type"] for e in events}, key=list(colours).index)
    top.legend(
        handles=[Patch(color=colours[t], label=t) for t in used],
        loc="upper left",
        bbox_to_anchor=(1.005, 1.0),
        fontsize=8,
        title="event type",
        title_fontsize=8,
        frameon=False,
    )

    ticks: list[float] = []
    labels: list[str] = []
    y = 0.0
    for source in sources:
        dated = [c for c in per_source[source["id"]] if span(c["time_edtf"])]
        band = min(max(1, len(dated)), 24) * 0.22 + 0.4
        p = span(source["published"])
        if p is not None:
            left = p.strict_start or p.fuzzy_start or lo
            right = (p.strict_end or p.fuzzy_end or hi) + dt.timedelta(days=1)
            bottom.add_patch(
                Rectangle((_num(left), y), _num(right) - _num(left), band, fill=False, ec="#444", ls="--", lw=0.8)
            )
        for i, claim in enumerate(dated):
            s = span(claim["time_edtf"])
            assert s is not None
            lane = y + 0.3 + (i % 24) * 0.22
            colour = colours[event_type[claim["event_id"]]] if claim["event_id"] in event_type else NO_EVENT_COLOUR
            _draw_span(bottom, lane, s, colour, lo, hi, 0.16, whisker=True)
        ticks.append(y + band / 2)
        labels.append(f"{_short(source['title'], 45)}\n{len(per_source[source['id']])} claims, {len(dated)} dated")
        y += band + 0.2
    bottom.set_yticks(ticks, labels, fontsize=8)
    bottom.legend(
        handles=[
            Patch(color=NO_EVENT_COLOUR, label="no event"),
            Patch(fill=False, ec="#444", ls="--", label="published"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.005, 1.0),
        fontsize=8,
        frameon=False,
    )
    bottom.set_ylim(max(y, 1.0), 0)
    bottom.set_title(
        "Dated claims per source, in the colour of the event they report (line: what '?' and '~' allow)",
        fontsize=10,
        loc="left",
    )

    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    bottom.set_xlim(_num(lo), _num(hi))
    for ax in (top, bottom):
        ax.grid(axis="x", color="#ddd", lw=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig


def render(records: dict[str, list[dict[str, Any]]], fmt: str) -> bytes:
    """The timeline as PNG, SVG or self-contained HTML bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not a timeline format; use one of {', '.join(FORMATS)}")
    fig = figure(records)
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        return buffer.getvalue()
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "belarus-data", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue().decode("utf-8")
    if fmt == "svg":
        return svg.encode("utf-8")
    return html_page(records, svg[svg.index("<svg") :]).encode("utf-8")


def html_page(records: dict[str, list[dict[str, Any]]], svg: str) -> str:
    """A standalone page: the timeline SVG and tables of events and claims. No scripts, no external fetches."""
    from belarus_data._version import __version__

    e = html.escape
    rows = []
    for event in _sorted_events(records["events"]):
        s = span(event["date_edtf"])
        stated = f"{s.strict_start or '…'} – {s.strict_end or '…'}" if s else "undated"
        rows.append(
            f"<tr><td><code>{e(event['id'])}</code></td><td>{e(event['event_type'])}</td><td>{e(event['event_status'])}</td>"
            f"<td><code>{e(event['date_edtf'] or '')}</code></td><td>{e(stated)}</td><td>{e(event['description'])}</td></tr>"
        )
    claim_rows = []
    titles = {s["id"]: s["title"] for s in records["sources"]}
    for claim in records["claims"]:
        claim_rows.append(
            f"<tr><td><code>{e(claim['id'])}</code></td><td>{e(titles.get(claim['source_id'], claim['source_id']))}</td>"
            f"<td>{e(claim['claim_type'])}</td><td><code>{e(claim['time_edtf'] or '')}</code></td>"
            f"<td><code>{e(claim['event_id'] or '')}</code></td><td>{e(claim['statement'])}</td></tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>belarus-data {e(__version__)}: timeline</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 0.85rem; margin-bottom: 2rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }}
</style>
</head>
<body>
<h1>belarus-data {e(__version__)}: timeline</h1>
<p>Each event is drawn over its whole EDTF interval: a bar for the dates as stated, a line for what the
'?' and '~' qualifiers allow; an arrow marks an open end. Records CC BY 4.0.</p>
{svg}
<h2>Events</h2>
<table>
<thead><tr><th>id</th><th>type</th><th>status</th><th>EDTF</th><th>stated interval</th><th>description</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>Claims</h2>
<table>
<thead><tr><th>id</th><th>source</th><th>type</th><th>time (EDTF)</th><th>event</th><th>statement</th></tr></thead>
<tbody>
{chr(10).join(claim_rows)}
</tbody>
</table>
</body>
</html>
"""


def format_of(out: str | os.PathLike[str]) -> str:
    """The output format named by the file's suffix (png, svg or html)."""
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    if suffix not in FORMATS:
        raise ValueError(f"{Path(out).name!r}: the file name must end in .png, .svg or .html")
    return suffix


def write_timeline(
    out: str | os.PathLike[str], root: str | os.PathLike[str] | None = None, step: Step = no_step
) -> Path:
    """Draw the timeline of the dataset into ``out`` (.png, .svg or .html, by suffix); returns the path.

    >>> from belarus_data.export.timeline import write_timeline
    >>> write_timeline("docs/timeline.png")  # doctest: +SKIP
    PosixPath('docs/timeline.png')
    """
    fmt = format_of(out)
    require("matplotlib", EXTRA, PURPOSE)
    base = checked_root(root, step)
    frames = load_frames(base, step)
    records = {name: table_records(table(name), frame) for name, frame in frames.items()}
    step("draw")
    data = render(records, fmt)
    path = Path(out)
    if fmt == "png":
        write_bytes(path, data)
    else:
        write_text(path, data.decode("utf-8"))
    return path
