"""Time anchors, relative phrases and the order of PLOVER contexts.

* ``anchor-not-published``: an active claim's ``time_anchor`` is its source's
  ``published`` value, copied exactly; an active event's ``date_anchor`` is the
  ``published`` value of a source whose active claim links to the event. Another
  anchor (another dated point of the text, e.g. "the report's month") is allowed
  when the record's ``notes`` say which, with the marker ``anchor:`` followed by
  what it is (``anchor: the date of the Ukrainian report``).
* ``phrase-out-of-range``: an active record's resolved date (``time_edtf`` /
  ``date_edtf``) lies outside what its phrase (``time_phrase`` / ``date_phrase``)
  allows around its anchor: the table in :mod:`belarus_data.dates.phrases`. The
  known ends of the value (strict bounds, as written) must lie inside; an open
  end (``..``, a bound) is not judged. Phrases not in the table are not judged.
* ``context-order``: an event's contexts are not in canonical (alphabetical)
  order; ``belarus-data fmt`` sorts them.

Cheap at millions of rows: anchors are compared as whole Arrow columns, and the
phrase rule does its Python work once per distinct phrase, anchor and date value
(a few thousand at most), then compares day numbers with numpy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from belarus_data.checks import joins
from belarus_data.checks.context import Context
from belarus_data.checks.joins import codes, rows_named
from belarus_data.dates import phrases
from belarus_data.dates.edtf_columns import NO_DAY, years_of
from belarus_data.models.lists import UNORDERED, canonical_list
from belarus_data.storage.arrays import mask, strings, take_rows
from belarus_data.storage.tables import table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# The notes marker naming another anchor: "anchor:" (lower case, at the start of the notes or after a
# space or one of . ; , ( ) and at least one non-space character after it.
ANCHOR_NOTE = r"(?:^|[\s.;,(])anchor:\s*\S"
OPEN = NO_DAY  # a day number for "no bound"


_ANCHOR_NOTE = re.compile(ANCHOR_NOTE)


def _names_anchor(column: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Whether the notes of ``rows`` name another anchor; read only for the few rows that need it."""
    import numpy as np
    import pyarrow as pa

    notes = take_rows(pa.table({"notes": column}), rows).column(0).to_pylist()  # block by block
    return np.array([bool(n and _ANCHOR_NOTE.search(n)) for n in notes], bool)


