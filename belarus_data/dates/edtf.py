"""EDTF (ISO 8601-2) dates: parsing and the widest bounds a value allows.

Uses the ``edtf`` package for parsing (the Library of Congress grammar, levels
0-2). Only parsing and bounds are used: its free-text converter drops words
such as "mid" and "late", so phrases are never converted automatically.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from belarus_data.dates import _fast


@dataclass(frozen=True)
class DateBounds:
    """The earliest and latest day an EDTF value can mean (None: open-ended)."""

    earliest: dt.date | None
    latest: dt.date | None


def to_date(value: object) -> dt.date | None:
    """A day from the ``edtf`` package's bound (a struct_time; an infinite float is an open end)."""
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, float) and math.isinf(value):
        return None
    return None


# What the edtf package raises on input its grammar accepts but its classes cannot handle
# ('../..', '[..2014]' raise TypeError; a year 0 or one past 9999 raises ValueError).
_LIBRARY_ERRORS: tuple[type[Exception], ...] = (TypeError, ValueError, OverflowError, AttributeError, IndexError)


_WHITESPACE = " \t\n\r\x0b\x0c"  # the ASCII whitespace (a value is ASCII by then)


# The ``edtf`` package is used by one thread at a time: its grammar (pyparsing, with a packrat cache
# shared by every thread) is built on first import, and its objects are made and read by parse actions
# and methods that are not thread-safe. Under concurrent checks a valid set ('[2024..2023]') was once
# judged not EDTF, an error of the package taken for a rejection. Only the rare shapes that the fast
# path leaves to the package wait here.
_LIBRARY_LOCK = threading.RLock()


@lru_cache(maxsize=65536)
def _library(value: str) -> Any | None:
    """The ``edtf`` package's object for ``value``, parsed once (20-60 ms); None if its grammar rejects it."""
    with _LIBRARY_LOCK:
        from edtf import parse_edtf  # lazy: the grammar takes ~0.1 s to build
        from edtf.parser.edtf_exceptions import EDTFParseException

        try:
            return parse_edtf(value)
        except EDTFParseException:
            return None
        except _LIBRARY_ERRORS:
            return None


@lru_cache(maxsize=65536)
def parse(value: str) -> DateBounds | None:
    """Parse an EDTF string; None if it is not valid EDTF.

    >>> parse("2022-08/2022-09")
    DateBounds(earliest=datetime.date(2022, 8, 1), latest=datetime.date(2022, 9, 30))
    """
    if not value or len(value) > 64 or not value.isascii():
        return None
    # The edtf package skips whitespace between tokens (pyparsing's default), so it reads ' 2016',
    # '2016-06/\t' and '2016-06-15 T10:00:00'; EDTF has none, except a space after a set's comma.
    if any(space in value.replace(", ", ",") for space in _WHITESPACE):
        return None
    # The common shapes are computed directly (same bounds, ~1000x faster); see _fast.
    known = _fast.bounds(value)
    if known is not None:
        return DateBounds(*known)
    parsed = _library(value)
    if parsed is None:
        return None
    try:
        with _LIBRARY_LOCK:
            # Fuzzy bounds widen for '~' and '?' qualifiers: the honest range.
            return DateBounds(to_date(parsed.lower_fuzzy()), to_date(parsed.upper_fuzzy()))
    except _LIBRARY_ERRORS:
        return None


@lru_cache(maxsize=65536)
def stated(value: str) -> DateBounds | None:
    """The bounds as written, without the widening of '?', '~' and '%'; None if not valid EDTF.

    >>> stated("2016?-06-~15")
    DateBounds(earliest=datetime.date(2016, 6, 15), latest=datetime.date(2016, 6, 15))
    """
    if parse(value) is None:
        return None
    known = _fast.stated_bounds(value)
    if known is not None:
        return DateBounds(*known)
    parsed = _library(value)
    if parsed is None:
        return None
    try:
        with _LIBRARY_LOCK:
            return DateBounds(to_date(parsed.lower_strict()), to_date(parsed.upper_strict()))
    except _LIBRARY_ERRORS:
        return None


@lru_cache(maxsize=65536)
def strict(value: str) -> DateBounds | None:
    """The bounds as written (:func:`stated`), with an unknown end of an interval as no bound (None).

    The ``edtf`` package puts an unknown end ('2016/', '/2016') ten years from the
    known one, a guess no rule may rest on; an open end ('..') is None already.
    Only an interval holds '/' (sets use '..' and ','), so the test is on the text.

    >>> strict("2016-06/")
    DateBounds(earliest=datetime.date(2016, 6, 1), latest=None)
    >>> strict("2016-06?/2016-08?")
    DateBounds(earliest=datetime.date(2016, 6, 1), latest=datetime.date(2016, 8, 31))
    """
    bounds = stated(value)
    if bounds is None or "/" not in value:
        return bounds
    start, _, end = value.partition("/")
    return DateBounds(bounds.earliest if start else None, bounds.latest if end else None)


@lru_cache(maxsize=65536)
def reversal(value: str) -> DateBounds | None:
    """The first range in ``value`` that ends before it begins, as (its start's earliest day, its end's
    latest day); None if there is none or ``value`` is not valid EDTF.

    Strict bounds: a range is reversed only when no reading of what is written puts
    its start on or before its end. Qualifiers do not widen it ('2016~/2015' is
    reversed although the package's fuzzy bounds overlap), an open or unknown end
    never reverses, and equal ends are allowed ('2016-06/2016-06-10' may start on
    the 1st). Intervals are read from :func:`strict`; the ranges inside a set
    ('[2016..2014]', '{2010,2016..2014}') member by member. The ``edtf`` package
    accepts all of them as valid.

    >>> reversal("2016-08/2016-06")
    DateBounds(earliest=datetime.date(2016, 8, 1), latest=datetime.date(2016, 6, 30))
    >>> reversal("2016-06-15/2016-06-15") is None
    True
    """
    if parse(value) is None:
        return None
    if value.startswith(("[", "{")):
        parsed = _library(value)
        with _LIBRARY_LOCK:
            for member in getattr(parsed, "objects", ()):
                if getattr(member, "lower", None) is None or getattr(member, "upper", None) is None:
                    continue  # a single date, not a range
                try:
                    ends = DateBounds(to_date(member.lower_strict()), to_date(member.upper_strict()))
                except _LIBRARY_ERRORS:
                    continue
                if _reversed(ends):
                    return ends
        return None
    bounds = strict(value)
    return bounds if bounds is not None and _reversed(bounds) else None


def _reversed(bounds: DateBounds) -> bool:
    return bounds.earliest is not None and bounds.latest is not None and bounds.earliest > bounds.latest
