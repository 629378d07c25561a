"""Validating without importing pandas: pyarrow looks for pandas on most conversions, and that costs ~0.4 s.

pyarrow imports pandas the first time a Python object meets Arrow (``pa.array``,
``pa.scalar``, a literal in a compute call, ``to_numpy``, ``group_by``), only to
ask whether the object is a pandas one. Validation never hands pandas objects to
Arrow, so while :func:`without_pandas` is active an import of pandas fails and
pyarrow, as it does when pandas is not installed, goes on without it.

pyarrow remembers the answer for its "is this a pandas object?" probes (a later
``to_pandas`` still imports pandas). So the guard is for a process that ends
after validating, i.e. the ``belarus-data validate`` command; a library caller
that may pass pandas objects to Arrow afterwards must not use it. Should a check
ever need pandas, the refused import fails loudly (exit 3), and
``tests/test_cold_start.py`` runs the guarded command on the real dataset and
the guarded validation on every corpus case.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

REFUSED = "pandas"


class _RefusePandas(MetaPathFinder):
    """An import hook that makes ``import pandas`` fail as if pandas were not installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname == REFUSED or fullname.startswith(REFUSED + "."):
            raise ModuleNotFoundError(f"{fullname} is not imported while validating (belarus_data.commands.pandasfree)")
        return None  # any other module: the normal finders decide


@contextmanager
def without_pandas() -> Iterator[None]:
    """Refuse ``import pandas`` inside the block, unless pandas is already imported (then nothing changes)."""
    if REFUSED in sys.modules:
        yield
        return
    finder = _RefusePandas()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
