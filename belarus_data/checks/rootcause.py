"""One root cause, one problem: what is left of a report once the consequences of one mistake are folded into it.

Run once after every check (both engines, so they still agree). Two mistakes otherwise show as many:

* a quote not at its offsets: the row rule ``offsets-length`` ("set end to …") and the text check
  ``quote-mismatch`` ("the quote occurs at …") both fire, and following the first makes it worse.
  Where the text could be read, ``quote-mismatch`` alone is kept: its hint (see
  :mod:`belarus_data.checks.quotefix`) is the one right fix;
* a record changed and its ``updated`` moved on, but not its version: the row rule
  ``lifecycle-version`` (version 1 with updated != created) is the versioning rule's
  ``version-not-bumped``, which says which version to set;
* a spreadsheet that rewrote every date of a table (2016-08-15 as 15/08/2016 or 8/15/16): one
  ``not-date`` or ``edtf`` problem per cell becomes one ``dates-reformatted`` problem for the file,
  naming the columns, the count and an example, with the way back. The versioning rules do not count
  such a rewritten date as a change (:func:`same_date`), so no version bumps are asked for either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from belarus_data.checks.context import Context
from belarus_data.problems import Problem

# Problems made redundant by another problem of the same row: code -> the codes that explain it.
EXPLAINED_BY: dict[str, tuple[str, ...]] = {
    "offsets-length": ("quote-mismatch", "offsets-range"),  # the quote's problem gives the offsets where it is
    "lifecycle-version": ("version-not-bumped",),  # updated moved on, version not: the bump says what to set
}

DATE_CODES = ("not-date", "edtf")  # a date (or an EDTF date) cell that is not in ISO 8601 form
MIN_REWRITTEN = 2  # cells of one column, and at least half of the column's dates: a whole table rewritten
# A spreadsheet's date: day, month and year in some order, one separator, maybe a midnight time.
SPREADSHEET_DATE = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})(?:[ T]0?0:00(?::00)?)?", re.ASCII)
ORDERS = {"DMY": "DD/MM/YYYY", "MDY": "MM/DD/YYYY", "YMD": "YYYY/MM/DD"}


def _year(text: str) -> int:
    if len(text) > 2:
        return int(text)
    pivot = dt.datetime.now(dt.UTC).year % 100  # how spreadsheets read two-digit years: 1930-2029-like
    return 2000 + int(text) if int(text) <= pivot else 1900 + int(text)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def readings(value: str) -> dict[str, str]:
    """The ISO dates a spreadsheet's rendering of a date may stand for, by order of its parts.

    >>> readings("15/08/2016")
    {'DMY': '2016-08-15'}
    >>> readings("8/5/16")
    {'DMY': '2016-05-08', 'MDY': '2016-08-05'}
    >>> readings("2016-08-15"), readings("١٥/٠٨/٢٠١٦")  # ISO already; not ASCII digits (no spreadsheet writes those)
    ({}, {})
    """
    found = SPREADSHEET_DATE.fullmatch(value.strip())
    if found is None:
        return {}
    a, _sep, b, c = found.groups()
    out: dict[str, str] = {}
    if len(a) == 4:
        iso = _iso(int(a), int(b), int(c)) if len(c) <= 2 else None
        if iso is not None and iso != value:
            out["YMD"] = iso
        return out
    if len(a) > 2 or len(c) == 3 or len(c) == 1:
        return out
    for order, (day, month) in (("DMY", (a, b)), ("MDY", (b, a))):
        iso = _iso(_year(c), int(month), int(day))
        if iso is not None:
            out[order] = iso
    return out


def same_date(old: str | None, new: str | None) -> bool:
    """Whether ``new`` is ``old`` (an ISO date) as a spreadsheet rewrote it.

    >>> same_date("2016-08-15", "15/08/2016"), same_date("2016-08-15", "16/08/2016")
    (True, False)
    """
    return old is not None and new is not None and old != new and old in readings(new).values()


@dataclass
class _Rewritten:
    lines: list[int]
    values: list[str]


def _fold_explained(ctx: Context) -> None:
    codes_at: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for p in ctx.problems:
        codes_at[p.file, p.line].add(p.code)
    ctx.problems[:] = [
        p
        for p in ctx.problems
        if not (p.code in EXPLAINED_BY and codes_at[p.file, p.line].intersection(EXPLAINED_BY[p.code]))
    ]


def _fold_rewritten_dates(ctx: Context) -> None:
    by_column: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for p in ctx.problems:
        if p.code in DATE_CODES and p.field is not None and p.line is not None:
            by_column[p.file, p.field].append(p)
    if not by_column:
        return
    tables = {parsed.file: parsed for parsed in ctx.tables.values()}
    folded: dict[str, dict[str, _Rewritten]] = defaultdict(dict)
    for (file, column), problems in by_column.items():
        parsed = tables.get(file)
        if parsed is None or column not in parsed.data.column_names or len(problems) < MIN_REWRITTEN:
            continue
        values = parsed.data.column(column).to_pylist()
        row_of = {int(line): index for index, line in enumerate(parsed.lines.tolist())}
        rewritten = _Rewritten([], [])
        for p in problems:
            value = values[row_of[p.line]] if p.line in row_of else None
            if value is not None and readings(value):
                rewritten.lines.append(p.line or 0)
                rewritten.values.append(value)
        present = sum(v is not None for v in values)
        if len(rewritten.lines) >= MIN_REWRITTEN and 2 * len(rewritten.lines) >= present:
            folded[file][column] = rewritten
    for file, columns in folded.items():
        gone = {(line, column) for column, r in columns.items() for line in r.lines}
        ctx.problems[:] = [
            p for p in ctx.problems if not (p.file == file and p.code in DATE_CODES and (p.line, p.field) in gone)
        ]
        ctx.problems.append(_rewritten_problem(file, columns))


def _rewritten_problem(file: str, columns: dict[str, _Rewritten]) -> Problem:
    every = [
        (column, line, value) for column, r in columns.items() for line, value in zip(r.lines, r.values, strict=True)
    ]
    orders = [set(readings(value)) for _, _, value in every]
    possible = set.intersection(*orders) if orders else set()
    column, line, value = min(every, key=lambda item: (item[1], item[0]))
    names = ", ".join(columns)
    where = f"{len(every)} cell{'s' if len(every) != 1 else ''} of {names}"
    if len(possible) == 1:
        order = possible.pop()
        back = readings(value)[order]
        how = (
            f"write each back as YYYY-MM-DD, reading it as {ORDERS[order]} "
            f"(line {line}, {column}: {value!r} → {back!r})"
        )
        example = f"e.g. line {line}, {column}: {back!r} is now {value!r}"
    else:
        how = "the day and month cannot be told apart, so take the dates from git"
        example = f"e.g. line {line}, {column}: {value!r}"
    return Problem(
        file,
        None,
        None,
        "dates-reformatted",
        f"every date was rewritten in another format, as a spreadsheet does: {where} ({example})",
        f"restore the dates: {how}; or restore the file (`git checkout -- {file}`) and redo the edit "
        "in a text editor or with `belarus-data new`, not a spreadsheet",
    )


def fold(ctx: Context) -> None:
    """Replace the problems that follow from one mistake by the one problem that names it (in place)."""
    _fold_explained(ctx)
    _fold_rewritten_dates(ctx)
