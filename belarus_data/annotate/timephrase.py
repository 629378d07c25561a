"""A suggested EDTF date for a time phrase, resolved against its anchor (the source's ``published``).

Only a suggestion for the form: the curator confirms or corrects it, and ``validate`` judges the
result. The suggestion comes from the validator's own phrase table (:mod:`belarus_data.dates.phrases`),
so a suggested value always passes ``phrase-out-of-range``. An anchor that is itself a range (an
uncertain publication date) gives a range: what the phrase allows for any writing day in it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from belarus_data.dates.edtf import stated
from belarus_data.dates.phrases import Interval, allowed, normalise

# Phrases the validator's table does not judge, but the form can still resolve.
_DAY_SHIFT = {"yesterday": -1, "tomorrow": 1}


def _span(first: dt.date, last: dt.date) -> str:
    """``first``..``last`` in the coarsest EDTF that says exactly those days (a year, a month, or days)."""
    whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if whole_months and first.month == 1 and last.month == 12:
        years = [str(first.year), str(last.year)]
    elif whole_months:
        years = [first.isoformat()[:7], last.isoformat()[:7]]
    else:
        years = [first.isoformat(), last.isoformat()]
    return years[0] if years[0] == years[1] else f"{years[0]}/{years[1]}"


def _in_anchor_years(intervals: tuple[Interval, ...], earliest: dt.date, latest: dt.date) -> tuple[Interval, ...]:
    # A month named without a year is allowed in the year before and after too; suggest the anchor's own.
    own = tuple(i for i in intervals if i[0] is not None and earliest.year <= i[0].year <= latest.year)
    return own or intervals


def suggest(phrase: str, anchor: str) -> str | None:
    """The EDTF the phrase means around ``anchor``; None if the phrase or the anchor is not understood.

    >>> suggest("mid-June", "2016-07-01")
    '2016-06-11/2016-06-20'
    >>> suggest("earlier this month", "2016-06-21/2016-07-03")
    '2016-06-01/2016-07-02'
    >>> suggest("last year", "2016")
    '2015'
    """
    bounds = stated(anchor) if anchor else None  # as written: the qualifiers are carried over below
    if bounds is None or bounds.earliest is None or bounds.latest is None:
        return None
    earliest, latest = bounds.earliest, bounds.latest
    shift = _DAY_SHIFT.get(normalise(phrase))
    if shift is not None:
        span: Interval = (earliest + dt.timedelta(days=shift), latest + dt.timedelta(days=shift))
    else:
        intervals = allowed(phrase, earliest, latest)
        chosen = _in_anchor_years(intervals, earliest, latest) if intervals else ()
        if len(chosen) != 1:
            return None  # not in the table, or a month in either of the anchor's years: the curator decides
        span = chosen[0]
    first, last = span
    if first is None or last is None or first > last:
        return None  # open, or empty ("earlier this month" written on the 1st)
    shown = _span(first, last)
    if "?" in anchor and first != last:
        # The anchor is uncertain, so is each end resolved from it.
        shown = "/".join(part + "?" for part in shown.split("/"))
    return shown
