"""Bounds of the common EDTF shapes without the full grammar, for speed.

The ``edtf`` package parses with pyparsing at 20-60 ms per value; a dataset of a
million claims holds tens of thousands of distinct dates, so the full parser
would dominate validation. This module recognises the handful of shapes that
make up nearly all real values and computes the same bounds the ``edtf``
package gives for them (``lower_fuzzy``/``upper_fuzzy``):

* ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (level 0), optionally qualified as a
  whole with ``?``, ``~`` or ``%`` (level 1: padded by one year, one month and
  one day down to the value's precision; twice that for ``%``);
* ``YYYY-MM-?DD`` / ``~DD`` / ``%DD`` (level 2, the day alone qualified: one day,
  or two for ``%``);
* ``A/B`` with two unqualified dates (from the start of A to the end of B);
* ``YYYY-MM-DDThh:mm:ss`` with an optional ``Z`` (the day).

Anything else (other years, invalid days, open or qualified intervals, seasons,
sets, ...) gets :data:`UNKNOWN`, and the caller asks the ``edtf`` package.
``tests/test_edtf_fast.py`` holds the two to the same answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Final

UNKNOWN: Final = None  # "not one of our shapes: ask the full parser"

_DATE = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
_QUALIFIED = re.compile(rf"{_DATE}([?~%])?")
_DAY_QUALIFIED = re.compile(r"(\d{4})-(\d{2})-([?~%])(\d{2})")
_INTERVAL = re.compile(rf"{_DATE}/{_DATE}")
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)Z?")

Span = tuple[dt.date, dt.date]


def _add_months(day: dt.date, years: int, months: int) -> dt.date:
    """``day`` moved by whole years and months, the day clamped to the month's end (as dateutil does)."""
    index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _strict(year: str, month: str | None, day: str | None) -> Span | None:
    """First and last day of a date at its precision; None if it is not a calendar date we handle."""
    y = int(year)
    if not 1000 <= y <= 9000:
        return None
    if month is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = int(month)
    if not 1 <= m <= 12:
        return None
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return dt.date(y, m, 1), dt.date(y, m, last)
    d = int(day)
    if not 1 <= d <= last:
        return None
    return dt.date(y, m, d), dt.date(y, m, d)


def bounds(value: str) -> Span | None:
    """(earliest, latest) day of ``value`` if it is one of the shapes above, else :data:`UNKNOWN`.

    >>> bounds("2019-05~")
    (datetime.date(2018, 4, 1), datetime.date(2020, 6, 30))
    >>> bounds("2019-21") is UNKNOWN   # a season: the full parser decides
    True
    """
    match = _QUALIFIED.fullmatch(value)
    if match:
        year, month, day, qualifier = match.groups()
        span = _strict(year, month, day)
        if span is None or qualifier is None:
            return span
        times = 2 if qualifier == "%" else 1
        months = times if month is not None else 0
        days = times if day is not None else 0
        lower = _add_months(span[0], -times, -months) - dt.timedelta(days=days)
        upper = _add_months(span[1], times, months) + dt.timedelta(days=days)
        return lower, upper
    match = _DAY_QUALIFIED.fullmatch(value)
    if match:
        year, month, qualifier, day = match.groups()
        span = _strict(year, month, day)
        if span is None:
            return None
        pad = dt.timedelta(days=2 if qualifier == "%" else 1)
        return span[0] - pad, span[1] + pad
    match = _INTERVAL.fullmatch(value)
    if match:
        first, second = _strict(*match.groups()[:3]), _strict(*match.groups()[3:])
        if first is None or second is None:
            return None
        return first[0], second[1]
    match = _DATETIME.fullmatch(value)
    if match:
        return _strict(*match.groups()[:3])
    return UNKNOWN
