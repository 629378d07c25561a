"""The package as a user installs it: built wheel and sdist, read-only installed data, texts by licence.

The wheel and sdist are built once from this checkout (``python -m build``, as the release workflow
does); the wheel is installed with pip into a directory of the test's own, and the ``belarus-data``
command is run from there, in a directory outside any checkout.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from belarus_data.storage.paths import CLONE_HINT, REPOSITORY

DATA = "belarus_data/_data"


def _build(source: Path, out: Path, *what: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "build", *what, "--outdir", str(out), str(source)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _build(REPO, out)  # sdist, then the wheel from the sdist: what the release workflow publishes
    return out


@pytest.fixture(scope="module")
def site(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    wheel = next(dist.glob("*.whl"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return target


def _sources(root: Path) -> list[dict[str, str]]:
    with (root / "records" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _withheld_texts(root: Path) -> dict[str, bytes]:
    return {
        row["text_path"]: (root / "records" / row["text_path"]).read_bytes()
        for row in _sources(root)
        if row["text_path"] and row["redistribution"] != "yes"
    }


def test_the_seed_has_a_text_that_may_not_be_redistributed() -> None:
    # Otherwise the tests below would show nothing.
    assert _withheld_texts(REPO)


def test_wheel_ships_records_and_py_typed_but_no_text_that_is_not_redistributable(dist: Path) -> None:
    with zipfile.ZipFile(next(dist.glob("*.whl"))) as wheel:
        names = set(wheel.namelist())
        contents = {name: wheel.read(name) for name in names}
    assert "belarus_data/py.typed" in names
    assert {f"{DATA}/records/{t}.csv" for t in ("sources", "claims", "events", "actors")} <= names
    assert f"{DATA}/datapackage.json" in names and f"{DATA}/schema/claims.schema.json" in names
    for relative, text in _withheld_texts(REPO).items():
        assert f"{DATA}/records/{relative}" not in names
        assert not any(text in data for data in contents.values()), f"{relative} is in the wheel under another name"
    assert not [n for n in names if n.startswith(f"{DATA}/records/texts/")]
    manifest = json.loads(contents[f"{DATA}/installed.json"])
    assert manifest["repository"] == REPOSITORY
    assert {t["text_path"] for t in manifest["texts_not_shipped"]} == set(_withheld_texts(REPO))


def test_sdist_ships_no_text_that_is_not_redistributable(dist: Path) -> None:
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        members = {m.name.split("/", 1)[1]: m for m in sdist.getmembers() if m.isfile()}
        contents = {name: sdist.extractfile(m).read() for name, m in members.items()}  # type: ignore[union-attr]
    assert "hatch_build.py" in members and "records/claims.csv" in members
    for relative, text in _withheld_texts(REPO).items():
        assert f"records/{relative}" not in members
        assert not any(text in data for data in contents.values()), f"{relative} is in the sdist"


def test_a_redistributable_text_is_shipped(tmp_path: Path) -> None:
    # A copy of the project where the source says its text may be redistributed: the wheel carries it.
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", "LICENSE-DATA", "datapackage.json"):
        shutil.copy(REPO / name, copy / name)
    for name in ("belarus_data", "records", "schema"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    rows = _sources(copy)
    for row in rows:
        row["redistribution"] = "yes"
    with (copy / "records" / "sources.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    _build(copy, tmp_path / "dist", "--wheel")
    with zipfile.ZipFile(next((tmp_path / "dist").glob("*.whl"))) as wheel:
        for relative, text in _withheld_texts(REPO).items():
            assert wheel.read(f"{DATA}/records/{relative}") == text


def _tree_hashes(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(directory.rglob("*"))
    }


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The installed copy first on the path (the checkout's editable install stays behind it), and no
    # bytecode written, so that any file appearing in the package was written by belarus-data itself.
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r}); import belarus_data; "
        f"assert belarus_data.__file__.startswith({str(site)!r}), belarus_data.__file__; "
        "from belarus_data.cli import main; sys.argv[0] = 'belarus-data'; main()"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": ""}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_installed_package_is_read_only_and_unchanged(site: Path, tmp_path: Path) -> None:
    package = site / "belarus_data"
    data = package / "_data"
    before = _tree_hashes(package)
    outside = tmp_path / "elsewhere"  # not inside any checkout: the default root is the installed data
    outside.mkdir()
    text = outside / "t.txt"
    text.write_text("Some words.\n", encoding="utf-8")
    writes = [
        ["fmt"],
        ["schema"],
        ["new", "claim", "--set", "source_id=src-minsk-compensate-defence-cooperation", "--set", "statement=x"],
        ["new", "actor", "--set", "name=Someone", "--set", "actor_type=person"],
        ["new", "source", "--set", "title=T", "--text", str(text)],
        ["fmt", "--root", str(data)],
        ["schema", "--root", str(data)],
        ["new", "event", "--root", str(data), "--set", "event_type=AID"],
        ["annotate", "--no-browser", "src-minsk-compensate-defence-cooperation"],
        ["annotate", "--no-browser", "--root", str(data), str(text)],
    ]
    for args in writes:
        result = _run(site, outside, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "read-only" in result.stderr and CLONE_HINT in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    for args in (["fmt", "--check"], ["schema", "--check"]):
        result = _run(site, outside, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "docs/data-dictionary.md: missing: the installed package does not ship it" in result.stdout
        assert "not in canonical form" not in result.stdout and "differs" not in result.stdout
        assert CLONE_HINT in result.stdout
    assert _tree_hashes(package) == before
    assert sorted(p.name for p in outside.iterdir()) == ["t.txt"]


def test_installed_package_validates_with_one_note_for_the_texts_it_does_not_ship(site: Path, tmp_path: Path) -> None:
    result = _run(site, tmp_path, "validate", "--format", "json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["problem_count"] == 0
    notes = [n for n in report["notes"] if n["code"] == "texts-not-shipped"]
    assert len(notes) == 1
    for row in _sources(REPO):
        assert (row["id"] in notes[0]["message"]) == (row["redistribution"] != "yes")
    assert "verified against the texts in the repository's CI" in notes[0]["message"]
    text = _run(site, tmp_path, "validate")
    assert text.returncode == 0 and text.stdout.count("texts-not-shipped") == 1
