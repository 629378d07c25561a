"""Values in GitHub-flavoured Markdown (``diff --format markdown``, ``validate --format markdown``, the job summary).

First :func:`~belarus_data.escaping.terminal.inert` (no control, bidi or line-breaking character
survives, so a value stays on its line and inside its table cell), then:

* :func:`text`: every ASCII punctuation character is backslash-escaped (CommonMark allows it for all
  of them), so nothing in a value is read as emphasis, a link ``[…](…)``, an image, raw HTML, an
  entity (``&#10;``), a heading, a list, a table cell boundary (``|``) or a code span;
* :func:`code`: a code span fenced by more backticks than the longest run inside the value, padded
  with a space when the value starts or ends with a backtick; in a table cell ``|`` is escaped too
  (GFM splits cells before it reads code spans).

>>> text("a|b [x](https://evil.example) *y*")
'a\\\\|b \\\\[x\\\\]\\\\(https\\\\:\\\\/\\\\/evil\\\\.example\\\\) \\\\*y\\\\*'
>>> code("a``b")
'```a``b```'
>>> code("`x`")
'`` `x` ``'
"""

from __future__ import annotations

import re
import string

from belarus_data.escaping.terminal import inert

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_TICKS = re.compile("`+")


def text(value: str) -> str:
    """``value`` as literal inline Markdown text (safe in a paragraph, a list item, a heading or a table cell)."""
    return _PUNCTUATION.sub(r"\\\1", inert(value))


def code(value: str, *, in_table: bool = False) -> str:
    """``value`` as a literal code span; ``in_table``: it stands in a table cell."""
    shown = inert(value)
    longest = max((len(run) for run in _TICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    if shown.startswith("`") or shown.endswith("`") or not shown.strip(" "):
        shown = f" {shown} "  # CommonMark strips one space on each side when both are there
    if in_table:
        shown = shown.replace("|", "\\|")
    return f"{fence}{shown}{fence}"
