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

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from belarus_data.checks.context import Context
from belarus_data.dates import edtf, phrases
from belarus_data.models.lists import UNORDERED, canonical_list
from belarus_data.storage.arrays import mask, strings
from belarus_data.storage.tables import table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# The notes marker naming another anchor: "anchor:" (lower case, at the start of the notes or after a
# space or one of . ; , ( ) and at least one non-space character after it.
ANCHOR_NOTE = r"(?:^|[\s.;,(])anchor:\s*\S"
OPEN = -(2**62)  # a day number for "no bound"


_ANCHOR_NOTE = re.compile(ANCHOR_NOTE)


def _names_anchor(column: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Whether the notes of ``rows`` name another anchor; read only for the few rows that need it."""
    import numpy as np
    import pyarrow as pa

    notes = column.take(pa.array(rows, pa.int64())).to_pylist()
    return np.array([bool(n and _ANCHOR_NOTE.search(n)) for n in notes], bool)


def check_anchor_is_published(ctx: Context) -> None:
    """``time_anchor``/``date_anchor`` equals the source's ``published`` (or notes say ``anchor: …``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "claims" not in ctx.tables or "sources" not in ctx.tables:
        return
    sources, every_claim = ctx.tables["sources"].data, ctx.tables["claims"].data
    # Only active claims with an anchor or an event link matter: the rest is never looked at.
    wanted = every_claim.column("time_anchor"), every_claim.column("event_id")
    need = ctx.active_mask("claims") & (mask(pc.is_valid(wanted[0])) | mask(pc.is_valid(wanted[1])))
    rows_of = np.flatnonzero(need)
    claims = every_claim.select(["source_id", "time_anchor", "event_id"]).take(pa.array(rows_of, pa.int64()))
    source_at = np.asarray(pc.fill_null(pc.index_in(claims.column("source_id"), sources.column("id")), -1), np.int64)
    published = sources.column("published").combine_chunks()
    if len(published) == 0:  # no source rows: every claim's source_id is reported unknown
        published = pa.nulls(1, pa.string())
    active = np.ones(len(rows_of), bool)
    anchored = active & mask(pc.is_valid(claims.column("time_anchor")))
    unknown = anchored & (source_at < 0)
    if unknown.any():  # the claim's source_id is reported by the reference checks
        ctx.skipped(table("claims"), rows_of[unknown], ("source_id", "time_anchor"), "its source is unknown")
    own = published.take(pa.array(np.maximum(source_at, 0)))
    same = mask(pc.equal(claims.column("time_anchor"), own))
    differ = np.flatnonzero(anchored & (source_at >= 0) & ~same)
    differ = differ[~_names_anchor(every_claim.column("notes"), rows_of[differ])]
    for i in differ.tolist():
        anchor = claims.column("time_anchor")[i].as_py()
        expected = own[i].as_py()
        ctx.add(
            table("claims"),
            int(rows_of[i]),
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
    # The published values an event may be anchored on: those of the sources of its active claims,
    # compared as "event\x00published" keys so that the work stays in Arrow at millions of claims.
    linked = mask(pc.is_valid(claims.column("event_id"))) & active
    known = linked & (source_at >= 0)
    event_ids = claims.column("event_id")
    reported = pc.unique(pc.filter(event_ids, pa.array(known)))
    via_unknown = pc.filter(event_ids, pa.array(linked & (source_at < 0)))
    keys = pc.unique(
        pc.binary_join_element_wise(pc.filter(event_ids, pa.array(known)), pc.filter(own, pa.array(known)), "\x00")
    )
    anchored = ctx.active_mask("events") & mask(pc.is_valid(events.column("date_anchor")))
    has_source = mask(pc.is_in(events.column("id"), value_set=reported))
    matches = mask(
        pc.is_in(pc.binary_join_element_wise(events.column("id"), events.column("date_anchor"), "\x00"), value_set=keys)
    )
    no_source = np.flatnonzero(anchored & ~has_source)
    no_source = no_source[~_names_anchor(events.column("notes"), no_source)]
    if len(no_source):
        ids = events.column("id").take(pa.array(no_source)).to_pylist()
        first_unknown: dict[str, int] = {}
        if len(via_unknown):
            rows_unknown = rows_of[linked & (source_at < 0)]
            for row, event_id in zip(rows_unknown.tolist(), via_unknown.to_pylist(), strict=True):
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
    bad_ids = events.column("id").take(pa.array(bad))
    wanted = known & mask(pc.is_in(event_ids, value_set=bad_ids))
    allowed: dict[str, set[str]] = {}
    for event_id, value in zip(
        pc.filter(event_ids, pa.array(wanted)).to_pylist(), pc.filter(own, pa.array(wanted)).to_pylist(), strict=True
    ):
        found = allowed.setdefault(event_id, set())
        if value is not None:
            found.add(value)
    anchors = events.column("date_anchor").take(pa.array(bad)).to_pylist()
    for row, event_id, anchor in zip(bad.tolist(), bad_ids.to_pylist(), anchors, strict=True):
        shown = " or ".join(repr(v) for v in sorted(allowed.get(event_id, ()))) or (
            "none: its sources have no published value"
        )
        ctx.add(
            table("events"),
            row,
            "date_anchor",
            "anchor-not-published",
            f"{anchor!r} is not the published value of a source that reports this event ({shown})",
            "copy the published value of a source that reports it, "
            "or say in notes which dated point of the text it is: 'anchor: <what>'",
        )


def _bounds(column: pa.ChunkedArray, skip: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the strict earliest and latest day (OPEN if none) and whether the value is readable."""
    import numpy as np
    import pyarrow.compute as pc

    distinct = pc.unique(column.drop_null())
    values = distinct.to_pylist()
    lo = np.full(len(values) + 1, OPEN, np.int64)
    hi = np.full(len(values) + 1, OPEN, np.int64)
    readable = np.zeros(len(values) + 1, bool)
    for k, value in enumerate(values):
        bounds = edtf.strict(value)
        if bounds is None:
            continue
        readable[k] = True
        lo[k] = bounds.earliest.toordinal() if bounds.earliest is not None else OPEN
        hi[k] = bounds.latest.toordinal() if bounds.latest is not None else OPEN
    index = np.asarray(pc.fill_null(pc.index_in(column, value_set=distinct), -1), np.int64)
    index = np.where(index >= 0, index, len(values))  # the last slot: no value (OPEN, unreadable)
    return lo[index], hi[index], readable[index] & ~skip


def _check_phrases(ctx: Context, name: str, value_col: str, phrase_col: str, anchor_col: str) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    data = ctx.tables[name].data
    rows = ctx.active_mask(name) & mask(pc.is_valid(data.column(phrase_col)))
    rows &= mask(pc.is_valid(data.column(anchor_col))) & mask(pc.is_valid(data.column(value_col)))
    if not rows.any():
        return
    subset = np.flatnonzero(rows)
    picked = data.select([value_col, phrase_col, anchor_col]).take(pa.array(subset, pa.int64()))
    # One key per distinct (phrase, anchor); Python resolves each key once.
    keys = pc.binary_join_element_wise(picked.column(phrase_col), picked.column(anchor_col), "\x00")
    distinct = pc.unique(keys)
    key_index = np.asarray(pc.index_in(keys, value_set=distinct), np.int64)
    rules: list[tuple[phrases.Interval, ...] | None] = []
    unreadable_anchor: list[bool] = []
    for key in distinct.to_pylist():
        phrase, _, anchor = key.partition("\x00")
        bounds = edtf.strict(anchor)
        unreadable_anchor.append(bounds is None)
        rules.append(None if bounds is None else phrases.allowed(phrase, bounds.earliest, bounds.latest))
    bad_anchor = np.array(unreadable_anchor, bool)[key_index]
    if bad_anchor.any():  # the cell checks report the unreadable anchor
        ctx.skipped(table(name), subset[bad_anchor], (anchor_col,), f"{anchor_col} is not a readable date")
    lo, hi, readable = _bounds(picked.column(value_col), bad_anchor)
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
    for k, rule in enumerate(rules):
        if not rule:
            continue
        judged[k] = True
        for j, (a, b) in enumerate(rule):
            allow_lo[k, j] = a.toordinal() if a is not None else OPEN
            allow_hi[k, j] = b.toordinal() if b is not None else -OPEN
    row_lo, row_hi = allow_lo[key_index], allow_hi[key_index]
    start_ok = (lo[:, None] == OPEN) | ((lo[:, None] >= row_lo) & (lo[:, None] <= row_hi))
    end_ok = (hi[:, None] == OPEN) | ((hi[:, None] >= row_lo) & (hi[:, None] <= row_hi))
    ok = (start_ok & end_ok & (row_lo <= row_hi)).any(axis=1)
    bad = judged[key_index] & readable & ~ok
    for i in np.flatnonzero(bad).tolist():
        row = int(subset[i])
        rule = rules[key_index[i]]
        assert rule is not None
        value = picked.column(value_col)[i].as_py()
        phrase = picked.column(phrase_col)[i].as_py()
        anchor = picked.column(anchor_col)[i].as_py()
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
