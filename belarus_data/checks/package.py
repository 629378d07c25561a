"""The data package descriptor: well-formed JSON whose resources point at our files and nowhere else."""

from __future__ import annotations

import json

from belarus_data.checks.context import Context
from belarus_data.problems import Problem
from belarus_data.tables import TABLES

MAX_DESCRIPTOR_BYTES = 5 * 1024 * 1024
MAX_JSON_DEPTH = 32

FILE = "datapackage.json"


def _depth(value: object, limit: int) -> int:
    """Nesting depth of parsed JSON, without recursion (hostile input can be deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _line_of(raw: str, needle: str) -> int | None:
    at = raw.find(needle)
    return raw.count("\n", 0, at) + 1 if at >= 0 else None


def check_descriptor(ctx: Context) -> None:
    path = ctx.root / FILE
    if path.is_symlink() or not path.is_file():
        ctx.problems.append(
            Problem(
                FILE,
                None,
                None,
                "package-missing",
                "is missing or is a link",
                "run `belarus-data schema` to generate it",
            )
        )
        return
    if path.stat().st_size > MAX_DESCRIPTOR_BYTES:
        ctx.problems.append(
            Problem(
                FILE,
                None,
                None,
                "package-invalid",
                "is implausibly large",
                "run `belarus-data schema` to regenerate it",
            )
        )
        return
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if raw.count("[") + raw.count("{") > 100_000:
        ctx.problems.append(
            Problem(
                FILE, None, None, "package-invalid", "nests too deeply", "run `belarus-data schema` to regenerate it"
            )
        )
        return
    try:
        descriptor = json.loads(raw)
    except (ValueError, RecursionError) as err:
        line = getattr(err, "lineno", None)
        ctx.problems.append(
            Problem(
                FILE,
                line,
                None,
                "package-invalid",
                f"is not valid JSON ({str(err)[:120]})",
                "run `belarus-data schema` to regenerate it",
            )
        )
        return
    if _depth(descriptor, MAX_JSON_DEPTH) > MAX_JSON_DEPTH or not isinstance(descriptor, dict):
        ctx.problems.append(
            Problem(
                FILE,
                None,
                None,
                "package-invalid",
                f"is not a JSON object of depth <= {MAX_JSON_DEPTH}",
                "run `belarus-data schema` to regenerate it",
            )
        )
        return
    expected = {t.name: t.path for t in TABLES}
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        ctx.problems.append(
            Problem(
                FILE,
                None,
                "resources",
                "package-invalid",
                "has no resources list",
                "run `belarus-data schema` to regenerate it",
            )
        )
        return
    for resource in resources:
        if not isinstance(resource, dict):
            ctx.problems.append(
                Problem(
                    FILE,
                    None,
                    "resources",
                    "package-invalid",
                    "a resource is not an object",
                    "run `belarus-data schema`",
                )
            )
            continue
        name, rpath = resource.get("name"), resource.get("path")
        paths = rpath if isinstance(rpath, list) else [rpath]
        for p in paths:
            if (
                not isinstance(p, str)
                or "://" in p
                or p.startswith(("/", "\\"))
                or ".." in p.replace("\\", "/").split("/")
                or ":" in p
            ):
                ctx.problems.append(
                    Problem(
                        FILE,
                        _line_of(raw, json.dumps(p)[1:-1]) if isinstance(p, str) else None,
                        "path",
                        "package-path-unsafe",
                        f"resource {name!r} has path {p!r}, which leaves the dataset (absolute, '..' or a URL)",
                        f"use {expected.get(str(name), 'records/<table>.csv')!r}",
                    )
                )
            elif name in expected and p != expected[name]:
                ctx.problems.append(
                    Problem(
                        FILE,
                        _line_of(raw, p),
                        "path",
                        "package-path",
                        f"resource {name!r} points at {p!r}",
                        f"use {expected[name]!r} (`belarus-data schema` regenerates the file)",
                    )
                )
