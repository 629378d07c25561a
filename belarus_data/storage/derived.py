"""Columns derived from the stored ones, never stored in the CSV: date bounds and ACLED time precision.

For every EDTF column of a table (``date_edtf`` → stem ``date``, ``time_edtf`` →
``time``, any other EDTF column → its own name, e.g. ``published``):
``<stem>_lower``, ``<stem>_upper`` (strict bounds), ``<stem>_lower_fuzzy``,
``<stem>_upper_fuzzy`` (widened by ``?``/``~``/``%``), as Arrow ``date32``, null
where the end is open or unknown (see :mod:`belarus_data.dates.bounds`). An
event's empty ``time_precision`` is filled from ``date_edtf`` with ACLED's meaning.

The loaders and every export take these columns from here; the data dictionary
lists them from :func:`derived_columns`. EDTF values repeat heavily (thousands
of rows share a month), so the bounds are computed once per distinct value and
spread to the rows with an Arrow ``take``: the cost follows the distinct values,
not the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from belarus_data.dates.bounds import EdtfBounds, acled_precision, edtf_bounds

if TYPE_CHECKING:
    import pyarrow as pa

    from belarus_data.storage.tables import Table

EDTF_SUFFIX = "_edtf"
BOUNDS: tuple[str, ...] = ("lower", "upper", "lower_fuzzy", "upper_fuzzy")
# The column a filled time_precision is derived from (ACLED's precision of the event's date).
PRECISION_COLUMN = "time_precision"
PRECISION_SOURCE = "date_edtf"

_BOUND_MEANING = {
    "lower": "Earliest day `{col}` can mean as written (strict: `?`, `~`, `%` do not widen it)",
    "upper": "Latest day `{col}` can mean as written (strict: `?`, `~`, `%` do not widen it)",
    "lower_fuzzy": "Earliest day `{col}` can mean once its qualifiers widen it (`?`/`~`: one unit, `%`: two)",
    "upper_fuzzy": "Latest day `{col}` can mean once its qualifiers widen it (`?`/`~`: one unit, `%`: two)",
}


@dataclass(frozen=True)
class DerivedColumn:
    """A column computed from a stored one: its name, the column it comes from, and what it means."""

    name: str
    source: str
    description: str
    kind: str = "date"


def stem(column: str) -> str:
    """The stem of an EDTF column's derived names: ``date_edtf`` → ``date``, ``published`` → ``published``."""
    return column.removesuffix(EDTF_SUFFIX) if column.endswith(EDTF_SUFFIX) else column


def edtf_columns(spec: Table) -> list[str]:
    """The table's EDTF columns, in column order."""
    return [name for name in spec.columns if spec.rules[name].edtf]


def fills_precision(spec: Table) -> bool:
    """Whether the table has a ``time_precision`` filled from ``date_edtf`` (events)."""
    return PRECISION_COLUMN in spec.rules and PRECISION_SOURCE in spec.rules and spec.rules[PRECISION_SOURCE].edtf


def derived_columns(spec: Table) -> list[DerivedColumn]:
    """The columns :func:`with_date_bounds` appends to ``spec``'s table, in order, with their meaning.

    >>> from belarus_data.storage.tables import table
    >>> [c.name for c in derived_columns(table("events"))][:4]
    ['date_lower', 'date_upper', 'date_lower_fuzzy', 'date_upper_fuzzy']
    """
    found = []
    for column in edtf_columns(spec):
        for bound in BOUNDS:
            meaning = _BOUND_MEANING[bound].format(col=column)
            found.append(
                DerivedColumn(
                    f"{stem(column)}_{bound}",
                    column,
                    f"{meaning}; empty where that end is open or unknown or `{column}` is empty. Derived, not stored.",
                )
            )
    return found


def precision_note(spec: Table) -> str | None:
    """What the loaders and exports put in an empty ``time_precision`` (None if the table has none)."""
    if not fills_precision(spec):
        return None
    return (
        f"Where `{PRECISION_COLUMN}` is empty it is derived from the strict bounds of `{PRECISION_SOURCE}`: "
        "1 if they are one day, 2 if at most seven days, 3 if longer; it stays empty if an end is open or unknown."
    )


def _bound_arrays(column: pa.ChunkedArray) -> tuple[pa.Array, list[EdtfBounds]]:
    """Each row's index into the distinct values, and the bounds of each distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(column)
    # index_in matches a null to the null among the distinct values: its bounds are all None.
    indices = pc.index_in(column, value_set=distinct)
    values = distinct.to_pylist()
    bounds = [edtf_bounds(v) for v in values]
    return pa.concat_arrays(indices.chunks) if indices.num_chunks else pa.array([], pa.int32()), bounds


def with_date_bounds(spec: Table, data: pa.Table) -> pa.Table:
    """``data`` (the table's cells as strings, empty = null) with the derived columns appended.

    The date bounds of every EDTF column (:func:`derived_columns`) as ``date32``,
    and for events ``time_precision`` filled where empty.

    >>> import pyarrow as pa
    >>> from belarus_data.storage.tables import table
    >>> spec = table("events")
    >>> cells = {name: [None] for name in spec.columns} | {"date_edtf": ["2016-06~"]}
    >>> out = with_date_bounds(spec, pa.table(cells, schema=pa.schema([(n, pa.string()) for n in spec.columns])))
    >>> out.column("date_lower_fuzzy").to_pylist(), out.column("time_precision").to_pylist()
    ([datetime.date(2015, 5, 1)], ['3'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in edtf_columns(spec):
        indices, bounds = _bound_arrays(data.column(column))
        for bound in BOUNDS:
            per_value = pa.array([getattr(b, bound) for b in bounds], pa.date32())
            data = data.append_column(f"{stem(column)}_{bound}", per_value.take(indices))
        if column == PRECISION_SOURCE and fills_precision(spec):
            per_value = pa.array(
                [None if (p := acled_precision(b)) is None else str(p) for b in bounds],
                data.schema.field(PRECISION_COLUMN).type,
            )
            at = data.schema.get_field_index(PRECISION_COLUMN)
            given = data.column(at)
            data = data.set_column(at, PRECISION_COLUMN, pc.coalesce(given, per_value.take(indices)))
    return data