def _positions(values: pa.ChunkedArray | pa.Array, value_set: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Per value, the position of its first occurrence in ``value_set``; -1 for none (and for null)."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.index_in(values, value_set=value_set, skip_nulls=True), -1), np.int64)


def _at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]``, and -1 where ``index`` is -1."""
    import numpy as np

    found: np.ndarray = np.append(values, -1)[index]  # -1 reads the appended slot
    return found


def check_anchor_is_published(ctx: Context) -> None:
    """``time_anchor``/``date_anchor`` equals the source's ``published`` (or notes say ``anchor: …``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "claims" not in ctx.tables or "sources" not in ctx.tables:
        return
    sources, claims = ctx.tables["sources"].data, ctx.tables["claims"].data
    # Values are compared as integers: each published value is numbered, and so is each anchor that is
    # one (-1: empty, or no source's published value); rows as the first row with their ID (-1: none).
    # Python sees only the rows that break the rule.
    published = sources.column("published")
    dates = pc.unique(published).drop_null()
    published_code = _positions(published, dates)
    active = ctx.active_mask("claims")
    source_at = rows_named(claims, "source_id", sources)
    anchor_values, anchor_index = codes(claims, "time_anchor")
    anchored = active & (anchor_index >= 0)
    unknown = anchored & (source_at < 0)
    if unknown.any():  # the claim's source_id is reported by the reference checks
        ctx.skipped(table("claims"), np.flatnonzero(unknown), ("source_id", "time_anchor"), "its source is unknown")
    own_code = _at(published_code, source_at)  # the claim's source's published value
    anchor_code = _at(_positions(anchor_values, dates), anchor_index)
    differ = np.flatnonzero(anchored & (source_at >= 0) & ~((anchor_code >= 0) & (anchor_code == own_code)))
    differ = differ[~_names_anchor(claims.column("notes"), differ)]
    if len(differ):
        shown = anchor_values.take(pa.array(anchor_index[differ], pa.int64())).to_pylist()
        expected_values = published.take(pa.array(source_at[differ], pa.int64())).to_pylist()
        for row, anchor, expected in zip(differ.tolist(), shown, expected_values, strict=True):
            ctx.add(
                table("claims"),
                row,
                "time_anchor",
                "anchor-not-published",
                f"{anchor!r} is not the source's published value ({expected!r})"
                if expected is not None
                else f"{anchor!r} is given but the source has no published value",
                f"copy the source's published value{f' ({expected})' if expected else ''}, "
                "or say in notes which dated point of the text it is: 'anchor: <what>'",
            )
    if "events" not in ctx.tables:
        return
    events = ctx.tables["events"].data
    # The published values an event may be anchored on: those of the sources of its active claims.
    # An event row is known by the first row with its ID, as a claim's event_id finds it.
    linked = active & mask(pc.is_valid(claims.column("event_id")))
    known = linked & (source_at >= 0)
    first = joins.first_rows(events)
    event_at = np.where(known, rows_named(claims, "event_id", events), -1)
    reported = np.zeros(events.num_rows + 1, bool)
    reported[event_at[event_at >= 0]] = True
    has_source = reported[first]  # first = -1: the last slot, never set
    event_anchors, event_anchor_index = codes(events, "date_anchor")
    date_code = _at(_positions(event_anchors, dates), event_anchor_index)
    # An event row's anchor matches when a claim of its ID has a source published on it: the first row
    # with an ID is compared claim by claim; a later row with the same ID (a duplicate-key problem)
    # against the (event, published) pairs of the claims of that ID.
    pairs = (event_at >= 0) & (own_code >= 0)
    agree = pairs & (own_code == _at(date_code, event_at))
    matches = np.zeros(events.num_rows, bool)
    matches[event_at[agree]] = True
    later = np.flatnonzero((first >= 0) & (first != np.arange(events.num_rows)))
    if len(later):
        width = len(dates) + 1
        keys = np.unique(event_at[pairs].astype(np.int64) * width + own_code[pairs])
        matches[later] = (date_code[later] >= 0) & np.isin(
            first[later].astype(np.int64) * width + date_code[later], keys
        )
    anchored = ctx.active_mask("events") & (event_anchor_index >= 0)
    no_source = np.flatnonzero(anchored & ~has_source)
    no_source = no_source[~_names_anchor(events.column("notes"), no_source)]
    if len(no_source):
        ids = events.column("id").take(pa.array(no_source, pa.int64())).to_pylist()
        first_unknown: dict[str, int] = {}
        rows_unknown = np.flatnonzero(linked & (source_at < 0))
        if len(rows_unknown):
            via_unknown = take_rows(claims.select(["event_id"]), rows_unknown).column(0).to_pylist()
            for row, event_id in zip(rows_unknown.tolist(), via_unknown, strict=True):
                first_unknown.setdefault(event_id, row)
        for row, event_id in zip(no_source.tolist(), ids, strict=True):
            if event_id in first_unknown:  # the linking claim's source_id is reported by the reference checks
                upstream = (table("claims"), np.array([first_unknown[event_id]]))
                ctx.skipped(
                    table("events"), [row], ("date_anchor",), "its claims' source is unknown", upstream=upstream
                )
            else:  # no active claim links it: event-unsupported is reported at its id
                ctx.skipped(table("events"), [row], ("id", "date_anchor"), "no active claim links it to a source")
    bad = np.flatnonzero(anchored & has_source & ~matches)
    bad = bad[~_names_anchor(events.column("notes"), bad)]
    if not len(bad):
        return
    wanted = np.flatnonzero(np.isin(event_at, first[bad]) & (event_at >= 0))
    allowed: dict[int, set[str]] = {}
    values = published.take(pa.array(source_at[wanted], pa.int64())).to_pylist()
    for event_row, value in zip(event_at[wanted].tolist(), values, strict=True):
        found = allowed.setdefault(event_row, set())
        if value is not None:
            found.add(value)
    anchor_values = events.column("date_anchor").take(pa.array(bad, pa.int64())).to_pylist()
    for row, event_row, anchor in zip(bad.tolist(), first[bad].tolist(), anchor_values, strict=True):
        shown_values = " or ".join(repr(v) for v in sorted(allowed.get(event_row, ()))) or (
            "none: its sources have no published value"
        )
        ctx.add(
            table("events"),
            row,
            "date_anchor",
            "anchor-not-published",
            f"{anchor!r} is not the published value of a source that reports this event ({shown_values})",
            "copy the published value of a source that reports it, "
            "or say in notes which dated point of the text it is: 'anchor: <what>'",
        )


