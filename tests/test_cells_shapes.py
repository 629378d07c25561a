"""Which patterns the byte-level slug check takes on: a literal [a-z0-9-] prefix then SLUG, and for lists no prefix.

Every other pattern goes to the regex (the schema's columns all fit today: IDs and claims.tags).
"""

from __future__ import annotations

import pytest

from belarus_data.checks import cells
from belarus_data.models import columns as c


@pytest.mark.parametrize(
    ("pattern", "multi", "shape"),
    [
        ("clm-" + c.SLUG, False, "clm-"),
        (c.SLUG, True, ""),
        (c.SLUG, False, ""),
        ("clm-" + c.SLUG, True, None),  # a list of prefixed items: the regex
        ("c.m-" + c.SLUG, False, None),  # a prefix that is itself a pattern: the regex
        ("CLM-" + c.SLUG, False, None),
        ("clm-[0-9]+", False, None),
    ],
)
def test_slug_shape(pattern: str, multi: bool, shape: str | None) -> None:
    assert cells._slug_shape(c.Column(pattern=pattern, multi=multi)) == shape
