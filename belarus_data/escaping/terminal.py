"""Text for a terminal or a CI log: every character that is not printable is shown as an escape.

Not printable (Python's ``str.isprintable``) are the general categories Cc (C0 and C1 controls:
ESC, CSI, OSC, BEL, CR, LF, DEL…), Cf (bidi overrides and isolates, zero-width characters, BOM,
tag characters), Cs (lone surrogates, as left by undecodable file names), Co, Cn, Zl and Zp; spaces
(Zs) stay as they are. So a value can neither move the cursor, recolour or clear the screen, set
the window title, open a link (OSC 8), reorder what is shown (bidi), nor start a new line — in a
CI log, a line of its own is where a workflow command (``::error``) would be read.

>>> inert("ok: Минск")
'ok: Минск'
>>> inert("\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07")
'\\\\x1b]8;;https://evil.example\\\\x07click\\\\x1b]8;;\\\\x07'
>>> inert("a\\n::error::forged")
'a\\\\n::error::forged'
>>> inert("\\u202eevil")
'\\\\u202eevil'
"""

from __future__ import annotations

import re
import unicodedata

# Candidates only: runs of characters outside printable ASCII; each run is then judged by Unicode.
_SUSPECT = re.compile(r"[^\x20-\x7e]+")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def harmless(ch: str) -> bool:
    """Printable, or a space of category Zs (no-break, thin, ideographic…): shown as it is."""
    return ch.isprintable() or unicodedata.category(ch) == "Zs"


def _shown(ch: str) -> str:
    """``ch`` itself if it is harmless on a terminal, else its escape."""
    if harmless(ch):
        return ch
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _run(match: re.Match[str]) -> str:
    run = match.group()
    return run if run.isprintable() else "".join(map(_shown, run))


def inert(text: str) -> str:
    """``text`` with every non-printable character written as a visible escape (``\\x1b``, ``\\u202e``…)."""
    if text.isascii() and text.isprintable():
        return text
    return _SUSPECT.sub(_run, text)


def _json_escape(ch: str) -> str:
    if harmless(ch) or ch == "\n":  # LF only between JSON tokens (indentation); inside strings it is \\n
        return ch
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON spells an astral character as a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def _json_run(match: re.Match[str]) -> str:
    run = match.group()
    return run if run.isprintable() else "".join(map(_json_escape, run))


def inert_json(document: str) -> str:
    """JSON text (from ``json.dumps(…, ensure_ascii=False)``) with every non-printable character as ``\\uXXXX``.

    ``json.dumps`` already escapes C0 controls but not DEL, C1 controls or bidi characters, and it passes
    lone surrogates through (which cannot even be encoded as UTF-8). Such characters can only occur
    inside JSON strings, where ``\\uXXXX`` means the same character, so the data is unchanged.

    >>> import json
    >>> inert_json(json.dumps("\\x9b31m\\u202e", ensure_ascii=False))
    '"\\\\u009b31m\\\\u202e"'
    >>> json.loads(inert_json(json.dumps("\\x9b31m\\u202e", ensure_ascii=False))) == "\\x9b31m\\u202e"
    True
    """
    return _SUSPECT.sub(_json_run, document)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how many were left out (before escaping: escapes only grow).

    >>> clip("abcdef", 3)
    'abc… (3 more characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
