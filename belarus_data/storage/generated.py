"""Generated artefacts: Table Schemas, JSON Schemas, datapackage.json and the data dictionary.

All are derived from the models alone (never from the records, so their size
does not grow with the data), written atomically, and compared by ``schema --check``.
frictionless's own JSON-Schema import is not used: it drops enums, patterns and
keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from belarus_data import vocab
from belarus_data._version import __version__
from belarus_data.models.columns import Column, json_schema_for
from belarus_data.storage.atomic import write_text
from belarus_data.storage.derived import derived_columns, precision_note
from belarus_data.storage.paths import inside, read_file
from belarus_data.storage.tables import TABLES, Table

DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International (the records)",
}
CODE_LICENSE = {"name": "MIT", "path": "https://opensource.org/license/mit", "title": "MIT License (the code)"}
TITLE = "belarus-data: claims and events on Belarus's foreign and security policy"
DESCRIPTION = (
    "A versioned, validated dataset of the claims made in analytical texts about Belarus's foreign and "
    "security policy and of the events they report, each claim anchored to a verbatim quote at exact "
    "character offsets in its source text."
)


def dump(value: Any) -> str:
    """A generated JSON file's text."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def field_descriptor(table: Table, name: str) -> dict[str, Any]:
    rule: Column = table.rules[name]
    field: dict[str, Any] = {"name": name, "type": rule.kind, "description": table.description_of(name)}
    constraints: dict[str, Any] = {}
    if name in table.required:
        constraints["required"] = True
    if table.primary_key == (name,):
        constraints["unique"] = True
    schema = json_schema_for(rule)
    if "enum" in schema:
        constraints["enum"] = schema["enum"]
    if "pattern" in schema:
        constraints["pattern"] = schema["pattern"].removeprefix("^").removesuffix("$")
    if "maxLength" in schema:
        constraints["maxLength"] = schema["maxLength"]
    for key in ("minimum", "maximum"):
        if key in schema:
            constraints[key] = schema[key]
    if rule.kind == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if rule.kind == "date":
        field["format"] = "default"
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of one table."""
    return {
        "fields": [field_descriptor(table, name) for name in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
        "foreignKeys": [
            {
                "fields": fk.field,
                "reference": {"resource": "" if fk.table == table.name else fk.table, "fields": fk.reference},
            }
            for fk in table.foreign_keys
        ],
    }


def json_schema(table: Table) -> dict[str, Any]:
    """The JSON Schema of one record of the table (as exported to JSON)."""
    schema = table.model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://belarus-data.invalid/schema/jsonschema/{table.name}.json"
    return schema


def datapackage(root: Path | None = None) -> dict[str, Any]:
    """The datapackage.json descriptor: the package's metadata and its resources, from the models alone.

    Nothing in it grows with the data (its size is the same for ten records or
    ten million): the bibliography is ``records/sources.csv`` itself, a resource
    of the package, not a list copied into the descriptor. ``root`` is accepted
    for callers that pass it and is not read.

    >>> len(datapackage()["resources"]) == len(TABLES)
    True
    """
    return {
        "profile": "tabular-data-package",
        "name": "belarus-data",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": __version__,
        "licenses": [DATA_LICENSE],
        "code_license": CODE_LICENSE,
        "keywords": ["Belarus", "Russia", "security policy", "foreign policy", "claims", "events", "PLOVER", "EDTF"],
        "contributors": [{"title": "belarus-data contributors", "role": "author"}],
        "resources": [
            {
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": t.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": f"schema/{t.name}.schema.json",
            }
            for t in TABLES
        ],
    }


def data_dictionary() -> str:
    """Markdown describing every table, column and vocabulary."""
    out = ["# Data dictionary", "", "Generated from the models by `belarus-data schema`; do not edit by hand.", ""]
    for t in TABLES:
        out += [
            f"## `{t.name}` — {t.title}",
            "",
            t.description,
            "",
            f"File `{t.path}`; primary key ({', '.join(t.primary_key)}).",
            "",
        ]
        out += ["| column | type | required | rule | meaning |", "|---|---|---|---|---|"]
        for name in t.columns:
            rule = t.rules[name]
            what = rule.description_of_value + (f" (`{rule.vocab}`)" if rule.vocab else "")
            if rule.max_length:
                what += f", ≤ {rule.max_length} chars"
            out.append(
                f"| `{name}` | {rule.kind} | {'yes' if name in t.required else ''} | {what} | {t.description_of(name)} |"
            )
        links = [f"`{fk.field}` → `{fk.table}.{fk.reference}`" for fk in t.foreign_keys]
        if links:
            out += ["", "Links: " + "; ".join(links) + "."]
        out += _derived_section(t)
        out.append("")
    out += ["# Vocabularies", ""]
    for name, codes in vocab.ALL.items():
        out += [f"## `{name}`", "", "| code | meaning |", "|---|---|"]
        out += [f"| `{code}` | {meaning} |" for code, meaning in codes.items()]
        out.append("")
    return "\n".join(out)


def _derived_section(t: Table) -> list[str]:
    """The columns the loaders and exports derive from the stored ones (never in the CSV)."""
    found = derived_columns(t)
    note = precision_note(t)
    if not found and note is None:
        return []
    out = [
        "",
        "Derived columns, in the loaders' DataFrames (as datetime64) and the exports (as dates), not in the CSV file:",
        "",
        "| column | type | from | meaning |",
        "|---|---|---|---|",
    ]
    out += [f"| `{d.name}` | {d.kind} | `{d.source}` | {d.description} |" for d in found]
    if note is not None:
        out += ["", note]
    return out


def generated_files(root: Path) -> dict[str, str]:
    """Every generated file: path relative to the root -> content."""
    files = {f"schema/{t.name}.schema.json": dump(table_schema(t)) for t in TABLES}
    files |= {f"schema/jsonschema/{t.name}.json": dump(json_schema(t)) for t in TABLES}
    files["datapackage.json"] = dump(datapackage(root))
    files["docs/data-dictionary.md"] = data_dictionary()
    return files


def _is_current(path: Path, content: str) -> bool:
    expected = content.encode("utf-8")
    # Bounded, and never a link, device or FIFO: a pull request can put anything at these paths.
    found = read_file(path, len(expected)) if not path.is_symlink() else None
    return found == expected


def stale_files(root: Path) -> list[str]:
    """Generated files that are missing or differ from what the models give."""
    return [rel for rel, content in generated_files(root).items() if not _is_current(root / rel, content)]


def missing_files(root: Path) -> list[str]:
    """Generated files that are not there at all (or not regular files): "missing", not "differs".

    The copy of the dataset installed with the package ships no ``docs/``; ``fmt
    --check`` and ``schema --check`` say so instead of calling the file malformed.
    """
    return [rel for rel in generated_files(root) if (root / rel).is_symlink() or not (root / rel).is_file()]


def write_generated(root: Path) -> list[str]:
    """Write every stale generated file (atomically); returns what was written.

    Raises :class:`~belarus_data.storage.paths.UnsafePath`, before writing anything, if a
    target is or lies under a symbolic link (a pull request could point
    ``schema/`` anywhere on the machine of whoever runs this).
    """
    files = generated_files(root)
    targets = {relative: inside(root, relative) for relative in files}
    written = []
    for relative, content in files.items():
        if not _is_current(targets[relative], content):
            write_text(targets[relative], content)
            written.append(relative)
    return written
