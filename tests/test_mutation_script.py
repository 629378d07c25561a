"""scripts/mutation.py: its configuration, its list of equivalent mutants and its classification (no mutmut run)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO, load_script


def _script() -> ModuleType:
    return load_script("scripts/mutation.py", "mutation_script")


mutation = _script()
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_module_of_the_checks_has_existing_tests() -> None:
    per_module = PYPROJECT["tool"]["mutmut"]["tests_per_module"]
    modules = {p.stem for p in (REPO / "belarus_data" / "checks").glob("*.py") if p.stem != "__init__"}
    assert set(per_module) == modules
    for tests in per_module.values():
        assert tests and all((REPO / t).is_file() for t in tests), tests


def test_the_module_config_narrows_mutmut_to_one_module_and_its_tests() -> None:
    table = mutation.module_config(PYPROJECT, "evidence")
    parsed = tomllib.loads(table)["tool"]["mutmut"]
    assert parsed["only_mutate"] == ["belarus_data/checks/evidence.py"]
    assert parsed["pytest_add_cli_args_test_selection"] == PYPROJECT["tool"]["mutmut"]["tests_per_module"]["evidence"]
    assert "tests_per_module" not in parsed
    assert parsed["source_paths"] == ["belarus_data"]


def test_the_copy_keeps_every_other_table_of_pyproject(tmp_path: Path) -> None:
    copy = tmp_path / "pyproject.toml"
    copy.write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    mutation.rewrite_pyproject(copy, mutation.module_config(PYPROJECT, "cells"))
    parsed = tomllib.loads(copy.read_text(encoding="utf-8"))
    assert parsed["tool"]["mutmut"]["only_mutate"] == ["belarus_data/checks/cells.py"]
    assert parsed["project"] == PYPROJECT["project"]
    assert parsed["tool"]["importlinter"] == PYPROJECT["tool"]["importlinter"]


def test_every_equivalent_mutant_is_justified_and_names_a_module_of_the_checks() -> None:
    entries = mutation.read_equivalents(mutation.EQUIVALENT_FILE)
    modules = set(PYPROJECT["tool"]["mutmut"]["tests_per_module"])
    for entry in entries:
        assert entry.why and entry.mutation.function.split(".")[0] in modules, entry
        assert entry.mutation.removed or entry.mutation.added, entry
    assert len({e.mutation for e in entries}) == len(entries), "an entry is listed twice"


def test_an_entry_without_a_reason_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "equivalent.txt"
    listed.write_text("function: evidence._where\n- a\n+ b\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        mutation.read_equivalents(listed)


def test_entries_match_by_change_not_by_number(tmp_path: Path) -> None:
    listed = tmp_path / "equivalent.txt"
    listed.write_text(
        "# comment\nmutant: x.y.z__mutmut_1\nfunction: evidence._where\n-   if  a >= 0:\n+ if a > 0:\nwhy: never 0\n",
        encoding="utf-8",
    )
    [entry] = mutation.read_equivalents(listed)
    assert entry.mutation == mutation.Mutation("evidence._where", ("if a >= 0:",), ("if a > 0:",))


@pytest.mark.parametrize(
    ("old", "new", "wording"),
    [
        ('"does not match the text",', '"XXdoes not match the textXX",', True),
        ('"does not match the text",', '"DOES NOT MATCH THE TEXT",', True),
        ("hint = 'set it' + x", "hint = 'SET IT' + x", True),
        ('"text-sha256",', '"XXtext-sha256XX",', False),  # a problem code: no space, not prose
        ('"text_path",', '"TEXT_PATH",', False),  # a column name
        ('a = "x y" + b', 'a = "x y" - b', False),  # an operator changed too
        ('"does not match",', "None,", False),  # the message dropped
    ],
)
def test_only_prose_changes_are_wording(old: str, new: str, wording: bool) -> None:
    assert mutation.is_wording(mutation.Mutation("m.f", (old,), (new,))) is wording


def test_the_rate_leaves_out_equivalent_and_wording_mutants() -> None:
    result = mutation.Result("m", 1.0, {f"m.x_f__mutmut_{i}": "killed" for i in range(18)})
    result.statuses |= {"m.x_f__mutmut_18": "survived", "m.x_f__mutmut_19": "survived", "m.x_f__mutmut_20": "timeout"}
    result.equivalent, result.wording = ["m.x_f__mutmut_18"], ["m.x_f__mutmut_19"]
    assert result.killed == 19 and result.counted == 19
    assert result.rate == 100.0
    assert result.rate_with_wording == pytest.approx(100 * 19 / 20)
    low, high = result.interval()
    assert 80 < low < high <= 100.0 + 1e-9
