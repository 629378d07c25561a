"""JSON export: ``<table>.json`` per table, and ``claims.jsonl`` with each claim's source, evidence and event.

Every record written is first validated (with jsonschema-rs) against the JSON Schema generated from
the models (``schema/jsonschema/<table>.json`` in the dataset root); the nested
claims against a schema assembled from those same files, which is written
beside them as ``claims.jsonl.schema.json``.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from belarus_data.export.common import ExportInvalid, Step, checked_root, load_frames, no_step, require, table_records
from belarus_data.storage.atomic import write_text
from belarus_data.storage.paths import inside
from belarus_data.storage.tables import TABLES, table

# Claim columns that together are the claim's evidence (W3C TextQuote/TextPosition selectors).
EVIDENCE_FIELDS = ("quote", "start", "end", "prefix", "suffix")
NESTED_NAME = "claims.jsonl"
NESTED_SCHEMA_NAME = "claims.jsonl.schema.json"
PURPOSE = "the JSON export"
EXTRA = "json"


def table_schemas(root: Path) -> dict[str, dict[str, Any]]:
    """The generated JSON Schema of every table, read from ``schema/jsonschema/`` inside ``root``."""
    out = {}
    for spec in TABLES:
        path = inside(root, f"schema/jsonschema/{spec.name}.json")
        out[spec.name] = json.loads(path.read_text(encoding="utf-8"))
    return out


def _embedded(schema: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(schema)
    body.pop("$schema", None)
    body.pop("$id", None)
    return body


def nested_claim_schema(schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The JSON Schema of one ``claims.jsonl`` line, assembled from the table schemas.

    A nested claim is a claims record whose evidence columns are moved into
    ``evidence``, plus ``source``, ``asserted_by_actor`` and ``event`` (the
    event with its ``participants``), each exactly as in its own table.
    """
    claim = _embedded(schemas["claims"])
    props: dict[str, Any] = claim["properties"]
    required: list[str] = claim.get("required", [])
    evidence = {
        "type": "object",
        "description": "The verbatim quote and where it is in the source text (code-point offsets, W3C selectors).",
        "properties": {k: props.pop(k) for k in EVIDENCE_FIELDS},
        "required": [k for k in required if k in EVIDENCE_FIELDS],
        "additionalProperties": False,
    }
    event = _embedded(schemas["events"])
    event["properties"]["participants"] = {"type": "array", "items": _embedded(schemas["event_participants"])}
    event["required"] = [*event.get("required", []), "participants"]
    props["evidence"] = evidence
    props["source"] = _embedded(schemas["sources"])
    props["asserted_by_actor"] = _embedded(schemas["actors"])
    props["event"] = {"anyOf": [event, {"type": "null"}]}
    claim["required"] = [k for k in required if k not in EVIDENCE_FIELDS] + [
        "evidence",
        "source",
        "asserted_by_actor",
        "event",
    ]
    claim["title"] = "Nested claim"
    claim["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    claim["$id"] = "https://belarus-data.invalid/schema/jsonschema/claims.jsonl.json"
    return claim


def nest_claims(records: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Claims with their source, asserting actor, evidence and event (with participants) inlined."""
    sources = {r["id"]: r for r in records["sources"]}
    actors = {r["id"]: r for r in records["actors"]}
    participants: dict[str, list[dict[str, Any]]] = {}
    for row in records["event_participants"]:
        participants.setdefault(row["event_id"], []).append(row)
    events = {r["id"]: {**r, "participants": participants.get(r["id"], [])} for r in records["events"]}
    nested = []
    for claim in records["claims"]:
        out = {k: v for k, v in claim.items() if k not in EVIDENCE_FIELDS}
        out["evidence"] = {k: claim[k] for k in EVIDENCE_FIELDS}
        out["source"] = sources[claim["source_id"]]
        out["asserted_by_actor"] = actors[claim["asserted_by"]]
        out["event"] = events[claim["event_id"]] if claim["event_id"] is not None else None
        nested.append(out)
    return nested


def _no_fetch(uri: str) -> Any:
    # Our schemas reference nothing outside themselves; a remote $ref must never be fetched.
    raise ValueError(f"refusing to fetch {uri}: schemas are validated offline")


def check_records(what: str, key: str, schema: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Validate ``rows`` against ``schema``; raise :class:`ExportInvalid` naming row, field and rule.

    Uses jsonschema-rs (Draft 2020-12, formats checked): under 0.1 ms per nested
    claim where the pure-Python ``jsonschema`` takes 10 ms, i.e. seconds rather
    than a quarter of an hour for 100,000 claims.
    """
    jsonschema_rs = require("jsonschema_rs", EXTRA, PURPOSE)
    validator = jsonschema_rs.validator_for(schema, validate_formats=True, retriever=_no_fetch)
    problems = []
    for number, row in enumerate(rows, start=1):
        if validator.is_valid(row):  # the fast path; errors are collected only for bad rows
            continue
        for error in validator.iter_errors(row):
            where = "/".join(str(p) for p in error.instance_path) or "(record)"
            problems.append(f"{what} record {number} ({key} {row.get(key)!r}), field {where}: {error.message}")
    if problems:
        raise ExportInvalid(f"{len(problems)} exported value(s) break the JSON Schema:\n" + "\n".join(problems[:20]))


def _json_array(rows: list[dict[str, Any]]) -> str:
    # One record per line: compact, yet diffs and `head` stay readable.
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"


def _json_lines(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def export_json(
    out_dir: str | os.PathLike[str], root: str | os.PathLike[str] | None = None, step: Step = no_step
) -> list[Path]:
    """Write ``<table>.json`` for every table and the nested ``claims.jsonl`` into ``out_dir``.

    Returns the paths written. Raises :class:`~belarus_data.problems.DatasetError`
    if the dataset does not validate, :class:`ExportInvalid` if a record breaks its schema.

    >>> from belarus_data.export.jsonout import export_json
    >>> [p.name for p in export_json("out/json")][-1]  # doctest: +SKIP
    'claims.jsonl.schema.json'
    """
    require("jsonschema_rs", EXTRA, PURPOSE)
    base = checked_root(root, step)
    schemas = table_schemas(base)
    frames = load_frames(base, step)
    records = {name: table_records(table(name), frame) for name, frame in frames.items()}
    target = Path(out_dir)
    written = []
    for spec in TABLES:
        step(f"check and write {spec.name}.json")
        key = spec.primary_key[0]
        check_records(spec.name, key, schemas[spec.name], records[spec.name])
        path = target / f"{spec.name}.json"
        write_text(path, _json_array(records[spec.name]))
        written.append(path)
    step(f"check and write {NESTED_NAME}")
    nested_schema = nested_claim_schema(schemas)
    nested = nest_claims(records)
    check_records(NESTED_NAME, "id", nested_schema, nested)
    for name, content in (
        (NESTED_NAME, _json_lines(nested)),
        (NESTED_SCHEMA_NAME, json.dumps(nested_schema, indent=2, ensure_ascii=False) + "\n"),
    ):
        write_text(target / name, content)
        written.append(target / name)
    return written
