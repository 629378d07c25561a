"""A suggested EDTF date for a time phrase, resolved against its anchor (the source's ``published``).

Only a suggestion for the form: the curator confirms or corrects it, and ``validate`` judges the
result. An anchor that is itself a range (an uncertain publication date) gives a range, from what
the phrase means at the anchor's earliest day to what it means at its latest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from belarus_data.dates.edtf import stated

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_PART = {"early": (1, 10), "mid": (11, 20), "middle": (11, 20), "late": (21, 31)}


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _at(phrase: str, day: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """The days ``phrase`` covers when said on ``day``, and the EDTF precision to write them in."""
    text = " ".join(phrase.casefold().replace("-", " ").split())
    text = re.sub(r"^(in|on|during|by|since|earlier|later|at the end of|at the start of) ", "", text)
    text = re.sub(r"^(earlier|later) ", "", text)
    if text in ("today", "this day"):
        return day, day, "day"
    if text == "yesterday":
        return day - dt.timedelta(days=1), day - dt.timedelta(days=1), "day"
    if text == "tomorrow":
        return day + dt.timedelta(days=1), day + dt.timedelta(days=1), "day"
    relative = re.fullmatch(r"(this|last|next|previous|past|coming) (week|month|year)", text)
    if relative:
        step = {"this": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}[relative.group(1)]
        unit = relative.group(2)
        if unit == "week":
            monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=step)
            return monday, monday + dt.timedelta(days=6), "day"
        if unit == "month":
            year, month = _shift_month(day, step)
            return dt.date(year, month, 1), dt.date(year, month, _month_end(year, month)), "month"
        return dt.date(day.year + step, 1, 1), dt.date(day.year + step, 12, 31), "year"
    named = re.fullmatch(r"(?:(early|mid|middle|late) )?(?:of )?([a-z]+)(?: (\d{4}))?", text)
    if named and named.group(2) in MONTHS:
        month = MONTHS[named.group(2)]
        year = int(named.group(3)) if named.group(3) else day.year
        if named.group(1):
            first, last = _PART[named.group(1)]
            return dt.date(year, month, first), dt.date(year, month, min(last, _month_end(year, month))), "day"
        return dt.date(year, month, 1), dt.date(year, month, _month_end(year, month)), "month"
    year_only = re.fullmatch(r"(?:(early|mid|late) )?(\d{4})", text)
    if year_only:
        year = int(year_only.group(2))
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    return None


def _edtf(day: dt.date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]


def _span(first: dt.date, last: dt.date, precision: str) -> str:
    if precision == "day" and first == last:
        return first.isoformat()
    if precision == "month" and first.replace(day=1) == last.replace(day=1):
        return _edtf(first, "month")
    if precision == "year" and first.year == last.year:
        return _edtf(first, "year")
    return f"{_edtf(first, precision)}/{_edtf(last, precision)}"


def suggest(phrase: str, anchor: str) -> str | None:
    """The EDTF the phrase means around ``anchor``; None if the phrase or the anchor is not understood.

    >>> suggest("mid-June", "2016-07-01")
    '2016-06-11/2016-06-20'
    >>> suggest("earlier this month", "2016-06-21?/2016-08?")
    '2016-06?/2016-08?'
    >>> suggest("last year", "2016")
    '2015'
    """
    bounds = stated(anchor) if anchor else None  # as written: the qualifiers are carried over below
    if bounds is None or bounds.earliest is None or bounds.latest is None:
        return None
    early, late = _at(phrase, bounds.earliest), _at(phrase, bounds.latest)
    if early is None or late is None:
        return None
    first, _, precision = early
    _, last, _ = late
    shown = _span(first, last, precision)
    if "?" in anchor and early != late:
        # The anchor is uncertain, so is each end resolved from it.
        shown = "/".join(part + "?" for part in shown.split("/"))
    return shown