def _date(day: int) -> dt.date | None:
    return None if day == NO_DAY else dt.date.fromordinal(day)


NO_YEAR = -1  # the year of an open bound


def _check_phrases(ctx: Context, name: str, value_col: str, phrase_col: str, anchor_col: str) -> None:
    import numpy as np

    data = ctx.tables[name].data
    (phrase_values, phrase_index), (anchor_values, anchor_index) = codes(data, phrase_col), codes(data, anchor_col)
    value_values, value_index = codes(data, value_col)
    rows = ctx.active_mask(name) & (phrase_index >= 0) & (anchor_index >= 0) & (value_index >= 0)
    if not rows.any():
        return
    subset = np.flatnonzero(rows)
    # One key per distinct (phrase, anchor); Python resolves each key once, each anchor once, and asks
    # the phrase table about an anchor only for a phrase it has (whether it has one does not depend on the anchor).
    per_phrase = len(anchor_values)
    distinct, key_index = np.unique(
        phrase_index[subset].astype(np.int64) * per_phrase + anchor_index[subset], return_inverse=True
    )
    phrase_list = phrase_values.to_pylist()
    phrase_of, anchor_of = np.divmod(distinct, per_phrase)
    anchors = joins.date_bounds(data, anchor_col)  # the anchors' strict bounds, from the one parse of them
    readable_anchor = anchors.strict_readable[anchor_of]
    in_table = np.array([phrases.allowed(phrase, None, None) is not None for phrase in phrase_list], bool)
    first_days, last_days = anchors.strict_earliest.tolist(), anchors.strict_latest.tolist()
    rules: list[tuple[phrases.Interval, ...] | None] = [None] * len(distinct)
    judged = readable_anchor & in_table[phrase_of]
    # A named month depends on the anchor's years alone: resolved once per (phrase, years), not per anchor.
    by_year = np.array([phrases.by_year(phrase) for phrase in phrase_list], bool)[phrase_of]
    years = np.stack([years_of(anchors.strict_earliest, NO_YEAR), years_of(anchors.strict_latest, NO_YEAR)])[
        :, anchor_of
    ]
    yearly = np.flatnonzero(judged & by_year)
    if len(yearly):
        groups, group_of = np.unique(
            np.stack([phrase_of[yearly], years[0, yearly], years[1, yearly]]), axis=1, return_inverse=True
        )
        resolved = [
            phrases.in_years(phrase_list[p], y0 if y0 != NO_YEAR else None, y1 if y1 != NO_YEAR else None)
            for p, y0, y1 in groups.T.tolist()
        ]
        for k, g in zip(yearly.tolist(), group_of.ravel().tolist(), strict=True):
            rules[k] = resolved[g]
    anchor_days: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    daily = np.flatnonzero(judged & ~by_year)
    for k, p, a in zip(daily.tolist(), phrase_of[daily].tolist(), anchor_of[daily].tolist(), strict=True):
        if a not in anchor_days:
            anchor_days[a] = (_date(first_days[a]), _date(last_days[a]))
        rules[k] = phrases.allowed(phrase_list[p], *anchor_days[a])
    bad_anchor = ~readable_anchor[key_index]
    if bad_anchor.any():  # the cell checks report the unreadable anchor
        ctx.skipped(table(name), subset[bad_anchor], (anchor_col,), f"{anchor_col} is not a readable date")
    # The value's strict bounds (as written) per row, from the one parse of the column's values.
    found, at = joins.date_bounds(data, value_col), value_index[subset]
    lo, hi, readable = found.strict_earliest[at], found.strict_latest[at], found.strict_readable[at]
    readable &= ~bad_anchor
    unreadable = ~readable & ~bad_anchor
    if unreadable.any():  # the cell checks report the unreadable value
        ctx.skipped(table(name), subset[unreadable], (value_col,), f"{value_col} is not a readable date")
    width = max((len(r) for r in rules if r), default=0)
    if width == 0:
        return
    # Allowed intervals as day-number arrays, one column per alternative (unused: an empty interval).
    allow_lo = np.full((len(rules), width), 1, np.int64)
    allow_hi = np.full((len(rules), width), 0, np.int64)
    judged = np.zeros(len(rules), bool)
    days_of: dict[tuple[phrases.Interval, ...], tuple[list[int], list[int]]] = {}  # keys share rules
    for k, rule in enumerate(rules):
        if not rule:
            continue
        judged[k] = True
        if rule not in days_of:
            days_of[rule] = (
                [a.toordinal() if a is not None else OPEN for a, _ in rule],
                [b.toordinal() if b is not None else -OPEN for _, b in rule],
            )
        allow_lo[k, : len(rule)], allow_hi[k, : len(rule)] = days_of[rule]
    row_lo, row_hi = allow_lo[key_index], allow_hi[key_index]
    start_ok = (lo[:, None] == OPEN) | ((lo[:, None] >= row_lo) & (lo[:, None] <= row_hi))
    end_ok = (hi[:, None] == OPEN) | ((hi[:, None] >= row_lo) & (hi[:, None] <= row_hi))
    ok = (start_ok & end_ok & (row_lo <= row_hi)).any(axis=1)
    bad = judged[key_index] & readable & ~ok
    for i in np.flatnonzero(bad).tolist():
        row = int(subset[i])
        rule = rules[key_index[i]]
        assert rule is not None
        value = value_values[value_index[row]].as_py()
        phrase, anchor = phrase_list[phrase_index[row]], anchor_values[anchor_index[row]].as_py()
        ctx.add(
            table(name),
            row,
            value_col,
            "phrase-out-of-range",
            f"{value!r} lies outside what {phrase!r} allows around the anchor {anchor!r}: {phrases.describe(rule)}",
            "resolve the phrase against the earliest and the latest possible writing day (docs/curation.md 7.4) "
            "and write a value inside that range",
        )


