"""EDTF (ISO 8601-2) dates: parsing and the widest bounds a value allows.

Uses the ``edtf`` package for parsing (the Library of Congress grammar, levels
0-2). Only parsing and bounds are used: its free-text converter drops words
such as "mid" and "late", so phrases are never converted automatically.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=65536)
def parse(value: str) -> DateBounds | None:
    """Parse an EDTF string; None if it is not valid EDTF.

    >>> parse("2022-08/2022-09")
    DateBounds(earliest=datetime.date(2022, 8, 1), latest=datetime.date(2022, 9, 30))
    """
    if not value or len(value) > 64 or not value.isascii():
        return None
    # The common shapes are computed directly (same bounds, ~1000x faster); see _fast.
    known = _fast.bounds(value)
    if known is not None:
        return DateBounds(*known)
    from edtf import parse_edtf  # lazy: the grammar takes ~0.1 s to build
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parsed = parse_edtf(value)
        # Fuzzy bounds widen for '~' and '?' qualifiers: the honest range.
        return DateBounds(to_date(parsed.lower_fuzzy()), to_date(parsed.upper_fuzzy()))
    except (EDTFParseException, TypeError, ValueError, OverflowError, AttributeError, IndexError):
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
    from edtf import parse_edtf

    parsed = parse_edtf(value)
    return DateBounds(to_date(parsed.lower_strict()), to_date(parsed.upper_strict()))
