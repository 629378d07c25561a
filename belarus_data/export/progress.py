"""A spinner for long commands, shown only to a person watching (stderr is a terminal).

CI logs, pipes and tests get nothing, so output stays clean and comparable.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from belarus_data.export.common import Step, no_step


@contextmanager
def spinner(label: str) -> Iterator[Step]:
    """Yield a :data:`~belarus_data.export.common.Step` that shows ``label: <step>`` and the elapsed time.

    >>> with spinner("export") as step:
    ...     step("claims")  # draws nothing unless stderr is a terminal
    """
    if not sys.stderr.isatty():
        yield no_step
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=None)

        def step(what: str) -> None:
            progress.update(task, description=f"{label}: {what}")

        yield step
