"""Whole-graph rules on the columns that point within their own table.

* ``actors.parent_id`` has no cycle: following parents always reaches a top body.
* ``actors.parent_id`` skips no level: the parent's ``actor_type`` is one the
  hierarchy rule of docs/curation.md section 8 allows for the child's type
  (armed forces under a ministry of defence or larger armed forces, never
  straight under the state; groups and states have no parent).
* ``superseded_by`` (in every table that has it) has no cycle and no chain, and
  names an active record: a replacement is the record to use now, so it is
  itself neither withdrawn nor replaced.

A pointer to itself is a cycle of one, reported by the row's model
(``actor-parent-self``, ``lifecycle-superseded``) and not again here; a pointer
that resolves nowhere is a ``foreign-key`` problem and ends its path here. Each
cycle is reported once, at the member on the earliest line, naming the whole
cycle in pointer order. Rows are followed iteratively, each once, so the work
is linear in the rows that point somewhere and a 100,000-long chain costs no
stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from belarus_data.checks.context import Context
from belarus_data.storage.csvfile import ParsedTable
from belarus_data.storage.tables import TABLES, Table, table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

IN_CYCLE = -1  # the end of a path that runs into a cycle: there is no end
SHOWN = 6  # records named at each end of a long cycle or chain; the rest is counted


def successors(ids: pa.ChunkedArray, pointers: pa.ChunkedArray) -> np.ndarray:
    """Per row, the row its pointer names (the first row with that ID), or -1 (empty, unknown, or itself)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = np.full(len(pointers), -1, dtype=np.int64)
    named = pc.unique(pointers).drop_null()  # few: most records point nowhere
    if len(named) == 0:
        return rows
    # The IDs are looked up among the few values named, not hashed whole: the rows whose ID is named,
    # in file order, so that index_in finds the first row with each ID. An empty ID is never named.
    hit = np.flatnonzero(np.asarray(pc.fill_null(pc.is_in(ids, value_set=named), False), dtype=bool))
    found = pc.index_in(pointers, value_set=ids.take(pa.array(hit, pa.int64())), skip_nulls=True)
    at = np.asarray(pc.fill_null(found, -1), dtype=np.int64)
    rows[at >= 0] = hit[at[at >= 0]]
    rows[rows == np.arange(len(rows))] = -1  # a cycle of one: the model reports it
    return rows


@dataclass(frozen=True)
class Paths:
    """Where following the pointers leads, per row."""

    cycles: list[list[int]]  # each cycle once, in pointer order, from its earliest row
    end: list[int]  # the last row reached (the row itself if it points nowhere), or IN_CYCLE
    steps: list[int]  # how many pointers lead from the row to its end (0 if it runs into a cycle)
    cycle: list[int]  # the earliest row of the cycle it runs into (or is on), or -1


def follow(successor: np.ndarray) -> Paths:
    """The cycles and path ends of a graph in which each row points to at most one row (-1: none).

    Iterative and linear: each row is put on a path once and resolved once.

    >>> import numpy as np
    >>> paths = follow(np.array([1, 2, -1, 4, 3, 3]))
    >>> paths.cycles, paths.end, paths.steps, paths.cycle
    ([[3, 4]], [2, 2, 2, -1, -1, -1], [2, 1, 0, 0, 0, 0], [-1, -1, -1, 3, 3, 3])
    """
    import numpy as np

    nxt: list[int] = successor.tolist()
    unknown = -2
    end = [row if target < 0 else unknown for row, target in enumerate(nxt)]
    steps = [0] * len(nxt)
    cycle_of = [-1] * len(nxt)
    position = [-1] * len(nxt)  # where a row stands on the path being walked
    cycles: list[list[int]] = []
    for start in np.flatnonzero(successor >= 0).tolist():
        if end[start] != unknown:
            continue
        path: list[int] = []
        row = start
        while end[row] == unknown and position[row] < 0:
            position[row] = len(path)
            path.append(row)
            row = nxt[row]
        if end[row] == unknown:  # back on this path: a cycle
            ring = path[position[row] :]
            first = ring.index(min(ring))
            cycles.append(ring[first:] + ring[:first])
            last, into, base = IN_CYCLE, ring[first], 0
        else:
            last, into, base = end[row], cycle_of[row], steps[row]
        for k, member in enumerate(path):
            end[member] = last
            cycle_of[member] = into
            steps[member] = 0 if last == IN_CYCLE else base + len(path) - k
            position[member] = -1
    cycles.sort(key=lambda ring: ring[0])
    return Paths(cycles, end, steps, cycle_of)


def shown(names: list[str]) -> str:
    """Records joined by arrows; a long run is cut to its first and last few, the rest counted."""
    if len(names) <= 2 * SHOWN + 1:
        return " → ".join(names)
    hidden = len(names) - 2 * SHOWN
    return " → ".join([*names[:SHOWN], f"… ({hidden:,} more) …", *names[-SHOWN:]])


@dataclass(frozen=True)
class Graph:
    """The rows of a table that point somewhere or are pointed at, numbered 0.. in file order.

    In a large table they are few (most records point nowhere), so only they are
    turned into Python values and followed.
    """

    rows: list[int]  # the table row of each node
    successor: np.ndarray  # per node, the node it points at, or -1
    ids: list[str]
    status: list[str | None]  # record_status

    @classmethod
    def of(cls, parsed: ParsedTable, column: str) -> Graph:
        import numpy as np
        import pyarrow as pa

        data = parsed.data
        successor = successors(data.column("id"), data.column(column))
        pointing = np.flatnonzero(successor >= 0)
        marked = np.zeros(len(successor), dtype=bool)
        marked[pointing] = True
        marked[successor[pointing]] = True
        nodes = np.flatnonzero(marked)  # in file order
        local = np.full(len(nodes), -1, dtype=np.int64)
        local[np.searchsorted(nodes, pointing)] = np.searchsorted(nodes, successor[pointing])
        at = pa.array(nodes, pa.int64())
        ids = [value or "" for value in data.column("id").take(at).to_pylist()]
        return cls(nodes.tolist(), local, ids, data.column("record_status").take(at).to_pylist())

    def ring(self, cycle: list[int]) -> str:
        """A cycle named in pointer order, back to where it starts: 'A → B → C → A'."""
        return shown([self.ids[node] for node in [*cycle, cycle[0]]])


