"""The four bounds of an EDTF value as dates, and its ACLED time precision: the public face of dates.

One parser: every bound comes from :mod:`belarus_data.dates.edtf` (the ``edtf``
package, with its fast path for the common shapes), so these bounds are the ones
validation reasons with.

* ``lower``/``upper``: the strict bounds, the first and last day of what is
  written (``?``, ``~`` and ``%`` do not widen them);
* ``lower_fuzzy``/``upper_fuzzy``: widened by the qualifiers as the ``edtf``
  package defines (``lower_fuzzy``/``upper_fuzzy``): each qualified component by
  one of its unit (year, month, day), ``%`` by two;
* None for an end that is open (``..``) or unknown (an empty end, ``2016/``:
  the package's guess of ten years away is not a bound), and all four None for
  an empty or invalid value (validation reports it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from belarus_data.dates import edtf


@dataclass(frozen=True)
class EdtfBounds:
    """The strict and fuzzy bounds of one EDTF value (None: open, unknown, or no valid value).

    >>> EdtfBounds(dt.date(2016, 6, 1), dt.date(2016, 6, 30), None, None).upper
    datetime.date(2016, 6, 30)
    """

    lower: dt.date | None
    upper: dt.date | None
    lower_fuzzy: dt.date | None
    upper_fuzzy: dt.date | None


NO_BOUNDS = EdtfBounds(None, None, None, None)


def edtf_bounds(value: str | None) -> EdtfBounds:
    """The strict and fuzzy bounds of an EDTF value as dates; all None if it is empty or not valid EDTF.

    >>> from belarus_data import edtf_bounds
    >>> edtf_bounds("2016-06")
    EdtfBounds(lower=datetime.date(2016, 6, 1), upper=datetime.date(2016, 6, 30), lower_fuzzy=datetime.date(2016, 6, 1), upper_fuzzy=datetime.date(2016, 6, 30))
    >>> b = edtf_bounds("2016-06-15~")        # approximate: strict is the day, fuzzy widens it
    >>> b.lower, b.lower_fuzzy
    (datetime.date(2016, 6, 15), datetime.date(2015, 5, 14))
    >>> edtf_bounds("2016-06/").upper is None  # an unknown end is no bound
    True
    >>> edtf_bounds("not a date")
    EdtfBounds(lower=None, upper=None, lower_fuzzy=None, upper_fuzzy=None)
    """
    if not isinstance(value, str) or not value:
        return NO_BOUNDS
    return _bounds(value)


def _bounds(value: str) -> EdtfBounds:
    # edtf.parse/strict are cached per distinct value, so repeated values cost a dictionary lookup.
    fuzzy = edtf.parse(value)
    exact = edtf.strict(value)
    if fuzzy is None or exact is None:
        return NO_BOUNDS
    lower_fuzzy, upper_fuzzy = fuzzy.earliest, fuzzy.latest
    if "/" in value:  # only an interval holds '/': an empty (unknown) end has no fuzzy bound either
        start, _, end = value.partition("/")
        lower_fuzzy = lower_fuzzy if start else None
        upper_fuzzy = upper_fuzzy if end else None
    return EdtfBounds(exact.earliest, exact.latest, lower_fuzzy, upper_fuzzy)


ACLED_DAY, ACLED_WEEK, ACLED_MONTH = 1, 2, 3
_WEEK_DAYS = 7


def acled_precision(value: str | EdtfBounds | None) -> int | None:
    """ACLED time precision of an EDTF value, from its strict bounds: 1 a day, 2 a week or less, 3 longer.

    ACLED codes 3 for "only the month is known"; any span longer than a week is
    coded 3 here, as ACLED does for coarser dates. Qualifiers do not change it
    (strict bounds: '2016-06-15?' is an uncertain day, precision 1). None when
    either end is open or unknown, the interval is reversed, or the value is
    empty or invalid.

    >>> from belarus_data.dates.bounds import acled_precision
    >>> acled_precision("2016-06-15"), acled_precision("2016-06-13/2016-06-19"), acled_precision("2016-06")
    (1, 2, 3)
    >>> acled_precision("2016-06/") is None
    True
    """
    bounds = value if isinstance(value, EdtfBounds) else edtf_bounds(value)
    if bounds.lower is None or bounds.upper is None or bounds.upper < bounds.lower:
        return None
    days = (bounds.upper - bounds.lower).days + 1
    if days == 1:
        return ACLED_DAY
    return ACLED_WEEK if days <= _WEEK_DAYS else ACLED_MONTH
