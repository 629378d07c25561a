"""Loading tables as typed pandas DataFrames (or Pydantic objects).

A table is read once per root and file state, checked cell by cell (the same
checks as ``belarus-data validate``, limited to that table), converted to
pandas dtypes taken from the models, and cached. Invalid data raises
:class:`~belarus_data.problems.DatasetError` with located problems.

Every loader returns the **active** records only (``record_status == "active"``)
unless ``include_withdrawn=True`` is passed: retracted and superseded records are
kept in the dataset so that their IDs are never reused, but they are not
findings. The DataFrames also carry the columns derived from each EDTF column
(``date_lower``, ``date_upper``, ``date_lower_fuzzy``, ``date_upper_fuzzy`` for
``date_edtf``, and so on; see :mod:`belarus_data.storage.derived`) as
``datetime64``, and an event's empty ``time_precision`` derived from its date.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data.checks import cells
from belarus_data.checks.context import Context
from belarus_data.models import integers
from belarus_data.models.columns import Column
from belarus_data.problems import DatasetError, Problem
from belarus_data.storage.csvfile import read_bytes
from belarus_data.storage.derived import derived_columns, with_date_bounds
from belarus_data.storage.paths import resolve_root
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import Table, table

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from belarus_data.models.records import Record


def pandas_dtype(rule: Column) -> Any:
    """The pandas dtype a column is loaded as."""
    import pandas as pd

    if rule.kind == "integer":
        return pd.Int64Dtype()
    if rule.kind == "boolean":
        return pd.BooleanDtype()
    if rule.kind == "date":
        return "datetime64[s]"
    if rule.vocab and not rule.multi:
        return pd.CategoricalDtype(rule.codes)
    return pd.StringDtype()


def _read_checked(spec: Table, root: Path) -> pa.Table:
    problems: list[Problem] = []
    parsed = Snapshot.of_tree(root).parsed(spec.name, problems)
    if parsed is not None:
        ctx = Context(root=root, tables={spec.name: parsed}, problems=problems)
        cells.check_cells(ctx)
    if problems or parsed is None:
        raise DatasetError(problems)
    return parsed.data


def arrow_to_pandas(spec: Table, data: pa.Table) -> pd.DataFrame:
    """Convert checked string columns to a DataFrame with the schema's dtypes."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    columns: dict[str, Any] = {}
    for name in spec.columns:
        rule = spec.rules[name]
        column = data.column(name)
        if rule.kind == "integer":
            # The one integer rule (the cells were checked by it): a cell it refuses raises, never a wrong number.
            numbers = integers.to_arrow(column)
            columns[name] = numbers.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        elif rule.kind == "boolean":
            columns[name] = pc.equal(column, "true").to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        elif rule.kind == "date":
            columns[name] = pc.cast(pc.strptime(column, "%Y-%m-%d", "s"), pa.timestamp("s")).to_pandas()
        elif rule.vocab and not rule.multi:
            columns[name] = pd.Categorical(column.to_pandas(), categories=rule.codes)
        else:
            columns[name] = column.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    # The derived date bounds (date32), when ``data`` carries them: datetime64 like the stored dates.
    for derived in derived_columns(spec):
        if derived.name in data.column_names:
            columns[derived.name] = pc.cast(data.column(derived.name), pa.timestamp("s")).to_pandas()
    return pd.DataFrame(columns)


