"""Dates against each other: ranges run forwards, and nothing past begins after it could have been written.

* ``date-after-source``: a past event (and a report claim's time) does not begin
  after its source's latest possible publication (fuzzy bounds: qualifiers widen them).
* ``edtf-reversed``: every EDTF range in every EDTF column ends on or after its start.
* ``date-after-created``: what a record states as past (a source's ``published``,
  ``page_updated`` and ``retrieved``; the date of an event whose status says it
  happened; the time of a report claim) does not begin after the record was created.
* ``retrieved-before-published``: a source's text was not captured before it was published.

The last three compare strict bounds (as written: see
:func:`belarus_data.dates.edtf.reversal` and :func:`~belarus_data.dates.edtf.strict`),
and an open or unknown end never breaks a rule. EDTF dates carry no time zone
while ``created`` is a UTC day, so a date may be one day later than the day it
is compared with: the local date somewhere is at most a day ahead of UTC's.

Dates are parsed once per distinct value and compared as day numbers on
whole columns; Python sees only the rows that break the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from belarus_data.checks import joins
from belarus_data.checks.context import Context
from belarus_data.checks.joins import codes, rows_named
from belarus_data.dates import edtf, edtf_columns
from belarus_data.models import columns as c
from belarus_data.storage.arrays import mask, strings, take_rows
from belarus_data.storage.tables import TABLES, table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Event statuses that say the event has happened (vocab.EVENT_STATUS): planned and proposed ones may lie ahead.
PAST_EVENT_STATUSES = ["occurred", "reported", "alleged", "denied"]
NO_DAY = edtf_columns.NO_DAY  # a date bound that is unknown or open compares as "no constraint"
ZONE_SLACK = 1  # days: a local calendar date is at most one day ahead of the UTC date


def _edtf_days(
    data: pa.Table,
    column: str,
    bound: Literal["earliest", "latest"],
    *,
    strict: bool = False,
    skip: Callable[[np.ndarray], None] | None = None,
) -> np.ndarray:
    """Per row of ``data``: the earliest/latest day (proleptic ordinal) its EDTF ``column`` allows; NO_DAY if none.

    Fuzzy bounds (:func:`belarus_data.dates.edtf.parse`: qualifiers widen them), or with ``strict``
    the bounds as written (:func:`~belarus_data.dates.edtf.strict`). A value that cannot be read
    compares as NO_DAY too, so the rule cannot judge its row: ``skip`` is given those rows, to
    record them (``Context.skipped``) as owed a problem of their own.
    """
    found = joins.date_bounds(data, column)
    days: np.ndarray = getattr(found, f"{'strict' if strict else 'fuzzy'}_{bound}")
    return _per_row(data, column, days, found.strict_readable if strict else found.readable, skip)


def _per_row(
    data: pa.Table, column: str, days: np.ndarray, readable: np.ndarray, skip: Callable[[np.ndarray], None] | None
) -> np.ndarray:
    """``days`` (one per :func:`~belarus_data.checks.joins.distinct` value of ``column``) per row; NO_DAY if empty."""
    import numpy as np

    index = codes(data, column)[1]
    if skip is not None and not readable.all():
        skip(np.flatnonzero(np.isin(index, np.flatnonzero(~readable))))
    result: np.ndarray = np.append(days, NO_DAY)[index]  # -1 reads the appended slot
    return result


def _skipper(ctx: Context, name: str, column: str) -> Callable[[np.ndarray], None]:
    """Records rows of ``name`` whose ``column`` a date rule could not read (see :func:`_edtf_days`)."""

    def skip(rows: np.ndarray) -> None:
        ctx.skipped(table(name), rows, (column,), f"{column} is not a readable date")

    return skip


def _per_row_of(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` at ``rows`` (a row of the table ``values`` is aligned with, per row; -1: none); NO_DAY at -1."""
    import numpy as np

    found: np.ndarray = np.append(values, NO_DAY)[rows]  # -1 reads the appended slot
    return found


