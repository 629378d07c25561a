"""The one rule for whole numbers in the dataset, with a scalar and a vectorised reader of it.

A whole number is written as ASCII ``0`` or ``[1-9][0-9]*`` and is below 2^63
(it fits in int64, the type every consumer stores it in). Nothing else is read
as a number: no sign (so no ``-0``), no leading zero, no space, no exponent,
no ``_`` separator, no non-ASCII digit (``²``, ``٢``, ``１`` — Python's ``int()``
and ``str.isdigit`` accept some of these). Each spelling of a number has
exactly one text, so a check that compares values and one that compares texts
cannot disagree about a cell.

:func:`parse` (one cell, for the Pydantic models, versioning and ``new``) and
:func:`parse_array` (a whole Arrow column, for the fast checks, evidence and
the loaders) implement the same definition from the same constants;
``tests/test_integers.py`` holds them to each other on a table of hostile
strings. The column's own minimum and maximum (``Column.minimum``/``maximum``)
are applied by :func:`range_problem`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

LIMIT = 2**63  # exclusive: every whole number fits in int64
LARGEST = str(LIMIT - 1)  # 9223372036854775807, the largest whole number, 19 digits
MAX_DIGITS = len(LARGEST)
CANONICAL = re.compile(r"0|[1-9][0-9]*")  # ASCII only: a character class of ASCII digits, matched whole
EXAMPLE_HINT = "write the number in ASCII digits only, without a sign, spaces or leading zeros, e.g. 0 or 42"


class IntegerError(ValueError):
    """A cell that is not a whole number of this dataset: ``code`` is ``not-integer`` or ``out-of-range``."""

    def __init__(self, code: str, message: str, hint: str):
        self.code, self.message, self.hint = code, message, hint
        super().__init__(message)


def _why_not(text: str) -> str:
    """What is wrong with a text that does not match CANONICAL (for the message)."""
    if text == "":
        return "it is empty"
    if text.strip() != text:
        return "it has spaces around it"
    if text[0] in "+-" and len(text) > 1:
        return f"it has a sign ({text[0]!r}); whole numbers here are never signed"
    odd = next((ch for ch in text if not "0" <= ch <= "9"), None)
    if odd is not None:
        if odd.isdigit() or unicodedata.numeric(odd, None) is not None:
            return f"U+{ord(odd):04X} ({unicodedata.name(odd, '?')}) is not an ASCII digit"
        return f"{odd!r} is not a digit"
    return "it has a leading zero"


def parse(text: str, maximum: int | None = None) -> int:
    """The whole number ``text`` spells; :class:`IntegerError` if it spells none (or one ≥ 2^63).

    ``maximum`` (a column's) only words the problem of a number too large for int64.
    """
    if CANONICAL.fullmatch(text) is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise IntegerError("not-integer", f"{shown!r} is not a whole number: {_why_not(text)}", EXAMPLE_HINT)
    if len(text) > MAX_DIGITS or (len(text) == MAX_DIGITS and text > LARGEST):
        shown = text if len(text) <= 40 else f"a {len(text)}-digit number"
        high = LARGEST if maximum is None else min(maximum, LIMIT - 1)
        raise IntegerError("out-of-range", f"{shown} is above the maximum {high}", f"use {high} or less")
    return int(text)


def parse_or_none(text: str | None) -> int | None:
    """The whole number ``text`` spells, or None (empty, or not a whole number: the cell checks report it)."""
    if text is None:
        return None
    try:
        return parse(text)
    except IntegerError:
        return None


def range_problem(number: int, minimum: int | None, maximum: int | None) -> IntegerError | None:
    """The out-of-range problem of a parsed number against a column's bounds, if any."""
    if number < 0 or (minimum is not None and number < minimum):
        low = max(minimum or 0, 0)
        return IntegerError("out-of-range", f"{number} is below the minimum {low}", f"use {low} or more")
    high = LIMIT - 1 if maximum is None else min(maximum, LIMIT - 1)
    if number > high:
        return IntegerError("out-of-range", f"{number} is above the maximum {high}", f"use {high} or less")
    return None


def parse_in_range(text: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """:func:`parse`, then the column's bounds: what a cell of an integer column must pass."""
    number = parse(text, maximum)
    problem = range_problem(number, minimum, maximum)
    if problem is not None:
        raise problem
    return number


def parse_array(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(ok, values) for a string column: whether each cell is a whole number by :func:`parse`, and its value.

    ``values`` is 0 where ``ok`` is False (nulls included). The same definition
    as :data:`CANONICAL`, in Arrow kernels over the whole column: only ASCII
    decimal digits, no leading zero, and 19 digits only up to :data:`LARGEST`
    (equal lengths of digits compare as numbers when compared as text).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(column) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    ok = np.asarray(pc.fill_null(pc.ascii_is_decimal(column), False), dtype=bool)
    if not ok.any():
        return ok, np.zeros(len(column), dtype=np.int64)
    length = np.asarray(pc.fill_null(pc.binary_length(column), 0))
    ok &= length <= MAX_DIGITS
    ok &= ~((length > 1) & np.asarray(pc.fill_null(pc.starts_with(column, "0"), False), dtype=bool))
    longest = ok & (length == MAX_DIGITS)
    if longest.any():
        ok &= ~(longest & np.asarray(pc.fill_null(pc.greater(column, LARGEST), False), dtype=bool))
    source: Any = column if ok.all() else pc.if_else(pa.array(ok), column, None)
    values = np.asarray(pc.fill_null(pc.cast(source, pa.int64()), 0), dtype=np.int64)
    return ok, values


def in_range(values: np.ndarray, minimum: int | None, maximum: int | None) -> np.ndarray:
    """For values read by :func:`parse_array` (all ≥ 0), whether each is within a column's bounds."""
    import numpy as np

    inside = np.ones(len(values), dtype=bool)
    if minimum is not None:
        inside &= values >= minimum
    if maximum is not None:
        inside &= values <= maximum
    return inside


def to_arrow(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A checked string column as Arrow int64 (null where empty); ValueError if a cell is not a whole number."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    ok, values = parse_array(column)
    present = np.asarray(pc.is_valid(column), dtype=bool)
    if (present & ~ok).any():
        row = int(np.flatnonzero(present & ~ok)[0])
        parse(str(column[row].as_py()))  # raises, wording the problem
    return pa.array(values, pa.int64(), mask=~present)
