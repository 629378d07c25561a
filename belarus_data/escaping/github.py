"""GitHub Actions workflow commands (``::error file=…,line=…,title=…::message``), escaped as the runner expects.

The runner reads a command from any log line that starts with ``::``, and unescapes (see
actions/runner ``ActionCommand``; actions/toolkit issue 301) ``%0D`` ``%0A`` ``%25`` in the message and
also ``%3A`` ``%2C`` in property values. So: values are first made
:func:`~belarus_data.escaping.terminal.inert` (no line break, no control or bidi character can reach
the log), then ``%`` is escaped first (so an escape in the value stays literal), then CR and LF, and in
properties ``:`` and ``,`` (which would end the property list or the property).

>>> command("error", {"file": "records/a,b.csv", "line": 3, "title": "pattern: id"}, "bad\\n::error::forged 100%")
'::error file=records/a%2Cb.csv,line=3,title=pattern%3A id::bad\\\\n::error::forged 100%25'
"""

from __future__ import annotations

from collections.abc import Mapping

from belarus_data.escaping.terminal import inert


def data(value: str) -> str:
    """A command's message."""
    return inert(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def prop(value: str) -> str:
    """A property value (``file``, ``title``…)."""
    return data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Mapping[str, str | int | None], message: str) -> str:
    """One workflow command line; properties that are None are left out."""
    props = ",".join(f"{key}={prop(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{data(message)}"
