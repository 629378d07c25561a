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
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from belarus_data.export.batches import json_ready, table_batches
from belarus_data.export.common import Step, checked_root, no_step, require
from belarus_data.storage.atomic import write_bytes, write_text
from belarus_data.storage.tables import table

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
# Beyond these, the picture would be too tall to read (or to render): events are packed into
# unlabelled lanes, only the sources with most claims get a band, and claim lanes wrap.
MAX_LABELLED_EVENTS = 60
MAX_LANES = 150
MAX_SOURCE_BANDS = 30
CLAIM_LANES = 24  # per source band when there are few bands; 6 when there are many
MAX_HTML_ROWS = 5000
# Beyond this many dated events, events with the same type and interval are drawn once (they would
# only be stacked in lanes anyway): the figure's size then follows the distinct intervals, not the rows.
MAX_DRAWN_EVENTS = 20_000
# The columns the timeline reads; the rest of each table is never held.
COLUMNS = {
    "events": ("id", "event_type", "event_status", "date_edtf", "description", "record_status"),
    "claims": ("id", "source_id", "claim_type", "time_edtf", "event_id", "statement", "record_status"),
    "sources": ("id", "title", "published", "record_status"),
}
BARS_GID = "stated-intervals"  # the collection of bars, findable in the figure and the SVG


@dataclass(frozen=True)
class Span:
    """What an EDTF value allows: strict bounds (as written) inside fuzzy bounds (qualifiers widened).

    None marks an open end ('..') or an unknown one.
    """

    strict_start: dt.date | None
    strict_end: dt.date | None
    fuzzy_start: dt.date | None
    fuzzy_end: dt.date | None


@lru_cache(maxsize=65536)
def span(value: str | None) -> Span | None:
    """The strict and fuzzy bounds of an EDTF value; None for an empty or invalid one.

    The fuzzy bounds and validity are :func:`belarus_data.dates.edtf.parse`'s (so they
    agree with ``validate``); the strict ones are :func:`belarus_data.dates.edtf.stated`'s, computed directly for the common
    shapes and asked of the ``edtf`` package otherwise (its parser takes 20-60 ms a value).

    >>> span("2016-06?/2016-08?").strict_start, span("2016-06?/2016-08?").strict_end
    (datetime.date(2016, 6, 1), datetime.date(2016, 8, 31))
    """
    from belarus_data.dates import edtf

    bounds = edtf.parse(value) if value else None
    strict = edtf.stated(value) if value else None
    if bounds is None or strict is None:
        return None
    return Span(strict.earliest, strict.latest, bounds.earliest, bounds.latest)


@dataclass
class ClaimTotals:
    """What the timeline needs of all the claims, gathered a batch at a time (see :func:`gather`).

    ``records["claims"]`` then holds only the active claims of the sources that get a band.
    """

    active_per_source: Counter[str] = field(default_factory=Counter)
    spans: set[Span] = field(default_factory=set)  # the distinct intervals of the active dated claims
    listed: list[dict[str, Any]] = field(default_factory=list)  # the first MAX_HTML_ROWS claims, for the page
    claims: int = 0  # every claim, withdrawn ones too


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


@dataclass
class Drawn:
    """Intervals to draw on one axis, collected first and drawn in a few vectorised calls."""

    rows: list[float]
    spans: list[Span]
    colours: list[str]


