"""A process-wide setting changed while the library works, and put back when the last user leaves.

The allocator Arrow uses (:mod:`arrowpool`) and Python's cyclic collector (:mod:`collector`) belong
to the whole process: calls may nest (a loader inside a command) or run on several threads at once,
so the first to enter changes the setting, and the last to leave restores what was there before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Saved = TypeVar("Saved")


class ProcessSetting(Generic[Saved]):
    """``change()`` on the first entry (it returns what it replaced); ``restore(saved)`` on the last exit.

    >>> import gc
    >>> paused = ProcessSetting(lambda: (gc.isenabled(), gc.disable())[0], lambda was: was and gc.enable())
    >>> with paused.held(), paused.held():
    ...     gc.isenabled()
    False
    """

    def __init__(self, change: Callable[[], Saved], restore: Callable[[Saved], object]) -> None:
        self._change, self._restore = change, restore
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: Saved | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._saved = self._change()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    saved, self._saved = self._saved, None
                    self._restore(saved)  # type: ignore[arg-type]