def check_past_dates(ctx: Context) -> None:
    """A past event (and a report claim's time) must not start after its source's latest possible publication."""
    import numpy as np
    import pyarrow.compute as pc

    if "claims" not in ctx.tables or "sources" not in ctx.tables:
        return
    sources, claims = ctx.tables["sources"].data, ctx.tables["claims"].data
    published_latest = _edtf_days(sources, "published", "latest", skip=_skipper(ctx, "sources", "published"))
    source_latest = _per_row_of(rows_named(claims, "source_id", sources), published_latest)
    claim_earliest = _edtf_days(claims, "time_edtf", "earliest", skip=_skipper(ctx, "claims", "time_edtf"))
    is_report = mask(pc.equal(claims.column("claim_type"), "report"))
    late = is_report & (source_latest != NO_DAY) & (claim_earliest != NO_DAY) & (claim_earliest > source_latest)
    published = dict(zip(sources.column("id").to_pylist(), sources.column("published").to_pylist(), strict=True))
    for row in np.flatnonzero(late).tolist():
        claim = claims.slice(row, 1).to_pylist()[0]
        ctx.add(
            table("claims"),
            row,
            "time_edtf",
            "date-after-source",
            f"{claim['time_edtf']!r} begins after the source's latest possible publication ({published[claim['source_id']]})",
            "a report can only describe what happened before it was written; check the date or make the claim a prediction",
        )
    if "events" not in ctx.tables:
        return
    events = ctx.tables["events"].data
    # Per claim, its event's earliest day (if the event is past) against its source's latest publication day;
    # each distinct (event, source) link that breaks the rule is reported once, in (event, source) order.
    past = mask(pc.is_in(events.column("event_status"), value_set=strings(PAST_EVENT_STATUSES)))
    event_days = _edtf_days(events, "date_edtf", "earliest", skip=_skipper(ctx, "events", "date_edtf"))
    event_earliest = _per_row_of(rows_named(claims, "event_id", events), np.where(past, event_days, NO_DAY))
    bad = (event_earliest != NO_DAY) & (source_latest != NO_DAY) & (event_earliest > source_latest)
    if not bad.any():
        return
    taken = take_rows(claims.select(["event_id", "source_id"]), np.flatnonzero(bad))
    links = sorted(set(zip(taken.column("event_id").to_pylist(), taken.column("source_id").to_pylist(), strict=True)))
    event_row: dict[str, int] = {}
    for i, event_id in enumerate(events.column("id").to_pylist()):
        event_row.setdefault(event_id, i)  # the first row with the id, as index_in finds it
    for event_id, source_id in links:
        row = event_row[event_id]
        event = events.slice(row, 1).to_pylist()[0]
        ctx.add(
            table("events"),
            row,
            "date_edtf",
            "date-after-source",
            f"the {event['event_status']} event is dated {event['date_edtf']!r}, after {source_id} was published ({published[source_id]})",
            "date the event no later than its source, or set event_status to planned/proposed",
        )


def _calendar_day(value: str) -> dt.date | None:
    """A calendar-date cell as the model reads it; None if it is not one (reported as not-date)."""
    try:
        day = c.convert(c.DATE, value)
    except Exception:  # the model's own error: reported by the cell checks
        return None
    return day if isinstance(day, dt.date) else None


def _calendar_days(data: pa.Table, column: str, skip: Callable[[np.ndarray], None] | None = None) -> np.ndarray:
    """Per row of ``data``: the day (proleptic ordinal) of a calendar-date cell; NO_DAY if empty or not a date."""
    import numpy as np

    days = [_calendar_day(value) for value in joins.distinct(data, column).to_pylist()]
    readable = np.array([day is not None for day in days], dtype=bool)
    ordinals = np.array([day.toordinal() if day is not None else NO_DAY for day in days], dtype=np.int64)
    return _per_row(data, column, ordinals, readable, skip)


def check_reversed_ranges(ctx: Context) -> None:
    """Every range in every EDTF column ends on or after it begins (``edtf-reversed``)."""
    import numpy as np

    for spec in TABLES:
        if spec.name not in ctx.tables:
            continue
        for name in spec.columns:
            if not spec.rules[name].edtf:
                continue
            data = ctx.tables[spec.name].data
            found = joins.date_bounds(data, name)  # each value judged once; rows only if one fails
            if found.readable.all() and not found.reversed.any():
                continue
            index = codes(data, name)[1]
            if not found.readable.all():
                skipped = np.flatnonzero(np.isin(index, np.flatnonzero(~found.readable)))
                ctx.skipped(spec, skipped, (name,), f"{name} is not a readable EDTF date")
            if not found.reversed.any():
                continue
            values = joins.distinct(data, name)
            reversed_values = {int(k): values[k].as_py() for k in np.flatnonzero(found.reversed)}
            for row in np.flatnonzero(np.isin(index, list(reversed_values))).tolist():
                value = reversed_values[index[row]]
                bounds = edtf.reversal(value)
                assert bounds is not None  # found.reversed says so
                ctx.add(
                    spec,
                    row,
                    name,
                    "edtf-reversed",
                    f"{value!r} ends ({bounds.latest}) before it begins ({bounds.earliest})",
                    _reversed_hint(value),
                )