def _draw(ax: Any, drawn: Drawn, lo: dt.date, hi: dt.date, height: float, *, whisker: bool = False) -> None:
    """Each interval: the stated span as a bar, the qualifiers' wider span as a line (capped unless ``whisker``).

    One ``barh`` and one ``LineCollection`` for all intervals: a large dataset has tens of thousands.
    """
    from matplotlib.collections import LineCollection, PolyCollection

    if not drawn.rows:
        return
    lo_n, hi_n = _num(lo), _num(hi)

    def ends(start: dt.date | None, end: dt.date | None) -> tuple[float, float]:
        # The end day is included, so the bar runs to the end of that day; an open end to the axis edge.
        return (_num(start) if start else lo_n), (_num(end + dt.timedelta(days=1)) if end else hi_n)

    strict = [ends(s.strict_start, s.strict_end) for s in drawn.spans]
    fuzzy = [ends(s.fuzzy_start, s.fuzzy_end) for s in drawn.spans]
    lines = LineCollection(
        [[(a, y), (b, y)] for (a, b), y in zip(fuzzy, drawn.rows, strict=True)],
        colors=drawn.colours,
        linewidths=0.9 if whisker else 1.4,
        alpha=0.8,
        capstyle="butt",
    )
    ax.add_collection(lines)
    if not whisker:
        caps = [(x, y) for (a, b), y in zip(fuzzy, drawn.rows, strict=True) for x in (a, b)]
        cap_colours = [c for c in drawn.colours for _ in (0, 1)]
        ax.scatter([x for x, _ in caps], [y for _, y in caps], marker="|", s=60, c=cap_colours, alpha=0.8)
    # One PolyCollection rather than barh: a Rectangle artist per bar takes minutes for 20,000 events.
    half = height / 2
    bars = PolyCollection(
        [
            [(a, y - half), (a, y + half), (b, y + half), (b, y - half)]
            for (a, b), y in zip(strict, drawn.rows, strict=True)
        ],
        facecolors=drawn.colours,
        alpha=0.95,
        linewidths=0,
    )
    bars.set_gid(BARS_GID)
    ax.add_collection(bars)
    for side, marker, open_ends in (
        (lo_n, "<", [i for i, s in enumerate(drawn.spans) if s.strict_start is None]),
        (hi_n, ">", [i for i, s in enumerate(drawn.spans) if s.strict_end is None]),
    ):
        if open_ends:  # the interval continues beyond the axis
            ax.scatter(
                [side] * len(open_ends),
                [drawn.rows[i] for i in open_ends],
                marker=marker,
                s=30,
                c=[drawn.colours[i] for i in open_ends],
                clip_on=False,
            )


def _pack(spans: list[Span], lo: dt.date, hi: dt.date) -> tuple[list[int], int]:
    """Lanes for intervals sorted by start, so that none overlaps another in its lane while lanes last."""
    ends: list[dt.date] = []
    lanes = []
    for s in spans:
        start = s.fuzzy_start or s.strict_start or lo
        free = next((i for i, end in enumerate(ends) if end < start), None)
        if free is None and len(ends) < MAX_LANES:
            free = len(ends)
            ends.append(dt.date.min)
        if free is None:  # out of lanes: share the one that frees up first
            free = min(range(len(ends)), key=ends.__getitem__)
        ends[free] = s.fuzzy_end or s.strict_end or hi
        lanes.append(free)
    return lanes, len(ends)


def _by_publication(source: dict[str, Any]) -> tuple[bool, dt.date, str]:
    p = span(source["published"])
    first = (p.strict_start or p.fuzzy_start) if p else None
    return (p is None, first or dt.date.min, source["id"])


def _shown(sources: list[dict[str, Any]], counts: Counter[str]) -> list[dict[str, Any]]:
    return sorted(sources, key=lambda s: -counts[s["id"]])[:MAX_SOURCE_BANDS]


