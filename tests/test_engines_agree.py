"""The fast engine and the row-by-row Pydantic engine report the same problems at the same places.

The fast engine flags rows with vectorised checks and words only the flagged
ones with Pydantic; if a flag ever missed a row the model rejects, a problem
would vanish from the fast report. Each case here breaks a copy of a valid
dataset and compares the (file, line, field, code) sets of both engines:

* one mutation per column rule and per row rule (including every mutation of
  tests/test_validate.py);
* many random mutations at once on a generated dataset (benchmarks/generate.py),
  several seeds;
* every case of the invalid corpus (tests/fixtures/invalid, via tests/corpus.py).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from conftest import line_of, read_rows, set_cell, write_rows
from corpus import iter_cases
from test_generate import load_generator

from belarus_data import validate
from belarus_data.storage.tables import TABLES

Located = set[tuple[str, int | None, str | None, str]]


def located(root: Path, engine: str) -> Located:
    report = validate(root, engine=engine)  # type: ignore[arg-type]
    return {(p.file, p.line, p.field, p.code) for p in report.problems}


def assert_engines_agree(root: Path) -> Located:
    fast, rows = located(root, "fast"), located(root, "rows")
    assert fast == rows, f"only fast: {sorted(fast - rows, key=str)}\nonly rows: {sorted(rows - fast, key=str)}"
    return fast


# (table, key of the row, column, bad value): every column rule and row rule, at least once.
MUTATIONS = [
    # from tests/test_validate.py
    ("claims", "clm-fx1a2b3c", "claim_type", "reprot"),
    ("claims", "clm-fx1a2b3c", "id", "clm-FX1"),
    ("claims", "clm-fx1a2b3c", "start", "-3"),
    ("claims", "clm-fx1a2b3c", "start", "3.5"),
    ("claims", "clm-fx1a2b3c", "statement", ""),
    ("claims", "clm-fx1a2b3c", "statement", "=HYPERLINK(1)"),
    ("claims", "clm-fx1a2b3c", "statement", "Belarus\u202eexercise"),
    ("claims", "clm-fx1a2b3c", "statement", "Cafe\u0301 talk"),
    ("claims", "clm-fx1a2b3c", "time_edtf", "2022-13"),
    ("claims", "clm-fx1a2b3c", "created", "2026-02-30"),
    ("claims", "clm-fx1a2b3c", "record_status", "retracted"),
    ("claims", "clm-fx1a2b3c", "version", "0"),
    ("claims", "clm-fx7g8h9i", "resolution", ""),
    ("actors", "act-blr", "country", "BLX"),
    ("actors", "act-blr", "parent_id", "act-blr"),
    ("sources", "src-fixture-note", "language", "xx"),
    ("sources", "src-fixture-note", "published_basis", ""),
    ("events", "evt-fx2q7k9m", "event_status", "occured"),
    ("claims", "clm-fx1a2b3c", "claim_type", "predicton"),
    ("actors", "act-blr", "id", "act-blr-gоv"),
    # integers, dates and booleans
    ("claims", "clm-fx1a2b3c", "start", "01"),
    ("claims", "clm-fx1a2b3c", "end", "1e3"),
    ("claims", "clm-fx1a2b3c", "end", " 57"),
    ("claims", "clm-fx1a2b3c", "end", "99999999"),
    ("claims", "clm-fx1a2b3c", "version", "1000001"),
    ("claims", "clm-fx1a2b3c", "updated", "2026-1-20"),
    ("claims", "clm-fx1a2b3c", "updated", "2026-11-19"),
    ("sources", "src-fixture-note", "retrieved", "20261120"),
    ("sources", "src-fixture-note", "text_length", "many"),
    # patterns, vocabularies, lists, lengths
    ("claims", "clm-fx1a2b3c", "tags", "Air-Force"),
    ("claims", "clm-fx1a2b3c", "tags", "air-force;;exercise"),
    ("claims", "clm-fx1a2b3c", "modality", "Asserted"),
    ("claims", "clm-fx1a2b3c", "statement", "x" * 2001),
    ("claims", "clm-fx1a2b3c", "prefix", "+ leading plus"),
    ("claims", "clm-fx1a2b3c", "suffix", "@mention"),
    ("claims", "clm-fx1a2b3c", "statement", "tab\tinside"),
    ("events", "evt-fx2q7k9m", "context", "military;bogus"),
    ("events", "evt-fx2q7k9m", "cameo_code", "12345"),
    ("events", "evt-fx2q7k9m", "mode", "tanks"),
    ("events", "evt-fx2q7k9m", "geo_precision", "4"),
    ("events", "evt-fx2q7k9m", "date_edtf", "mid-June 2022"),
    ("actors", "act-blr", "wikidata", "Q0"),
    ("actors", "act-blr", "sector", "gov"),
    ("actors", "act-blr", "actor_type", ""),
    ("sources", "src-fixture-note", "url", "ftp://example.org/x"),
    ("sources", "src-fixture-note", "text_sha256", "ABC"),
    ("sources", "src-fixture-note", "text_path", "texts/Fixture.txt"),
    ("sources", "src-fixture-note", "redistribution", "maybe"),
    ("sources", "src-fixture-note", "page_updated", "2022-08-16 13:19"),
    # row rules
    ("claims", "clm-fx1a2b3c", "record_status", "superseded"),
    ("claims", "clm-fx1a2b3c", "superseded_by", "clm-fx1a2b3c"),
    ("claims", "clm-fx1a2b3c", "status_reason", "Active but explained."),
    ("claims", "clm-fx1a2b3c", "end", "10"),
    ("claims", "clm-fx1a2b3c", "end", "58"),
    ("claims", "clm-fx1a2b3c", "time_anchor", ""),
    ("claims", "clm-fx1a2b3c", "time_edtf", ""),
    ("claims", "clm-fx1a2b3c", "resolution", "open"),
    ("claims", "clm-fx1a2b3c", "horizon", "2023"),
    ("claims", "clm-fx7g8h9i", "resolution", "came_true"),
    ("events", "evt-fx2q7k9m", "date_anchor", ""),
    ("events", "evt-fx2q7k9m", "country", ""),
    ("actors", "act-blr", "name", ""),
    # characters forbidden by Unicode property (models/characters.py), in free text, IDs and other columns
    ("claims", "clm-fx1a2b3c", "statement", "exer\u00adcise"),
    ("claims", "clm-fx1a2b3c", "statement", "\u2060starts with a word joiner"),
    ("claims", "clm-fx1a2b3c", "statement", "ends with a private-use character\ue000"),
    ("claims", "clm-fx1a2b3c", "statement", "unassigned \u0378 in the middle"),
    ("claims", "clm-fx1a2b3c", "statement", "astral private use \U000f0000"),
    ("claims", "clm-fx1a2b3c", "statement", "a tag character \U000e0041"),
    ("claims", "clm-fx1a2b3c", "statement", "line\u2028separator"),
    ("claims", "clm-fx1a2b3c", "statement", "family \U0001f468\u200d\U0001f469\u200d\U0001f467"),
    ("claims", "clm-fx1a2b3c", "quote", "Belarus\ufeff"),
    ("claims", "clm-fx1a2b3c", "time_edtf", "2022\u200b"),
    ("claims", "clm-fx1a2b3c", "tags", "air-force\u2063"),
    ("claims", "clm-fx1a2b3c", "id", "clm-fx1a2b3c\u200b"),
    ("actors", "act-blr", "name", "Bela\u3164rus"),
    ("actors", "act-blr", "name", "Belarus\ufe0f"),
    ("actors", "act-blr", "country", "BL\u180eR"),
    ("sources", "src-fixture-note", "url", "https://example.org/\u200b"),
    # names: one script per word, alias script column, look-alike aliases
    ("actors", "act-blr", "name", "\u0412elarus"),
    ("actors", "act-blr", "name", "\u041cinsk"),
    ("actor_aliases", "act-blr-gov", "alias", "\u041cinsk"),
    ("actor_aliases", "act-blr-gov", "script", "Cyrl"),
    ("actor_aliases", "act-lukashenka", "alias", "\u041b\u0443\u043a\u0430\u0448\u044d\u043d\u043a\u0430"),
]


@pytest.mark.parametrize(("table", "key", "column", "value"), MUTATIONS)
def test_each_rule_is_reported_alike(root: Path, table: str, key: str, column: str, value: str) -> None:
    line = line_of(root, table, key)
    set_cell(root, table, line, column, value)
    problems = assert_engines_agree(root)
    assert any(p[0] == f"records/{table}.csv" and p[1] == line for p in problems), "the mutation went unnoticed"


def test_duplicates_and_many_broken_rows_at_once(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    rows.append(list(rows[1]))
    rows.append([cell.replace("act-", "ACT-") for cell in rows[2]])
    write_rows(path, rows)
    for key in ("clm-fx1a2b3c", "clm-fx4d5e6f"):
        line = line_of(root, "claims", key)
        set_cell(root, "claims", line, "start", "x")
        set_cell(root, "claims", line, "modality", "sure")
    assert {"duplicate-key", "pattern", "not-integer", "vocab"} <= {p[3] for p in assert_engines_agree(root)}


# Values that break some rule of most columns they land in.
BAD_VALUES = [
    "",
    "x",
    "-1",
    "0",
    "2026-02-30",
    "2022-13",
    "=1+1",
    "caf\u0065\u0301",
    "a\u200bb",
    "\ue000",
    "x\u0378",
    "\u3164",
    "\u0412elarus",
    "clm-UPPER",
    "act-nobody",
    "evt-nowhere",
    "retracted",
    "superseded",
    "prediction",
    "true",
    "y" * 700,
    "texts/../x.txt",
    "ZZZ",
    "Q1",
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_mutations_of_a_generated_dataset(tmp_path: Path, seed: int) -> None:
    root = load_generator().generate(200, tmp_path / "generated", seed=seed)
    rng = random.Random(seed)
    for _ in range(60):
        table = rng.choice(TABLES)
        path = root / table.path
        rows = read_rows(path)
        row = rng.randrange(1, len(rows))
        rows[row][rng.randrange(len(rows[0]))] = rng.choice(BAD_VALUES)
        write_rows(path, rows)
    problems = assert_engines_agree(root)
    assert len(problems) >= 30


CORPUS = iter_cases()


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_invalid_corpus_cases(tmp_path: Path, case: object) -> None:
    root = case.materialise(tmp_path)  # type: ignore[attr-defined]
    assert_engines_agree(root)
    shutil.rmtree(tmp_path / "outside", ignore_errors=True)


def test_quotes_are_checked_in_batches(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from belarus_data.checks import evidence

    monkeypatch.setattr(evidence, "QUOTE_BATCH", 1)  # every claim in its own batch: line numbers must still hold
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "quote", "Russian aircraft used Belarusian airfieldz")
    problems = assert_engines_agree(root)
    assert ("records/claims.csv", line, "quote", "quote-mismatch") in problems
