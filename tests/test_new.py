"""`belarus-data new`: fresh IDs, today's dates, version 1, quote offsets found in the source text."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import read_rows, today
from gitrepo import claim_options

from belarus_data import validate
from belarus_data.cli import main
from belarus_data.commands.scaffold import RANDOM_LENGTH, ScaffoldError, find_quote, random_id, slugify

CLAIM_FIELDS = claim_options(statement="Russian planes flew from Belarus.")


def new(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["new", *args, "--root", str(root)])


def row_of(root: Path, table: str, key: str) -> dict[str, str]:
    rows = read_rows(root / "records" / f"{table}.csv")
    found = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == key]
    assert len(found) == 1, key
    return found[0]


def test_new_actor_gets_a_slug_id_today_and_version_1(root: Path) -> None:
    result = new(root, "actor", "--set", "name=Belarusian Air Force", "--set", "actor_type=armed_forces")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "act-belarusian-air-force"
    row = row_of(root, "actors", "act-belarusian-air-force")
    assert (row["version"], row["created"], row["updated"], row["record_status"]) == ("1", today(), today(), "active")
    ids = [r[0] for r in read_rows(root / "records" / "actors.csv")[1:]]
    assert ids == sorted(ids)  # inserted in canonical order
    assert validate(root).ok


def test_new_actor_with_a_taken_slug_is_refused(root: Path) -> None:
    assert new(root, "actor", "--set", "name=Belarus", "--set", "actor_type=state").exit_code == 0
    before = (root / "records" / "actors.csv").read_bytes()
    again = new(root, "actor", "--set", "name=Belarus", "--set", "actor_type=state")
    assert again.exit_code == 1 and "act-belarus already exists" in again.output
    assert (root / "records" / "actors.csv").read_bytes() == before
    taken = new(root, "actor", "--id", "act-blr", "--set", "name=Belarus again", "--set", "actor_type=state")
    assert taken.exit_code == 1 and "act-blr already exists" in taken.output


def test_new_event_gets_a_random_id(root: Path) -> None:
    result = new(
        root,
        "event",
        "--set",
        "event_type=COOPERATE",
        "--set",
        "description=A joint staff meeting.",
        "--set",
        "event_status=reported",
    )
    assert result.exit_code == 0, result.output
    new_id = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"evt-[a-z0-9]{8}", new_id)
    assert row_of(root, "events", new_id)["version"] == "1"
    # An event needs a claim that reports it (curation rule); link one.
    claim = new(root, "claim", "--quote", "Minsk hosted", "--set", f"event_id={new_id}", *CLAIM_FIELDS)
    assert claim.exit_code == 0, claim.output
    assert validate(root).ok, [p.as_text() for p in validate(root).errors]


def test_new_claim_finds_the_quote_offsets(root: Path) -> None:
    quote = "Russian aircraft used Belarusian airfields"
    result = new(root, "claim", "--quote", quote, *CLAIM_FIELDS)
    assert result.exit_code == 0, result.output
    new_id = result.output.strip().splitlines()[-1]
    row = row_of(root, "claims", new_id)
    text = (root / "records" / "texts" / "fixture-note.txt").read_text(encoding="utf-8")
    start, end = int(row["start"]), int(row["end"])
    assert text[start:end] == quote
    assert text[:start].endswith(row["prefix"]) and text[end:].startswith(row["suffix"])
    assert validate(root).ok


def test_quote_not_in_the_text_is_refused(root: Path) -> None:
    before = (root / "records" / "claims.csv").read_bytes()
    result = new(root, "claim", "--quote", "Minsk hosted a naval exercise", *CLAIM_FIELDS)
    assert result.exit_code == 1
    assert "does not occur in the source text" in result.output
    assert (root / "records" / "claims.csv").read_bytes() == before


def test_ambiguous_quote_lists_the_candidates(root: Path) -> None:
    result = new(root, "claim", "--quote", "Russia", *CLAIM_FIELDS)
    assert result.exit_code == 1
    assert "occurs 2 times" in result.output
    text = (root / "records" / "texts" / "fixture-note.txt").read_text(encoding="utf-8")
    first = text.find("Russia")
    second = text.find("Russia", first + 1)
    assert f"1: start={first}, end={first + 6}" in result.output
    assert f"2: start={second}, end={second + 6}" in result.output
    chosen = new(root, "claim", "--quote", "Russia", "--occurrence", "2", *CLAIM_FIELDS)
    assert chosen.exit_code == 0, chosen.output
    assert row_of(root, "claims", chosen.output.strip().splitlines()[-1])["start"] == str(second)


def test_missing_fields_are_all_named(root: Path) -> None:
    result = new(root, "claim", "--quote", "Russian aircraft", "--set", "source_id=src-fixture-note")
    assert result.exit_code == 1
    for name in ("asserted_by", "attribution", "claim_type", "modality", "statement"):
        assert f"{name}: [required] is empty but required" in result.output
    assert "Traceback" not in result.output


def test_wrong_values_are_explained(root: Path) -> None:
    result = new(root, "actor", "--set", "name=Some body", "--set", "actor_type=agency", "--set", "parent_id=act-nope")
    assert result.exit_code == 1
    assert "actor_type: [vocab] 'agency' is not a actor_type code" in result.output
    assert "parent_id: [foreign-key] 'act-nope' is not an id in actors" in result.output
    unknown = new(root, "actor", "--set", "nmae=X")
    assert unknown.exit_code == 1 and "nmae: not a column of actors" in unknown.output


def test_prediction_starts_open(root: Path) -> None:
    fields = [a if a != "claim_type=report" else "claim_type=prediction" for a in CLAIM_FIELDS]
    fields = [a if a != "modality=asserted" else "modality=predicted" for a in fields]
    result = new(root, "claim", "--quote", "will keep close ties with Moscow", "--set", "horizon=2023", *fields)
    assert result.exit_code == 0, result.output
    assert row_of(root, "claims", result.output.strip().splitlines()[-1])["resolution"] == "open"
    assert validate(root).ok


def test_new_source_copies_its_text(root: Path, tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_bytes("Мінск і Масква правялі вучэнні.\n".encode())
    result = new(
        root,
        "source",
        "--text",
        str(text),
        "--set",
        "title=Minsk and Moscow held drills",
        "--set",
        "outlet=Fixture Weekly",
        "--set",
        "url=https://example.org/drills",
        "--set",
        "language=be",
        "--set",
        "redistribution=yes",
    )
    assert result.exit_code == 0, result.output
    row = row_of(root, "sources", "src-minsk-and-moscow-held-drills")
    stored = root / "records" / row["text_path"]
    assert stored.read_bytes() == text.read_bytes()
    assert row["text_sha256"] == hashlib.sha256(text.read_bytes()).hexdigest()
    assert row["text_length"] == str(len(text.read_text(encoding="utf-8")))
    assert row["retrieved"] == today()
    assert validate(root).ok
    # The descriptor lists resources, not sources: a new source leaves it as it was (and current).
    assert "wrote datapackage.json" not in result.output
    assert "https://example.org/drills" not in (root / "datapackage.json").read_text(encoding="utf-8")


def test_dry_run_writes_nothing(root: Path) -> None:
    before = (root / "records" / "actors.csv").read_bytes()
    result = new(root, "actor", "--dry-run", "--set", "name=NATO", "--set", "actor_type=international_organisation")
    assert result.exit_code == 0 and "id: act-nato" in result.output
    assert (root / "records" / "actors.csv").read_bytes() == before


def test_random_ids_are_well_formed_and_distinct() -> None:
    ids = {random_id("clm", set()) for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(rf"clm-[a-z0-9]{{{RANDOM_LENGTH}}}", i) for i in ids)
    taken = {f"clm-{c * RANDOM_LENGTH}" for c in "abcdefghijklmnopqrstuvwxyz0123456789"}
    assert random_id("clm", taken) not in taken


def test_slugify() -> None:
    assert slugify("Лукашэнка's 'Union State' — 2022", 60) == "lukashenka-s-union-state-2022"
    assert slugify("Minsk Dialogue Forum on security", 20) == "minsk-dialogue-forum"


def test_find_quote_context_is_single_line() -> None:
    match = find_quote("First line.\nSecond line has the quote here.", "the quote")
    assert match.prefix == "Second line has " and match.suffix == " here."
    with pytest.raises(ScaffoldError):
        find_quote("abc", "")


SOURCE_FIELDS = [
    "--set",
    "title=A text read safely",
    "--set",
    "outlet=Fixture Weekly",
    "--set",
    "url=https://example.org/safe",
    "--set",
    "language=en",
    "--set",
    "redistribution=yes",
]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", "7"),
        ("created", "2020-01-01"),
        ("updated", "2020-01-01"),
        ("record_status", "retracted"),
        ("status_reason", "Withdrawn from birth."),
        ("superseded_by", "act-blr"),
        ("id", "act-blr"),
    ],
)
def test_new_refuses_to_forge_lifecycle_fields(root: Path, field: str, value: str) -> None:
    before = (root / "records" / "actors.csv").read_bytes()
    result = new(root, "actor", "--set", "name=Forged Actor", "--set", "actor_type=state", "--set", f"{field}={value}")
    assert result.exit_code == 2, result.output
    assert f"--set {field}: not allowed" in result.output
    assert (root / "records" / "actors.csv").read_bytes() == before


def test_new_names_every_forged_field_at_once(root: Path) -> None:
    result = new(root, "actor", "--set", "name=X", "--set", "version=2", "--set", "created=2020-01-01")
    assert result.exit_code == 2
    assert "--set version" in result.output and "--set created" in result.output


def test_new_refuses_fields_it_derives(root: Path, tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("A short text.\n", encoding="utf-8")
    result = new(root, "source", "--text", str(text), *SOURCE_FIELDS, "--set", "text_length=99")
    assert result.exit_code == 2 and "--set text_length: not allowed" in result.output
    result = new(root, "claim", "--quote", "said yes", *CLAIM_FIELDS, "--set", "start=-0")
    assert result.exit_code == 2 and "--set start: not allowed" in result.output


def refused_text(root: Path, path: Path) -> Result:
    result = new(root, "source", "--text", str(path), *SOURCE_FIELDS)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (1, 2), result.output
    assert not (root / "records" / "texts" / "a-text-read-safely.txt").exists()
    return result


def test_new_source_text_may_not_be_a_fifo(root: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = refused_text(root, fifo)  # no writer ever comes: reading it would wait forever
    assert "not a regular file" in result.output and str(fifo) in result.output


def test_new_source_text_may_not_be_a_device(root: Path) -> None:
    result = refused_text(root, Path("/dev/zero"))  # endless: reading it would never stop
    assert "not a regular file" in result.output


def test_new_source_text_may_not_be_a_link(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("not for the dataset\n", encoding="utf-8")
    link = root / "records" / "texts" / "innocent.txt"
    link.symlink_to(target)
    result = refused_text(root, link)
    assert "symbolic link" in result.output and str(link) in result.output


def test_new_source_text_may_not_be_a_directory(root: Path, tmp_path: Path) -> None:
    result = refused_text(root, tmp_path)
    assert result.exit_code == 2 and "directory" in result.output


def test_new_source_text_is_read_within_the_size_limit(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarus_data.storage import sourcetexts

    monkeypatch.setattr(sourcetexts, "MAX_TEXT_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_text("x" * 11, encoding="utf-8")
    result = refused_text(root, big)
    assert "over the 10 allowed" in result.output


def test_new_claim_does_not_read_a_source_text_that_is_a_fifo(root: Path) -> None:
    text = root / "records" / "texts" / "fixture-note.txt"
    text.unlink()
    os.mkfifo(text)
    result = new(root, "claim", "--quote", "said yes", *CLAIM_FIELDS)
    assert result.exit_code == 1 and "not a regular file" in result.output, result.output


# `new` for every table, refusing what `validate` refuses, every problem at once.

PARTICIPANT = ["--set", "event_id=evt-fx2q7k9m", "--set", "actor_id=act-lukashenka", "--set", "role=participant"]
ALIAS = ["--set", "actor_id=act-lukashenka", "--set", "alias=Лукашенко", "--set", "alias_type=spelling"]
ALIAS += ["--set", "language=ru", "--set", "script=Cyrl"]


def test_new_participant_is_added_where_fmt_puts_it(root: Path) -> None:
    result = new(root, "participant", *PARTICIPANT)
    assert result.exit_code == 0, result.output
    key = "event_id=evt-fx2q7k9m, actor_id=act-lukashenka, role=participant"
    assert result.output.strip().splitlines()[-1] == key
    rows = read_rows(root / "records" / "event_participants.csv")
    line = next(n for n, r in enumerate(rows, start=1) if r[:3] == ["evt-fx2q7k9m", "act-lukashenka", "participant"])
    assert f"at records/event_participants.csv:{line}" in result.output
    assert rows[line - 1][4:8] == ["1", today(), today(), "active"]
    assert validate(root).ok


def test_new_alias_is_added(root: Path) -> None:
    result = new(root, "alias", *ALIAS)
    assert result.exit_code == 0, result.output
    assert ["act-lukashenka", "Лукашенко"] in [r[:2] for r in read_rows(root / "records" / "actor_aliases.csv")]
    assert validate(root).ok


def test_a_participant_already_recorded_is_refused(root: Path) -> None:
    before = (root / "records" / "event_participants.csv").read_bytes()
    result = new(
        root, "participant", "--set", "event_id=evt-fx2q7k9m", "--set", "actor_id=act-rus", "--set", "role=participant"
    )
    assert result.exit_code == 1
    assert "role: [duplicate-key] event_id='evt-fx2q7k9m', actor_id='act-rus', role='participant' is already used" in (
        result.output
    )
    assert (root / "records" / "event_participants.csv").read_bytes() == before


def test_mistyped_ids_get_the_nearest_id(root: Path) -> None:
    result = new(root, "participant", "--set", "event_id=evt-fx2q79km", "--set", "actor_id=act-lukashenko")
    assert result.exit_code == 1
    assert "event_id: [foreign-key] 'evt-fx2q79km' is not an id in events (fix: did you mean 'evt-fx2q7k9m'?" in (
        result.output
    )
    assert "actor_id: [foreign-key] 'act-lukashenko' is not an id in actors (fix: did you mean 'act-lukashenka'?" in (
        result.output
    )
    assert "role: [required] is empty but required (fix: add --set role=VALUE" in result.output
    alias = new(root, "alias", *[a.replace("act-lukashenka", "act-lukashenko") for a in ALIAS])
    assert alias.exit_code == 1 and "did you mean 'act-lukashenka'?" in alias.output


def test_a_bad_quote_does_not_hide_the_other_problems(root: Path) -> None:
    before = (root / "records" / "claims.csv").read_bytes()
    fields = claim_options(statement="Planes flew.", asserted_by="act-ukr-intl", claim_type="reprot")
    result = new(root, "claim", "--quote", "Russian aircraft used Belarusian airfield!", *fields)
    assert result.exit_code == 1
    problems = [line.strip() for line in result.output.splitlines()[1:]]
    assert problems[0].startswith("quote: [quote-mismatch] the quote does not occur in the source text")
    assert any(p.startswith("asserted_by: [foreign-key]") and "did you mean 'act-ukr-intel'?" in p for p in problems)
    assert any(p.startswith("claim_type: [vocab]") and "did you mean 'report'?" in p for p in problems)
    assert not any(p.startswith(("start:", "end:")) for p in problems)  # the quote's problem is said once
    assert (root / "records" / "claims.csv").read_bytes() == before


def test_a_quote_with_a_straight_apostrophe_names_the_curly_one(root: Path, tmp_path: Path) -> None:
    text = tmp_path / "drills.txt"
    text.write_text("Lukashenka said 𝕏 drills weren’t aimed at anyone.\n", encoding="utf-8")
    source = new(root, "source", "--text", str(text), *SOURCE_FIELDS)
    assert source.exit_code == 0, source.output
    source_id = source.output.strip().splitlines()[-1]
    fields = claim_options(source_id, asserted_by="act-lukashenka", attribution="cited", modality="reported")
    fields += ["--set", "statement=Lukashenka denied that the exercise targeted anyone."]
    result = new(root, "claim", "--quote", "drills weren't aimed", *fields)
    assert result.exit_code == 1
    # Code points, not bytes or UTF-16 units: the non-BMP 𝕏 counts as one.
    assert "the nearest passage, at start=18, end=38, reads 'drills weren’t aimed'" in result.output
    assert "they differ at character 13: ' U+0027 (APOSTROPHE, Po) in the quote" in result.output
    assert "’ U+2019 (RIGHT SINGLE QUOTATION MARK, Pf) in the text" in result.output
    fixed = new(root, "claim", "--quote", "drills weren’t aimed", *fields)
    assert fixed.exit_code == 0, fixed.output
    assert validate(root).ok, [p.as_text() for p in validate(root).errors]


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (["actor", "--set", "name=Zero\u200bwidth", "--set", "actor_type=state"], "text-invisible-char", "name"),
        (["actor", "--set", "name==SUM(A1)", "--set", "actor_type=state"], "text-formula-lead", "name"),
        (
            ["actor", "--set", "name=Belarus army", "--set", "actor_type=state", "--set", "country=BLRR"],
            "pattern",
            "country",
        ),
        (["alias", *ALIAS[:-2], "--set", "script=Latn"], "alias-script", "script"),
    ],
)
def test_new_refuses_what_validate_refuses_with_its_code(root: Path, args: list[str], code: str, field: str) -> None:
    from belarus_data.commands.scaffold import build_record

    result = new(root, *args)
    assert result.exit_code == 1, result.output
    assert f"{field}: [{code}]" in result.output
    values = dict(a.split("=", 1) for a in args[2::2])
    with pytest.raises(ScaffoldError) as raised:
        build_record(root, args[0], values)
    assert (code, field) in {(p.code, p.field) for p in raised.value.found}  # the Problems, for other front ends


def test_a_statement_copying_the_quote_is_refused(root: Path) -> None:
    quote = "Russian aircraft used Belarusian airfields"
    result = new(root, "claim", "--quote", quote, *claim_options(statement=f"{quote}."))
    assert result.exit_code == 1 and "statement: [statement-copies-quote]" in result.output


def test_new_participant_takes_no_id(root: Path) -> None:
    result = new(root, "participant", "--id", "x", *PARTICIPANT)
    assert result.exit_code == 1 and "--id: event_participants have no ID" in result.output
