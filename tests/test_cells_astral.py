"""The byte screening of free text decodes 4-byte characters whose lead byte is F0 (U+10000-U+3FFFF) as such.

Lead byte F0 is the first of the 4-byte leads: read as a 3-byte one, U+1BCA0 (a shorthand format
control, invisible) would become U+06F2 (a digit) and pass. Every unsafe code point in that range
that such a misreading would hide is tested on the byte screen (every free-text column takes it).
"""

from __future__ import annotations

import pyarrow as pa

from belarus_data.checks import cells


def _hidden_by_a_three_byte_reading() -> list[int]:
    unsafe = cells.unsafe_code_points()
    hidden = []
    for point in range(0x10000, 0x40000):
        if unsafe[point]:
            raw = chr(point).encode("utf-8")
            if not unsafe[((raw[1] & 0x3F) << 6) | (raw[2] & 0x3F)]:
                hidden.append(point)
    return hidden


def test_every_unsafe_character_with_lead_byte_f0_is_flagged() -> None:
    points = _hidden_by_a_three_byte_reading()
    assert 0x1BCA0 in points  # the named example: invisible, and would read as a digit
    sample = sorted({0x1BCA0, *points[:: max(1, len(points) // 400)]})
    values = [f"plain text {chr(p)} more text" for p in sample]
    flags = cells._free_text_flags(pa.chunked_array([pa.array(["plain text, nothing hidden", *values])]))
    assert flags.tolist() == [False] + [True] * len(values)
