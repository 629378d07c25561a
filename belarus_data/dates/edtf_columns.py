"""EDTF bounds of many values at once: the common shapes in Arrow and numpy, the rest one by one.

The date rules (cells, anchors, reversed ranges, dates against sources and
``created``) read each distinct EDTF value of a column. Done one value at a time
in Python that was ~8 µs a value, 70 ms of a 100k-claim validation (8,000
distinct values), all of it holding the GIL while the other checks waited.
:func:`column_bounds` reads the shapes that make up nearly every real value in
one vectorised pass:

* a date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with at most one qualifier
  (``?``, ``~``, ``%``) on the right of a component or on the left of the month
  or day (``2016-06-~15``, ``2016-06~``, ``2016?``);
* ``A/B`` of two such dates whose levels may be combined (not a level-1 end
  with a level-2 one).

Every other value (open ends, several qualifiers, seasons, sets, times, years
outside 1000-9000, invalid days, anything the grammar might still accept) goes
to the one parser, :mod:`belarus_data.dates.edtf`, value by value.
The vectorised pass is that parser's fast path (:mod:`belarus_data.dates._fast`)
written over arrays, from the same rules: ``tests/test_edtf_columns.py`` holds
the two to the same answers on every shape, valid or not, and its edges
(leap days, month ends, years 999/1000/9000/9001, padding across a year).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from belarus_data.dates import edtf

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

NO_DAY = -(2**62)  # a bound that is open, unknown or unreadable: no rule compares with it

_Q = "[?~%]?"
_END = ("ly", "year", "ry", "lm", "month", "rm", "ld", "day", "rd")


def _end(side: str) -> str:
    g = {name: f"(?P<{side}{name}>" for name in _END}
    return (
        f"{g['ly']}{_Q}){g['year']}[0-9]{{4}}){g['ry']}{_Q})"
        f"(?:-{g['lm']}{_Q}){g['month']}[0-9]{{2}}){g['rm']}{_Q})"
        f"(?:-{g['ld']}{_Q}){g['day']}[0-9]{{2}}){g['rd']}{_Q}))?)?"
    )


# RE2 (Arrow's regex engine): [0-9] is ASCII only. A group that takes no part is "" in Arrow's result.
SHAPES = "^" + _end("a_") + "(?:(?P<slash>/)" + _end("b_") + ")?$"


@dataclass(frozen=True)
class ColumnBounds:
    """Per value (aligned with the values given): what :mod:`belarus_data.dates.edtf` says of it, as day numbers.

    Day numbers are proleptic ordinals (``date.toordinal()``); :data:`NO_DAY` where
    the bound is None (open, unknown) or the value is not readable.
    """

    readable: np.ndarray  # edtf.parse(value) is not None
    fuzzy_earliest: np.ndarray  # edtf.parse(value).earliest: widened by the qualifiers
    fuzzy_latest: np.ndarray
    strict_readable: np.ndarray  # edtf.strict(value) is not None (so far always where readable)
    strict_earliest: np.ndarray  # edtf.strict(value).earliest: as written
    strict_latest: np.ndarray
    reversed: np.ndarray  # edtf.reversal(value) is not None
    shaped: np.ndarray  # read by the vectorised pass (the rest went through the parser one by one)


EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(): numpy's days count from there


def _month_starts(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """The first day of each month, as numpy months (datetime64[M])."""
    starts: np.ndarray = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    return starts


def _ordinals(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """``date(year, month, day).toordinal()`` for valid dates, vectorised."""
    import numpy as np

    first = _month_starts(year, month).astype("datetime64[D]").astype(np.int64)
    ordinal: np.ndarray = first + (day - 1) + EPOCH_ORDINAL
    return ordinal


def _days_in(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Days in each month, vectorised (the proleptic Gregorian calendar)."""
    import numpy as np

    start = _month_starts(year, month)
    days: np.ndarray = ((start + 1).astype("datetime64[D]") - start.astype("datetime64[D]")).astype(np.int64)
    return days


def years_of(days: np.ndarray, unknown: int) -> np.ndarray:
    """The year of each day number (proleptic ordinal); ``unknown`` where it is NO_DAY.

    >>> import numpy as np, datetime as dt
    >>> years_of(np.array([dt.date(2015, 12, 31).toordinal(), NO_DAY]), -1).tolist()
    [2015, -1]
    """
    import numpy as np

    known = days != NO_DAY
    since_epoch = np.where(known, days - EPOCH_ORDINAL, 0).astype("datetime64[D]")
    years: np.ndarray = np.where(known, since_epoch.astype("datetime64[Y]").astype(np.int64) + 1970, unknown)
    return years