def figure(records: dict[str, list[dict[str, Any]]], totals: ClaimTotals | None = None) -> Any:
    """The timeline as a matplotlib Figure (no pyplot: no global state, no display needed).

    Up to ``MAX_LABELLED_EVENTS`` events get a labelled row each; more are packed into
    unlabelled lanes (the HTML page lists them). Up to ``MAX_SOURCE_BANDS`` sources get a
    band, those with the most claims first. With ``totals`` (large datasets, :func:`gather`),
    the claims' counts and extent come from it and ``records["claims"]`` need hold only the
    claims of the sources shown.
    """
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
    counts = totals.active_per_source if totals else Counter({k: len(v) for k, v in per_source.items()})
    shown_sources = _shown(sources, counts)
    shown_sources.sort(key=_by_publication)
    spans = [x for x in (span(e["date_edtf"]) for e in events) if x]
    spans += list(totals.spans) if totals else [x for x in (span(c["time_edtf"]) for c in claims) if x]
    spans += [x for x in (span(s["published"]) for s in sources) if x]
    lo, hi = _limits(spans)

    dated_events = [(e, s) for e in events if (s := span(e["date_edtf"])) is not None]
    # Only when packed into unlabelled lanes: a labelled row is one event.
    merged = len(events) > MAX_LABELLED_EVENTS and len(dated_events) > MAX_DRAWN_EVENTS
    if merged:  # one bar per type and interval: the picture at scale is their extent, not their number
        distinct: dict[tuple[str, Span], tuple[dict[str, Any], Span]] = {}
        for e, s in dated_events:
            distinct.setdefault((e["event_type"], s), (e, s))
        dated_events = list(distinct.values())
    labelled = len(events) <= MAX_LABELLED_EVENTS
    if labelled:
        rows = {e["id"]: float(i) for i, e in enumerate(events)}
        event_rows = max(1, len(events))
    else:
        lanes, used_lanes = _pack([s for _, s in dated_events], lo, hi)
        rows = {e["id"]: float(lane) for (e, _), lane in zip(dated_events, lanes, strict=True)}
        event_rows = max(1, used_lanes)
    row_height = 0.42 if labelled else 0.12
    claim_lanes = CLAIM_LANES if len(shown_sources) <= 4 else 6
    bands = [
        min(max(1, sum(1 for c in per_source[s["id"]] if span(c["time_edtf"]))), claim_lanes) * 0.22 + 0.4
        for s in shown_sources
    ]
    source_rows = sum(b + 0.2 for b in bands) or 1.0
    height = 1.6 + row_height * event_rows + 0.5 * source_rows
    fig = Figure(figsize=(13, height), layout="constrained")
    top, bottom = fig.subplots(
        2, 1, sharex=True, height_ratios=[row_height * event_rows + 0.4, 0.5 * source_rows + 0.4]
    )

    drawn = Drawn(
        [rows[e["id"]] for e, _ in dated_events],
        [s for _, s in dated_events],
        [colours[e["event_type"]] for e, _ in dated_events],
    )
    _draw(top, drawn, lo, hi, 0.45 if labelled else 0.8)
    undated = [e for e in events if span(e["date_edtf"]) is None]
    if labelled:
        for event in undated:
            top.text(
                0.99,
                rows[event["id"]],
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
        title = f"Events ({len(events)}): bar = the dates as stated; line = what the '?' and '~' qualifiers allow"
    else:
        top.set_yticks([])
        title = (
            f"Events ({len(events)}, {len(undated)} undated not drawn), "
            + (f"as {len(dated_events)} distinct type-and-interval bars, " if merged else "")
            + f"packed into {event_rows} lanes: bar = the dates as stated; line = what '?' and '~' allow"
        )
    top.set_ylim(event_rows - 0.5, -0.5)
    top.set_title(title, fontsize=10, loc="left")
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
    claim_drawn = Drawn([], [], [])
    y = 0.0
    for source, band in zip(shown_sources, bands, strict=True):
        dated = [(c, s) for c in per_source[source["id"]] if (s := span(c["time_edtf"])) is not None]
        p = span(source["published"])
        if p is not None:
            first, last = p.strict_start or p.fuzzy_start, p.strict_end or p.fuzzy_end
            left = _num(first) if first else _num(lo)
            right = _num(last + dt.timedelta(days=1)) if last else _num(hi)
            bottom.add_patch(Rectangle((left, y), right - left, band, fill=False, ec="#444", ls="--", lw=0.8))
        for i, (claim, s) in enumerate(dated):
            claim_drawn.rows.append(y + 0.3 + (i % claim_lanes) * 0.22)
            claim_drawn.spans.append(s)
            linked = claim["event_id"] in event_type
            claim_drawn.colours.append(colours[event_type[claim["event_id"]]] if linked else NO_EVENT_COLOUR)
        ticks.append(y + band / 2)
        labels.append(f"{_short(source['title'], 45)}\n{counts[source['id']]} claims, {len(dated)} dated")
        y += band + 0.2
    _draw(bottom, claim_drawn, lo, hi, 0.16, whisker=True)
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
    more = (
        f" (the {len(shown_sources)} of {len(sources)} sources with most claims)"
        if len(sources) > len(shown_sources)
        else ""
    )
    bottom.set_title(
        f"Dated claims per source{more}, in the colour of the event they report (line: what '?' and '~' allow)",
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


def render(records: dict[str, list[dict[str, Any]]], fmt: str, totals: ClaimTotals | None = None) -> bytes:
    """The timeline as PNG, SVG or self-contained HTML bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not a timeline format; use one of {', '.join(FORMATS)}")
    fig = figure(records, totals)
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
    return html_page(records, svg[svg.index("<svg") :], totals).encode("utf-8")


def _cap_note(total: int) -> str:
    if total <= MAX_HTML_ROWS:
        return ""
    return (
        f"<p>The first {MAX_HTML_ROWS:,} of {total:,}; `belarus-data export sqlite` or `export json` has them all.</p>"
    )


def html_page(records: dict[str, list[dict[str, Any]]], svg: str, totals: ClaimTotals | None = None) -> str:
    """A standalone page: the timeline SVG and tables of events and claims. No scripts, no external fetches."""
    from belarus_data._version import __version__

    e = html.escape
    rows = []
    all_events = _sorted_events(records["events"])
    all_claims = totals.listed if totals else records["claims"]
    claim_count = totals.claims if totals else len(all_claims)
    for event in all_events[:MAX_HTML_ROWS]:
        s = span(event["date_edtf"])
        stated = f"{s.strict_start or '…'} – {s.strict_end or '…'}" if s else "undated"
        rows.append(
            f"<tr><td><code>{e(event['id'])}</code></td><td>{e(event['event_type'])}</td><td>{e(event['event_status'])}</td>"
            f"<td><code>{e(event['date_edtf'] or '')}</code></td><td>{e(stated)}</td><td>{e(event['description'])}</td></tr>"
        )
    claim_rows = []
    titles = {s["id"]: s["title"] for s in records["sources"]}
    for claim in all_claims[:MAX_HTML_ROWS]:
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
{_cap_note(len(all_events))}
<table>
<thead><tr><th>id</th><th>type</th><th>status</th><th>EDTF</th><th>stated interval</th><th>description</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>Claims</h2>
{_cap_note(claim_count)}
<table>
<thead><tr><th>id</th><th>source</th><th>type</th><th>time (EDTF)</th><th>event</th><th>statement</th></tr></thead>
<tbody>
{chr(10).join(claim_rows)}
</tbody>
</table>
</body>
</html>
"""


def _rows(root: Path, name: str) -> Iterator[list[dict[str, Any]]]:
    for batch in table_batches(root, table(name)):
        yield json_ready(batch.select(list(COLUMNS[name])))


def gather(root: Path, step: Step = no_step) -> tuple[dict[str, list[dict[str, Any]]], ClaimTotals]:
    """The records the timeline draws, read a batch at a time and only the columns it uses.

    Events and sources are kept (a few columns each); the claims are counted per
    source and their distinct intervals kept, in one pass, and only the claims of
    the sources that get a band are kept, in a second: memory follows the events
    and the shown sources, not the number of claims.
    """
    step("read events and sources")
    records: dict[str, list[dict[str, Any]]] = {
        name: [row for rows in _rows(root, name) for row in rows] for name in ("events", "sources")
    }
    totals = ClaimTotals()
    step("count claims")
    for rows in _rows(root, "claims"):
        totals.claims += len(rows)
        if len(totals.listed) < MAX_HTML_ROWS:
            totals.listed += rows[: MAX_HTML_ROWS - len(totals.listed)]
        for claim in rows:
            if claim["record_status"] == "active":
                totals.active_per_source[claim["source_id"]] += 1
                interval = span(claim["time_edtf"])
                if interval is not None:
                    totals.spans.add(interval)
    active_sources = [s for s in records["sources"] if s["record_status"] == "active"]
    shown = {s["id"] for s in _shown(active_sources, totals.active_per_source)}
    step("claims of the sources shown")
    records["claims"] = [
        claim
        for rows in _rows(root, "claims")
        for claim in rows
        if claim["record_status"] == "active" and claim["source_id"] in shown
    ]
    return records, totals


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
    records, totals = gather(base, step)
    step("draw")
    data = render(records, fmt, totals)
    path = Path(out)
    if fmt == "png":
        write_bytes(path, data)
    else:
        write_text(path, data.decode("utf-8"))
    return path
