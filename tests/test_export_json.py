"""`belarus-data export json`: per-table JSON and nested claims.jsonl, equal to the loaders and valid against the schemas."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from exporthelp import DATASETS, expected_rows

from belarus_data.cli import main
from belarus_data.export.common import ExportInvalid
from belarus_data.export.jsonout import EVIDENCE_FIELDS, check_records, nested_claim_schema, table_schemas
from belarus_data.storage.derived import derived_columns
from belarus_data.storage.tables import TABLES


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(params=DATASETS)
def exported(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    result = CliRunner().invoke(main, ["export", "json", str(tmp_path), "--root", str(request.param)])
    assert result.exit_code == 0, result.output + result.stderr
    return request.param, tmp_path


def test_table_files_hold_the_loaded_rows(exported: tuple[Path, Path]) -> None:
    root, out = exported
    for spec in TABLES:
        assert json.loads((out / f"{spec.name}.json").read_text(encoding="utf-8")) == expected_rows(spec.name, root)


def validator(schema: dict[str, Any]) -> Any:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_every_record_is_valid_against_the_generated_json_schemas(exported: tuple[Path, Path]) -> None:
    root, out = exported
    for spec in TABLES:
        generated = json.loads((root / "schema" / "jsonschema" / f"{spec.name}.json").read_text(encoding="utf-8"))
        written = json.loads((out / f"{spec.name}.json.schema.json").read_text(encoding="utf-8"))
        # The written schema is the generated one plus the derived columns, nothing else changed.
        derived = set(written["properties"]) - set(generated["properties"])
        assert derived == {c.name for c in derived_columns(spec)}
        assert {k: v for k, v in written["properties"].items() if k not in derived} == generated["properties"]
        check, check_stored = validator(written), validator(generated)
        for record in json.loads((out / f"{spec.name}.json").read_text(encoding="utf-8")):
            check.validate(record)
            check_stored.validate({k: v for k, v in record.items() if k not in derived})
    check = validator(json.loads((out / "claims.jsonl.schema.json").read_text(encoding="utf-8")))
    for claim in read_lines(out / "claims.jsonl"):
        check.validate(claim)


def test_nested_claims_carry_source_evidence_actor_and_event(exported: tuple[Path, Path]) -> None:
    root, out = exported
    claims = {c["id"]: c for c in expected_rows("claims", root)}
    sources = {s["id"]: s for s in expected_rows("sources", root)}
    actors = {a["id"]: a for a in expected_rows("actors", root)}
    events = {e["id"]: e for e in expected_rows("events", root)}
    participants = expected_rows("event_participants", root)
    nested = read_lines(out / "claims.jsonl")
    assert [n["id"] for n in nested] == list(claims)
    for item in nested:
        flat = claims[item["id"]]
        assert {k: v for k, v in item.items() if k in flat} == {
            k: v for k, v in flat.items() if k not in EVIDENCE_FIELDS
        }
        assert item["evidence"] == {k: flat[k] for k in EVIDENCE_FIELDS}
        assert item["source"] == sources[flat["source_id"]]
        assert item["asserted_by_actor"] == actors[flat["asserted_by"]]
        if flat["event_id"] is None:
            assert item["event"] is None
        else:
            event = dict(item["event"])
            assert event.pop("participants") == [p for p in participants if p["event_id"] == flat["event_id"]]
            assert event == events[flat["event_id"]]
        # The evidence is where it says it is in the source's text.
        text = (root / "records" / item["source"]["text_path"]).read_text(encoding="utf-8")
        assert text[item["evidence"]["start"] : item["evidence"]["end"]] == item["evidence"]["quote"]


def test_schema_check_rejects_and_locates_a_bad_record(root: Path) -> None:
    schemas = table_schemas(root)
    good = expected_rows("claims", root)[0]
    with pytest.raises(
        ExportInvalid, match=r"claims record 1 \(id 'clm-[a-z0-9]+'\), field claim_type: \"rumour\" is not one of"
    ):
        check_records("claims", "id", schemas["claims"], [{**good, "claim_type": "rumour"}])
    with pytest.raises(ExportInvalid, match='field created: "27 Nov" is not a "date"'):
        check_records("claims", "id", schemas["claims"], [{**good, "created": "27 Nov"}])
    nested = nested_claim_schema(schemas)
    with pytest.raises(ExportInvalid, match='"evidence" is a required property'):
        check_records("claims.jsonl", "id", nested, [{k: v for k, v in good.items() if k not in EVIDENCE_FIELDS}])


def test_missing_extra_names_it(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)
    result = CliRunner().invoke(main, ["export", "json", str(tmp_path / "j"), "--root", str(root)])
    assert result.exit_code == 4  # MISSING_EXTRA_EXIT, not the usage code
    assert "pip install 'belarus-data[json]'" in result.stderr
    assert not (tmp_path / "j").exists()
