"""belarus-data: claims and events from analytical texts on Belarus's foreign and security policy.

Importing the package loads no data and imports neither pandas nor
frictionless; the public functions are imported on first use.

>>> import belarus_data
>>> claims = belarus_data.load_claims()          # a typed pandas DataFrame
>>> report = belarus_data.validate()             # every problem, located
>>> report.ok
True

Dates are EDTF strings; ``edtf_bounds`` gives any of them as dates (strict and
widened by its qualifiers), and the loaders carry them as ``<stem>_lower`` …
columns, so that sorting and filtering by date is meaningful:

>>> belarus_data.edtf_bounds("2016-06?/2016-08").lower
datetime.date(2016, 6, 1)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from belarus_data._version import __version__

if TYPE_CHECKING:
    from belarus_data import vocab
    from belarus_data.dates.bounds import EdtfBounds, acled_precision, edtf_bounds
    from belarus_data.export.crosswalk import load_crosswalk
    from belarus_data.loaders import (
        load_actor_aliases,
        load_actors,
        load_claims,
        load_event_participants,
        load_events,
        load_sources,
        load_table,
    )
    from belarus_data.problems import DatasetError, Problem, Report
    from belarus_data.validation import validate

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "load_sources": "belarus_data.loaders",
    "load_actors": "belarus_data.loaders",
    "load_actor_aliases": "belarus_data.loaders",
    "load_claims": "belarus_data.loaders",
    "load_events": "belarus_data.loaders",
    "load_event_participants": "belarus_data.loaders",
    "load_table": "belarus_data.loaders",
    "validate": "belarus_data.validation",
    "Report": "belarus_data.problems",
    "Problem": "belarus_data.problems",
    "DatasetError": "belarus_data.problems",
    "vocab": "belarus_data.vocab",
    "edtf_bounds": "belarus_data.dates.bounds",
    "EdtfBounds": "belarus_data.dates.bounds",
    "acled_precision": "belarus_data.dates.bounds",
    "load_crosswalk": "belarus_data.export.crosswalk",
}

__all__ = [
    "DatasetError",
    "EdtfBounds",
    "Problem",
    "Report",
    "__version__",
    "acled_precision",
    "edtf_bounds",
    "load_actor_aliases",
    "load_actors",
    "load_claims",
    "load_crosswalk",
    "load_event_participants",
    "load_events",
    "load_sources",
    "load_table",
    "validate",
    "vocab",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'belarus_data' has no attribute {name!r}")
    value = import_module(module) if module.endswith("." + name) else getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
