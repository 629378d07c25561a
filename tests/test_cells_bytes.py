"""The byte-level checks of IDs and tag lists agree exactly with the model's regexes (whole numbers: test_integers.py)."""

from __future__ import annotations

import random
import re

import numpy as np
import pyarrow as pa
import pytest

from belarus_data.checks import cells
from belarus_data.models import columns as c
from belarus_data.storage.tables import TABLES


def chunked(values: list[str | None]) -> pa.ChunkedArray:
    """Several chunks, one of them a slice, so that offsets do not start at zero."""
    array = pa.array(["padding", *values], pa.string()).slice(1)
    third = len(values) // 3
    return pa.chunked_array([array.slice(0, third), array.slice(third, third), array.slice(2 * third)])


def random_values(rng: random.Random, alphabet: str, prefixes: list[str], count: int) -> list[str | None]:
    values: list[str | None] = []
    for _ in range(count):
        body = "".join(rng.choices(alphabet, k=rng.randint(0, 6)))
        value = rng.choice(prefixes) + body
        values.append(value or None)
    return values


def slug_flags(values: list[str | None], prefix: str, multi: bool) -> list[bool]:
    column = chunked(values)
    return np.concatenate([cells._slug_flags(chunk, prefix, multi) for chunk in column.chunks]).tolist()


@pytest.mark.parametrize("prefix", ["clm-", "evt-", "act-"])
def test_id_shapes_match_the_pattern_exactly(prefix: str) -> None:
    rule = c.id_column(prefix[:-1], "x")
    assert cells._slug_shape(rule) == prefix
    pattern = re.compile(c.json_schema_for(rule)["pattern"])
    rng = random.Random(prefix)
    values = random_values(rng, "ab09--;A_ é\u044b\x00", [prefix, prefix[:-1], prefix + "-", "", "x" + prefix], 20_000)
    values += [
        prefix + "a",
        prefix + "a-b",
        prefix + "a--b",
        prefix + "-a",
        prefix + "a-",
        prefix,
        "clm-FX1",
        "act-blr-gоv",
    ]
    flags = slug_flags(values, prefix, False)
    for value, flag in zip(values, flags, strict=True):
        if value is not None:
            assert flag == (pattern.fullmatch(value) is None), ascii(value)


def test_tag_lists_match_the_pattern_exactly() -> None:
    assert cells._slug_shape(c.TAGS) == ""
    pattern = re.compile(c.json_schema_for(c.TAGS)["pattern"])
    rng = random.Random(3)
    values = random_values(rng, "ab09-;;A ", ["", "a", ";", "-"], 20_000)
    values += ["air-force", "air-force;;exercise", "Air-Force", "a;b", "a;-b", "a-;b", ";a", "a;", "a--b"]
    flags = slug_flags(values, "", True)
    for value, flag in zip(values, flags, strict=True):
        if value is not None:
            assert flag == (pattern.fullmatch(value) is None), ascii(value)


def test_every_slug_shaped_rule_is_an_id_or_a_tag_list() -> None:
    shaped = {
        (table.name, name)
        for table in TABLES
        for name, rule in table.rules.items()
        if cells._slug_shape(rule) is not None
    }
    assert ("claims", "id") in shaped and ("claims", "tags") in shaped and ("claims", "source_id") in shaped
    # Other patterns (URLs, hashes, codes) keep the regex.
    assert cells._slug_shape(c.URL) is None and cells._slug_shape(c.SHA256) is None


def test_a_number_too_long_for_int64_is_flagged_not_a_crash() -> None:
    rule = c.int_column(minimum=0, maximum=10)
    column = pa.chunked_array([pa.array(["5", "99999999999999999999", "11", None, "-1"], pa.string())])
    assert cells.column_flags(column, rule, required=False).tolist() == [False, True, True, False, True]


@pytest.mark.parametrize("long_rows", [1, 500])
def test_length_is_counted_in_characters_when_the_bytes_are_over(long_rows: int) -> None:
    rule = c.text_column(10)
    # 10 Cyrillic letters are 20 bytes but not too long; 11 are; so are 11 ASCII letters.
    values = ["ы" * 10, "ы" * 11, "x" * 11, "x" * 10, None] * long_rows + ["short"] * 5000
    column = chunked(values)
    flags = cells.column_flags(column, rule, required=False)
    assert flags[:5].tolist() == [False, True, True, False, False]
    assert flags.sum() == 2 * long_rows


def test_an_empty_column_has_no_flags() -> None:
    empty = pa.chunked_array([], pa.string())
    for rule in (c.text_column(10), c.TAGS, c.int_column(0, 5), c.DATE, c.id_column("clm", "x")):
        assert len(cells.column_flags(empty, rule, required=True)) == 0
