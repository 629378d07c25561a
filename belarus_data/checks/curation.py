"""Curation rules (issue 3): mechanical checks that records follow docs/curation.md."""

from __future__ import annotations

from collections.abc import Callable

from belarus_data.checks.context import Context

CHECKS: tuple[Callable[[Context], None], ...] = ()
