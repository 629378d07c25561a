"""``belarus-data info``: what a dataset holds, counted by :func:`belarus_data.summary.summarise`.

Reads the tables as the validator does (safely, as strings) but runs no checks,
so it answers quickly even for a dataset that does not validate; files that
cannot be read are reported, not hidden. A regular file is read a block at a
time and only the columns counted are kept (``belarus_data.loaders.regular_batches``),
so memory does not grow with the width of the records; any other file is read
whole by the strict reader, which words what is wrong with it.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from belarus_data._version import __version__
from belarus_data.export.common import Step, no_step
from belarus_data.problems import Problem
from belarus_data.storage.paths import MAX_DESCRIPTOR_BYTES, inside, read_file, resolve_root
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES, Table
from belarus_data.summary import COUNTED, summarise

if TYPE_CHECKING:
    from pathlib import Path

    import pyarrow as pa

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
        kept = _counted_columns(spec, base)
        if kept is not None:
            tables[spec.name] = kept
            continue
        parsed = tree.parsed(spec.name, problems)
        if parsed is not None:
            tables[spec.name] = parsed.data.select(_wanted(spec))
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


# Columns the summary reads beyond the counted ones (belarus_data.summary.summarise).
ALSO_READ: dict[str, tuple[str, ...]] = {"events": ("date_edtf",), "sources": ("id", "title", "published")}


def _wanted(spec: Table) -> list[str]:
    wanted = {*COUNTED.get(spec.name, ()), *ALSO_READ.get(spec.name, ())}
    return [name for name in spec.columns if name in wanted]


def _counted_columns(spec: Table, root: Path) -> pa.Table | None:
    """The columns the summary reads, a block at a time; None if the file needs the strict reader."""
    import pyarrow as pa

    from belarus_data.loaders import regular_batches, regular_rows
    from belarus_data.storage.csvfile import Irregular

    expected = regular_rows(spec, root)
    if expected is None:
        return None
    wanted = _wanted(spec)
    try:
        # Only the kept columns' buffers outlive each block.
        parts = [batch.select(wanted) for batch in regular_batches(spec, root, expected)]
    except Irregular:
        return None
    if not parts:
        return pa.table({name: pa.array([], pa.string()) for name in wanted})
    return pa.concat_tables(parts)


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
