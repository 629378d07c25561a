"""The fast EDTF shapes give exactly the bounds (and validity) the full ``edtf`` parser gives."""

from __future__ import annotations

import datetime as dt

import pytest
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from belarus_data.dates import _fast as edtf_fast
from belarus_data.dates import edtf as edtf_dates


def library_bounds(value: str) -> tuple[dt.date | None, dt.date | None] | None:
    """What the edtf package alone says (None: not valid EDTF; a None bound: open-ended)."""
    try:
        parsed = parse_edtf(value)
    except EDTFParseException:
        return None
    return edtf_dates.to_date(parsed.lower_fuzzy()), edtf_dates.to_date(parsed.upper_fuzzy())


# Month ends, leap days and year ends are where padding by months and days can go wrong.
CASES = [
    "2019",
    "1000",
    "2019-05",
    "2020-02-29",
    "2019-02-28",
    "2019?",
    "2019%",
    "2019~",
    "2019-05~",
    "2019-12?",
    "2019-01%",
    "2019-01-01?",
    "2019-12-31%",
    "2019-05-31~",
    "2020-02-29~",
    "2020-03-31%",
    "2019-05-~31",
    "2019-12-~31",
    "2019-01-?01",
    "2019-03-%01",
    "2020-03-%01",
    "2019-05-10/2019-05-20",
    "2019-05-20/2019-05-10",
    "2019-05/2019-06",
    "2019/2020",
    "2019-12-31/2020",
    "2022-08-16T13:19:00",
    "2016?-06-~15",
    "2016~-06-%15",
    "2016-06?-15",
    "2016-~06",
    "2016-%06-15",
    "2016-06?/2016-08?",
    "2016-06-21?/2016-08?",
    "2016-06~/2016-07%",
    "2016?-08/2016?-09",
    "2020/2020?-02",
    "2016-08/2016-~09",
    "2016?-08-~01/2016-09",
    "../2016-08?",
    "2016-08/..",
    "../2016",
    "2019-05/..",
    "2019-05-12T23:59:59Z",
]


@pytest.mark.parametrize("value", CASES)
def test_fast_shapes_match_the_edtf_package(value: str) -> None:
    fast = edtf_fast.bounds(value)
    assert fast is not None, f"{value!r} should be one of the fast shapes"
    assert fast == library_bounds(value)


@pytest.mark.parametrize(
    "value",
    [
        "2019-02-30",
        "2019-13",
        "2019-00",
        "2019-05-12T25:00:00",
        "0999",
        "2019-21",
        "2016-06-~15?",
        "?2016",
        "2016-02?-?01",
        "2020%/2020?-02",
        "../2016?-08",
        "2016-08-~15/..",
        "../..",
    ],
)
def test_other_values_are_left_to_the_edtf_package(value: str) -> None:
    assert edtf_fast.bounds(value) is edtf_fast.UNKNOWN
    parsed = edtf_dates.parse(value)
    assert (None if parsed is None else (parsed.earliest, parsed.latest)) == library_bounds(value)
