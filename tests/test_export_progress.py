"""The spinner shows only on a terminal: pipes, CI logs and tests get no progress output."""

from __future__ import annotations

import io
import sys

import pytest

from belarus_data.export.common import no_step
from belarus_data.export.progress import spinner


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_terminal_no_output(monkeypatch: pytest.MonkeyPatch) -> None:
    captured = io.StringIO()
    monkeypatch.setattr(sys, "stderr", captured)
    with spinner("export") as step:
        step("claims")
    assert step is no_step
    assert captured.getvalue() == ""


def test_terminal_shows_the_current_step(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CI", raising=False)
    with spinner("export") as step:
        assert step is not no_step
        step("insert claims")
    assert "export: insert claims" in terminal.getvalue()
