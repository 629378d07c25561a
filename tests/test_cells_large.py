"""On a large table the fast engine reads bytes, not regexes: it must still agree with the rows engine.

tests/test_engines_agree.py works on small datasets; here a generated table
is large enough (> cells.LARGE_ROWS rows) for the columns to be flagged on
threads, and for the byte screen of free text, the byte-level ID, tag and
whole-number checks and the per-chunk length counts to decide which rows
Pydantic sees.
"""

from __future__ import annotations

import random
from pathlib import Path

from conftest import read_rows, write_rows
from test_engines_agree import assert_engines_agree
from test_generate import load_generator

from belarus_data.checks import cells
from belarus_data.storage.tables import table

# Values that break (or nearly break) a rule, aimed at the byte-level checks, by the columns they go to.
TEXT = [
    "Беларусь\u0301",  # a combining mark with no precomposed form: still NFC
    "\u0435\u0308 and e\u0301",  # decomposed ё and é: not NFC
    "\u200bleading zero-width space",
    "trailing bidi override\u202e",
    "DEL\x7finside",
    "C1\x85control",
    "\ufeffBOM",
    "=SUM(A1)",
    "-minus lead",
    "fine «Cyrillic» — text ў і ґ",
    "\u0483 combining Cyrillic titlo",
    "ы" * 601,
    "x" * 65,
]
BAD_VALUES = {
    ("statement", "quote", "prefix", "suffix", "notes"): TEXT,
    ("id", "source_id", "event_id"): ["clm-a--b", "clm-", "clm-Upper", "src-x-", "evt-ok"],
    ("tags",): ["a;;b", "defence;-air", "Air", "ok;fine"],
    ("start", "end"): ["01", "-0", "99999999999999999999", "1e3", "7"],
}


def test_large_generated_dataset_with_broken_cells(tmp_path: Path) -> None:
    root = load_generator().generate(cells.LARGE_ROWS + 500, tmp_path / "generated", seed=4)
    path = root / table("claims").path
    rows = read_rows(path)
    assert len(rows) - 1 > cells.LARGE_ROWS
    rng = random.Random(4)
    for columns, values in BAD_VALUES.items():
        for value in values:
            for column in columns:
                row = rng.choice([1, len(rows) - 1, rng.randrange(1, len(rows))])  # first, last, anywhere
                rows[row][rows[0].index(column)] = value
    write_rows(path, rows)
    problems = assert_engines_agree(root)
    expected = {"text-not-nfc", "text-invisible-char", "text-formula-lead", "too-long", "pattern", "not-integer"}
    assert expected <= {p[3] for p in problems}