def _add_months(year: np.ndarray, month: np.ndarray, day: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Ordinal of each date moved by ``shift`` months, the day clamped to the month's end (as _fast does)."""
    import numpy as np

    index = year * 12 + (month - 1) + shift
    y, m = np.divmod(index, 12)
    m = m + 1
    return _ordinals(y, m, np.minimum(day, _days_in(y, m)))


@dataclass
class _End:
    """One date of the shapes above, read from the regex's groups."""

    ok: np.ndarray  # a calendar date of ours, with a qualifier our pass reads
    lower: np.ndarray  # fuzzy bounds
    upper: np.ndarray
    first: np.ndarray  # strict bounds (the span as written)
    last: np.ndarray
    level: np.ndarray  # 0, 1 or 2


def _number(field: pa.Array, absent: int) -> np.ndarray:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    filled = pc.if_else(pc.equal(field, ""), str(absent), field)
    return np.asarray(pc.cast(pc.fill_null(filled, str(absent)), pa.int64()), dtype=np.int64)


def _qualifier(field: pa.Array) -> np.ndarray:
    """0: none; 1: ``?`` or ``~`` (one unit of padding); 2: ``%`` (two)."""
    import numpy as np
    import pyarrow.compute as pc

    code = pc.if_else(pc.equal(field, "%"), 2, pc.if_else(pc.equal(field, ""), 0, 1))
    return np.asarray(pc.fill_null(code, 0), dtype=np.int64)


def _read_end(parts: pa.StructArray, side: str) -> _End:
    import numpy as np
    import pyarrow.compute as pc

    q = {name: _qualifier(pc.struct_field(parts, side + name)) for name in _END if name not in ("year", "month", "day")}
    has_month = np.asarray(pc.fill_null(pc.not_equal(pc.struct_field(parts, side + "month"), ""), False), dtype=bool)
    has_day = np.asarray(pc.fill_null(pc.not_equal(pc.struct_field(parts, side + "day"), ""), False), dtype=bool)
    year = _number(pc.struct_field(parts, side + "year"), 2000)
    month = _number(pc.struct_field(parts, side + "month"), 1)
    day = _number(pc.struct_field(parts, side + "day"), 1)
    count = sum((q[name] > 0).astype(np.int64) for name in q)
    # _fast._strict: our calendar dates (other years, a month 21 (a season) or day 31 of June go to the parser).
    in_month = (month >= 1) & (month <= 12)
    last_day = _days_in(year, np.where(in_month, month, 1))
    ok = (year >= 1000) & (year <= 9000) & in_month & (day >= 1) & (day <= last_day) & (count <= 1) & (q["ly"] == 0)
    # A qualifier on the right covers its component and those to its left; on the left, that one alone.
    pad = np.maximum.reduce([q[name] for name in q])  # the one qualifier's padding (1, or 2 for %)
    years = np.where((q["ry"] | q["rm"] | q["rd"]) > 0, pad, 0)
    months = np.where(((q["lm"] | q["rm"] | q["rd"]) > 0) & has_month, pad, 0)
    days = np.where(((q["ld"] | q["rd"]) > 0) & has_day, pad, 0)
    whole = np.where(has_day, q["rd"], np.where(has_month, q["rm"], q["ry"])) > 0  # level 1: the whole value
    level = np.where(count == 0, 0, np.where(whole, 1, 2))
    safe_month = np.where(ok, month, 1)
    last_month = np.where(has_month, safe_month, 12)
    first_day = np.where(has_day & ok, day, 1)
    safe_year = np.where(ok, year, 2000)
    end_day = np.where(has_day & ok, day, _days_in(safe_year, last_month))
    return _End(
        ok=ok,
        lower=_add_months(safe_year, safe_month, first_day, -(years * 12 + months)) - days,
        upper=_add_months(safe_year, last_month, end_day, years * 12 + months) + days,
        first=_ordinals(safe_year, safe_month, first_day),
        last=_ordinals(safe_year, last_month, end_day),
        level=level,
    )


def column_bounds(values: pa.Array) -> ColumnBounds:
    """What :mod:`belarus_data.dates.edtf` says of each of ``values`` (strings; null: not readable).

    >>> import pyarrow as pa
    >>> found = column_bounds(pa.array(["2016-06", "2016-06/2016-05", "spring", None]))
    >>> found.readable.tolist(), found.reversed.tolist()
    ([True, True, False, False], [False, True, False, False])
    >>> import datetime as dt
    >>> [dt.date.fromordinal(d) for d in (found.fuzzy_earliest[0], found.fuzzy_latest[0])]
    [datetime.date(2016, 6, 1), datetime.date(2016, 6, 30)]
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    if n == 0:
        empty, no = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        return ColumnBounds(no, empty, empty, no, empty, empty, no, no)
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    parts = pc.extract_regex(values, SHAPES)
    matched = np.asarray(pc.is_valid(parts), dtype=bool)
    interval = np.asarray(pc.fill_null(pc.equal(pc.struct_field(parts, "slash"), "/"), False), dtype=bool)
    a = _read_end(parts, "a_")
    b = _read_end(parts, "b_")
    # _fast._interval: a level-1 end and a level-2 end do not make an interval of the grammar.
    mixed = interval & (np.maximum(a.level, b.level) == 2) & (np.minimum(a.level, b.level) == 1)
    shaped = matched & a.ok & (~interval | (b.ok & ~mixed))
    fuzzy_earliest = a.lower.copy()
    fuzzy_latest = np.where(interval, b.upper, a.upper)
    strict_earliest = a.first.copy()
    strict_latest = np.where(interval, b.last, a.last)
    reversed_ = interval & (strict_earliest > strict_latest)
    readable, strict_readable = shaped.copy(), shaped.copy()
    for k in np.flatnonzero(~shaped).tolist():
        value = values[k].as_py()
        fuzzy = edtf.parse(value) if value is not None else None
        readable[k] = fuzzy is not None
        strict = edtf.strict(value) if fuzzy is not None else None
        strict_readable[k] = strict is not None
        fuzzy_earliest[k], fuzzy_latest[k] = _day(fuzzy, "earliest"), _day(fuzzy, "latest")
        strict_earliest[k], strict_latest[k] = _day(strict, "earliest"), _day(strict, "latest")
        reversed_[k] = fuzzy is not None and edtf.reversal(value) is not None
    return ColumnBounds(
        readable, fuzzy_earliest, fuzzy_latest, strict_readable, strict_earliest, strict_latest, reversed_, shaped
    )


def _day(bounds: edtf.DateBounds | None, end: str) -> int:
    day = getattr(bounds, end) if bounds is not None else None
    return day.toordinal() if day is not None else NO_DAY
