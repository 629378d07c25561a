"""Pathological inputs are rejected with their problem codes, never a crash, a hang or a guess.

The inputs are those of ``benchmarks/pathological.py`` (which times them at
full size: 50 MB cells, 100,000 bad references or invented quotes, 5 MB JSON
strings, links to devices, FIFOs), built here smaller so that the suite stays
quick; the assertions are on the problem codes, not on the time. Then the
rules that keep the work per problem bounded, each on its own: misplaced quotes
in CSV, "did you mean" suggestions, quote searches, the JSON position scanner,
and regular-file-only reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from conftest import load_script

from belarus_data import validate
from belarus_data.checks import evidence, references
from belarus_data.models.columns import Nearest, nearest
from belarus_data.problems import Problem
from belarus_data.storage import jsonpos
from belarus_data.storage.csvfile import QuoteFault, quote_faults
from belarus_data.storage.formatting import canonical
from belarus_data.storage.paths import is_dataset_root, read_file
from belarus_data.storage.tables import table

REPO = Path(__file__).parent.parent


def _bench() -> ModuleType:
    return load_script("benchmarks/pathological.py", "bench_pathological")


BENCH = _bench()
INPUTS = {case.name: case for case in BENCH.INPUTS}  # type: ignore[attr-defined]
SCALE = 0.02  # 1 MB cells, 2,000 bad references, 2,000 invented quotes against a 400 kB text…


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_each_pathological_input_gives_its_codes(name: str, tmp_path: Path) -> None:
    case = INPUTS[name]
    root = BENCH.build(case, tmp_path, SCALE)  # type: ignore[attr-defined]
    report = validate(root)
    found = {(p.file, p.code) for p in report.errors}
    assert case.expect <= found, f"{case.what}: missing {sorted(case.expect - found)}; got {sorted(found)}"


def test_bad_references_are_all_reported_and_only_the_first_get_a_suggestion(tmp_path: Path) -> None:
    root = BENCH.build(INPUTS["bad-references"], tmp_path, SCALE)  # type: ignore[attr-defined]
    bad = [p for p in validate(root).errors if p.code == "foreign-key" and p.field == "asserted_by"]
    assert len(bad) == int(100_000 * SCALE)
    suggested = [p for p in bad if "did you mean" in p.hint]
    assert 0 < len(suggested) <= references.MAX_SUGGESTIONS
    assert all(p.line is not None for p in bad)


def test_invented_quotes_are_all_reported_with_bounded_searches(tmp_path: Path) -> None:
    root = BENCH.build(INPUTS["invented-quotes"], tmp_path, SCALE)  # type: ignore[attr-defined]
    mismatches = [p for p in validate(root).errors if p.code == "quote-mismatch"]
    assert len(mismatches) == int(100_000 * SCALE)
    searched = [p for p in mismatches if "does not occur in the text" in p.hint]
    assert len(searched) == evidence.MAX_SEARCHES_PER_TEXT  # one text: its cap, then hints without a search
    assert all("copy the quote exactly" in p.hint for p in mismatches if p not in searched)


# Misplaced double quotes: one vectorised rule, the same in the fast and the slow path.


@pytest.mark.parametrize(
    ("line", "fault"),
    [
        (b"a,b\n", None),
        (b'a,"b,c"\n', None),
        (b'a,"b""c",""\n', None),
        (b'"""",x\n', None),
        (b'a,"x\n', None),  # ends inside quotes: a quoted line break or unbalanced, left to the parsers
        (b'a,abc"def\n', QuoteFault(1, 1, after_close=False)),
        (b'a,"abc"def\n', QuoteFault(1, 1, after_close=True)),
        (b'"abc" ,b\n', QuoteFault(1, 0, after_close=True)),
        (b'a,b,c"\n', QuoteFault(1, 2, after_close=False)),
        (b'a,"b,""c"""x,d\n', QuoteFault(1, 1, after_close=True)),
        (b'a,"x"\n', None),
        (b'a,"x"', None),  # the end of the text ends the line
    ],
)
def test_quote_faults(line: bytes, fault: QuoteFault | None) -> None:
    assert quote_faults(np.frombuffer(line, dtype=np.uint8), 1) == ([fault] if fault else [])


