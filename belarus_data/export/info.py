"""``belarus-data info``: what a dataset holds, counted by :func:`belarus_data.summary.summarise`.

Reads the tables as the validator does (safely, as strings) but runs no checks,
so it answers quickly even for a dataset that does not validate; files that
cannot be read are reported, not hidden.
"""

from __future__ import annotations

import json
import os
from typing import Any

from belarus_data._version import __version__
from belarus_data.export.common import Step, no_step
from belarus_data.problems import Problem
from belarus_data.storage.paths import MAX_DESCRIPTOR_BYTES, inside, read_file, resolve_root
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES
from belarus_data.summary import summarise

LICENCES = {"records": "CC-BY-4.0", "code": "MIT"}


def _dataset_version(root: os.PathLike[str]) -> str | None:
    from pathlib import Path

    try:
        path = inside(Path(root), "datapackage.json")
        data = read_file(path, MAX_DESCRIPTOR_BYTES)  # a regular file only: a FIFO would block `info`
        if data is None or len(data) > MAX_DESCRIPTOR_BYTES:
            return None
        descriptor = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # a hostile descriptor is for `validate` to report
        return None
    version = descriptor.get("version") if isinstance(descriptor, dict) else None
    return version if isinstance(version, str) else None


def dataset_info(root: str | os.PathLike[str] | None = None, step: Step = no_step) -> dict[str, Any]:
    """A JSON-ready summary: version, licences, rows per table, counts per type and status, sources, dates.

    >>> from belarus_data.export.info import dataset_info
    >>> dataset_info()["tables"]["claims"]["rows"] > 0
    True
    """
    base = resolve_root(root)
    problems: list[Problem] = []
    tables = {}
    tree = Snapshot.of_tree(base)
    for spec in TABLES:
        step(f"read {spec.name}")
        parsed = tree.parsed(spec.name, problems)
        if parsed is not None:
            tables[spec.name] = parsed.data
    info: dict[str, Any] = {
        "name": "belarus-data",
        "dataset_version": _dataset_version(base),
        "package_version": __version__,
        "root": str(base),
        "licenses": LICENCES,
    }
    info |= summarise(tables)
    info["unreadable"] = [p.as_text() for p in sorted(set(problems))]
    return info


def _counts(values: dict[str, int]) -> str:
    return ", ".join(f"{code} {n}" for code, n in values.items()) or "none"


def render_info(info: dict[str, Any]) -> str:
    """The summary as readable text."""
    version = info["dataset_version"] or "unknown"
    lines = [
        f"belarus-data {version} at {info['root']}",
        f"records licensed {info['licenses']['records']}, code {info['licenses']['code']}",
        "",
        f"{'table':<20} {'rows':>8} {'active':>8} {'withdrawn':>10}",
    ]
    details = []
    for name, entry in info["tables"].items():
        status = entry.get("record_status", {})
        active = status.get("active", 0)
        lines.append(f"{name:<20} {entry['rows']:>8} {active:>8} {entry['rows'] - active:>10}")
        for column, counts in entry.items():
            if isinstance(counts, dict) and column != "record_status":
                details.append(f"{name} by {column}: {_counts(counts)}")
    lines += ["", *details]
    dates = info.get("event_dates")
    if dates:
        lines += ["", f"events dated between {dates['earliest']} and {dates['latest']} (widest EDTF bounds)"]
    sources = info.get("sources", [])
    lines += ["", f"sources ({len(sources)}):"]
    lines += [f"  {s['id']} (published {s['published'] or 'undated'}): {s['title']}" for s in sources]
    if info["unreadable"]:
        lines += ["", "could not read (run `belarus-data validate` for every problem):"]
        lines += [f"  {p}" for p in info["unreadable"]]
    return "\n".join(lines)
