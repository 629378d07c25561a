"""Rows of a table too large for memory, split by a group number and spilled to temporary Arrow files.

Validating a quote needs its source's text; at millions of claims neither all
the texts nor all the claims fit in memory together, and claims are ordered by
ID, not by source. So the claims are streamed once and each row is written to
the file of its text group (Arrow IPC, in a temporary directory removed on
close); each group is then read back alone, a chunk of rows at a time, beside
its texts. This is the partitioning step of a partitioned hash join.

>>> import numpy as np, pyarrow as pa
>>> with Partitions(2) as parts:
...     parts.add(pa.record_batch({"x": ["a", "b", "c"]}), np.array([1, 0, 1]), np.array([2, 3, 4]))
...     parts.finish()
...     [(chunk.column("x").to_pylist(), lines.tolist()) for chunk, lines in parts.chunks(1)]
[(['a', 'c'], [2, 4])]
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

    import numpy as np
    import pyarrow as pa

LINE = "__line"  # the physical line of each spilled row
CHUNK_ROWS = 50_000  # rows of one group handed out at once: bounds memory whatever the group's size


class Partitions:
    """``groups`` spill files; :meth:`add` appends rows to theirs, :meth:`chunks` reads one group back."""

    def __init__(self, groups: int) -> None:
        self.groups = groups
        self._dir = Path(tempfile.mkdtemp(prefix="belarus-data-partitions-"))
        self._writers: dict[int, tuple[pa.NativeFile, pa.ipc.RecordBatchFileWriter]] = {}
        self.rows = [0] * groups

    def add(self, batch: pa.RecordBatch, group: np.ndarray, lines: np.ndarray) -> None:
        """Append each row of ``batch`` (physical line ``lines[i]``) to group ``group[i]`` (0 ≤ group < groups)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.ipc as ipc

        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], np.arange(self.groups + 1))
        taken = batch.append_column(LINE, pa.array(lines, pa.int64())).take(pa.array(order))
        for g in np.flatnonzero(np.diff(bounds)).tolist():
            if g not in self._writers:
                sink = pa.OSFile(str(self._dir / f"{g}.arrow"), "wb")
                self._writers[g] = (sink, ipc.new_file(sink, taken.schema))
            first, last = int(bounds[g]), int(bounds[g + 1])
            self._writers[g][1].write_batch(taken.slice(first, last - first))
            self.rows[g] += last - first

    def finish(self) -> None:
        """Close every spill file (after the last :meth:`add`)."""
        for sink, writer in self._writers.values():
            writer.close()
            sink.close()

    def chunks(self, group: int) -> Iterator[tuple[pa.Table, np.ndarray]]:
        """The rows of ``group`` in the order added, at most about CHUNK_ROWS at a time, with their lines."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.ipc as ipc

        if group not in self._writers:
            return
        with pa.OSFile(str(self._dir / f"{group}.arrow"), "rb") as source:
            reader = ipc.open_file(source)
            pending: list[pa.RecordBatch] = []
            count = 0
            for k in range(reader.num_record_batches):
                batch = reader.get_batch(k)
                pending.append(batch)
                count += batch.num_rows
                if count >= CHUNK_ROWS or k == reader.num_record_batches - 1:
                    chunk = pa.Table.from_batches(pending).combine_chunks()
                    pending, count = [], 0
                    lines = np.asarray(chunk.column(LINE), dtype=np.int64)
                    yield chunk.drop_columns([LINE]), lines

    def close(self) -> None:
        for sink, _ in self._writers.values():
            if not sink.closed:
                sink.close()
        self._writers.clear()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Partitions:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
