"""Dates against their sources: nothing reported as past may begin after the source could have been written.

Dates are parsed once per distinct EDTF value and compared as day numbers on
whole columns; Python sees only the rows that break the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from belarus_data.checks.context import Context
from belarus_data.dates import edtf
from belarus_data.storage.arrays import mask, strings
from belarus_data.storage.tables import table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

PAST_EVENT_STATUSES = ["occurred", "reported", "alleged", "denied"]
NO_DAY = -(2**62)  # a date bound that is unknown or open compares as "no constraint"


def _day_numbers(column: pa.ChunkedArray, bound: str) -> np.ndarray:
    """Per row: the earliest/latest day (proleptic ordinal) its EDTF value allows; NO_DAY if none."""
    import numpy as np
    import pyarrow.compute as pc

    distinct = pc.unique(column.drop_null())
    days = []
    for value in distinct.to_pylist():
        bounds = edtf.parse(value)
        day = getattr(bounds, bound, None) if bounds is not None else None
        days.append(day.toordinal() if day is not None else NO_DAY)
    if not days:
        return np.full(len(column), NO_DAY, dtype=np.int64)
    position = pc.index_in(column, value_set=distinct)
    lookup = np.array(days, dtype=np.int64)
    index = np.asarray(pc.fill_null(position, -1), dtype=np.int64)
    result: np.ndarray = np.where(index >= 0, lookup[np.maximum(index, 0)], NO_DAY)
    return result


def _per_row_of(ids: pa.ChunkedArray, keys: pa.ChunkedArray, values: np.ndarray) -> np.ndarray:
    """``values`` (aligned with ``keys``) looked up for each of ``ids``; NO_DAY where the id is unknown."""
    import numpy as np
    import pyarrow.compute as pc

    if len(values) == 0:
        return np.full(len(ids), NO_DAY, dtype=np.int64)
    index = np.asarray(pc.fill_null(pc.index_in(ids, value_set=keys.combine_chunks()), -1), dtype=np.int64)
    result: np.ndarray = np.where(index >= 0, values[np.maximum(index, 0)], NO_DAY)
    return result


def _distinct_sorted(rows: pa.Table) -> pa.Table:
    """The distinct rows of a sorted table without nulls: each row that differs from the one before it.

    Not ``group_by``: that loads Arrow's query engine (~35 ms of a cold ``validate``) for a few rows.
    """
    import numpy as np
    import pyarrow.compute as pc

    if rows.num_rows < 2:
        return rows
    new = np.zeros(rows.num_rows - 1, dtype=bool)
    for name in rows.column_names:
        column = rows.column(name)
        new |= mask(pc.not_equal(column.slice(1), column.slice(0, rows.num_rows - 1)))
    return rows.filter(np.concatenate([[True], new]))


def check_past_dates(ctx: Context) -> None:
    """A past event (and a report claim's time) must not start after its source's latest possible publication."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if "claims" not in ctx.tables or "sources" not in ctx.tables:
        return
    sources, claims = ctx.tables["sources"].data, ctx.tables["claims"].data
    published_latest = _day_numbers(sources.column("published"), "latest")
    source_latest = _per_row_of(claims.column("source_id"), sources.column("id"), published_latest)
    claim_earliest = _day_numbers(claims.column("time_edtf"), "earliest")
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
    # Each distinct (event, source) link made by a claim, with the source's latest publication day.
    links = pa.table({"event_id": claims.column("event_id"), "source_id": claims.column("source_id")})
    links = links.filter(pc.and_(pc.is_valid(links.column("event_id")), pc.is_valid(links.column("source_id"))))
    links = _distinct_sorted(links.sort_by([("event_id", "ascending"), ("source_id", "ascending")]))
    past = mask(pc.is_in(events.column("event_status"), value_set=strings(PAST_EVENT_STATUSES)))
    event_earliest = np.where(past, _day_numbers(events.column("date_edtf"), "earliest"), NO_DAY)
    link_earliest = _per_row_of(links.column("event_id"), events.column("id"), event_earliest)
    link_latest = _per_row_of(links.column("source_id"), sources.column("id"), published_latest)
    bad = (link_earliest != NO_DAY) & (link_latest != NO_DAY) & (link_earliest > link_latest)
    if not bad.any():
        return
    event_row: dict[str, int] = {}
    for i, event_id in enumerate(events.column("id").to_pylist()):
        event_row.setdefault(event_id, i)  # the first row with the id, as index_in finds it
    for link in links.take(pa.array(np.flatnonzero(bad), pa.int64())).to_pylist():
        row = event_row[link["event_id"]]
        event = events.slice(row, 1).to_pylist()[0]
        ctx.add(
            table("events"),
            row,
            "date_edtf",
            "date-after-source",
            f"the {event['event_status']} event is dated {event['date_edtf']!r}, after {link['source_id']} was published ({published[link['source_id']]})",
            "date the event no later than its source, or set event_status to planned/proposed",
        )
