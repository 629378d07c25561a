"""Claims too large to hold whole: read once as a stream, their free text checked a text group at a time.

At two million claims, claims.csv is ~1.4 GB and its texts ~1 GB; held whole
(with what the checks derive from them) validation needed 3.4 GiB. Here:

1. the claims are streamed (:func:`~belarus_data.storage.csvfile.regular_batches`,
   1 MiB blocks); of each block only the *narrow* columns (IDs, codes, dates,
   numbers: ~30% of the bytes) are kept for the checks across rows and tables,
   and the whole rows go to the spill file of their source's text group
   (:class:`~belarus_data.storage.partitions.Partitions`);
2. each text group is then loaded once (hashes, lengths, encodings checked)
   and its claims read back a chunk at a time, and every check of a single
   claim row that reads free text runs on that chunk: quotes against the text,
   the cell rules, the one-sentence rule and the paraphrase rule.

The problems are exactly those of the whole-table path (a test runs both on
every corpus case); only memory differs. The whole-table path stays for files
small enough to hold (:data:`WHOLE_BYTES`), for the rows engine and for
incremental runs.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from belarus_data.checks import cells, curation, evidence
from belarus_data.checks.context import Context
from belarus_data.storage.arrowpool import release_unused_memory
from belarus_data.storage.csvfile import Irregular, ParsedTable, regular_batches, regular_scan
from belarus_data.storage.partitions import Partitions
from belarus_data.storage.sourcetexts import SourceTexts, TextBuffers
from belarus_data.storage.tables import table

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import pyarrow as pa

    from belarus_data.storage.snapshot import Snapshot

WHOLE_BYTES = 768 << 20  # claims.csv up to this size is held whole (at 1M claims, ~700 MB: ~1.9 GiB in all)
WIDE = ("statement", "quote", "prefix", "suffix")  # free text: ~70% of the bytes; read only by CHUNK_CHECKS
COMPACT_EVERY = 64  # narrow blocks joined into one chunk at a time (fewer, larger chunks for the kernels)

Check = Callable[[Context], None]
# The checks of one claim row that read its free text, run on each chunk of a text group.
CHUNK_CHECKS: tuple[Check, ...] = (
    cells.check_cells,
    curation.check_quote_in_one_sentence,  # after the quotes: it reads quotes_verified
    curation.check_statement_paraphrases,
)


@dataclass
class SplitClaims:
    """The claims as narrow columns in file order, and every whole row spilled to its text group."""

    narrow: ParsedTable
    parts: Partitions
    unread: int  # the group number of claims whose source has no readable text (the last one)


def worth_it(tree: Snapshot) -> bool:
    """Whether claims.csv is too large to be held whole (a regular file over :data:`WHOLE_BYTES`)."""
    path = tree.file(table("claims").path)
    try:
        return path is not None and not path.is_symlink() and path.stat().st_size > WHOLE_BYTES
    except OSError:
        return False


def split_claims(path: Path, ctx: Context, plan: evidence.TextPlan) -> SplitClaims | None:
    """Stream claims.csv once: narrow columns kept, whole rows spilled by text group; None if it is not regular.

    A file that is not regular (or stops being so part-way) is left to the
    whole-table reader, which words each structural problem.
    """
    import numpy as np
    import pyarrow as pa

    spec = table("claims")
    scanned = regular_scan(path, spec.columns)
    if scanned is None:
        return None
    narrow_columns = [name for name in spec.columns if name not in WIDE]
    faulty = np.array(sorted(fault.line for fault in scanned.faults), dtype=np.int64)
    unread = len(plan.groups)
    parts = Partitions(unread + 1)
    chunks: list[pa.Table] = []
    pending: list[pa.RecordBatch] = []
    lines: list[np.ndarray] = []
    first_line = 2
    try:
        for batch in regular_batches(path, spec.columns, scanned):
            at = np.arange(first_line, first_line + batch.num_rows, dtype=np.int64)
            first_line += batch.num_rows
            if len(faulty) and np.isin(at, faulty).any():  # a misplaced quote: reported, its row dropped
                keep = ~np.isin(at, faulty)
                batch, at = batch.filter(pa.array(keep)), at[keep]
            group = plan.group_of(batch.column("source_id"))
            parts.add(batch, np.where(group < 0, unread, group), at)
            pending.append(batch.select(narrow_columns))
            lines.append(at)
            if len(pending) >= COMPACT_EVERY:
                chunks.append(pa.Table.from_batches(pending).combine_chunks())
                pending = []
        parts.finish()
    except Irregular:
        parts.close()
        return None
    except BaseException:
        parts.close()
        raise
    if pending:
        chunks.append(pa.Table.from_batches(pending).combine_chunks())
    schema = pa.schema([(name, pa.string()) for name in narrow_columns])
    data = pa.concat_tables(chunks) if chunks else schema.empty_table()
    ctx.problems.extend(fault.problem(spec.path, spec.columns) for fault in scanned.faults)
    every_line = np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64)
    return SplitClaims(ParsedTable(spec.path, data, every_line), parts, unread)


def check_groups(ctx: Context, plan: evidence.TextPlan, split: SplitClaims, workers: int = 2) -> None:
    """Every text group with the claims that quote it, then the claims without a readable text; ``workers`` at a time."""
    budget = evidence.SearchBudget()
    not_shipped: list[int] = []
    buffers = TextBuffers()

    def one(group: int) -> None:
        store = evidence.load_text_group(ctx, plan, group, buffers) if group != split.unread else None
        for data, lines in split.parts.chunks(group):
            _check_chunk(ctx, plan, ParsedTable(split.narrow.file, data, lines), store, budget, not_shipped)
        if store is not None:
            buffers.give(store)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="belarus-data-group") as pool:
        for done in [pool.submit(one, group) for group in range(split.unread + 1)]:
            done.result()
    if plan.withheld:
        evidence.note_withheld(ctx, plan, sum(not_shipped))


def _check_chunk(
    ctx: Context,
    plan: evidence.TextPlan,
    chunk: ParsedTable,
    store: SourceTexts | None,
    budget: evidence.SearchBudget,
    not_shipped: list[int],
) -> None:
    """The row checks that read free text, on one chunk of claims (all quoting texts in ``store``, or none)."""
    import numpy as np

    rows = np.arange(chunk.num_rows)
    # Sharing the problem, skip and note lists: what the chunk reports is the validation's.
    with_sources = ctx.sharing({"claims": chunk, "sources": ctx.tables["sources"]})
    if store is None:
        not_shipped.append(evidence.check_unread_sources(with_sources, plan, rows))
        verified = np.zeros(chunk.num_rows, dtype=bool)
    else:
        verified = evidence.check_quotes(with_sources, plan, store, rows, budget)
    alone = ctx.sharing({"claims": chunk})
    alone.quotes_verified = verified
    for check in CHUNK_CHECKS:
        check(alone)
    release_unused_memory()


def without_claims(ctx: Context) -> Context:
    """The context without the claims table (whose cells are checked chunk by chunk), sharing its lists."""
    return ctx.sharing({name: parsed for name, parsed in ctx.tables.items() if name != "claims"})
