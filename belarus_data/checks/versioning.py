"""Versioning rules against a base revision: published records change only visibly and never vanish.

Compared with the tables at the base (usually where a pull request left
``main``), every record of the working tree must follow these rules:

* a record whose content changed has ``version`` = old + 1 and a later ``updated``
  (the same day is accepted only when the previous version is from today, UTC);
  ``created`` never changes; an unchanged record keeps both;
* a new record starts at version 1;
* every key present at the base still exists (withdraw a record with
  ``record_status`` retracted or superseded, never delete it);
* an ID keeps naming the same thing: the fields in :data:`IDENTITY` may not change.

Active records pointing at withdrawn ones are caught by
:func:`belarus_data.checks.references.check_withdrawn_references` (code
``reference-withdrawn``), which runs with or without a base.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from belarus_data.checks.context import Context
from belarus_data.checks.rootcause import same_date
from belarus_data.history.tablediff import Cells, Pair, TableChanges, changes_since
from belarus_data.models import integers
from belarus_data.problems import Problem
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES, Table

# Fields whose change means the ID now names something else (a reused ID), not a correction.
IDENTITY: dict[str, tuple[str, ...]] = {
    "sources": ("text_sha256",),  # a source *is* its stored text
    "claims": ("source_id",),  # a claim is anchored in one source
    "actors": ("wikidata",),  # a different Wikidata item is a different actor
}
# Bookkeeping fields: they change *because* the content changed, so they are not content.
BOOKKEEPING = ("version", "updated")
WITHDRAW_HINT = (
    "keep the record and withdraw it: set record_status to retracted with a status_reason, "
    "or to superseded with superseded_by naming the replacement"
)


def _shown_key(table: Table, key: tuple[str | None, ...]) -> str:
    if table.primary_key == ("id",):
        return repr(key[0])
    return ", ".join(f"{k}={v!r}" for k, v in zip(table.primary_key, key, strict=True))


def _int(value: str | None) -> int | None:
    return integers.parse_or_none(value)  # the one integer rule: None where the cell checks report a problem


def _restored(old: Cells, new: Cells) -> Cells:
    """``new`` with each date a spreadsheet rewrote (15/08/2016 for 2016-08-15) as it was: no change of content.

    The rewriting itself is one problem for the whole file (``dates-reformatted``, see
    :mod:`belarus_data.checks.rootcause`), not a version bump for every row.
    """
    return {name: (old[name] if same_date(old.get(name), value) else value) for name, value in new.items()}


def _later(old_updated: str | None, new_updated: str | None) -> bool:
    """Whether ``updated`` was moved on as a change requires (a later day, or today for a record of today)."""
    if old_updated is None or new_updated is None:
        return False
    today = dt.datetime.now(dt.UTC).date().isoformat()
    return new_updated > old_updated or new_updated == old_updated == today


def _check_changed(ctx: Context, table: Table, index: int, old: Cells, new: Cells, base_label: str) -> None:
    new = _restored(old, new)
    changed = [c for c in table.columns if c not in BOOKKEEPING and old.get(c) != new.get(c)]
    old_version, new_version = _int(old.get("version")), _int(new.get("version"))
    old_updated, new_updated = old.get("updated"), new.get("updated")
    if not changed:
        if old_version != new_version or old_updated != new_updated:
            ctx.add(
                table,
                index,
                "version",
                "version-without-change",
                f"version/updated changed (version {old_version} -> {new_version}) but no other field did",
                f"restore version {old_version} and updated {old_updated}, or make the change the bump is for",
            )
        return
    for name in IDENTITY.get(table.name, ()):
        before, after = old.get(name), new.get(name)
        if before is not None and after is not None and before != after:
            ctx.add(
                table,
                index,
                name,
                "id-reused",
                f"{before!r} at base {base_label} is now {after!r}: the ID would name a different thing",
                "IDs are never reused: restore this record, and add the new thing under a fresh ID "
                "(`belarus-data new`), superseding the old one if it replaces it",
            )
            return
    what = ", ".join(changed)
    if new.get("created") != old.get("created"):
        ctx.add(
            table,
            index,
            "created",
            "version-created",
            f"created changed from {old.get('created')} to {new.get('created')}",
            f"created is the day the record was first published: restore {old.get('created')}",
        )
    if old_version is None or new_version is None:
        ctx.skipped(
            table,
            [index],
            ("version",),
            f"the version bump: version is {new.get('version')!r} here and {old.get('version')!r} at base {base_label}, "
            "not both whole numbers",
        )
    elif new_version != old_version + 1:
        # One problem for the bookkeeping of one change: the version, and the day if that was forgotten too.
        today = dt.datetime.now(dt.UTC).date().isoformat()
        stale = old_updated is not None and new_updated is not None and not _later(old_updated, new_updated)
        ctx.add(
            table,
            index,
            "version",
            "version-not-bumped",
            f"the record changed ({what}) but version is {new_version}; it was {old_version} at base {base_label}"
            + (f", and updated is still {new_updated}" if stale else ""),
            f"set version to {old_version + 1} (old + 1)"
            + (f" and updated to {today!r} (the day of the change, UTC)" if stale else ""),
        )
        return
    if old_updated is not None and new_updated is not None and not _later(old_updated, new_updated):
        # Dates have day precision: a record published today may be corrected today with the same date.
        today = dt.datetime.now(dt.UTC).date().isoformat()
        ctx.add(
            table,
            index,
            "updated",
            "version-updated",
            f"the record changed ({what}) but updated is {new_updated} (base {base_label}: {old_updated})",
            f"set updated to {today!r} (the day of the change, UTC), later than the previous version's",
        )


def compare_all(ctx: Context, base: Snapshot) -> dict[str, TableChanges]:
    """Each readable table's changes since ``base`` (none for a file that is the same as there).

    Only the files that differ from the working tree are read at the base.
    """
    changes = {}
    for table in TABLES:
        parsed = ctx.tables.get(table.name)
        if parsed is None:
            continue
        if not base.differs_from_tree(table.path):
            changes[table.name] = TableChanges()
            continue
        changes[table.name] = changes_since(table, base.file(table.path), ctx.root / table.path, parsed)
    return changes


def _merge_hint(ctx: Context, table: Table, pairs: list[Pair], base_label: str) -> None:
    """Say exactly how to merge the lines of one record edited twice into the first (their ``duplicate-key`` hint)."""
    parsed = ctx.tables[table.name]
    kept, old = pairs[0], pairs[0].old
    merged: Cells = {}
    conflicts = []
    for name in table.columns:
        if name in BOOKKEEPING:
            continue
        edited = {p.new.get(name) for p in pairs if _restored(old, p.new).get(name) != old.get(name)}
        if len(edited) > 1:
            conflicts.append(name)
        merged[name] = edited.pop() if len(edited) == 1 else old.get(name)
    old_version = _int(old.get("version"))
    if old_version is not None:
        merged["version"] = str(old_version + 1)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    updated = max((p.new.get("updated") or "" for p in pairs), default="")
    merged["updated"] = updated if updated > (old.get("updated") or "") else today
    line = parsed.line(kept.index)
    sets = [
        f"set {n} to {merged.get(n) or ''!r}"
        for n in table.columns
        if n not in conflicts and n in merged and merged.get(n) != kept.new.get(n)
    ]
    if conflicts:
        what = f"both edits change {', '.join(conflicts)}, differently: choose the right value there by hand" + (
            "; " + ", ".join(sets) if sets else ""
        )
    else:
        what = ", ".join(sets) if sets else "it already holds both edits"
    hint = (
        f"two edits of one record (version {old.get('version')} at base {base_label}) were both kept: "
        f"merge them into line {line}: {what}; then delete this line"
    )
    others = {parsed.line(p.index) for p in pairs[1:]}
    ctx.problems[:] = [
        dataclasses.replace(p, hint=hint)
        if p.code == "duplicate-key" and p.file == parsed.file and p.line in others
        else p
        for p in ctx.problems
    ]


def check_against(ctx: Context, base: Snapshot, compared: dict[str, TableChanges] | None = None) -> None:
    """Add a problem for every record that breaks the versioning rules relative to ``base``."""
    all_changes = compared if compared is not None else compare_all(ctx, base)
    for table in TABLES:
        parsed = ctx.tables.get(table.name)
        changes = all_changes.get(table.name)
        if parsed is None or changes is None:
            continue  # the file itself is broken (reported already), or the table is new
        if changes.added:
            versions = parsed.data.column("version").to_pylist()
            for index in changes.added:
                if versions[index] not in (None, "1"):
                    key = tuple(parsed.data.column(k)[index].as_py() for k in table.primary_key)
                    ctx.add(
                        table,
                        index,
                        "version",
                        "version-new",
                        f"{_shown_key(table, key)} is new (not at base {base.label}) but has version {versions[index]}",
                        "a new record starts at version 1 with updated = created",
                    )
        edits: dict[tuple[str | None, ...], list[Pair]] = {}
        for pair in changes.differing:
            edits.setdefault(tuple(pair.new.get(k) for k in table.primary_key), []).append(pair)
        for pairs in edits.values():
            if len(pairs) > 1:  # one record edited twice (two merged pull requests): one problem, merge them
                _merge_hint(ctx, table, sorted(pairs, key=lambda p: p.index), base.label)
                continue
            _check_changed(ctx, table, pairs[0].index, pairs[0].old, pairs[0].new, base.label)
        for line, cells in changes.deleted:
            key = tuple(cells.get(k) for k in table.primary_key)
            # Located at the line the record occupied at the base: in a sorted file
            # that is where the deletion shows in the pull request's diff.
            ctx.problems.append(
                Problem(
                    parsed.file,
                    line,
                    table.primary_key[-1],
                    "record-deleted",
                    f"{_shown_key(table, key)} existed at base {base.label} (line {line} there) and was deleted",
                    WITHDRAW_HINT,
                )
            )