def check_phrases_in_range(ctx: Context) -> None:
    """A resolved date lies within what its relative phrase allows around its anchor (``phrase-out-of-range``)."""
    if "claims" in ctx.tables:
        _check_phrases(ctx, "claims", "time_edtf", "time_phrase", "time_anchor")
    if "events" in ctx.tables:
        _check_phrases(ctx, "events", "date_edtf", "date_phrase", "date_anchor")


def check_context_order(ctx: Context) -> None:
    """Set-valued list cells (an event's contexts) are in canonical order (``context-order``)."""
    import numpy as np
    import pyarrow.compute as pc

    for name, columns in UNORDERED.items():
        if name not in ctx.tables:
            continue
        data = ctx.tables[name].data
        for column in columns:
            values = data.column(column)
            listed = mask(pc.match_substring(values, ";"))  # one item is always in order
            if not listed.any():
                continue
            distinct = pc.unique(pc.filter(values, listed))
            wrong = [v for v in distinct.to_pylist() if v != canonical_list(v)]
            if not wrong:
                continue
            rows = np.flatnonzero(listed & mask(pc.is_in(values, value_set=strings(wrong))))
            for row in rows.tolist():
                value = values[row].as_py()
                ctx.add(
                    table(name),
                    row,
                    column,
                    "context-order",
                    f"{value!r} is not in canonical (alphabetical) order",
                    f"write {canonical_list(value)!r} (`belarus-data fmt` sorts it)",
                )


CHECKS: tuple[Callable[[Context], None], ...] = (check_anchor_is_published, check_phrases_in_range, check_context_order)
