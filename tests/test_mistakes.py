"""Honest mistakes (tests/fixtures/mistakes/*.toml): one problem each, and following its first fix hint makes the data valid.

The hints are applied mechanically, as a contributor who does exactly what the hint says would:
``set FIELD to VALUE`` (on the problem's line, or on the line a merge names), ``did you mean 'X'?``
(the problem's cell becomes X), ``then delete this line``, and ``restore the dates … reading it as
DD/MM/YYYY`` (each rewritten date of the named columns written back as YYYY-MM-DD).
"""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import VALID, read_rows, today, write_rows
from corpus import OPS
from gitrepo import make_repo

from belarus_data import validate
from belarus_data.checks.rootcause import ORDERS, readings
from belarus_data.problems import Problem, Report
from belarus_data.storage.generated import write_generated

MISTAKES = Path(__file__).parent / "fixtures" / "mistakes"

VALUE = r"(\d+|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
ASSIGNMENT = re.compile(rf"(?:\bset |, | and )(\w+) to {VALUE}")
DID_YOU_MEAN = re.compile(rf"did you mean {VALUE}\?")
MERGE_INTO = re.compile(r"merge them into line (\d+)")
DATE_COLUMNS = re.compile(r"cells? of (.+?) \(e\.g\.")
READ_AS = re.compile(r"reading it as (\S+)")


def op_add_source(root: Path, outside: Path, op: dict[str, Any]) -> None:
    """A second source with the text ``text``: a copy of the fixture's source, its hash and length computed."""
    text = op["text"]
    name = op["id"].removeprefix("src-")
    (root / "records" / "texts" / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    path = root / "records" / "sources.csv"
    rows = read_rows(path)
    row = dict(zip(rows[0], rows[1], strict=True))
    row.update(
        id=op["id"],
        title=f"A second fixture text ({name})",
        url=f"https://example.org/{name}",
        text_path=f"texts/{name}.txt",
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text_length=str(len(text)),
    )
    write_rows(path, [*rows, [row[c] for c in rows[0]]])
    write_generated(root)  # datapackage.json lists the sources


MISTAKE_OPS = {**OPS, "add_source": op_add_source}


def _today(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("{today}", today())
    if isinstance(value, dict):
        return {k: _today(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_today(v) for v in value]
    return value


def load(path: Path) -> dict[str, Any]:
    manifest = _today(tomllib.loads(path.read_text(encoding="utf-8")))
    assert manifest.get("op") and manifest.get("first") and manifest.get("description"), path.name
    for op in manifest["op"]:
        assert op["kind"] in MISTAKE_OPS, f"{path.name}: unknown op {op['kind']!r}"
    return manifest


CASES = sorted(MISTAKES.glob("*.toml"))


def build(tmp_path: Path, manifest: dict[str, Any]) -> Path:
    if manifest.get("base"):
        root = make_repo(tmp_path)  # the valid fixture committed as main: the pull request's base
    else:
        root = tmp_path / "dataset"
        shutil.copytree(VALID, root)
    (tmp_path / "outside").mkdir(exist_ok=True)
    for op in manifest["op"]:
        MISTAKE_OPS[op["kind"]](root, tmp_path / "outside", op)
    return root


def check(root: Path, manifest: dict[str, Any], engine: str = "fast") -> Report:
    return validate(root, base="main" if manifest.get("base") else None, engine=engine)  # type: ignore[arg-type]


def _value(token: str) -> str:
    return str(ast.literal_eval(token)) if token[0] in "'\"" else token


def apply_hint(root: Path, problem: Problem) -> None:
    """Do what the problem's hint says, literally (the first instruction: everything up to the first '; or ')."""
    path = root / problem.file
    hint = problem.hint
    if problem.code == "dates-reformatted":
        columns = DATE_COLUMNS.search(problem.message)
        order = READ_AS.search(hint)
        assert columns and order, problem
        order_code = next(code for code, shown in ORDERS.items() if shown == order.group(1))
        rows = read_rows(path)
        at = [rows[0].index(name) for name in columns.group(1).split(", ")]
        for row in rows[1:]:
            for i in at:
                row[i] = readings(row[i]).get(order_code, row[i])
        write_rows(path, rows)
        return
    rows = read_rows(path)
    assert problem.line is not None, problem
    target = problem.line
    merge = MERGE_INTO.search(hint)
    if merge:
        target = int(merge.group(1))
    changes: dict[str, str] = {}
    meant = DID_YOU_MEAN.search(hint)
    if meant and problem.field:
        changes[problem.field] = _value(meant.group(1))
    else:
        changes = {m.group(1): _value(m.group(2)) for m in ASSIGNMENT.finditer(hint)}
    assert changes or "delete this line" in hint, f"no instruction in the hint: {hint}"
    for name, value in changes.items():
        rows[target - 1][rows[0].index(name)] = value
    if "then delete this line" in hint or hint.startswith("this line repeats"):
        del rows[problem.line - 1]
    write_rows(path, rows)


def test_the_catalogue_holds_at_least_ten_mistakes() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_one_problem_whose_first_fix_makes_the_data_valid(tmp_path: Path, path: Path) -> None:
    manifest = load(path)
    root = build(tmp_path, manifest)
    report = check(root, manifest)
    shown = [p.as_text() for p in report.errors]
    assert len(report.errors) == 1, f"{path.stem}: one mistake, one problem; got {shown}"
    first, expected = report.errors[0], manifest["first"]
    assert (first.code, first.file, first.line, first.field) == (
        expected["code"],
        expected["file"],
        expected.get("line"),
        expected.get("field"),
    ), shown
    assert expected["hint"] in first.hint, shown
    assert [p.as_text() for p in check(root, manifest, "rows").errors] == shown  # both engines agree
    apply_hint(root, first)
    after = check(root, manifest)
    assert after.ok, f"{path.stem}: after following {first.hint!r}: {[p.as_text() for p in after.errors]}"


def test_a_hint_without_an_instruction_is_caught(tmp_path: Path) -> None:
    # The applier itself must fail on a hint that says nothing to do, or the catalogue could pass vacuously.
    root = tmp_path / "dataset"
    shutil.copytree(VALID, root)
    with pytest.raises(AssertionError, match="no instruction"):
        apply_hint(root, Problem("records/claims.csv", 3, "quote", "quote-mismatch", "m", "copy it exactly"))
