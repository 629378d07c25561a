"""Bounds of the common EDTF shapes without the full grammar, for speed.

The ``edtf`` package parses with pyparsing at 20-60 ms per value; a dataset of a
million claims holds tens of thousands of distinct dates, so the full parser
would dominate validation. This module recognises the handful of shapes that
make up nearly all real values and computes the same bounds the ``edtf``
package gives for them (``lower_fuzzy``/``upper_fuzzy``):

* ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (level 0), optionally qualified as a
  whole with ``?``, ``~`` or ``%`` (level 1), or with one component qualified
  (level 2: ``2016?-06-~15``, ``2016-~06``): each qualified component is padded
  by one of its unit (year, month, day), two for ``%``; a qualifier on the
  right of a component covers it and every component to its left;
* ``A/B`` of two such dates, either end possibly open (``..``), in the
  combinations the grammar allows (from the earliest day of A to the latest of B);
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

_Q = r"([?~%])?"
# A date whose components may carry a qualifier on their left or right (EDTF levels 1 and 2).
_QDATE = rf"{_Q}(\d{{4}}){_Q}(?:-{_Q}(\d{{2}}){_Q}(?:-{_Q}(\d{{2}}){_Q})?)?"
_QUALIFIED = re.compile(_QDATE)
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)Z?")

Span = tuple[dt.date, dt.date]
Bounds = tuple[dt.date | None, dt.date | None]


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Days in a month: ``calendar.monthrange(year, month)[1]`` without its weekday computation."""
    return 29 if month == 2 and calendar.isleap(year) else _DAYS[month - 1]


def _add_months(day: dt.date, years: int, months: int) -> dt.date:
    """``day`` moved by whole years and months, the day clamped to the month's end (as dateutil does)."""
    index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, days_in_month(year, month)))


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
    last = days_in_month(y, m)
    if day is None:
        return dt.date(y, m, 1), dt.date(y, m, last)
    d = int(day)
    if not 1 <= d <= last:
        return None
    return dt.date(y, m, d), dt.date(y, m, d)


def _qualified(groups: tuple[str | None, ...]) -> tuple[Span, int] | None:
    """Fuzzy bounds of a date whose components may be qualified, and its EDTF level (0, 1 or 2).

    None if it is not a shape we are sure of.
    """
    ly, year, ry, lm, month, rm, ld, day, rd = groups
    if year is None or ((lm or rm) and month is None) or ((ld or rd) and day is None):
        return None
    span = _strict(year, month, day)
    if span is None:
        return None
    if not (ly or ry or lm or rm or ld or rd):
        return span, 0  # level 0, nothing to widen (most values)
    # The edtf grammar accepts only some combinations ('2016-06-~15?' and '?2016' are not EDTF):
    # one qualifier, or a qualified year with a qualified month or day after it.
    used = {name for name, q in zip(("ly", "ry", "lm", "rm", "ld", "rd"), (ly, ry, lm, rm, ld, rd), strict=True) if q}
    if "ly" in used or (len(used) > 1 and used not in ({"ry", "lm"}, {"ry", "ld"})):
        return None
    level = 0 if not used else 1 if used == {"rd" if day else "rm" if month else "ry"} else 2
    # A qualifier on the right applies to its component and every one to its left; on the left, to that one.
    scopes = [[ly, ry, rm, rd], [lm, rm, rd], [ld, rd]]
    pads = []
    for qualifiers in scopes:
        found = {q for q in qualifiers if q is not None}
        if len(found) > 1:
            return None  # mixed qualifiers on one component: left to the full parser
        pads.append(0 if not found else 2 if "%" in found else 1)
    years, months, days = pads
    if month is None:
        months = 0
    if day is None:
        days = 0
    lower = _add_months(span[0], -years, -months) - dt.timedelta(days=days)
    upper = _add_months(span[1], years, months) + dt.timedelta(days=days)
    return (lower, upper), level


def _interval(value: str) -> Bounds | None:
    """Bounds of 'A/B', where either end may be open ('..'); None if not a shape we are sure of."""
    first, _, second = value.partition("/")
    ends: list[tuple[Span, int] | None] = []
    for end in (first, second):
        if end == "..":
            ends.append(None)
            continue
        match = _QUALIFIED.fullmatch(end)
        found = _qualified(match.groups()) if match else None
        if found is None:
            return None
        ends.append(found)
    start, stop = ends
    levels = {end[1] for end in ends if end is not None}
    # Level 1 intervals (open ends, whole-value qualifiers) and level 2 ones (qualified
    # components) do not mix: '2020%/2020?-02' and '../2016?-08' are not EDTF.
    if (start is None and stop is None) or levels >= {1, 2} or ((start is None or stop is None) and 2 in levels):
        return None
    return (start[0][0] if start else None), (stop[0][1] if stop else None)


def bounds(value: str) -> Bounds | None:
    """(earliest, latest) day of ``value`` if it is one of the shapes above, else :data:`UNKNOWN`.

    A bound is None when the interval is open at that end.

    >>> bounds("2019-05~")
    (datetime.date(2018, 4, 1), datetime.date(2020, 6, 30))
    >>> bounds("2019-21") is UNKNOWN   # a season: the full parser decides
    True
    """
    match = _QUALIFIED.fullmatch(value)
    if match:
        found = _qualified(match.groups())
        return found[0] if found else None
    if value.count("/") == 1:
        return _interval(value)
    match = _DATETIME.fullmatch(value)
    if match:
        return _strict(*match.groups()[:3])
    return UNKNOWN


_PLAIN_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T\d{2}:\d{2}:\d{2}Z?)?)?)?")
_NO_QUALIFIERS = str.maketrans("", "", "?~%")


def _plain_bounds(text: str) -> Span | None:
    """First and last day of a plain date 'YYYY', 'YYYY-MM', 'YYYY-MM-DD[Thh:mm:ss]'; None otherwise."""
    match = _PLAIN_DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            if not 1 <= month <= 12:
                return None  # month 21 is a season, not a month: the full parser decides
            return dt.date(year, month, 1), dt.date(year, month, days_in_month(year, month))
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:  # month 21 is a season, not a month: the full parser decides
        return None


def stated_bounds(value: str) -> Bounds | None:
    """Strict bounds (as written; qualifiers do not widen them) of a value already known to be
    valid EDTF, for the common shapes; :data:`UNKNOWN` if unsure. '..' is an open end (None).

    >>> stated_bounds("2016-06?/2016-08?")
    (datetime.date(2016, 6, 1), datetime.date(2016, 8, 31))
    """
    plain = value.translate(_NO_QUALIFIERS)
    if "/" not in plain:
        return _plain_bounds(plain) or UNKNOWN
    first, _, second = plain.partition("/")
    start = None if first == ".." else _plain_bounds(first)
    end = None if second == ".." else _plain_bounds(second)
    if (start is None and first != "..") or (end is None and second != ".."):
        return UNKNOWN
    return (start[0] if start else None), (end[1] if end else None)
