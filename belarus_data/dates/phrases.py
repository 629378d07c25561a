"""What a relative time phrase allows around its anchor: a small, closed table of phrase patterns.

A phrase such as "last week" or "in mid-June" is resolved against the day the text
was written, which is known only as a range (the anchor's earliest and latest
day). :func:`allowed` gives the days the phrase can mean for any writing day in
that range: one interval, or a few (a month named without a year may be last
year's, this year's or next year's). A resolved EDTF value is consistent with
its phrase when its known ends lie inside one of them.

The table (the guide, docs/curation.md section 7.4, defines the same terms):

=================================  =========================================================
phrase (case and a leading "in"/    allowed days, for a writing day w between the anchor's
"the" ignored)                      earliest and latest day
=================================  =========================================================
now, at present, currently, today  w itself
this week / last week / next week  the ISO week (Monday-Sunday) of w / the one before / after
this month / last / next month     the calendar month of w / the one before / after
earlier this month                 the first of w's month to the day before w
later this month                   the day after w to the end of w's month
this year / last / next year       the calendar year of w / the one before / after
earlier this year                  1 January of w's year to the day before w
later this year                    the day after w to 31 December of w's year
early / mid / late <Month>         days 1-10 / 11-20 / 21-end of that month, in w's year or
                                   the year before or after ("this year" after it: w's year;
                                   a four-digit year after it: that year)
<Month>, <Month>-<Month>           that month (or months), in the same years as above
=================================  =========================================================

Any other phrase (another language, "recently", "in the summer", a weekday) is not
in the table: :func:`allowed` returns None and nothing is judged.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from belarus_data.dates._fast import days_in_month

Interval = tuple[dt.date | None, dt.date | None]  # None: no bound on that side

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PART = r"(early|mid|late)"
_YEAR = r"(?:\s*,?\s*(this year|(?:1[0-9]|20)[0-9]{2}))?"
_NAMED = re.compile(rf"(?:{_PART}[\s-]+)?{_MONTH}(?:\s*(?:-|–|to|and)\s*{_MONTH})?{_YEAR}")
_LEAD = re.compile(r"^(?:in|the|during|by)\s+")
_SPACES = re.compile(r"\s+")

_NOW = {"now", "at present", "currently", "today", "at the moment", "at the time of writing"}
_SHIFT = {"this": 0, "last": -1, "next": 1}
_WITHIN = ("earlier this month", "later this month", "earlier this year", "later this year")


def _month_start(day: dt.date, shift: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(day: dt.date, shift: int = 0) -> dt.date:
    start = _month_start(day, shift)
    return start.replace(day=days_in_month(start.year, start.month))


def _safe(make: object, *args: object) -> dt.date | None:
    """A date computed from an anchor bound, or None if the bound is open or the result is out of range."""
    if any(a is None for a in args):
        return None
    try:
        return make(*args)  # type: ignore[operator, no-any-return]
    except (ValueError, OverflowError):
        return None


def _week(day: dt.date, shift: int, end: bool) -> dt.date:
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=shift)
    return monday + dt.timedelta(days=6) if end else monday


def normalise(phrase: str) -> str:
    """The phrase as the table reads it: lower case, single spaces, no leading "in"/"the", no end punctuation.

    >>> normalise("  In  mid-June, ")
    'mid-june'
    """
    text = _SPACES.sub(" ", phrase.strip().lower()).strip(" ,.;:")
    while True:
        shorter = _LEAD.sub("", text)
        if shorter == text:
            return text
        text = shorter


@lru_cache(maxsize=4096)
def allowed(phrase: str, earliest: dt.date | None, latest: dt.date | None) -> tuple[Interval, ...] | None:
    """The intervals of days ``phrase`` can mean for a writing day between ``earliest`` and ``latest``.

    None if the phrase is not in the table. An open anchor end leaves that side unbounded.

    >>> allowed("Last week", dt.date(2016, 6, 21), dt.date(2016, 7, 3))
    ((datetime.date(2016, 6, 13), datetime.date(2016, 6, 26)),)
    >>> allowed("In mid-June", dt.date(2016, 6, 21), dt.date(2016, 7, 3))[1]
    (datetime.date(2016, 6, 11), datetime.date(2016, 6, 20))
    >>> allowed("recently", dt.date(2016, 6, 21), dt.date(2016, 7, 3)) is None
    True
    """
    text = _normalised(phrase)
    lo, hi = earliest, latest
    kind = _kind(text)
    if kind == "now":
        return ((lo, hi),)
    if kind == "shift":
        word, unit = text.split(" ")
        shift = _SHIFT[word]
        if unit == "week":
            return ((_safe(_week, lo, shift, False), _safe(_week, hi, shift, True)),)
        if unit == "month":
            return ((_safe(_month_start, lo, shift), _safe(_month_end, hi, shift)),)
        return ((_safe(dt.date, _add(lo, shift), 1, 1), _safe(dt.date, _add(hi, shift), 12, 31)),)
    if kind == "within":
        before = text.startswith("earlier")
        if text.endswith("month"):
            start, end = _safe(_month_start, lo), _safe(_month_end, hi)
        else:
            start, end = _safe(dt.date, _add(lo, 0), 1, 1), _safe(dt.date, _add(hi, 0), 12, 31)
        if before:
            return ((start, _safe(lambda d: d - dt.timedelta(days=1), hi)),)
        return ((_safe(lambda d: d + dt.timedelta(days=1), lo), end),)
    return _named(text, lo.year if lo is not None else None, hi.year if hi is not None else None)


def by_year(phrase: str) -> bool:
    """Whether what ``phrase`` allows depends on the anchor's years alone (a named month; see :func:`in_years`).

    >>> by_year("mid-June"), by_year("last week")
    (True, False)
    """
    return _kind(_normalised(phrase)) == "named"


def in_years(phrase: str, earliest: int | None, latest: int | None) -> tuple[Interval, ...] | None:
    """:func:`allowed` of a :func:`by_year` phrase, given the years of the anchor's earliest and latest day.

    >>> in_years("mid-June", 2016, 2016) == allowed("mid-June", dt.date(2016, 6, 21), dt.date(2016, 7, 3))
    True
    """
    return _named(_normalised(phrase), earliest, latest)


def _kind(text: str) -> str:
    """Which row of the table a normalised phrase may be: now, shift (this/last/next week, month,
    year), within (earlier/later this month or year), or named (a month; or no row at all)."""
    if text in _NOW:
        return "now"
    words = text.split(" ")
    if len(words) == 2 and words[0] in _SHIFT and words[1] in ("week", "month", "year"):
        return "shift"
    return "within" if text in _WITHIN else "named"


@lru_cache(maxsize=4096)
def _normalised(phrase: str) -> str:
    return normalise(phrase)  # a dataset repeats a few hundred phrases over thousands of anchors


def _add(day: dt.date | None, years: int) -> int | None:
    return None if day is None else day.year + years


@lru_cache(maxsize=4096)
def _named(text: str, lo: int | None, hi: int | None) -> tuple[Interval, ...] | None:
    """Early/mid/late <Month>, <Month>, <Month>-<Month>, each optionally with "this year" or a year.

    ``lo`` and ``hi``: the years of the anchor's earliest and latest day (all that a named month needs).
    """
    match = _NAMED.fullmatch(text)
    if match is None:
        return None
    part, first, last, year = match.groups()
    if part is not None and last is not None:
        return None  # "mid-June-July" is not a phrase the table defines
    m1 = MONTHS[first]
    m2 = MONTHS[last] if last is not None else m1
    if m2 < m1:
        return None  # "December-January" crosses a year: not judged
    if year is not None and year != "this year":
        years: list[int] = [int(year)]
    elif lo is None or hi is None:
        return ((None, None),)  # an open anchor leaves the year open: nothing to judge against
    else:
        spread = 0 if year == "this year" else 1
        years = list(range(lo - spread, hi + spread + 1))
    out: list[Interval] = []
    for y in years:
        if not 1 <= y <= 9999:
            continue
        end_day = days_in_month(y, m2)
        if part == "early":
            out.append((dt.date(y, m1, 1), dt.date(y, m1, 10)))
        elif part == "mid":
            out.append((dt.date(y, m1, 11), dt.date(y, m1, 20)))
        elif part == "late":
            out.append((dt.date(y, m1, 21), dt.date(y, m1, end_day)))
        else:
            out.append((dt.date(y, m1, 1), dt.date(y, m2, end_day)))
    return tuple(out)


def within(value: Interval, intervals: tuple[Interval, ...]) -> bool:
    """Whether the known ends of ``value`` lie inside one of ``intervals`` (None: open, not judged).

    >>> d = dt.date
    >>> within((None, d(2016, 7, 2)), ((d(2016, 6, 1), d(2016, 7, 2)),))
    True
    >>> within((d(2016, 6, 10), d(2016, 6, 20)), ((d(2016, 6, 11), d(2016, 6, 20)),))
    False
    """
    start, end = value
    for lo, hi in intervals:
        ok = True
        for day in (start, end):
            if day is None:
                continue
            if (lo is not None and day < lo) or (hi is not None and day > hi):
                ok = False
        if ok:
            return True
    return False


def describe(intervals: tuple[Interval, ...]) -> str:
    """The intervals as EDTF, for messages and hints ("2016-06-13/2016-06-26 or …").

    >>> describe(((dt.date(2016, 6, 13), dt.date(2016, 6, 26)),))
    '2016-06-13/2016-06-26'
    """

    def end(day: dt.date | None) -> str:
        return ".." if day is None else day.isoformat()

    return " or ".join(f"{end(lo)}/{end(hi)}" for lo, hi in intervals)
