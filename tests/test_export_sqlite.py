"""`belarus-data export sqlite`: the database holds exactly the loaded rows, with keys, indexes and full-text search."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, line_of, set_cell
from exporthelp import DATASETS, expected_rows, export_columns

from belarus_data.cli import main
from belarus_data.export.sqlite import FULL_TEXT, export_sqlite
from belarus_data.loaders import load_table
from belarus_data.storage.tables import TABLES


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    return db


@pytest.fixture(params=DATASETS)
def exported(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    root: Path = request.param
    export_sqlite(tmp_path / "belarus.db", root)
    return root, tmp_path / "belarus.db"


def test_every_table_holds_the_loaded_rows(exported: tuple[Path, Path]) -> None:
    root, db_path = exported
    db = connect(db_path)
    for spec in TABLES:
        order = ", ".join(f'"{k}"' for k in spec.primary_key)
        got = [dict(r) for r in db.execute(f'SELECT * FROM "{spec.name}" ORDER BY {order}')]
        want = sorted(expected_rows(spec.name, root), key=lambda r: tuple(r[k] for k in spec.primary_key))
        assert got == want, spec.name
        assert list(got[0]) == export_columns(spec.name) if got else True


def test_current_views_hold_the_active_records_the_loaders_return(exported: tuple[Path, Path]) -> None:
    root, db_path = exported
    db = connect(db_path)
    for spec in TABLES:
        order = ", ".join(f'"{k}"' for k in spec.primary_key)
        current = [dict(r) for r in db.execute(f'SELECT * FROM "current_{spec.name}" ORDER BY {order}')]
        active = [r for r in expected_rows(spec.name, root) if r["record_status"] == "active"]
        assert current == sorted(active, key=lambda r: tuple(r[k] for k in spec.primary_key)), spec.name
        assert len(current) == len(load_table(spec.name, root))  # the loaders' default: active only
    # The real records hold withdrawn participants: the table keeps them, the view leaves them out.
    if root == REPO:
        table_rows = db.execute("SELECT count(*) FROM event_participants").fetchone()[0]
        view_rows = db.execute("SELECT count(*) FROM current_event_participants").fetchone()[0]
        assert view_rows < table_rows


def test_types_keys_and_not_null_follow_the_models(exported: tuple[Path, Path]) -> None:
    _, db_path = exported
    db = connect(db_path)
    for spec in TABLES:
        info = {r["name"]: r for r in db.execute(f'PRAGMA table_info("{spec.name}")')}
        assert list(info) == export_columns(spec.name)
        for name, column in info.items():
            kind = spec.rules[name].kind if name in spec.rules else "date"  # a derived bound is a date
            assert column["type"] == ("INTEGER" if kind in ("integer", "boolean") else "TEXT"), name
            assert bool(column["notnull"]) == (name in spec.required), name
        pk = sorted((r["pk"], r["name"]) for r in info.values() if r["pk"])
        assert tuple(n for _, n in pk) == spec.primary_key
        fks = {(r["from"], r["table"], r["to"]) for r in db.execute(f'PRAGMA foreign_key_list("{spec.name}")')}
        assert fks == {(fk.field, fk.table, fk.reference) for fk in spec.foreign_keys}
        indexed = set()
        for index in db.execute(f'PRAGMA index_list("{spec.name}")'):
            indexed |= {r["name"] for r in db.execute(f'PRAGMA index_info("{index["name"]}")')}
        assert {fk.field for fk in spec.foreign_keys} <= indexed, spec.name
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_full_text_search_finds_claims_events_actors_and_aliases(exported: tuple[Path, Path]) -> None:
    root, db_path = exported
    db = connect(db_path)
    for name, columns in FULL_TEXT.items():
        rows = expected_rows(name, root)
        if not rows:
            continue
        # Search for a distinctive word of the first row's first indexed column; that row must be found.
        text = next(r[columns[0]] for r in rows if r[columns[0]])
        word = max((w.strip(".,;:'\"()’") for w in text.split()), key=len)
        hits = db.execute(
            f'SELECT "{name}".rowid FROM "{name}_fts" JOIN "{name}" ON "{name}".rowid = "{name}_fts".rowid '
            f'WHERE "{name}_fts" MATCH ?',
            [f'"{word}"'],
        ).fetchall()
        assert hits, (name, word)
        assert all(
            word.lower() in " ".join(str(v) for v in dict(row).values()).lower()
            for row in db.execute(
                f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{name}" WHERE rowid IN ({",".join("?" * len(hits))})',
                [h[0] for h in hits],
            )
        )


def test_search_ignores_accents(tmp_path: Path, root: Path) -> None:
    line = line_of(root, "actor_aliases", "act-blr-gov")
    set_cell(root, "actor_aliases", line, "alias", "Lukašenka's government")
    export_sqlite(tmp_path / "b.db", root)
    db = connect(tmp_path / "b.db")
    hits = db.execute("SELECT alias FROM actor_aliases_fts WHERE actor_aliases_fts MATCH 'lukasenka'").fetchall()
    assert [h[0] for h in hits] == ["Lukašenka's government"]


def test_datasette_metadata_describes_every_table_and_column(exported: tuple[Path, Path]) -> None:
    _, db_path = exported
    meta = json.loads((db_path.parent / "metadata.json").read_text(encoding="utf-8"))
    assert meta["license"].startswith("CC-BY-4.0")
    tables = meta["databases"]["belarus"]["tables"]
    assert set(tables) == {t.name for t in TABLES} | {f"current_{t.name}" for t in TABLES}
    for spec in TABLES:
        assert tables[spec.name]["description"] == spec.description
        columns = tables[spec.name]["columns"]
        assert list(columns) == export_columns(spec.name)
        for c in spec.columns:
            assert columns[c].startswith(str(spec.model.model_fields[c].description)), c


def test_cli_writes_database_and_metadata(tmp_path: Path, root: Path) -> None:
    out = tmp_path / "out" / "data.db"
    result = CliRunner().invoke(main, ["export", "sqlite", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"wrote {out}", f"wrote {out.parent / 'metadata.json'}"]
    assert out.stat().st_mode & 0o777 == 0o644
    assert "data" in json.loads((out.parent / "metadata.json").read_text())["databases"]


def test_invalid_dataset_is_refused_and_nothing_is_replaced(tmp_path: Path, root: Path) -> None:
    out = tmp_path / "data.db"
    out.write_bytes(b"previous export")
    set_cell(root, "claims", 2, "claim_type", "rumour")
    result = CliRunner().invoke(main, ["export", "sqlite", str(out), "--root", str(root)])
    assert result.exit_code == 1
    assert "records/claims.csv:2: [vocab] claim_type:" in result.stderr
    assert "not exported" in result.stderr
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.db", "dataset"]


def test_missing_extra_names_it(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlite_utils", None)  # makes `import sqlite_utils` raise ImportError
    result = CliRunner().invoke(main, ["export", "sqlite", str(tmp_path / "x.db"), "--root", str(root)])
    assert result.exit_code == 4  # MISSING_EXTRA_EXIT, not the usage code
    assert "pip install 'belarus-data[sqlite]'" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "x.db").exists()


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path: Path, root: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where a directory should be")
    result = CliRunner().invoke(main, ["export", "sqlite", str(blocker / "x.db"), "--root", str(root)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write")
    assert "Traceback" not in result.stderr
