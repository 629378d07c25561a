"""What a change does to the records: per table, the records added, changed (field by field) and withdrawn.

Compares two snapshots of the tables (:class:`~belarus_data.storage.snapshot.Snapshot`) by primary
key, so a reordered or reformatted file shows no changes at all.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from belarus_data.escaping import markdown
from belarus_data.escaping.terminal import inert, inert_json
from belarus_data.history.revision import snapshot_at
from belarus_data.history.tablediff import compare_files, compare_tables
from belarus_data.storage.csvfile import LINE
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES

WITHDRAWN = ("retracted", "superseded")
MAX_SHOWN = 160  # characters of a value shown in a summary; the full value is in the file


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass
class RecordChange:
    """One record that differs between base and head."""

    key: str  # the ID, or "actor_id=…, alias=…" for tables with a composite key
    kind: str  # added | changed | withdrawn | deleted
    fields: list[FieldChange] = field(default_factory=list)
    line: int | None = None  # line in the head file (None for a deleted record)


@dataclass
class Diff:
    """All record changes from ``base`` to ``head``, per table (tables without changes are left out)."""

    base: str
    head: str
    tables: dict[str, list[RecordChange]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.tables.values())

    def counts(self, table: str) -> dict[str, int]:
        out = {"added": 0, "changed": 0, "withdrawn": 0, "deleted": 0}
        for change in self.tables.get(table, []):
            out[change.kind] += 1
        return out


def _key_text(primary_key: tuple[str, ...], key: tuple[str | None, ...]) -> str:
    if len(primary_key) == 1:
        return str(key[0])
    return ", ".join(f"{k}={v}" for k, v in zip(primary_key, key, strict=True))


def compare(base: Snapshot, head: Snapshot) -> Diff:
    """The record changes from ``base`` to ``head``.

    Each table is compared file to file (:func:`~belarus_data.history.tablediff.compare_files`):
    a table whose bytes did not change is not parsed, and of a changed one only the
    region that differs is, so memory does not grow with the tables.
    """
    result = Diff(base.label, head.label)
    order = {"added": 0, "changed": 1, "withdrawn": 2, "deleted": 3}
    for table in TABLES:
        compared = compare_files(table, base.file(table.path), head.file(table.path))
        if compared is None:  # irregular files: read whole, as they are
            new = head.table(table.name)
            changes = compare_tables(table, base.table(table.name), new)
        else:
            changes, new = compared.changes, compared.new
        lines = new.column(LINE).to_pylist()
        found: list[RecordChange] = []
        for index in changes.added:
            key = tuple(new.column(k)[index].as_py() for k in table.primary_key)
            found.append(RecordChange(_key_text(table.primary_key, key), "added", line=lines[index]))
        for pair in changes.differing:
            fields = [
                FieldChange(c, pair.old.get(c), pair.new.get(c))
                for c in table.columns
                if pair.old.get(c) != pair.new.get(c)
            ]
            withdrawn = pair.old.get("record_status") == "active" and pair.new.get("record_status") in WITHDRAWN
            key = tuple(pair.new.get(k) for k in table.primary_key)
            kind = "withdrawn" if withdrawn else "changed"
            found.append(RecordChange(_key_text(table.primary_key, key), kind, fields, lines[pair.index]))
        for _line, cells in changes.deleted:
            key = tuple(cells.get(k) for k in table.primary_key)
            found.append(RecordChange(_key_text(table.primary_key, key), "deleted"))
        if found:
            result.tables[table.name] = sorted(found, key=lambda c: (order[c.kind], c.key))
    return result


def diff(root: Path, base: str, head: str | None = None) -> Diff:
    """Record changes between git revision ``base`` and ``head`` (default: the working tree under ``root``).

    >>> d = diff(Path("."), "main")  # doctest: +SKIP
    >>> d.counts("claims")  # doctest: +SKIP
    {'added': 2, 'changed': 0, 'withdrawn': 0, 'deleted': 0}
    """
    after = snapshot_at(root, head) if head is not None else Snapshot.of_tree(root)
    with after, snapshot_at(root, base) as before:
        return compare(before, after)


def _short(value: str | None) -> str:
    if value is None:
        return "(empty)"
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def render_text(d: Diff) -> str:
    """Plain-text report: one line per record, one indented line per changed field; every value made inert."""
    if d.empty:
        return inert(f"no record changes between {d.base} and {d.head}")
    lines = [inert(f"record changes from {d.base} to {d.head}")]
    for name, changes in d.tables.items():
        counts = ", ".join(f"{n} {kind}" for kind, n in d.counts(name).items() if n)
        lines.append(f"{name}: {counts}")
        for change in changes:
            sign = {"added": "+", "changed": "~", "withdrawn": "-", "deleted": "!"}[change.kind]
            lines.append(inert(f"  {sign} {change.key} ({change.kind})"))
            lines += [inert(f"      {f.field}: {_short(f.old)} -> {_short(f.new)}") for f in change.fields]
    return "\n".join(lines)


def _md(value: str | None) -> str:
    # A table cell: literal text, no formatting, link, HTML, pipe or line break can come through.
    return markdown.text(_short(value))


def render_markdown(d: Diff) -> str:
    """Markdown for a pull-request summary (``$GITHUB_STEP_SUMMARY``); every value escaped by :mod:`~belarus_data.escaping.markdown`."""
    lines = [f"## Data changes: {markdown.code(d.base)} → {markdown.code(d.head)}", ""]
    if d.empty:
        return "\n".join([*lines, "No records were added, changed or withdrawn.", ""])
    lines += ["| table | added | changed | withdrawn | deleted |", "|---|---:|---:|---:|---:|"]
    for name in d.tables:
        c = d.counts(name)
        lines.append(
            f"| {markdown.code(name, in_table=True)} | {c['added']} | {c['changed']} | {c['withdrawn']} | {c['deleted']} |"
        )
    for name, changes in d.tables.items():
        lines += ["", f"### {markdown.code(name)}", ""]
        for change in changes:
            lines.append(f"- **{change.kind}** {markdown.code(change.key)}")
        detailed = [c for c in changes if c.fields]
        for change in detailed:
            lines += [
                "",
                f"#### {change.kind} {markdown.code(change.key)}",
                "",
                "| field | old | new |",
                "|---|---|---|",
            ]
            lines += [
                f"| {markdown.code(f.field, in_table=True)} | {_md(f.old)} | {_md(f.new)} |" for f in change.fields
            ]
    lines.append("")
    return "\n".join(lines)


def render_json(d: Diff) -> str:
    return inert_json(json.dumps(asdict(d), indent=2, ensure_ascii=False))


def render(d: Diff, fmt: str) -> str:
    """``d`` as ``text``, ``markdown`` or ``json``."""
    return {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt](d)
