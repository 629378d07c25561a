"""A process-wide setting is changed by the first user in and restored by the last one out, across threads."""

from __future__ import annotations

import threading

import pytest

from belarus_data.storage.processwide import ProcessSetting


def test_changed_once_and_restored_once_when_threads_overlap() -> None:
    log: list[str] = []
    setting = ProcessSetting(lambda: log.append("change") or "before", lambda saved: log.append(f"restore {saved}"))
    inside = threading.Barrier(2)
    leave_first = threading.Event()

    def user(first: bool) -> None:
        with setting.held():
            inside.wait()  # both are inside at once
            if not first:
                leave_first.wait()
            log.append("work")
        if first:
            leave_first.set()

    threads = [threading.Thread(target=user, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert log == ["change", "work", "work", "restore before"]


def test_restored_when_the_block_fails_and_changed_again_on_the_next_entry() -> None:
    log: list[str] = []
    setting = ProcessSetting(lambda: log.append("change") or len(log), lambda saved: log.append(f"restore {saved}"))
    with pytest.raises(RuntimeError), setting.held():
        raise RuntimeError("inside")
    with setting.held():
        pass
    assert log == ["change", "restore 1", "change", "restore 3"]
