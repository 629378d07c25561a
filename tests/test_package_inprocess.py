"""The descriptor check in this process: every descriptor corpus case and the helpers, to the exact problem.

tests/test_corpus.py runs these cases through the CLI in a child process, where mutation testing
(scripts/mutation.sh) cannot follow; here ``check_descriptor`` runs in-process and each case must
give exactly the listed problems (code, file, line, field), no more.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, VALID
from corpus import iter_cases

from belarus_data.checks import package
from belarus_data.checks.context import Context
from belarus_data.checks.package import (
    MAX_DIFFERENCES,
    JsonFile,
    check_descriptor,
    compare,
    is_unsafe_path,
    json_path,
    read_json,
    show,
)
from belarus_data.problems import Problem
from belarus_data.storage.generated import datapackage, dump
from belarus_data.storage.jsonpos import LazyPositions
from belarus_data.storage.paths import MAX_DESCRIPTOR_BYTES, MAX_DESCRIPTOR_DEPTH

Found = tuple[str, str, int | None, str | None]
P, S = "datapackage.json", "schema/actors.schema.json"

# Every problem check_descriptor reports for each descriptor case of tests/fixtures/invalid/, in order.
EXPECTED: dict[str, list[Found]] = {
    "descriptor-duplicate-key": [("package-duplicate-key", P, 4, "name"), ("package-value", P, 3, "name")],
    "descriptor-duplicate-resource": [("package-resource-duplicate", P, 103, "resources[6].name")],
    "descriptor-encoding": [("package-value", P, 55, "resources[1].encoding")],
    "descriptor-layout": [("package-layout", P, 3, None)],
    "descriptor-licence": [("package-value", P, 9, "licenses[0].name")],
    "descriptor-licence-missing": [("package-missing-key", P, 1, None)],
    "descriptor-name": [("package-value", P, 3, "name")],
    "descriptor-profile": [("package-value", P, 2, "profile")],
    "descriptor-resource-key-missing": [("package-missing-key", P, 47, "resources[1]")],
    "descriptor-resource-path": [("package-path", P, 51, "resources[1].path")],
    "descriptor-schema-duplicate-key": [
        ("schema-duplicate-key", S, 21, "fields[1].constraints.maxLength"),
        ("schema-value", S, 20, "fields[1].constraints.maxLength"),
    ],
    "descriptor-schema-file-changed": [("schema-value", S, 20, "fields[1].constraints.maxLength")],
    "descriptor-schema-file-missing": [("schema-missing", "schema/events.schema.json", None, None)],
    "descriptor-schema-reference": [("package-path", P, 100, "resources[5].schema")],
    "descriptor-sources": [("package-unknown-key", P, 103, "sources")],
    "package-deep-nesting": [("package-too-deep", P, 2, None)],
    "package-extra-key": [("package-unknown-key", P, 103, "x-run")],
    "package-extra-resource-key": [("package-unknown-key", P, 68, "resources[2].dialect")],
    "package-missing": [("package-missing", P, None, None)],
    "package-not-json": [("package-invalid", P, 19, None)],
    "package-path-absolute": [("package-path-unsafe", P, 40, "resources[0].path")],
    "package-path-dotdot": [("package-path-unsafe", P, 95, "resources[5].path")],
    "package-path-url": [("package-path-unsafe", P, 95, "resources[5].path")],
    "package-resources-not-list": [("package-type", P, 35, "resources")],
    "package-schema-url": [("package-path-unsafe", P, 56, "resources[1].schema")],
    "package-unknown-resource": [
        ("package-resource-unknown", P, 70, "resources[3].name"),
        ("package-resource-missing", P, 35, "resources"),
    ],
    "package-wrong-type": [("package-type", P, 6, "version"), ("package-type", P, 102, "resources[6]")],
}
CASES = {case.name: case for case in iter_cases() if case.name in EXPECTED}


def found(problems: list[Problem]) -> list[Found]:
    assert all(isinstance(p.hint, str) and p.hint and p.message for p in problems)  # never a bare code
    return [(p.code, p.file, p.line, p.field) for p in problems]


def check(root: Path) -> list[Problem]:
    ctx = Context(root=root, tables={})
    check_descriptor(ctx)
    assert all(isinstance(p.hint, str) and p.hint and p.message for p in ctx.problems)  # never a bare code
    return ctx.problems


def test_every_descriptor_case_is_listed() -> None:
    names = {case.name for case in iter_cases() if case.name.startswith(("package-", "descriptor-", "schema-"))}
    assert names == set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_descriptor_case_in_process(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    problems = check(case.materialise(tmp_path))
    assert found(problems) == EXPECTED[name]
    assert all(isinstance(p.hint, str) and p.hint and p.message for p in problems)
    if name == "descriptor-duplicate-resource":
        assert problems[0].hint == "keep one; " + package.REGENERATE
        assert problems[0].message == "lists resource 'claims' again (first as resource 5)"
    as_dicts = [
        {"code": p.code, "file": p.file, "line": p.line, "field": p.field, "hint": p.hint, "message": p.message}
        for p in problems
    ]
    for expected in case.expected:
        assert any(expected.matches(p) for p in as_dicts), expected


@pytest.mark.parametrize("root", [REPO, VALID], ids=["repository", "fixture"])
def test_generated_descriptor_has_no_problem(root: Path) -> None:
    assert check(root) == []


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "dataset"
    shutil.copytree(VALID, root)
    return root


def descriptor(root: Path) -> dict[str, object]:
    value: dict[str, object] = json.loads((root / P).read_text(encoding="utf-8"))
    return value


def write(root: Path, value: object, file: str = P) -> None:
    (root / file).write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_json_types() -> None:
    kinds = [package._json_type(v) for v in (True, False, 0, 1.5, None, {}, [], "", (1,))]
    assert kinds == ["boolean", "boolean", "number", "number", "null", "object", "array", "string", "tuple"]
    assert [package._a(n) for n in ("array", "object", "number", "JSON string", "integer", "unit")] == [
        "an array",
        "an object",
        "a number",
        "a JSON string",
        "an integer",
        "an unit",
    ]


def test_cut_and_show_bound_what_is_shown() -> None:
    assert package._cut("x" * 80) == "x" * 80
    long = "a" * 60 + "b" * 21
    assert package._cut(long) == "a" * 60 + "…" + "b" * 20
    assert len(package._cut("y" * 10_000)) == 81
    assert show("ё") == '"ё"'
    assert show({"a": 1}) == '{"a": 1}'
    assert show(float("nan")) == "NaN"
    assert show({1, 2}) in ("{1, 2}", "{2, 1}")  # not JSON: shown as Python
    huge = "z" * 1000
    assert show(huge) == '"' + "z" * 59 + "…" + "z" * 19 + '"'


def test_show_never_serialises_more_than_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = json.dumps

    def spy(value: object, **kwargs: object) -> str:
        seen.append(len(value) if isinstance(value, str) else -1)
        return real(value, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(package.json, "dumps", spy)
    show("q" * 321)
    show("q" * 320)
    assert seen == [320, 320]


def test_json_path() -> None:
    assert json_path("") == ""
    assert json_path("/resources/2/path") == "resources[2].path"
    assert json_path("/x-run") == "x-run"
    assert json_path("/_a/B9") == "_a.B9"
    assert json_path("/a b") == '["a b"]'
    assert json_path("/9a") == '["9a"]'
    assert json_path("/a~1b/c~0d") == '["a/b"]["c~d"]'
    assert json_path("/~01") == '["~1"]'  # ~0 is undone after ~1, as RFC 6901 says
    assert json_path("/" + "k" * 80) == "k" * 80
    assert json_path("/" + "k" * 81) == "[" + show("k" * 81) + "]"
    assert json_path("/a/" + "k" * 81) == "a[" + show("k" * 81) + "]"
    assert json_path("/0/1") == "[0][1]"


@pytest.mark.parametrize(
    ("value", "unsafe"),
    [
        ("records/claims.csv", False),
        ("schema/claims.schema.json", False),
        ("a..b/c.csv", False),
        ("", True),
        (None, True),
        (3, True),
        (["records/claims.csv"], True),
        ("https://x.org/a.csv", True),
        ("/etc/passwd", True),
        ("\\\\server\\share", True),
        ("..", True),
        ("records/../x.csv", True),
        ("records\\..\\x.csv", True),
        ("C:x.csv", True),
        ("records/claims.csv\x00", True),
    ],
)
def test_unsafe_paths(value: object, unsafe: bool) -> None:
    assert is_unsafe_path(value) is unsafe


def json_file(value: object, prefix: str = "package") -> JsonFile:
    raw = json.dumps(value, indent=2)
    return JsonFile("f.json", prefix, raw, LazyPositions(raw, MAX_DESCRIPTOR_DEPTH), value, [])


def test_differences_are_capped_per_code_then_counted() -> None:
    read = json_file({"a": 1})
    for _ in range(MAX_DIFFERENCES + 5):
        read.add("/a", "package-value", "m", "h")
    for _ in range(3):
        read.add("/a", "package-type", "m", "h")
    read.finish()
    assert found(read.problems) == [("package-value", "f.json", 2, "a")] * MAX_DIFFERENCES + [
        ("package-type", "f.json", 2, "a")
    ] * 3 + [("package-value", "f.json", None, None)]
    assert read.problems[-1].message == "differs from the generated file in 5 more places (not listed)"
    read = json_file({}, "schema")
    read.add("", "schema-type", "m", "h")
    read.finish()
    assert found(read.problems) == [("schema-type", "f.json", 1, None)]


def test_compare_scalars_lists_and_objects() -> None:
    read = json_file({"n": 1, "f": 1.0, "b": True, "s": "x", "l": [1, 2], "o": {"k": 1}, "d": [{"a": 1}, {"a": 2}]})
    compare(
        read,
        "",
        read.value,
        {"n": 1, "f": 1.0, "b": True, "s": "x", "l": [1, 2], "o": {"k": 1}, "d": [{"a": 1}, {"a": 2}]},
    )
    assert read.problems == []
    compare(read, "/n", 1, 1.0)  # same number, another JSON spelling
    compare(read, "/b", True, 1)
    compare(read, "/s", "x", "y")
    compare(read, "/l", [1, 2], [1, 2, 3])
    compare(read, "/l", [1, 2], [2, 1])
    compare(read, "/d", [{"a": 1}, {"a": 3}], [{"a": 1}, {"a": 2}])
    compare(read, "/d", [{"a": 1}], [{"a": 1}, {"a": 2}])
    compare(read, "/o", {"k": 1, "x": 2}, {"k": 1, "y": 3})
    compare(read, "", None, {"a": 1})
    assert found(read.problems) == [
        ("package-value", "f.json", 2, "n"),
        ("package-type", "f.json", 4, "b"),
        ("package-value", "f.json", 5, "s"),
        ("package-value", "f.json", 6, "l"),
        ("package-value", "f.json", 6, "l"),
        ("package-value", "f.json", 18, "d[1].a"),
        ("package-value", "f.json", 13, "d"),
        ("package-unknown-key", "f.json", 10, "o.x"),
        ("package-missing-key", "f.json", 10, "o"),
        ("package-type", "f.json", 1, None),
    ]
    messages = [p.message for p in read.problems]
    assert messages[1] == "b is a JSON boolean, but the generated file has a number"
    assert messages[-1] == "the file is a JSON null, but the generated file has an object"
    assert '"x"' in messages[7] and '"y"' in messages[8] and "3" in read.problems[8].hint
    hints = [p.hint for p in read.problems]
    assert hints[1] == "the generator writes 1; " + package.REGENERATE
    assert messages[3] == "l is [1, 2]" and hints[3] == "the generator writes [1, 2, 3]; " + package.REGENERATE
    assert messages[7] == 'has the key "x" at o, which the generator never writes'
    assert messages[8] == 'lacks the key "y" at o'
    assert messages[2] == 's is "x"' and hints[2] == 'the generator writes "y"; ' + package.REGENERATE
    compare(read, "", 1, 2)
    assert read.problems[-1].message == "the file is 1"
    compare(read, "", {"z": 1}, {"y": 2})
    assert [p.message for p in read.problems[-2:]] == [
        'has the key "z" at the top level, which the generator never writes',
        'lacks the key "y" at the top level',
    ]


def test_missing_file_and_link_are_missing(tmp_path: Path) -> None:
    problems: list[Problem] = []
    assert read_json(tmp_path, "absent.json", "schema", problems) is None
    (tmp_path / "real.json").write_text("{}", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    assert read_json(tmp_path, "link.json", "package", problems) is None
    assert found(problems) == [
        ("schema-missing", "absent.json", None, None),
        ("package-missing", "link.json", None, None),
    ]
    read = read_json(tmp_path, "real.json", "package", problems)
    assert read is not None and read.value == {} and read.raw == "{}" and len(problems) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_directory_are_never_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "dir.json").mkdir()
    problems: list[Problem] = []
    assert read_json(tmp_path, "fifo.json", "package", problems) is None
    assert read_json(tmp_path, "dir.json", "schema", problems) is None
    assert found(problems) == [
        ("file-not-regular", "fifo.json", None, None),
        ("file-not-regular", "dir.json", None, None),
    ]


def test_size_limit_is_inclusive(tmp_path: Path) -> None:
    body = '{"a": "' + "x" * (MAX_DESCRIPTOR_BYTES - 9) + '"}'
    assert len(body) == MAX_DESCRIPTOR_BYTES
    (tmp_path / "at.json").write_text(body, encoding="ascii")
    (tmp_path / "over.json").write_text(body + " ", encoding="ascii")
    problems: list[Problem] = []
    assert read_json(tmp_path, "at.json", "package", problems) is not None
    assert read_json(tmp_path, "over.json", "schema", problems) is None
    assert found(problems) == [("schema-invalid", "over.json", None, None)]


def test_invalid_json_and_bad_bytes(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{\n  "a": 1,\n}\n', encoding="utf-8")
    (tmp_path / "bytes.json").write_bytes(b'{"a": "\xff"}')
    (tmp_path / "digits.json").write_text("1" * 5000, encoding="ascii")
    problems: list[Problem] = []
    assert read_json(tmp_path, "bad.json", "schema", problems) is None
    assert problems[0].message.startswith("is not valid JSON (Expecting property name")
    read = read_json(tmp_path, "bytes.json", "package", problems)
    assert read is not None and read.value == {"a": "\ufffd"}
    assert read_json(tmp_path, "digits.json", "package", problems) is None
    assert found(problems) == [("schema-invalid", "bad.json", 3, None), ("package-invalid", "digits.json", None, None)]


@pytest.mark.parametrize("levels", [MAX_DESCRIPTOR_DEPTH, MAX_DESCRIPTOR_DEPTH + 1, 100_000])
def test_depth_limit(levels: int, tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * levels + "]" * levels, encoding="ascii")
    problems: list[Problem] = []
    read = read_json(tmp_path, "deep.json", "schema", problems)
    if levels <= MAX_DESCRIPTOR_DEPTH:
        assert read is not None and problems == []
    else:
        assert read is None
        assert found(problems) == [("schema-too-deep", "deep.json", 1, None)]


def test_duplicate_keys_are_each_located(tmp_path: Path) -> None:
    (tmp_path / "dup.json").write_text('{\n"a": 1,\n"b": {"c": 1,\n"c": 2},\n"a": 3\n}', encoding="utf-8")
    problems: list[Problem] = []
    read = read_json(tmp_path, "dup.json", "schema", problems)
    assert read is not None and read.value == {"a": 3, "b": {"c": 2}}
    assert sorted(found(problems), key=str) == sorted(
        [("schema-duplicate-key", "dup.json", 4, "b.c"), ("schema-duplicate-key", "dup.json", 5, "a")], key=str
    )


def test_first_differing_line() -> None:
    assert package._first_differing_line("a\nb\nc", "a\nx\nc") == 2
    assert package._first_differing_line("a\nb", "a\nb\nc") == 2
    assert package._first_differing_line("a\nb\n", "a\nb\n\n") == 3
    assert package._first_differing_line("x", "y") == 1


def test_layout_only_when_the_values_agree(tmp_path: Path) -> None:
    root = copy(tmp_path)
    value = descriptor(root)
    (root / P).write_text(json.dumps(value, indent=2, ensure_ascii=False), encoding="utf-8")  # no final newline
    last = dump(datapackage(root)).count("\n")
    assert found(check(root)) == [("package-layout", P, last, None)]
    value["name"] = "other"
    (root / P).write_text(json.dumps(value, indent=2, ensure_ascii=False), encoding="utf-8")
    assert found(check(root)) == [("package-value", P, 3, "name")]


def test_resources_in_another_order(tmp_path: Path) -> None:
    root = copy(tmp_path)
    value = descriptor(root)
    resources = value["resources"]
    assert isinstance(resources, list)
    resources[0], resources[1] = resources[1], resources[0]
    write(root, value)
    problems = check(root)
    assert found(problems) == [("package-value", P, 35, "resources")]
    tables = ", ".join(r["name"] for r in descriptor(VALID)["resources"])  # type: ignore[index, union-attr]
    assert problems[0].hint == f"order: {tables}; {package.REGENERATE}"


def test_resource_paths_as_lists_and_unknown_resources(tmp_path: Path) -> None:
    root = copy(tmp_path)
    value = descriptor(root)
    resources = value["resources"]
    assert isinstance(resources, list)
    first = resources[0]
    right = first["path"]
    first["path"] = [right, "../x.csv", "records/other.csv"]
    del first["schema"]
    resources.append({"name": "ghost", "path": "/etc/passwd", "schema": "schema/x.json"})
    resources.append({"name": 7, "schema": "https://x.org/s.json"})
    write(root, value)
    problems = check(root)
    assert found(problems) == [
        ("package-path-unsafe", P, 42, "resources[0].path[1]"),
        ("package-path", P, 43, "resources[0].path[2]"),
        ("package-missing-key", P, 36, "resources[0]"),
        ("package-resource-unknown", P, 106, "resources[6].name"),
        ("package-path-unsafe", P, 107, "resources[6].path"),
        ("package-resource-unknown", P, 111, "resources[7].name"),
        ("package-path-unsafe", P, 112, "resources[7].schema"),
    ]
    assert problems[0].hint == f"use {right!r}" and problems[1].hint.startswith(f"use {right!r}")
    assert problems[0].message.startswith(f'resource {show(first["name"])} has path "../x.csv", which leaves')
    assert problems[4].message == 'resource "ghost" has path "/etc/passwd", which leaves the dataset'
    assert problems[5].message == "resource 7 is not a table of the dataset"
    assert problems[1].message == f'resource {show(first["name"])} points at "records/other.csv"'
    assert "schema" in problems[2].message


def test_a_resource_that_is_not_an_object(tmp_path: Path) -> None:
    root = copy(tmp_path)
    value = descriptor(root)
    resources = value["resources"]
    assert isinstance(resources, list)
    first = resources[0]
    resources.append(None)
    resources.insert(0, 5)
    write(root, value)
    problems = check(root)
    assert found(problems) == [("package-type", P, 36, "resources[0]"), ("package-type", P, 103, "resources[7]")]
    assert problems[0].message == "resources[0] is a JSON number, but the generated file has an object"
    assert problems[0].hint == f"the generator writes {show(first)}; {package.REGENERATE}"
    assert problems[1].message == "resources[7] is a JSON null, but the generated file has an object"


def test_resources_after_a_duplicate_are_still_checked(tmp_path: Path) -> None:
    root = copy(tmp_path)
    value = descriptor(root)
    resources = value["resources"]
    assert isinstance(resources, list)
    resources.insert(1, dict(resources[0]))
    resources[2]["encoding"] = "latin-1"
    del resources[3]["path"]
    resources[3]["schema"] = "/etc/x.json"
    write(root, value)
    assert [f[0] for f in found(check(root))] == [
        "package-resource-duplicate",
        "package-value",
        "package-path-unsafe",
        "package-missing-key",
    ]


def test_a_descriptor_that_is_not_an_object(tmp_path: Path) -> None:
    root = copy(tmp_path)
    write(root, [1, 2])
    assert found(check(root)) == [("package-type", P, 1, None)]
    value = descriptor(copy(tmp_path / "b"))
    value["resources"] = {"claims": {}}
    root = tmp_path / "b" / "dataset"
    write(root, value)
    assert [f[0] for f in found(check(root))] == ["package-type"]


def test_schema_differences_are_listed_per_schema_file(tmp_path: Path) -> None:
    root = copy(tmp_path)
    schema = json.loads((root / S).read_text(encoding="utf-8"))
    schema["fields"][0]["name"] = "renamed"
    schema["x"] = 1
    write(root, schema, S)
    (root / "schema" / "claims.schema.json").write_text("[", encoding="utf-8")
    assert found(check(root)) == [
        ("schema-value", S, 4, "fields[0].name"),
        ("schema-unknown-key", S, found(check(root))[1][2], "x"),
        ("schema-invalid", "schema/claims.schema.json", 1, None),
    ]
