"""The vectorised EDTF pass gives, value by value, what the one parser (``belarus_data.dates.edtf``) gives.

Every value is compared on all it reports: readable, fuzzy bounds, strict
bounds, reversed. The common shapes must be read by the vectorised pass (or
the speed is gone); every near miss (a shape the regex takes but our rules do
not: an invalid day, a season, a year outside 1000-9000, two qualifiers, a
qualifier on the left of the year, a level-1 end with a level-2 one) must go
to the parser.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pyarrow as pa
import pytest

from belarus_data.dates import edtf
from belarus_data.dates.edtf_columns import NO_DAY, column_bounds

YEARS = ["1000", "1900", "2016", "2019", "2020", "2100", "9000"]  # leap, not leap, 1900 not leap, the ends
MONTHS = [None, "01", "02", "03", "06", "11", "12"]
DAYS = [None, "01", "10", "28", "29", "30", "31"]


def _dates() -> list[tuple[str, str | None, str | None]]:
    found = []
    for year, month, day in itertools.product(YEARS, MONTHS, DAYS):
        if month is None and day is not None:
            continue
        if day is not None and month is not None:
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                continue
        found.append((year, month, day))
    return found


def _written(year: str, month: str | None, day: str | None, at: str | None, mark: str) -> str:
    """The date with ``mark`` at one place: right of the year/month/day ("ry", "rm", "rd") or left of month/day."""
    q = {place: (mark if place == at else "") for place in ("ry", "lm", "rm", "ld", "rd")}
    text = year + q["ry"]
    if month is not None:
        text += "-" + q["lm"] + month + q["rm"]
    if day is not None:
        text += "-" + q["ld"] + day + q["rd"]
    return text


def single_dates() -> list[str]:
    """Every date above, plain and with one qualifier at each place it can go."""
    values = []
    for year, month, day in _dates():
        places = ["ry"] + (["lm", "rm"] if month else []) + (["ld", "rd"] if day else [])
        values.append(_written(year, month, day, None, ""))
        values += [_written(year, month, day, at, mark) for at in places for mark in "?~%"]
    return values


def _level(value: str) -> int:
    """0 unqualified, 1 qualified as a whole (the mark last), 2 a component qualified."""
    if not any(mark in value for mark in "?~%"):
        return 0
    return 1 if value[-1] in "?~%" else 2


def intervals(singles: list[str], count: int, seed: int) -> list[str]:
    """Pairs of single dates, forwards and reversed, whose levels the grammar lets an interval combine."""
    pick = random.Random(seed)
    found = []
    while len(found) < count:
        a, b = pick.choice(singles), pick.choice(singles)
        if {_level(a), _level(b)} != {1, 2}:
            found.append(f"{a}/{b}")
    return found


NEAR_MISSES = [
    "0999",
    "9001",
    "0000",
    "2016-00",
    "2016-13",
    "2016-21",  # a season: the parser reads it
    "2016-02-30",
    "2019-02-29",
    "1900-02-29",
    "2016-06-31",
    "2016-06-00",
    "2016-06-32",
    "?2016",  # a qualifier left of the year: not EDTF
    "2016?~",
    "2016?-06~",
    "2016?-06-~15",  # two qualifiers: the parser reads it
    "2016~-06-%15",
    "2016-06?-15",  # one mark, on the month of a full date: one of the shapes (level 2)
    "2016-~06-~15",
    "2016-06-15?/2016-08-~01",  # a level-1 end with a level-2 end
    "2016-~06/2016-08?",
    "2016-06/..",
    "../2016-06",
    "../..",
    "2016/",
    "/2016",
    "2016//2017",
    "2016-06-15T10:00:00",
    "2016-06-15T10:00:00Z",
    "201X",
    "[2016..2014]",
    "{2010,2016..2014}",
    "2016-02-30/2016-03",
    "2016/9001",
    " 2016",
    "2016 ",
    "2016-06-15 ",
    "２０１６",
    "2016-0６",
    "2016\u200b",
    "",
    "spring 2016",
    "2016-06-15/2016-06-15/2016",
]


def _day(bounds: edtf.DateBounds | None, end: str) -> int:
    day = getattr(bounds, end) if bounds is not None else None
    return day.toordinal() if day is not None else NO_DAY


def _one_by_one(value: str) -> tuple[object, ...]:
    fuzzy = edtf.parse(value)
    strict = edtf.strict(value) if fuzzy is not None else None
    reversed_ = fuzzy is not None and edtf.reversal(value) is not None
    return (
        fuzzy is not None,
        _day(fuzzy, "earliest"),
        _day(fuzzy, "latest"),
        strict is not None,
        _day(strict, "earliest"),
        _day(strict, "latest"),
        reversed_,
    )


def _compare(values: list[str]) -> list[bool]:
    """Assert the two agree on every value; return which were read by the vectorised pass."""
    found = column_bounds(pa.array(values, pa.string()))
    for k, value in enumerate(values):
        vector = (
            bool(found.readable[k]),
            int(found.fuzzy_earliest[k]),
            int(found.fuzzy_latest[k]),
            bool(found.strict_readable[k]),
            int(found.strict_earliest[k]),
            int(found.strict_latest[k]),
            bool(found.reversed[k]),
        )
        assert vector == _one_by_one(value), value
    return [bool(s) for s in found.shaped]


def test_single_dates_are_read_by_the_vectorised_pass_alike() -> None:
    values = single_dates()
    assert len(values) > 1500
    shaped = _compare(values)
    assert all(shaped), [v for v, s in zip(values, shaped, strict=True) if not s][:5]


@pytest.mark.parametrize("seed", [1, 2])
def test_intervals_forwards_and_reversed_agree(seed: int) -> None:
    values = intervals(single_dates(), 3000, seed)
    shaped = _compare(values)
    assert all(shaped)
    reversed_ = column_bounds(pa.array(values)).reversed
    assert 0 < reversed_.sum() < len(values)  # both kinds were compared


def test_near_misses_go_to_the_parser_and_agree() -> None:
    shaped = dict(zip(NEAR_MISSES, _compare(NEAR_MISSES), strict=True))
    one_mark = {"2016-06?-15"}  # a single mark on the month of a day: one of the shapes
    assert {v for v, s in shaped.items() if s} == one_mark


def test_padding_crosses_month_and_year_ends() -> None:
    values = ["2016-12-31%", "2016-01-~01", "2016-03-31~", "2020-02-29?", "2016-12~", "2016-01-%01"]
    found = column_bounds(pa.array(values))
    days = [
        (dt.date.fromordinal(int(a)), dt.date.fromordinal(int(b)))
        for a, b in zip(found.fuzzy_earliest, found.fuzzy_latest, strict=True)
    ]
    assert days[0] == (dt.date(2014, 10, 29), dt.date(2019, 3, 2))  # % pads year, month and day by two
    assert days[1] == (dt.date(2015, 12, 31), dt.date(2016, 1, 2))
    assert days[3] == (dt.date(2019, 1, 28), dt.date(2021, 3, 30))  # 29 Feb moved a year: clamped to the 28th
    assert all(found.shaped)
    _compare(values)


def test_nulls_and_empty_input() -> None:
    found = column_bounds(pa.array([None, "2016"], pa.string()))
    assert found.readable.tolist() == [False, True]
    assert found.fuzzy_earliest[0] == NO_DAY and found.strict_latest[0] == NO_DAY
    empty = column_bounds(pa.array([], pa.string()))
    assert len(empty.readable) == 0 and len(empty.strict_earliest) == 0


def test_large_strings_are_read_too() -> None:
    found = column_bounds(pa.array(["2016-06", "2016-06/2016-05"], pa.large_string()))
    assert found.shaped.tolist() == [True, True] and found.reversed.tolist() == [False, True]
