"""benchmarks/generate.py writes a dataset that passes every check, the same bytes for the same seed."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

from conftest import load_script

from belarus_data import validate


def load_generator() -> ModuleType:
    return load_script("benchmarks/generate.py", "bench_generate")


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_generated_dataset_is_valid_and_deterministic(tmp_path: Path) -> None:
    generate = load_generator().generate
    first = generate(600, tmp_path / "a", seed=7)
    report = validate(first)
    assert report.ok, [p.as_text() for p in report.errors[:10]]
    assert report.rows["claims"] == 600
    assert report.rows["sources"] == 12 and report.rows["events"] == 120
    assert report.summary["tables"]["claims"]["record_status"].keys() >= {"active", "retracted", "superseded"}
    assert digest(first) == digest(generate(600, tmp_path / "b", seed=7))
    assert digest(first) != digest(generate(600, tmp_path / "c", seed=8))


def test_generated_dataset_passes_the_rows_engine(tmp_path: Path) -> None:
    root = load_generator().generate(150, tmp_path / "d", seed=3)
    assert validate(root, engine="rows").ok


def test_cli_refuses_a_bad_size(tmp_path: Path) -> None:
    main = load_generator().main
    try:
        main(["--claims", "lots", "--out", str(tmp_path / "e")])
    except SystemExit as exit:
        assert exit.code == 2
    else:
        raise AssertionError("expected a usage error")
    assert not (tmp_path / "e").exists()


def test_texts_loaded_a_group_at_a_time_give_the_same_problems(tmp_path: Path, monkeypatch: object) -> None:
    """Texts are checked in groups of about 64 MiB; a group of one text at a time must change nothing."""
    import csv
    import io

    from belarus_data.checks import evidence

    root = load_generator().generate(600, tmp_path / "d", seed=3)
    claims = root / "records" / "claims.csv"
    rows = list(csv.reader(io.StringIO(claims.read_text(encoding="utf-8"))))
    header = rows[0]
    # Break the quotes of claims in three different sources, and one source's text.
    broken: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        source = row[header.index("source_id")]
        if source not in broken and len(broken) < 3:
            row[header.index("quote")] = "not in any text"
            broken[source] = number
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    claims.write_text(out.getvalue(), encoding="utf-8")
    text = sorted((root / "records" / "texts").iterdir())[-1]
    text.write_text(text.read_text(encoding="utf-8") + " appended", encoding="utf-8")

    def located() -> set[tuple[str, int | None, str | None, str]]:
        return {(p.file, p.line, p.field, p.code) for p in validate(root).errors}

    whole = located()
    monkeypatch.setattr(evidence, "TEXT_GROUP_BYTES", 1)  # type: ignore[attr-defined]
    assert located() == whole
    assert {("records/claims.csv", line, "quote", "quote-mismatch") for line in broken.values()} <= whole
    assert any(code == "text-sha256" for *_, code in whole)