def _file_state(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


ACTIVE = "active"


@lru_cache(maxsize=32)
def _cached_frame(name: str, root: str, state: tuple[int, int], include_withdrawn: bool) -> pd.DataFrame:
    if not include_withdrawn:
        # Filtered from the cached full table: the file is read and checked once either way.
        every = _cached_frame(name, root, state, True)
        return every[every["record_status"] == ACTIVE].reset_index(drop=True)
    spec = table(name)
    return arrow_to_pandas(spec, with_date_bounds(spec, _read_checked(spec, Path(root))))


def load_table(
    name: str,
    root: str | os.PathLike[str] | None = None,
    *,
    as_models: bool = False,
    include_withdrawn: bool = False,
) -> Any:
    """Load one table by name (see ``belarus_data.storage.tables.TABLES``): its active records.

    ``include_withdrawn=True`` also returns the retracted and superseded records
    (``record_status`` says which). The whole file is checked either way.

    >>> from belarus_data import load_table
    >>> load_table("actors").loc[lambda d: d.id == "act-blr", "name"].item()
    'Belarus'
    >>> set(load_table("claims").record_status)
    {'active'}
    >>> len(load_table("claims", include_withdrawn=True)) >= len(load_table("claims"))
    True
    """
    spec = table(name)
    base = resolve_root(root)
    path = base / spec.path
    try:
        state = _file_state(path)
    except OSError:
        problems: list[Problem] = []
        read_bytes(path, spec.path, problems)  # words the problem exactly as `belarus-data validate` does
        raise DatasetError(
            problems or [Problem(spec.path, None, None, "file-missing", "cannot be read", f"is {base} a dataset root?")]
        ) from None
    frame = _cached_frame(name, str(base), state, include_withdrawn)
    if as_models:
        return to_models(spec, frame)
    # pandas copy-on-write makes a shallow copy safe: the cached frame never changes.
    return frame.copy(deep=False)


def to_models(spec: Table, frame: pd.DataFrame) -> list[Record]:
    import pandas as pd

    records: list[Record] = []
    stored = frame[spec.columns]  # the derived columns are not fields of the record
    for row in stored.astype(object).where(stored.notna(), None).to_dict("records"):
        values = {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in row.items() if v is not None}
        records.append(spec.model.model_validate(values))
    return records


def load_sources(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active sources as a DataFrame (or a list of :class:`~belarus_data.models.Source`).

    ``published_lower``/``published_upper`` (and ``_fuzzy``) are the publication date's bounds.

    >>> import belarus_data
    >>> belarus_data.load_sources()["language"].iloc[0]
    'en'
    >>> str(belarus_data.load_sources()["published_lower"].dtype)
    'datetime64[s]'
    """
    return load_table("sources", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_actors(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active actors as a DataFrame (or a list of :class:`~belarus_data.models.Actor`).

    >>> import belarus_data
    >>> "act-blr" in set(belarus_data.load_actors().id)
    True
    """
    return load_table("actors", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_actor_aliases(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active actor aliases as a DataFrame.

    >>> import belarus_data
    >>> "Minsk" in set(belarus_data.load_actor_aliases().alias)
    True
    """
    return load_table("actor_aliases", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_claims(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active claims as a DataFrame (or a list of :class:`~belarus_data.models.Claim`).

    ``time_lower``/``time_upper`` (and ``_fuzzy``) are the bounds of ``time_edtf``;
    ``horizon_*`` and ``time_anchor_*`` likewise.

    >>> import belarus_data
    >>> claims = belarus_data.load_claims()
    >>> str(claims["start"].dtype), str(claims["claim_type"].dtype), str(claims["time_lower"].dtype)
    ('Int64', 'category', 'datetime64[s]')
    >>> every = belarus_data.load_claims(include_withdrawn=True)   # retracted and superseded too
    >>> set(every.record_status) >= set(claims.record_status) == {'active'}
    True
    """
    return load_table("claims", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_events(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active events as a DataFrame (or a list of :class:`~belarus_data.models.Event`).

    ``date_lower``/``date_upper`` are the strict bounds of ``date_edtf`` (sort by
    them, not by the EDTF text), ``date_lower_fuzzy``/``date_upper_fuzzy`` those
    widened by its qualifiers; an empty ``time_precision`` is derived from them.

    >>> import belarus_data
    >>> events = belarus_data.load_events()
    >>> set(events.event_type) <= set(belarus_data.vocab.EVENT_TYPE)
    True
    >>> june = events[(events.date_lower >= "2016-06-01") & (events.date_upper <= "2016-06-30")]
    >>> bool((june.date_upper - june.date_lower).dt.days.max() < 30)
    True
    """
    return load_table("events", root, as_models=as_models, include_withdrawn=include_withdrawn)


def load_event_participants(
    root: str | os.PathLike[str] | None = None, *, as_models: bool = False, include_withdrawn: bool = False
) -> Any:
    """Active event participants as a DataFrame (or a list of :class:`~belarus_data.models.EventParticipant`).

    Withdrawn participant rows (e.g. a participant recorded by mistake) are left out
    unless ``include_withdrawn=True``.

    >>> import belarus_data
    >>> participants = belarus_data.load_event_participants()
    >>> len(participants) > 0 and set(participants.record_status) == {"active"}
    True
    """
    return load_table("event_participants", root, as_models=as_models, include_withdrawn=include_withdrawn)