def _reversed_hint(value: str) -> str:
    """Swap the two ends of an interval when that gives a valid forward one; else say what to do."""
    start, slash, end = value.partition("/")
    swapped = f"{end}/{start}"
    if slash and edtf.parse(swapped) is not None and edtf.reversal(swapped) is None:
        return f"write the earlier end first: {swapped!r}"
    return "write each range from its earlier end to its later one"


def _created_days(ctx: Context, name: str) -> np.ndarray:
    return _calendar_days(ctx.tables[name].data, "created", _skipper(ctx, name, "created"))


def _report_after_created(
    ctx: Context, name: str, column: str, days: np.ndarray, applies: np.ndarray, message: str, hint: str
) -> None:
    """``date-after-created`` at each row where ``applies`` and ``days`` is over a day after ``created``.

    ``message`` is formatted with the row's value, its earliest day and its created day.
    """
    import numpy as np

    created = _created_days(ctx, name)
    late = applies & (days != NO_DAY) & (created != NO_DAY) & (days > created + ZONE_SLACK)
    values = ctx.column(name, column)
    for row in np.flatnonzero(late).tolist():
        ctx.add(
            table(name),
            row,
            column,
            "date-after-created",
            message.format(
                value=values[row].as_py(),
                earliest=dt.date.fromordinal(int(days[row])),
                created=dt.date.fromordinal(int(created[row])),
            ),
            hint,
        )


def check_dates_before_created(ctx: Context) -> None:
    """What a record states as past does not begin after the record was created (``date-after-created``)."""
    import numpy as np
    import pyarrow.compute as pc

    if "sources" in ctx.tables:
        sources = ctx.tables["sources"].data
        everywhere = np.ones(sources.num_rows, dtype=bool)
        for column, what in (("published", "publication"), ("page_updated", "page stamp")):
            _report_after_created(
                ctx,
                "sources",
                column,
                _edtf_days(sources, column, "earliest", strict=True, skip=_skipper(ctx, "sources", column)),
                everywhere,
                f"{column} {{value!r}} begins on {{earliest}}, after the record was created ({{created}})",
                f"a source is entered after its {what}: correct {column} (or created, if that is what is wrong)",
            )
        _report_after_created(
            ctx,
            "sources",
            "retrieved",
            _calendar_days(sources, "retrieved", _skipper(ctx, "sources", "retrieved")),
            everywhere,
            "retrieved {value} is after the record was created ({created})",
            "the text is captured before the source is entered: set retrieved to the day of capture "
            "(if that is unknown, the day of entry, with a note)",
        )
    if "events" in ctx.tables:
        events = ctx.tables["events"].data
        _report_after_created(
            ctx,
            "events",
            "date_edtf",
            _edtf_days(events, "date_edtf", "earliest", strict=True, skip=_skipper(ctx, "events", "date_edtf")),
            mask(pc.is_in(events.column("event_status"), value_set=strings(PAST_EVENT_STATUSES))),
            "an event whose status says it happened is dated {value!r}, from {earliest}, "
            "after the record was created ({created})",
            "date the event no later than it was recorded, or set event_status to planned/proposed",
        )
    if "claims" in ctx.tables:
        claims = ctx.tables["claims"].data
        _report_after_created(
            ctx,
            "claims",
            "time_edtf",
            _edtf_days(claims, "time_edtf", "earliest", strict=True, skip=_skipper(ctx, "claims", "time_edtf")),
            mask(pc.equal(claims.column("claim_type"), "report")),
            "a report is dated {value!r}, from {earliest}, after the claim was created ({created})",
            "a report tells what has happened: correct time_edtf, or make the claim a prediction",
        )


def check_retrieved_after_published(ctx: Context) -> None:
    """A source's text is not captured before the earliest day its publication date allows."""
    import numpy as np

    if "sources" not in ctx.tables:
        return
    sources = ctx.tables["sources"].data
    published = _edtf_days(sources, "published", "earliest", strict=True, skip=_skipper(ctx, "sources", "published"))
    retrieved = _calendar_days(sources, "retrieved", _skipper(ctx, "sources", "retrieved"))
    early = (published != NO_DAY) & (retrieved != NO_DAY) & (published > retrieved + ZONE_SLACK)
    values = sources.column("published")
    for row in np.flatnonzero(early).tolist():
        ctx.add(
            table("sources"),
            row,
            "retrieved",
            "retrieved-before-published",
            f"retrieved {dt.date.fromordinal(int(retrieved[row]))} is before the earliest day published allows "
            f"({dt.date.fromordinal(int(published[row]))}, from {values[row].as_py()!r})",
            "a text cannot be captured before it is published: correct retrieved (the day of capture) or published",
        )