def check_parent_cycles(ctx: Context) -> None:
    """No actor is, through its parents, part of itself."""
    if "actors" not in ctx.tables:
        return
    found = Graph.of(ctx.tables["actors"], "parent_id")
    for cycle in follow(found.successor).cycles:
        ctx.add(
            table("actors"),
            found.rows[cycle[0]],
            "parent_id",
            "actor-parent-cycle",
            f"parent_id runs in a cycle of {len(cycle):,} actors: {found.ring(cycle)}",
            "an actor cannot be part of itself: empty the parent_id of the one at the top of the hierarchy, "
            "or point it at the larger body it really belongs to",
        )


# Child actor_type -> the parent actor_types the hierarchy rule allows (docs/curation.md section 8).
# Types not listed (person, media, organisation, international_organisation) are not constrained.
PARENT_TYPES: dict[str, tuple[str, ...]] = {
    "state": (),
    "group": (),
    "government": ("state",),
    "ministry": ("state",),
    "armed_forces": ("ministry", "armed_forces"),
    "intelligence_service": ("ministry", "state"),
}


def check_parent_levels(ctx: Context) -> None:
    """Each active actor's parent is of a type the hierarchy rule allows directly above it: no skipped level."""
    if "actors" not in ctx.tables:
        return
    ids = ctx.values("actors", "id")
    types = ctx.values("actors", "actor_type")
    type_of = {actor: kind for actor, kind in zip(ids, types, strict=True) if actor}
    active = ctx.active_mask("actors")
    for row, (actor, kind, parent) in enumerate(zip(ids, types, ctx.values("actors", "parent_id"), strict=True)):
        # An unknown type or a parent that resolves nowhere is reported by the cell and key rules.
        if not active[row] or not parent or parent == actor or kind not in PARENT_TYPES:
            continue
        above = type_of.get(parent)
        allowed = PARENT_TYPES[kind]
        if above is None or above in allowed:
            continue
        if not allowed:
            hint = f"empty parent_id: an actor of type {kind} is not part of another actor's hierarchy"
        else:
            hint = (
                f"point parent_id at the body directly above it (actor_type {' or '.join(allowed)}), adding that "
                "actor if it is missing, e.g. the ministry of defence between a state and its armed forces"
            )
        ctx.add(
            table("actors"),
            row,
            "parent_id",
            "actor-parent-level",
            f"an actor of type {kind} has a parent of type {above} ({parent}), which skips a level of the hierarchy",
            hint,
        )


def check_supersession(ctx: Context) -> None:
    """``superseded_by`` ends where it points: no cycle, no chain, and at an active record."""
    for spec in TABLES:
        if spec.name in ctx.tables and "superseded_by" in spec.columns:
            _check_supersession(ctx, spec)


def _check_supersession(ctx: Context, spec: Table) -> None:
    parsed = ctx.tables[spec.name]
    found = Graph.of(parsed, "superseded_by")
    paths = follow(found.successor)
    nxt: list[int] = found.successor.tolist()
    ids, status, rows = found.ids, found.status, found.rows
    on_cycle = {node for cycle in paths.cycles for node in cycle}
    for cycle in paths.cycles:
        ctx.add(
            spec,
            rows[cycle[0]],
            "superseded_by",
            "superseded-cycle",
            f"superseded_by runs in a cycle of {len(cycle):,} records: {found.ring(cycle)}",
            "a replacement is the record to use now: make the current one active again "
            "(record_status active, superseded_by and status_reason empty) and point the others straight at it",
        )
    for node, target in enumerate(nxt):
        if target < 0 or node in on_cycle:
            continue  # points nowhere, or reported once above with its whole cycle
        if nxt[target] >= 0:  # the replacement is itself replaced
            final = paths.end[target]
            if final == IN_CYCLE:
                hint = (
                    f"the records after {ids[target]!r} run in a cycle (reported at line "
                    f"{parsed.line(rows[paths.cycle[target]])}): end the cycle at the current record, "
                    "then point superseded_by straight at it"
                )
            elif status[final] == "active":
                further = paths.steps[target]
                hint = f"point superseded_by at the end of the chain, {ids[final]!r}" + (
                    f" ({further:,} records further on)" if further > 1 else ""
                )
            else:
                hint = (
                    f"the chain ends at {ids[final]!r}, which is {status[final]}: point superseded_by at an active "
                    "record that replaces this one, or retract this record instead"
                )
            ctx.add(
                spec,
                rows[node],
                "superseded_by",
                "superseded-chain",
                f"points at {ids[target]!r}, which is itself superseded by {ids[nxt[target]]!r}",
                hint,
            )
        elif status[target] in ("retracted", "superseded"):
            # Superseded without a valid superseded_by of its own: that row carries its own problem too.
            ctx.add(
                spec,
                rows[node],
                "superseded_by",
                "superseded-inactive",
                f"points at {ids[target]!r}, which is {status[target]}",
                "the replacement must be an active record: point superseded_by at the record that replaces "
                "this one, or retract this record instead (record_status retracted, superseded_by empty)",
            )
        # Any other status of the target is empty or not in the vocabulary: reported at the target.
