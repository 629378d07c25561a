"""Where things are in JSON text: the line of every value, found without recursion.

The standard ``json`` module gives values but not their positions, and recurses
once per nesting level, so hostile input can exhaust the stack. :func:`scan`
walks the text once with a flat tokenizer and an explicit stack, stops as soon
as nesting passes a limit, and never raises: syntax errors are left for
``json.loads`` to report after the depth is known to be safe.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

# Possessive quantifiers: a long string (of backslashes, say) is matched without a backtracking
# point per character, so the scan is linear in time and constant in regex memory.
_TOKEN = re.compile(r'[\[\]{},:]|"[^"\\]*+(?:\\.[^"\\]*+)*+"|[^\s\[\]{},:"]++|"', re.DOTALL)
MAX_POINTER_CHARS = 512  # values under a longer JSON Pointer are not recorded (their lines fall back to an ancestor)
MAX_RECORDED = 100_000  # value lines recorded in all; the generated descriptor has far fewer
MAX_DUPLICATES = 100  # repeated keys recorded


@dataclass
class Positions:
    """The result of :func:`scan`: value lines by JSON Pointer, repeated keys, and where nesting went too deep."""

    lines: dict[str, int] = field(default_factory=dict)  # JSON Pointer (RFC 6901) -> 1-based line
    too_deep_line: int | None = None  # first line where nesting exceeded the limit
    duplicates: list[tuple[str, int]] = field(
        default_factory=list
    )  # (pointer, line) of a key seen before in its object

    def line(self, pointer: str) -> int | None:
        """The line of the value at ``pointer``, or of its nearest enclosing value that was seen."""
        while pointer:
            if pointer in self.lines:
                return self.lines[pointer]
            pointer = pointer.rsplit("/", 1)[0]
        return self.lines.get("")


def escape(key: str) -> str:
    """``key`` as one reference token of a JSON Pointer (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def _key_text(token: str) -> str:
    if "\\" not in token and len(token) >= 2 and token[0] == token[-1] == '"':
        return token[1:-1]  # nothing to unescape (most keys)
    try:
        value = json.loads(token)
    except ValueError:
        return token.strip('"')
    return value if isinstance(value, str) else token


@dataclass
class _Frame:
    pointer: str | None  # None: too long to record, and so are the pointers of everything inside
    is_object: bool
    index: int = 0
    key: str | None = None
    expecting_key: bool = True
    keys: set[str] | None = None


def scan(raw: str, max_depth: int) -> Positions:
    """Lines of the values in ``raw`` by JSON Pointer; stops at the first nesting deeper than ``max_depth``.

    Linear in the length of ``raw`` and bounded in memory whatever it holds:
    no recursion, no regex backtracking, and at most ``MAX_RECORDED`` lines
    under pointers of at most ``MAX_POINTER_CHARS`` characters are kept (a
    value past those limits is located at its nearest recorded ancestor).

    >>> scan('{\\n  "a": [1,\\n 2]\\n}', 8).lines
    {'': 1, '/a': 2, '/a/0': 2, '/a/1': 3}
    >>> scan("[[[]]]", 2).too_deep_line
    1
    >>> scan('{"a": 1,\\n "a": 2}', 8).duplicates
    [('/a', 2)]
    """
    found = Positions()
    stack: list[_Frame] = []
    line, last = 1, 0
    for match in _TOKEN.finditer(raw):
        token, at = match.group(), match.start()
        line += raw.count("\n", last, at)
        last = at
        top = stack[-1] if stack else None
        if token in ("}", "]"):
            if stack:
                stack.pop()
            continue
        if token == ",":
            if top is not None:
                top.index += 1
                top.expecting_key = top.is_object
            continue
        if token == ":":
            continue
        if top is not None and top.is_object and top.expecting_key:
            top.key = _key_text(token)
            top.expecting_key = False
            if top.keys is None:
                top.keys = set()
            if top.key in top.keys and len(found.duplicates) < MAX_DUPLICATES and top.pointer is not None:
                found.duplicates.append((f"{top.pointer}/{escape(top.key)}"[: MAX_POINTER_CHARS + 1], line))
            top.keys.add(top.key)
            continue
        pointer: str | None
        if top is None:
            pointer = ""
        elif top.pointer is None or len(top.pointer) > MAX_POINTER_CHARS:
            pointer = None
        elif top.is_object:
            key = top.key or ""
            pointer = f"{top.pointer}/{escape(key)}" if len(key) <= MAX_POINTER_CHARS else None
        else:
            pointer = f"{top.pointer}/{top.index}"
        if pointer is not None and len(found.lines) < MAX_RECORDED:
            found.lines.setdefault(pointer, line)
        if token in ("{", "["):
            stack.append(_Frame(pointer, token == "{"))
            if len(stack) > max_depth:
                found.too_deep_line = line
                return found
    return found


class LazyPositions:
    """:class:`Positions` found only when a line is asked for: a valid descriptor needs none.

    At 1M claims the descriptor lists ~20,000 sources, and scanning it for
    positions took ~2 s of every validation.
    """

    def __init__(self, raw: str, max_depth: int) -> None:
        self._raw, self._max_depth = raw, max_depth
        self._found: Positions | None = None

    @property
    def found(self) -> Positions:
        if self._found is None:
            self._found = scan(self._raw, self._max_depth)
        return self._found

    def line(self, pointer: str) -> int | None:
        """The line of the value at ``pointer``, or of its nearest enclosing value."""
        return self.found.line(pointer)


def depth(value: object) -> int:
    """How deeply JSON objects and arrays nest in a parsed value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
        else:
            continue
        deepest = max(deepest, level + 1)
    return deepest
