"""Which characters a cell may not hold, derived from Unicode properties rather than listed by hand.

A character is forbidden in every text column (free text and IDs alike) when
its general category is one of

* ``Cc`` (controls: C0, DEL, C1; tabs and line breaks too: a record is one line),
* ``Cf`` (format: zero-width space/joiners, bidi controls, soft hyphen, BOM, tags),
* ``Zl``, ``Zp`` (line and paragraph separators),
* ``Cs`` (surrogates: cannot come out of strict UTF-8 decoding, listed for completeness),
* ``Co`` (private use: no agreed meaning, renders differently everywhere),
* ``Cn`` (unassigned, including the noncharacters),

or when it is a ``Default_Ignorable_Code_Point`` (rendered as nothing: the
Hangul and halfwidth fillers, the combining grapheme joiner, variation
selectors, the Mongolian free variation selectors). The ordinary space and the
other ``Zs`` spaces (no-break space, thin spaces) stay allowed: they are
visible as space, are ordinary typography in Russian and Belarusian text, and
occur in the source texts that quotes must match verbatim.

The set is computed once, at build time, by :func:`derive` (general categories
from this Python's ``unicodedata``, the ignorables from ICU) and committed as
``_charset_data.py``: deriving it at run time walks all 1.1 million code
points (~0.3 s, most of a cold ``validate``), and a committed set makes every
contributor's Python give the same answer whatever Unicode version it ships.
``tests/test_characters.py`` fails when the file no longer matches what
:func:`derive` gives (regenerate with ``python scripts/generate_charsets.py``).

The same file holds the characters that can make a string not NFC
(:func:`derive_nfc_suspects`), which the fast engine screens free text for;
they must agree with the running Python's ``unicodedata.is_normalized`` (the
model's NFC rule), so another Unicode version derives its own.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import cache
from typing import Literal

from belarus_data.models import _charset_data as data

Reason = Literal["invisible", "private-use", "unassigned"]
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
Ranges = tuple[tuple[int, int], ...]


def _as_ranges(points: list[int]) -> Ranges:
    ranges: list[list[int]] = []
    for cp in sorted(points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return tuple((a, b) for a, b in ranges)


SCANNED_UP_TO = 0x30000  # NFC suspects are looked for below this code point (see derive_nfc_suspects)


def derive_nfc_suspects() -> Ranges:
    """Every character that can make a string not NFC (NFC_Quick_Check No or Maybe), as inclusive ranges.

    A string without any of them is NFC: each character is then NFC on its own
    and none can combine with the one before it. Derived from this Python's
    ``unicodedata`` so that it always agrees with ``unicodedata.is_normalized``:
    characters that change under NFC, combining marks, the second half of every
    canonical two-character decomposition, and the Hangul vowel and final jamo
    (composed algorithmically, so absent from the decomposition table).
    Below U+0300 and from SCANNED_UP_TO on (CJK ideographs, tags, private use)
    every character is NFC and a starter; ``tests/test_cells_screen.py`` checks
    that for the running Python. Walking 190,000 code points takes ~50 ms: the
    result for the Unicode version of the committed data is committed with it
    (:func:`nfc_suspect_ranges`).
    """
    suspects = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in (*range(0x300, 0xD800), *range(0xE000, SCANNED_UP_TO)):
        ch = chr(cp)
        if unicodedata.combining(ch) or not unicodedata.is_normalized("NFC", ch):
            suspects.add(cp)
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                suspects.add(int(parts[1], 16))
    return _as_ranges(list(suspects))


@cache
def nfc_suspect_ranges() -> Ranges:
    """:func:`derive_nfc_suspects` for this Python: the committed ranges when its Unicode version is theirs.

    >>> any(a <= 0x0301 <= b for a, b in nfc_suspect_ranges())  # the combining acute accent
    True
    """
    if unicodedata.unidata_version == data.UNICODE_VERSION:
        return data.NFC_SUSPECTS
    return derive_nfc_suspects()  # another Python's Unicode: its own answer, as is.normalized gives it


def derive() -> dict[str, Ranges | str]:
    """The forbidden characters by reason, from this Python's ``unicodedata`` and ICU (build time only).

    With them, the NFC suspects of the same Unicode version (:func:`derive_nfc_suspects`).
    """
    import icu  # build time: ICU's Default_Ignorable_Code_Point

    ignorable = icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT
    found: dict[Reason, list[int]] = {"invisible": [], "private-use": [], "unassigned": []}
    for cp in range(0x110000):
        category = unicodedata.category(chr(cp))
        if category == "Cn":
            found["unassigned"].append(cp)
        elif category == "Co":
            found["private-use"].append(cp)
        elif category in INVISIBLE_CATEGORIES or icu.Char.hasBinaryProperty(cp, ignorable):
            found["invisible"].append(cp)
    return {
        "UNICODE_VERSION": unicodedata.unidata_version,
        "INVISIBLE": _as_ranges(found["invisible"]),
        "PRIVATE_USE": _as_ranges(found["private-use"]),
        "UNASSIGNED": _as_ranges(found["unassigned"]),
        "NFC_SUSPECTS": derive_nfc_suspects(),
    }


def render(derived: dict[str, Ranges | str]) -> str:
    """The text of ``_charset_data.py`` for :func:`derive`'s result."""
    lines = [
        '"""Generated by scripts/generate_charsets.py from belarus_data.models.characters.derive(): do not edit."""',
        "",
        f'UNICODE_VERSION = "{derived["UNICODE_VERSION"]}"',
    ]
    for name in ("INVISIBLE", "PRIVATE_USE", "UNASSIGNED", "NFC_SUSPECTS"):
        ranges = derived[name]
        assert isinstance(ranges, tuple)
        lines.append(f"{name}: tuple[tuple[int, int], ...] = (")
        lines.extend(f"    (0x{a:04X}, 0x{b:04X})," for a, b in ranges)
        lines.append(")")
    return "\n".join(lines) + "\n"


def _merged(*groups: Ranges) -> Ranges:
    merged: list[list[int]] = []
    for a, b in sorted(r for group in groups for r in group):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


UNICODE_VERSION: str = data.UNICODE_VERSION
# Every forbidden character, as sorted, disjoint, inclusive ranges (what the fast checker screens for).
FORBIDDEN_RANGES: Ranges = _merged(data.INVISIBLE, data.PRIVATE_USE, data.UNASSIGNED)


def _in(ranges: Ranges, cp: int) -> bool:
    at = bisect.bisect_right(ranges, (cp, 0x10FFFF)) - 1
    return at >= 0 and ranges[at][0] <= cp <= ranges[at][1]


def reason(ch: str) -> Reason | None:
    """Why ``ch`` is forbidden, or None if it is allowed."""
    cp = ord(ch)
    if _in(data.UNASSIGNED, cp):
        return "unassigned"
    if _in(data.PRIVATE_USE, cp):
        return "private-use"
    if _in(data.INVISIBLE, cp):
        return "invisible"
    return None


@cache
def forbidden_class() -> str:
    """The forbidden characters as one character class, in a spelling both Python ``re`` and RE2 read."""
    # \x{...} is RE2's; Python's re reads \U........, so the Python caller converts (see columns.py).
    return "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" if a != b else f"\\x{{{a:x}}}" for a, b in FORBIDDEN_RANGES) + "]"
