"""Small Arrow/numpy conversions every check family uses (one definition each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def strings(values: list[str]) -> pa.Array:
    """An Arrow string array, e.g. a value set for ``pyarrow.compute.is_in``."""
    import pyarrow as pa

    return pa.array(values, pa.string())


def mask(values: Any) -> np.ndarray:
    """A boolean numpy mask from an Arrow boolean result; null counts as False."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(values, False), dtype=bool)
