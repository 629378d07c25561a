"""Which allocator Arrow uses while the library reads and checks a dataset.

pyarrow's default pool on Linux is mimalloc, which hands freed pages back to
the system within milliseconds; the next block of a parse or a check then
faults in fresh pages that the kernel must zero first. At 1M claims that page
zeroing was 23% of a validation's CPU time, and its run-to-run spread (sys time
1.9–5.0 s) was most of the benchmark's noise. jemalloc, which pyarrow also ships on
Linux, keeps freed pages for reuse a while: sys time 1.5 s, steady, and a lower peak
(see benchmarks/README.md). Where pyarrow was built without jemalloc, or the user
chose a pool through ``ARROW_DEFAULT_MEMORY_POOL``, nothing changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from belarus_data.storage.processwide import ProcessSetting

if TYPE_CHECKING:
    import pyarrow as pa

CHOSEN_BY_USER = "ARROW_DEFAULT_MEMORY_POOL"  # pyarrow's own setting: respected as it is


def reusing_pool() -> pa.MemoryPool | None:
    """jemalloc's pool, if this pyarrow has it and the user chose no pool; else None."""
    import pyarrow as pa

    if os.environ.get(CHOSEN_BY_USER):
        return None
    try:
        return pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return None


def release_unused_memory() -> None:
    """Hand the memory Arrow's current pool has freed but keeps for reuse back to the system now.

    Between the steps of a split validation (and the block groups of a loader) that kept memory
    was ~370 MB at 2M claims, enough to break the 2 GiB bound.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _use_reusing_pool() -> tuple[pa.MemoryPool, pa.MemoryPool]:
    """(the pool before, the reusing one), the reusing one now the default."""
    import pyarrow as pa

    before, reusing = pa.default_memory_pool(), reusing_pool()
    pa.set_memory_pool(reusing)
    return before, reusing


def _restore_pool(pools: tuple[pa.MemoryPool, pa.MemoryPool]) -> None:
    import pyarrow as pa

    before, reusing = pools
    pa.set_memory_pool(before)
    reusing.release_unused()  # what it kept for reuse is not kept past the work (an export follows)


_REUSING = ProcessSetting(_use_reusing_pool, _restore_pool)


@contextmanager
def reusing_memory() -> Iterator[None]:
    """Within the block, Arrow allocates from :func:`reusing_pool` (when there is one).

    Arrays made inside keep working after it: each holds its own pool.

    >>> with reusing_memory():
    ...     pass
    """
    if reusing_pool() is None:
        yield
        return
    with _REUSING.held():
        yield