def test_quote_faults_count_lines_and_take_the_first_per_line() -> None:
    data = b'h1,h2\nok,"fine"\nx"y,"z"w\n' * 3
    faults = quote_faults(np.frombuffer(data, dtype=np.uint8), 10)
    assert [(f.line, f.column, f.after_close) for f in faults] == [(12, 0, False), (15, 0, False), (18, 0, False)]


@pytest.mark.parametrize("engine", ["fast", "rows"])
def test_a_misplaced_quote_is_located_by_both_engines_and_its_row_is_not_checked(root: Path, engine: str) -> None:
    path = root / "records" / "actors.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"act-blr-gov,Government of Belarus,", b'act-blr-gov,"Government" of Belarus,'))
    problems = validate(root, engine=engine).errors  # type: ignore[arg-type]
    syntax = [p for p in problems if p.code == "csv-syntax"]
    assert [(p.file, p.line, p.field) for p in syntax] == [("records/actors.csv", 3, "name")]
    # The row is dropped (its cells are a guess), so what points at it is reported too: nothing passes silently.
    assert any(p.code == "foreign-key" and "act-blr-gov" in p.message for p in problems)


def test_fmt_quotes_a_stray_quote_but_refuses_text_after_a_closing_one() -> None:
    spec = table("actor_aliases")
    header = ",".join(spec.columns).encode()
    row = b"act-blr,Bela" + b'"' + b"rus,name,en,Latn,1,2026-11-20,2026-11-20,active,\n"
    problems: list[Problem] = []
    fixed = canonical(header + b"\n" + row, spec, "records/actor_aliases.csv", problems)
    assert fixed is not None and b'"Bela""rus"' in fixed and not problems
    broken = header + b"\n" + row.replace(b'Bela"rus', b'"Bela"rus')
    assert canonical(broken, spec, "records/actor_aliases.csv", problems) is None
    assert [(p.line, p.field, p.code) for p in problems] == [(2, "alias", "csv-syntax")]


# "Did you mean": a bounded number of comparisons per value.


def test_nearest_finds_typos_among_many_ids_by_either_end() -> None:
    ids = [f"act-{n:06d}-{(n * 7919) % 1000:03d}" for n in range(50_000)]
    guess = Nearest(ids)
    assert guess("act-012345-xx5") in {i for i in ids if i.startswith("act-012345-")}
    assert guess("bct-012345-" + ids[12345][-3:]) == ids[12345]  # first character wrong: found by the end
    assert guess("x" * 10_000) is None  # no typo of anything: not compared
    assert nearest("stae", ["state", "government"]) == "state"
    assert nearest("STATE", ["state"]) == "state"


# The JSON position scanner: linear, bounded, never recursive.


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "' + "\\" * 400_000,  # unterminated string of backslashes
        '{"a": "' + "\\\\" * 200_000 + '"}',
        '"' * 400_000,
        "[" * 400_000,
        '{"' + "k" * 200_000 + '": [' + "0," * 100_000 + "0]}",  # a long key over many values
    ],
)
def test_scan_survives_hostile_json(text: str) -> None:
    found = jsonpos.scan(text, 32)
    assert len(found.lines) <= jsonpos.MAX_RECORDED
    assert all(len(pointer) <= jsonpos.MAX_POINTER_CHARS + 20 for pointer in found.lines)


def test_scan_records_repeated_keys_and_caps_recorded_lines() -> None:
    text = "{" + ",\n".join(f'"k{n % 3}": {n}' for n in range(9)) + "}"
    assert jsonpos.scan(text, 8).duplicates[:2] == [("/k0", 4), ("/k1", 5)]
    many = "[" + ",".join("0" for _ in range(jsonpos.MAX_RECORDED + 10)) + "]"
    assert len(jsonpos.scan(many, 8).lines) == jsonpos.MAX_RECORDED


# Regular files only, bounded reads.


