"""What every exporter shares: optional-extra imports, the validity gate, all records as DataFrames."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from belarus_data.problems import DatasetError
from belarus_data.storage.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

# Called once per unit of work with a short description (e.g. "claims"); the CLI
# turns it into a progress bar, the library default does nothing.
Step = Callable[[str], None]


def no_step(_: str) -> None:
    """The default :data:`Step`: report nothing."""


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message says which extra brings it.

    >>> str(MissingExtra("matplotlib", "plot", "the timeline"))
    "the timeline needs matplotlib, which is not installed: pip install 'belarus-data[plot]'"
    """

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        self.module, self.extra = module, extra
        super().__init__(f"{purpose} needs {module}, which is not installed: pip install 'belarus-data[{extra}]'")


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtra` naming the extra that installs it.

    >>> require("json", "none", "this example").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(module.split(".")[0], extra, purpose) from None


def checked_root(root: str | os.PathLike[str] | None, step: Step = no_step) -> Path:
    """The dataset root, after a full validation: exports never publish invalid data.

    Raises :class:`~belarus_data.problems.DatasetError` with every located problem.
    """
    from belarus_data.storage.paths import resolve_root
    from belarus_data.validation import validate

    base = resolve_root(root)
    step("validate")
    report = validate(base)
    if not report.ok:
        raise DatasetError(report.problems)
    return base


def load_frames(root: Path, step: Step = no_step) -> dict[str, pd.DataFrame]:
    """Every table of the dataset through the loaders, in registry order: every record, withdrawn ones too."""
    from belarus_data.loaders import load_table

    frames = {}
    for spec in TABLES:
        step(f"load {spec.name}")
        # Exports keep everything (record_status says what is current); the loaders' default is active only.
        frames[spec.name] = load_table(spec.name, root, include_withdrawn=True)
    return frames


class ExportInvalid(ValueError):
    """An exported record does not match its generated JSON Schema (a bug in the exporter or the schema)."""
