"""The one UTF-8 check (polars' validator over Arrow views) agrees with Python's decoder, at every cut."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belarus_data.storage.utf8 import is_utf8

# Valid characters of every length, and the invalid forms a validator may get wrong: overlong
# encodings, surrogates, past U+10FFFF, a lone continuation byte, truncated sequences, 0xFF.
PIECES = [
    b"a",
    b"\x00",
    "я".encode(),
    "€".encode(),
    "𝄞".encode(),
    "\U0010ffff".encode(),
    "\ud7ff".encode(),
    "\ue000".encode(),
    b"\xc0\x80",
    b"\xe0\x80\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\x80",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xff",
]


def _python_says(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from([1, 2, 3, 5, 13, 16, 1 << 30]))
@settings(max_examples=400, deadline=None)
def test_agrees_with_python_wherever_the_bytes_are_cut(pieces: list[bytes], part_bytes: int) -> None:
    raw = b"".join(pieces)
    data = np.frombuffer(raw, dtype=np.uint8)
    assert is_utf8(data, part_bytes, polars_bytes=0) == _python_says(raw)  # polars, over views
    assert is_utf8(data, part_bytes, polars_bytes=1 << 20) == _python_says(raw)  # Arrow, for few bytes


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        (b"", True),
        ("Лукашэнка / Лукашенко, 2024-06-15 — ‘Minsk’".encode() * 40, True),
        ("Лукашэнка".encode() * 40 + b"\xed\xa0\x80", False),  # a surrogate at the end of a long part
        (b"\xc0\x80" + b"a" * 100, False),  # overlong NUL at the start
    ],
)
def test_long_parts_go_through_the_view_path(raw: bytes, valid: bool) -> None:
    assert is_utf8(np.frombuffer(raw, dtype=np.uint8), polars_bytes=0) is valid


@pytest.mark.parametrize("polars_rows", [0, 10**9], ids=["polars", "arrow"])
def test_quotes_are_counted_in_code_points_alike_by_either_engine(polars_rows: int) -> None:
    import pyarrow as pa

    from belarus_data.storage.arrays import code_points

    quotes = ["Лукашэнка", None, "a\u0301b", "😀 ok", "", "Minsk’s"]
    counted = code_points(pa.chunked_array([pa.array(quotes[:3]), pa.array(quotes[3:])]), -1, polars_from=polars_rows)
    assert counted.tolist() == [len(q) if q is not None else -1 for q in quotes]