def test_read_file_is_bounded_and_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1000)
    assert read_file(big, 10) == b"x" * 11  # one byte more than the limit: too large, and known to be
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert read_file(link, 10) is None
    assert read_file(Path("/dev/zero"), 10) is None
    assert read_file(fifo, 10) is None  # returns at once: never waits for a writer
    assert read_file(tmp_path, 10) is None


def test_root_discovery_never_blocks_on_a_fifo_descriptor(root: Path) -> None:
    (root / "datapackage.json").unlink()
    os.mkfifo(root / "datapackage.json")
    assert is_dataset_root(root) is False  # not a file: not taken for a root (and not waited on)


def test_root_discovery_reads_a_bounded_descriptor(root: Path) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["description"] = "\\" * 6_000_000
    path.write_text(json.dumps(descriptor)[:-1] + ', "name": "other"}', encoding="utf-8")
    assert is_dataset_root(root) is True  # too large to parse: ours (beside records/ and schema/), but broken
    assert any(p.code == "package-invalid" for p in validate(root).errors)


def test_misplaced_quotes_are_found_across_scan_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks and pieces end at line ends (a line's quotes are judged together); line numbers run on across them."""
    from belarus_data.storage import csvfile

    # Dozens of blocks and pieces, none starting on a page boundary: the streamed scan and the pieces
    # read by two threads both number lines across them.
    monkeypatch.setattr(csvfile, "SCAN_BLOCK", 5000)
    monkeypatch.setattr(csvfile, "PIECE_BYTES", 5000)
    spec = table("actor_aliases")
    row = "act-blr,Belarus,name,en,Latn,1,2026-11-20,2026-11-20,active,\n"
    lines = [",".join(spec.columns) + "\n"] + [row] * 5000
    lines[3000] = row.replace("Belarus", 'Bela"rus')
    lines[4000] = row.replace("Belarus", '"Bela"rus')
    path = tmp_path / "actor_aliases.csv"
    path.write_text("".join(lines), encoding="utf-8")
    problems: list[Problem] = []
    parsed = csvfile.read_table(path, "records/actor_aliases.csv", spec.columns, problems)
    assert [(p.line, p.field, p.code) for p in problems] == [
        (3001, "alias", "csv-syntax"),
        (4001, "alias", "csv-syntax"),
    ]
    assert parsed is not None and parsed.num_rows == 4998
    assert 3001 not in parsed.lines and 4001 not in parsed.lines and parsed.line(2999) == 3002


def test_schema_check_never_reads_a_device_or_fifo(root: Path) -> None:
    """`schema --check` compares the generated files with what is there: a link to a device or a FIFO is stale, not read."""
    from belarus_data.storage.generated import stale_files

    (root / "schema" / "actors.schema.json").unlink()
    (root / "schema" / "actors.schema.json").symlink_to("/dev/zero")
    (root / "schema" / "events.schema.json").unlink()
    os.mkfifo(root / "schema" / "events.schema.json")
    assert {"schema/actors.schema.json", "schema/events.schema.json"} <= set(stale_files(root))


def test_a_non_utf8_text_does_not_shift_the_texts_of_later_sources(root: Path) -> None:
    """Claims map to their text by its number: a text that is not UTF-8 listed first used to shift every later one."""
    import csv
    import io

    sources = root / "records" / "sources.csv"
    rows = list(csv.reader(io.StringIO(sources.read_text(encoding="utf-8"))))
    header, first = rows[0], list(rows[1])
    first[header.index("id")], first[header.index("text_path")] = "src-aaa-latin1", "texts/aaa.txt"
    rows.insert(1, first)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    sources.write_text(out.getvalue(), encoding="utf-8")
    (root / "records" / "texts" / "aaa.txt").write_bytes("café, a text of another length entirely".encode("latin-1"))
    problems = validate(root).errors
    assert any(p.code == "text-encoding" for p in problems)
    assert not [p for p in problems if p.file == "records/claims.csv"]  # the fixture's quotes are all in place


def test_info_never_blocks_on_a_fifo_descriptor(root: Path) -> None:
    from belarus_data.export.info import _dataset_version

    (root / "datapackage.json").unlink()
    os.mkfifo(root / "datapackage.json")
    assert _dataset_version(root) is None  # returns at once instead of waiting for a writer
