"""List cells whose items form a set: their one canonical order, shared by ``fmt`` and ``validate``.

A PLOVER event's contexts are a set ("intelligence;military" and
"military;intelligence" mean the same), so the files keep them in one order,
alphabetical, and a diff never shows a reordering as a change. Tags are not in
this registry: their order is the curator's.
"""

from __future__ import annotations

from typing import Final

from belarus_data.models.columns import LIST_SEPARATOR

# table name -> columns whose ';'-separated items are kept sorted
UNORDERED: Final[dict[str, tuple[str, ...]]] = {"events": ("context",)}


def canonical_list(value: str) -> str:
    """The items of a list cell in canonical (alphabetical) order.

    A cell with an empty item ("military;") is left as it is: the cell rules report it, and sorting
    would only move the gap.

    >>> canonical_list("military;intelligence")
    'intelligence;military'
    >>> canonical_list("military;")
    'military;'
    """
    items = value.split(LIST_SEPARATOR)
    return value if "" in items else LIST_SEPARATOR.join(sorted(items))
