"""The gate at its edges: quotes and their context at both ends of a text, texts that cannot be used,
withdrawn targets of every kind, and the lifecycle rules in both engines.

Each test names the exact problems (code, file, line, field) that validate must report and no others,
so that a check that is weakened anywhere fails a test (scripts/mutation.sh measures that).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest
from conftest import VALID, copy_row, line_of, read_rows, set_cell, write_rows

from belarus_data import validate
from belarus_data.checks import evidence
from belarus_data.checks.context import Context
from belarus_data.problems import Problem
from belarus_data.storage import sourcetexts
from belarus_data.storage.csvfile import ParsedTable, read_table
from belarus_data.storage.generated import write_generated
from belarus_data.storage.tables import table

TEXT_FILE = Path(__file__).parent / "fixtures" / "valid" / "records" / "texts" / "fixture-note.txt"
TEXT = TEXT_FILE.read_text(encoding="utf-8")
LENGTH = len(TEXT)  # 185 code points; the last claim's quote ends one before the end, its suffix "." at it
CLAIMS, SOURCES, ACTORS = "records/claims.csv", "records/sources.csv", "records/actors.csv"
ENGINES = pytest.mark.parametrize("engine", ["fast", "rows"])
Located = tuple[str, str, int | None, str | None]


def located(root: Path, engine: str = "fast") -> list[Located]:
    write_generated(root)  # the descriptor follows the records, as `fmt` and `new` keep it
    return sorted((p.code, p.file, p.line, p.field) for p in validate(root, engine=engine).errors)  # type: ignore[arg-type]


def errors(root: Path, engine: str = "fast") -> list[Problem]:
    write_generated(root)  # the descriptor follows the records, as `fmt` and `new` keep it
    return validate(root, engine=engine).errors  # type: ignore[arg-type]


def only(root: Path, code: str, file: str, line: int | None, field: str | None, engine: str = "fast") -> Problem:
    found = errors(root, engine)
    assert [(p.code, p.file, p.line, p.field) for p in found] == [(code, file, line, field)], [
        p.as_text() for p in found
    ]
    # Every problem says what is wrong and what would be right.
    assert isinstance(found[0].message, str) and found[0].message.strip()
    assert isinstance(found[0].hint, str) and found[0].hint.strip()
    return found[0]


def cells(root: Path, table: str, line: int, **values: str) -> None:
    for column, value in values.items():
        set_cell(root, table, line, column, value)


def add_source(root: Path, source_id: str, text: str) -> None:
    """A second source (a copy of the fixture's) whose text is ``text``."""
    name = f"{source_id}.txt"
    (root / "records" / "texts" / name).write_text(text, encoding="utf-8")
    copy_row(
        root,
        "sources",
        2,
        id=source_id,
        url=f"https://example.org/{source_id}",
        text_path=f"texts/{name}",
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text_length=str(len(text)),
    )


def add_claim(root: Path, claim_id: str, source_id: str, start: int, end: int, quote: str, **values: str) -> int:
    """A copy of the fixture's second claim quoting ``quote`` at start-end of ``source_id``; its line."""
    fields = {"id": claim_id, "source_id": source_id, "start": str(start), "end": str(end), "quote": quote}
    return copy_row(root, "claims", 3, **(fields | {"prefix": "", "suffix": ""} | values))


# --- quotes, prefixes and suffixes at the edges of the text -------------------------------------------


@ENGINES
def test_a_quote_may_end_at_the_last_character_of_the_text(root: Path, engine: str) -> None:
    cells(root, "claims", 4, quote=TEXT[132:LENGTH], end=str(LENGTH), suffix="")
    assert located(root, engine) == []


@ENGINES
def test_a_quote_one_past_the_end_is_out_of_range(root: Path, engine: str) -> None:
    cells(root, "claims", 4, quote=TEXT[132:LENGTH] + "x", end=str(LENGTH + 1), suffix="")
    problem = only(root, "offsets-range", CLAIMS, 4, "end", engine)
    assert f"132–{LENGTH + 1}" in problem.message and f"({LENGTH} code points)" in problem.message
    assert "does not occur" in problem.hint


def test_a_quote_starting_at_the_end_of_the_text_is_out_of_range(root: Path) -> None:
    cells(root, "claims", 4, quote="x", start=str(LENGTH), end=str(LENGTH + 1), suffix="")
    problem = only(root, "offsets-range", CLAIMS, 4, "end")
    assert f"{LENGTH}–{LENGTH + 1}" in problem.message


def test_a_quote_of_the_last_character_alone_is_checked(root: Path) -> None:
    cells(root, "claims", 4, quote=".", start=str(LENGTH - 1), end=str(LENGTH), suffix="", prefix="year")
    assert located(root) == []
    cells(root, "claims", 4, quote="!")
    only(root, "quote-mismatch", CLAIMS, 4, "quote")


def test_a_quote_at_the_first_character_of_the_text_is_checked(root: Path) -> None:
    cells(root, "claims", 2, quote="M", start="0", end="1", suffix="insk")
    assert located(root) == []
    cells(root, "claims", 2, quote="N")
    problem = only(root, "quote-mismatch", CLAIMS, 2, "quote")
    assert "at 0–1" in problem.message and "'M'" in problem.message


def test_a_prefix_may_start_at_the_first_character_of_the_text(root: Path) -> None:
    cells(root, "claims", 2, quote=TEXT[6:57], start="6", prefix="Minsk ")
    assert located(root) == []


def test_a_prefix_running_past_the_start_of_the_text_is_wrong(root: Path) -> None:
    cells(root, "claims", 2, quote=TEXT[6:57], start="6", prefix="XMinsk ")
    problem = only(root, "prefix-mismatch", CLAIMS, 2, "prefix")
    assert "'Minsk '" in problem.hint


def test_a_prefix_before_a_quote_at_the_start_is_wrong(root: Path) -> None:
    cells(root, "claims", 2, prefix=" ")
    problem = only(root, "prefix-mismatch", CLAIMS, 2, "prefix")
    assert "''" in problem.hint


def test_a_suffix_may_end_at_the_last_character_of_the_text(root: Path) -> None:
    cells(root, "claims", 4, quote=TEXT[132:183], end="183", suffix="r.")
    assert located(root) == []


def test_a_suffix_running_past_the_end_of_the_text_is_wrong(root: Path) -> None:
    cells(root, "claims", 4, suffix=". ")
    problem = only(root, "suffix-mismatch", CLAIMS, 4, "suffix")
    assert "'.'" in problem.hint


def test_a_suffix_after_a_quote_at_the_end_is_wrong(root: Path) -> None:
    cells(root, "claims", 4, quote=TEXT[132:LENGTH], end=str(LENGTH), suffix=".")
    problem = only(root, "suffix-mismatch", CLAIMS, 4, "suffix")
    assert "''" in problem.hint


def test_a_prefix_of_the_same_bytes_length_but_other_text_is_wrong(root: Path) -> None:
    # A Cyrillic prefix (2 bytes a letter) just before a Latin quote: compared on its UTF-8 bytes.
    quote = "will keep close ties with Moscow next year"
    cells(root, "claims", 4, quote=quote, start="142", prefix="Лукашэнка ")
    assert located(root) == []
    cells(root, "claims", 4, prefix="Лукашенка ")  # е for э: as many bytes, other text
    problem = only(root, "prefix-mismatch", CLAIMS, 4, "prefix")
    assert repr(TEXT[142 - 32 : 142]) in problem.hint


def test_prefix_and_suffix_of_multibyte_text_are_compared_by_characters(root: Path) -> None:
    # Лукашэнка: 2 bytes a letter. The prefix and suffix are taken around byte offsets of the quote.
    cells(root, "claims", 4, quote="ашэнка", start="135", end="141", prefix="Лук", suffix=" will")
    assert located(root) == []
    cells(root, "claims", 4, prefix="к")
    assert located(root) == []
    cells(root, "claims", 4, suffix=" wilt")
    problem = only(root, "suffix-mismatch", CLAIMS, 4, "suffix")
    assert repr(TEXT[141 : 141 + 32]) in problem.hint


def test_both_prefix_and_suffix_wrong_are_two_problems(root: Path) -> None:
    cells(root, "claims", 3, prefix="Belarusian intelligence said ", suffix="!")
    assert located(root) == [
        ("prefix-mismatch", CLAIMS, 3, "prefix"),
        ("suffix-mismatch", CLAIMS, 3, "suffix"),
    ]


# --- quotes that are not where their offsets say ------------------------------------------------------


def test_a_quote_that_occurs_once_elsewhere_is_located_in_the_hint(root: Path) -> None:
    cells(root, "claims", 3, start="86", end="128", prefix="", suffix="")
    problem = only(root, "quote-mismatch", CLAIMS, 3, "quote")
    assert "at 86–128" in problem.message
    assert "set start to 87 and end to 129" in problem.hint


def test_a_quote_that_occurs_twice_names_the_first(root: Path) -> None:
    cells(root, "claims", 2, quote="Russia", start="0", end="6", prefix="", suffix="")
    problem = only(root, "quote-mismatch", CLAIMS, 2, "quote")
    assert "'Minsk '" in problem.message
    assert "set start to 39 and end to 45 (the nearest of the 2 places it occurs)" in problem.hint


def test_an_invented_quote_is_reported_with_its_reading(root: Path) -> None:
    cells(root, "claims", 2, quote="Minsk hosted a joint naval exercise with Russia in mid-June")
    cells(root, "claims", 2, end=str(len("Minsk hosted a joint naval exercise with Russia in mid-June")))
    problem = only(root, "quote-mismatch", CLAIMS, 2, "quote")
    assert "at 0–59" in problem.message and "does not occur" in problem.hint


def test_a_quote_of_other_length_than_its_offsets_is_never_verified(root: Path) -> None:
    # The quote is in the text at `start`, but `end` says one more character: not the same span.
    cells(root, "claims", 3, end="130", suffix="")
    assert ("quote-mismatch", CLAIMS, 3, "quote") in located(root) or located(root) != []
    assert all(p.line == 3 for p in errors(root))


def test_every_claim_of_every_source_is_checked_across_text_groups(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One text per group and one claim per batch: group and batch edges must lose no claim.
    second = "Moscow said nothing. Minsk said less.\n"
    add_source(root, "src-second", second)
    good = add_claim(root, "clm-second-ok", "src-second", 21, 36, "Minsk said less")
    bad = add_claim(root, "clm-second-bad", "src-second", 0, 6, "Minsks", suffix=" said")
    cells(root, "claims", 3, quote="Russian aircraft used Belarusian airfieldz")
    monkeypatch.setattr(evidence, "TEXT_GROUP_BYTES", 1)
    monkeypatch.setattr(evidence, "QUOTE_BATCH", 1)
    assert located(root) == [("quote-mismatch", CLAIMS, 3, "quote"), ("quote-mismatch", CLAIMS, bad, "quote")]
    assert good == bad - 1


def test_a_quote_found_only_at_the_start_of_the_text_is_located_there(root: Path) -> None:
    cells(root, "claims", 2, quote="Minsk hosted", start="1", end="13", suffix="")
    problem = only(root, "quote-mismatch", CLAIMS, 2, "quote")
    assert "set start to 0 and end to 12" in problem.hint


def test_a_quote_repeated_right_after_itself_occurs_more_than_once(root: Path) -> None:
    # "y" at 1 and 2 only: the second occurrence starts one character after the first.
    add_source(root, "src-second", "xyy")
    line = add_claim(root, "clm-second", "src-second", 0, 1, "y")
    problem = only(root, "quote-mismatch", CLAIMS, line, "quote")
    assert "set start to 1 and end to 2 (the nearest of the 2 places it occurs)" in problem.hint


def test_a_quote_once_in_the_text_is_not_said_to_repeat(root: Path) -> None:
    add_source(root, "src-second", "xyz")
    line = add_claim(root, "clm-second", "src-second", 0, 1, "y")
    problem = only(root, "quote-mismatch", CLAIMS, line, "quote")
    assert "set start to 1 and end to 2 (where the quote occurs)" in problem.hint


def test_claims_of_a_source_without_a_usable_text_are_not_checked_twice(root: Path) -> None:
    cells(root, "sources", 2, text_path="texts/nope.txt")
    problem = only(root, "text-missing", SOURCES, 2, "text_path")
    assert "records/texts/nope.txt" in problem.message


# --- source texts -------------------------------------------------------------------------------------


@ENGINES
def test_an_empty_text_path_is_required_and_nothing_else(root: Path, engine: str) -> None:
    cells(root, "sources", 2, text_path="")
    only(root, "required", SOURCES, 2, "text_path", engine)


def test_a_text_with_another_hash_names_the_right_one(root: Path) -> None:
    cells(root, "sources", 2, text_sha256="0" * 64)
    found = errors(root)
    assert [(p.code, p.file, p.line, p.field) for p in found] == [
        ("text-sha256", SOURCES, 2, "text_sha256"),
        ("text-changed", "records/texts/fixture-note.txt", None, None),
    ], [p.as_text() for p in found]
    problem = found[0]
    assert hashlib.sha256(TEXT.encode("utf-8")).hexdigest() in problem.hint


def test_a_text_with_another_length_names_the_right_one(root: Path) -> None:
    cells(root, "sources", 2, text_length=str(LENGTH - 1))
    problem = only(root, "text-length", SOURCES, 2, "text_length")
    assert f"is {LENGTH - 1}" in problem.message and f"set text_length to {LENGTH}" in problem.hint


def test_a_text_replaced_in_place_is_reported_at_its_source(root: Path) -> None:
    (root / "records" / "texts" / "fixture-note.txt").write_text(TEXT.replace("Minsk", "Mensk"), encoding="utf-8")
    found = located(root)
    assert ("text-sha256", SOURCES, 2, "text_sha256") in found
    assert ("text-changed", "records/texts/fixture-note.txt", None, None) in found
    assert {f[0] for f in found} <= {
        "text-sha256",
        "text-changed",
        "quote-mismatch",
        "prefix-mismatch",
        "suffix-mismatch",
    }
    assert ("quote-mismatch", CLAIMS, 2, "quote") in found


def test_a_text_that_is_not_utf8_is_reported_once(root: Path) -> None:
    raw = TEXT.encode("cp1251")
    (root / "records" / "texts" / "fixture-note.txt").write_bytes(raw)
    cells(root, "sources", 2, text_sha256=hashlib.sha256(raw).hexdigest())
    problem = only(root, "text-encoding", SOURCES, 2, "text_path")
    assert "records/texts/fixture-note.txt" in problem.message


def test_a_text_over_the_size_limit_is_refused(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_TEXT_BYTES", TEXT_FILE.stat().st_size - 1)
    problem = only(root, "text-too-large", SOURCES, 2, "text_path")
    assert "records/texts/fixture-note.txt" in problem.message


def test_a_text_at_the_size_limit_is_read(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_TEXT_BYTES", TEXT_FILE.stat().st_size)
    assert located(root) == []


def test_a_text_path_outside_texts_is_unsafe(root: Path) -> None:
    found = errors(root)
    assert found == []
    cells(root, "sources", 2, text_path="claims.csv")
    found = errors(root)
    assert sorted((p.code, p.file, p.line, p.field) for p in found) == [
        ("pattern", SOURCES, 2, "text_path"),
        ("text-path-unsafe", SOURCES, 2, "text_path"),
    ]
    unsafe = next(p for p in found if p.code == "text-path-unsafe")
    assert "'claims.csv'" in unsafe.message and "records/texts/" in unsafe.hint


@pytest.mark.parametrize("path", ["texts/./fixture-note.txt", "texts//fixture-note.txt"])
def test_a_malformed_text_path_to_a_real_text_is_still_read(root: Path, path: str) -> None:
    # The path is a cell problem; the text it names is still checked (a wrong length is found).
    cells(root, "sources", 2, text_path=path, text_length=str(LENGTH + 1))
    assert located(root) == [("pattern", SOURCES, 2, "text_path"), ("text-length", SOURCES, 2, "text_length")]


def test_a_malformed_text_path_to_a_text_over_the_limit(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cells(root, "sources", 2, text_path="texts/./fixture-note.txt")
    monkeypatch.setattr(evidence, "MAX_TEXT_BYTES", TEXT_FILE.stat().st_size)
    assert located(root) == [("pattern", SOURCES, 2, "text_path")]
    monkeypatch.setattr(evidence, "MAX_TEXT_BYTES", TEXT_FILE.stat().st_size - 1)
    assert located(root) == [("pattern", SOURCES, 2, "text_path"), ("text-too-large", SOURCES, 2, "text_path")]


def test_a_text_that_changes_while_it_is_read_is_not_trusted(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = evidence.sourcetexts.load

    def changed_while_read(
        files: list[sourcetexts.TextFile], buffers: sourcetexts.TextBuffers | None = None
    ) -> tuple[sourcetexts.SourceTexts, list[sourcetexts.LoadedText]]:
        store, loaded = real(files, buffers)
        return store, [dataclasses.replace(text, sha256=None) for text in loaded]

    monkeypatch.setattr(evidence.sourcetexts, "load", changed_while_read)
    problem = only(root, "text-missing", SOURCES, 2, "text_path")
    assert "records/texts/fixture-note.txt" in problem.message


def test_a_source_without_an_id_is_not_read(root: Path) -> None:
    cells(root, "sources", 2, id="")
    found = located(root)
    assert ("required", SOURCES, 2, "id") in found
    assert not [f for f in found if f[0].startswith("text-")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_text_that_is_a_link_inside_texts_is_refused(root: Path) -> None:
    texts = root / "records" / "texts"
    (texts / "fixture-note.txt").rename(texts / "real.txt")
    (texts / "fixture-note.txt").symlink_to("real.txt")
    only(root, "text-path-unsafe", SOURCES, 2, "text_path")


def test_a_text_that_is_a_directory_is_not_a_regular_file(root: Path) -> None:
    texts = root / "records" / "texts"
    (texts / "fixture-note.txt").unlink()
    (texts / "fixture-note.txt").mkdir()
    only(root, "file-not-regular", SOURCES, 2, "text_path")


def test_without_a_texts_directory_every_text_is_missing(root: Path) -> None:
    texts = root / "records" / "texts"
    (texts / "fixture-note.txt").unlink()
    texts.rmdir()
    only(root, "text-missing", SOURCES, 2, "text_path")


# --- references to withdrawn records ------------------------------------------------------------------


def _withdraw(root: Path, table: str, key: str, status: str, by: str = "") -> int:
    line = line_of(root, table, key)
    cells(root, table, line, record_status=status, status_reason="Withdrawn for the test.")
    if by:
        cells(root, table, line, superseded_by=by)
    return line


def test_records_pointing_at_a_superseded_actor_are_reported(root: Path) -> None:
    _withdraw(root, "actors", "act-blr-gov", "superseded", by="act-blr")
    found = errors(root)
    assert sorted((p.code, p.file, p.line, p.field) for p in found) == [
        ("reference-withdrawn", "records/actor_aliases.csv", 2, "actor_id"),
        ("reference-withdrawn", ACTORS, line_of(root, "actors", "act-lukashenka"), "parent_id"),
        ("reference-withdrawn", "records/event_participants.csv", 2, "actor_id"),
    ]
    assert all("'act-blr-gov'" in p.message and "superseded" in p.message for p in found)


def test_claims_citing_a_withdrawn_source_are_reported(root: Path) -> None:
    _withdraw(root, "sources", "src-fixture-note", "retracted")
    found = errors(root)
    assert sorted((p.code, p.file, p.line, p.field) for p in found) == [
        ("reference-withdrawn", CLAIMS, line, "source_id") for line in (2, 3, 4)
    ]
    assert all("retracted" in p.message for p in found)


def test_withdrawn_records_may_point_at_withdrawn_ones(root: Path) -> None:
    _withdraw(root, "sources", "src-fixture-note", "retracted")
    for key in ("clm-fx1a2b3c", "clm-fx4d5e6f", "clm-fx7g8h9i"):
        _withdraw(root, "claims", key, "retracted")
    # The event is no longer supported by an active claim: that is the only remaining problem.
    assert {code for code, *_ in located(root)} <= {"event-unsupported"}
    assert not [p for p in errors(root) if p.code == "reference-withdrawn"]


def test_a_superseded_record_names_its_replacement_without_a_withdrawn_reference(root: Path) -> None:
    # superseded_by pointing at a withdrawn record is not a 'reference-withdrawn' (other rules judge it).
    _withdraw(root, "actors", "act-ukr-intel", "retracted")
    _withdraw(root, "actors", "act-rus", "superseded", by="act-ukr-intel")
    found = [p for p in errors(root) if p.code == "reference-withdrawn"]
    assert all(p.field != "superseded_by" for p in found)
    assert ("reference-withdrawn", CLAIMS, 3, "asserted_by") in [(p.code, p.file, p.line, p.field) for p in found]


def test_one_withdrawn_record_among_many_is_named(root: Path) -> None:
    _withdraw(root, "actors", "act-fixture-weekly", "retracted")
    found = located(root)
    assert ("reference-withdrawn", SOURCES, 2, "outlet_actor_id") in found
    assert ("reference-withdrawn", CLAIMS, 2, "asserted_by") in found
    assert ("reference-withdrawn", CLAIMS, 3, "asserted_by") not in found  # act-ukr-intel, still active


# --- keys ---------------------------------------------------------------------------------------------


def test_a_repeated_id_names_the_first_line(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    write_rows(path, [*rows, rows[2], rows[2]])
    found = errors(root)
    assert [(p.code, p.file, p.line, p.field) for p in found] == [
        ("duplicate-key", ACTORS, len(rows) + 1, "id"),
        ("duplicate-key", ACTORS, len(rows) + 2, "id"),
    ]
    assert all(f"{rows[2][0]!r} is already used at line 3" in p.message for p in found)


def test_a_repeated_composite_key_names_every_part(root: Path) -> None:
    path = root / "records" / "event_participants.csv"
    rows = read_rows(path)
    write_rows(path, [*rows, rows[1]])
    problem = only(root, "duplicate-key", "records/event_participants.csv", len(rows) + 1, "role")
    assert (
        "event_id='evt-fx2q7k9m', actor_id='act-blr-gov', role='participant'" in problem.message
        and "line 2" in problem.message
    )


def test_composite_keys_that_differ_in_one_part_are_distinct(root: Path) -> None:
    path = root / "records" / "event_participants.csv"
    rows = read_rows(path)
    other = list(rows[1])
    other[1] = "act-lukashenka"
    write_rows(path, [*rows, other])
    assert located(root) == []


def test_repeated_empty_ids_are_only_required(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    blank = list(rows[-1])
    blank[0] = ""
    write_rows(path, [*rows, blank, blank])
    assert located(root) == [("required", ACTORS, len(rows) + 1, "id"), ("required", ACTORS, len(rows) + 2, "id")]


def test_an_unknown_reference_suggests_the_nearest_id(root: Path) -> None:
    cells(root, "claims", 3, asserted_by="act-ukr-intell")
    problem = only(root, "foreign-key", CLAIMS, 3, "asserted_by")
    assert "'act-ukr-intell'" in problem.message and "actors" in problem.message
    assert "did you mean 'act-ukr-intel'?" in problem.hint and "records/actors.csv" in problem.hint


def test_an_unknown_reference_far_from_any_id_suggests_nothing(root: Path) -> None:
    cells(root, "claims", 3, asserted_by="act-zzzzzzzzzzzzzzzzzzzz")
    problem = only(root, "foreign-key", CLAIMS, 3, "asserted_by")
    assert "did you mean" not in problem.hint and "records/actors.csv" in problem.hint


# --- lifecycle rules, in both engines -----------------------------------------------------------------


@ENGINES
def test_updated_before_created_is_reported(root: Path, engine: str) -> None:
    cells(root, "actors", 2, updated="2026-11-19")
    only(root, "lifecycle-dates", ACTORS, 2, "updated", engine)


@ENGINES
def test_superseded_without_superseded_by_is_reported(root: Path, engine: str) -> None:
    line = line_of(root, "actors", "act-rus")  # nothing points at act-rus's own withdrawal
    cells(root, "actors", line, record_status="superseded", status_reason="Merged.")
    found = located(root, engine)
    assert ("lifecycle-superseded", ACTORS, line, "superseded_by") in found
    assert {code for code, *_ in found} <= {"lifecycle-superseded", "reference-withdrawn"}


@ENGINES
def test_superseded_by_on_an_active_record_is_reported(root: Path, engine: str) -> None:
    cells(root, "actors", 2, superseded_by="act-rus")
    only(root, "lifecycle-superseded", ACTORS, 2, "superseded_by", engine)


@ENGINES
def test_superseded_by_on_a_retracted_record_is_reported(root: Path, engine: str) -> None:
    line = line_of(root, "actors", "act-ukr-intel")
    cells(root, "actors", line, record_status="retracted", status_reason="Gone.", superseded_by="act-rus")
    found = located(root, engine)
    assert ("lifecycle-superseded", ACTORS, line, "superseded_by") in found


@ENGINES
def test_a_record_superseding_itself_is_reported(root: Path, engine: str) -> None:
    line = line_of(root, "actors", "act-rus")
    cells(root, "actors", line, record_status="superseded", status_reason="Merged.", superseded_by="act-rus")
    found = errors(root, engine)
    own = [p for p in found if p.line == line and p.file == ACTORS]
    assert [(p.code, p.field) for p in own] == [("lifecycle-superseded", "superseded_by")]


@ENGINES
def test_a_properly_superseded_record_is_valid_on_its_own(root: Path, engine: str) -> None:
    line = line_of(root, "actors", "act-ukr-intel")
    cells(root, "actors", line, record_status="superseded", status_reason="Merged.", superseded_by="act-rus")
    found = located(root, engine)
    assert [f for f in found if f[1] == ACTORS] == []


@ENGINES
def test_version_1_with_a_later_updated_is_reported(root: Path, engine: str) -> None:
    cells(root, "actors", 2, updated="2026-11-21")
    only(root, "lifecycle-version", ACTORS, 2, "updated", engine)


@ENGINES
def test_version_2_with_a_later_updated_is_valid(root: Path, engine: str) -> None:
    cells(root, "actors", 2, updated="2026-11-21", version="2")
    assert located(root, engine) == []


@ENGINES
def test_an_active_record_with_a_reason_is_reported(root: Path, engine: str) -> None:
    cells(root, "actors", 2, status_reason="Why not.")
    only(root, "lifecycle-reason", ACTORS, 2, "status_reason", engine)


@ENGINES
def test_a_retracted_record_without_a_reason_is_reported(root: Path, engine: str) -> None:
    line = line_of(root, "actors", "act-rus")
    cells(root, "actors", line, record_status="retracted")
    found = located(root, engine)
    assert ("lifecycle-reason", ACTORS, line, "status_reason") in found
    assert [f for f in found if f[1] == ACTORS] == [("lifecycle-reason", ACTORS, line, "status_reason")]


@ENGINES
def test_a_withdrawn_alias_needs_a_reason_too(root: Path, engine: str) -> None:
    cells(root, "actor_aliases", 2, record_status="retracted")
    only(root, "lifecycle-reason", "records/actor_aliases.csv", 2, "status_reason", engine)


def test_an_id_used_exactly_twice_is_reported_once(root: Path) -> None:
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    write_rows(path, [*rows, rows[3]])
    problem = only(root, "duplicate-key", ACTORS, len(rows) + 1, "id")
    assert f"{rows[3][0]!r} is already used at line 4" in problem.message


def test_a_missing_target_table_does_not_stop_the_other_references(root: Path) -> None:
    # events.csv is missing: references to events cannot be judged, references to actors still are.
    (root / "records" / "events.csv").unlink()
    cells(root, "event_participants", 2, actor_id="act-nobody")
    cells(root, "claims", 3, superseded_by="clm-nobody", record_status="superseded", status_reason="Replaced.")
    found = located(root)
    assert ("foreign-key", "records/event_participants.csv", 2, "actor_id") in found
    assert ("foreign-key", CLAIMS, 3, "superseded_by") in found
    assert not [f for f in found if f[0] == "foreign-key" and f[3] == "event_id"]


def test_a_record_without_a_status_is_not_withdrawn(root: Path) -> None:
    # An empty record_status is 'required', not a withdrawal that every reference would then repeat.
    line = line_of(root, "actors", "act-ukr-intel")
    cells(root, "actors", line, record_status="")
    assert [f for f in located(root) if f[0] != "required"] == []
    assert ("required", ACTORS, line, "record_status") in located(root)


def test_an_active_record_superseded_by_a_withdrawn_one_is_not_a_withdrawn_reference(root: Path) -> None:
    _withdraw(root, "actors", "act-ukr-intel", "retracted")
    line = line_of(root, "actors", "act-rus")
    cells(root, "actors", line, superseded_by="act-ukr-intel")
    found = located(root)
    assert ("lifecycle-superseded", ACTORS, line, "superseded_by") in found
    assert ("reference-withdrawn", ACTORS, line, "superseded_by") not in found


def test_withdrawn_references_in_several_tables_and_columns(root: Path) -> None:
    # Two withdrawn actors referenced from four tables; the active references only are reported.
    _withdraw(root, "actors", "act-rus", "retracted")
    _withdraw(root, "actors", "act-ukr-intel", "superseded", by="act-blr")
    found = [f for f in located(root) if f[0] == "reference-withdrawn"]
    assert found == sorted(
        [
            ("reference-withdrawn", CLAIMS, 3, "asserted_by"),
            ("reference-withdrawn", "records/event_participants.csv", 3, "actor_id"),
        ]
    )


# --- offsets the evidence check cannot use, and what it leaves to the sentence rule ----------------------


@pytest.mark.parametrize(("start", "end"), [("5", "5"), ("0", "0"), ("x", "57"), ("0", "x")])
def test_offsets_that_are_not_a_span_are_cell_problems_only(root: Path, start: str, end: str) -> None:
    cells(root, "claims", 2, start=start, end=end)
    found = located(root)
    assert found and all(f[1:3] == (CLAIMS, 2) and f[3] in ("start", "end") for f in found), found
    assert not [f for f in found if f[0].endswith("-mismatch") or f[0] == "offsets-range"]


@pytest.mark.parametrize("digits", [19, 25])
def test_an_offset_too_long_for_any_text_is_reported_not_a_crash(root: Path, digits: int) -> None:
    cells(root, "claims", 2, end="1" + "0" * (digits - 1))
    assert ("out-of-range", CLAIMS, 2, "end") in located(root)


def test_a_claim_of_an_unknown_source_is_not_compared_with_another_text(root: Path) -> None:
    add_source(root, "src-second", TEXT)
    cells(root, "claims", 2, source_id="src-nobody")
    only(root, "foreign-key", CLAIMS, 2, "source_id")


def test_claims_of_a_text_that_is_not_utf8_are_compared_with_no_other_text(root: Path) -> None:
    # Two readable texts besides it, both other than it: compared with either, each claim would mismatch.
    add_source(root, "src-second", "Minsk said nothing at all. " + TEXT)
    add_source(root, "src-third", "Moscow said nothing. " + TEXT)
    raw = TEXT.encode("cp1251")
    (root / "records" / "texts" / "fixture-note.txt").write_bytes(raw)
    cells(root, "sources", 2, text_sha256=hashlib.sha256(raw).hexdigest())
    only(root, "text-encoding", SOURCES, 2, "text_path")


def test_only_a_verified_quote_is_held_to_one_sentence(root: Path) -> None:
    quote = "in mid-June. Ukrainian intelligence"
    start = TEXT.index(quote)
    cells(root, "claims", 2, quote=quote, start=str(start), end=str(start + len(quote)), suffix="", prefix="")
    only(root, "quote-spans-sentences", CLAIMS, 2, "quote")


def test_claims_of_two_sources_are_each_compared_with_their_own_text(root: Path) -> None:
    second = "Minsk said nothing at all. " + TEXT
    add_source(root, "src-second", second)
    # The same quote and offsets: right in the first text, 27 characters off in the second.
    line = add_claim(root, "clm-second", "src-second", 0, 57, TEXT[0:57])
    problem = only(root, "quote-mismatch", CLAIMS, line, "quote")
    assert "set start to 27 and end to 84" in problem.hint


def test_empty_offsets_at_the_end_of_the_text_are_past_it(root: Path) -> None:
    # start = end = the text's length: the span is empty (a cell problem) and starts past the last character.
    cells(root, "claims", 4, start=str(LENGTH), end=str(LENGTH), suffix="")
    found = located(root)
    assert ("offsets-range", CLAIMS, 4, "end") in found
    assert {f[0] for f in found} <= {"offsets-range", "offsets-order"}


def test_quotes_verified_in_an_earlier_text_group_stay_verified(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The spanning quote is in the first text; the second text is read in a later group.
    add_source(root, "src-second", "Moscow said nothing.")
    add_claim(root, "clm-second", "src-second", 0, 6, "Moscow")
    quote = "in mid-June. Ukrainian intelligence"
    start = TEXT.index(quote)
    cells(root, "claims", 2, quote=quote, start=str(start), end=str(start + len(quote)), suffix="", prefix="")
    monkeypatch.setattr(evidence, "TEXT_GROUP_BYTES", 1)
    only(root, "quote-spans-sentences", CLAIMS, 2, "quote")


def test_withdrawn_references_are_found_when_another_table_is_missing(root: Path) -> None:
    (root / "records" / "events.csv").unlink()
    _withdraw(root, "actors", "act-ukr-intel", "retracted")
    found = [p for p in errors(root) if p.code == "reference-withdrawn"]
    assert [(p.file, p.line, p.field) for p in found] == [(CLAIMS, 3, "asserted_by")]
    assert "superseded" in found[0].hint and "'act-ukr-intel'" in found[0].message


# --- the context every check writes to -----------------------------------------------------------------


def _parsed_claims() -> ParsedTable:
    problems: list[Problem] = []
    parsed = read_table(VALID / "records" / "claims.csv", CLAIMS, list(table("claims").columns), problems)
    assert parsed is not None and problems == []
    return parsed


def test_a_problem_is_located_at_the_row_s_physical_line() -> None:
    parsed = _parsed_claims()
    ctx = Context(root=VALID, tables={"claims": parsed})
    ctx.add(table("claims"), 1, "quote", "code-x", "what is wrong", "what would be right")
    ctx.add(parsed, 2, "end", "code-y", "message")
    ctx.add(table("claims"), None, None, "code-z", "about the whole file", "hint")
    assert ctx.problems == [
        Problem(CLAIMS, 3, "quote", "code-x", "what is wrong", "what would be right"),
        Problem(CLAIMS, 4, "end", "code-y", "message", ""),
        Problem(CLAIMS, None, None, "code-z", "about the whole file", "hint"),
    ]


def test_a_problem_about_a_table_that_could_not_be_read_names_its_file() -> None:
    ctx = Context(root=VALID, tables={})
    ctx.add(table("claims"), 3, "quote", "code-x", "message")
    assert ctx.problems == [Problem(CLAIMS, None, "quote", "code-x", "message", "")]


def test_a_narrowed_context_keeps_the_lines_and_shares_the_problems() -> None:
    import numpy as np

    ctx = Context(root=VALID, tables={"claims": _parsed_claims()}, engine="rows")
    narrow = ctx.narrowed({"claims": np.array([2])})
    assert narrow.root == VALID and narrow.engine == "rows" and narrow.problems is ctx.problems
    assert narrow.values("claims", "id") == ["clm-fx7g8h9i"]
    narrow.add(table("claims"), 0, "id", "code-x", "message")
    assert [(p.file, p.line) for p in ctx.problems] == [(CLAIMS, 4)]
    assert ctx.values("claims", "id") == ["clm-fx1a2b3c", "clm-fx4d5e6f", "clm-fx7g8h9i"]
    assert ctx.active_mask("claims").tolist() == [True, True, True]
