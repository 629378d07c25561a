"""Build hook: the dataset goes into the wheel and the sdist as far as its licences allow.

Every record file, schema and ``datapackage.json`` is shipped. A source text is shipped only if its
source row in ``records/sources.csv`` says ``redistribution`` = ``yes``: the others stay in the
repository, where CI verifies their quotes, and are never published on the package index. The wheel's
copy of the dataset (``belarus_data/_data``) also gets ``installed.json``, listing the texts left out;
its presence marks the copy as installed data, which the commands that write refuse
(``storage/paths.py`` ``writable_root``) and where validation notes, once, the texts it cannot check.

Only the standard library is used: this runs in the build environment, without the package's
dependencies.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DATA = "belarus_data/_data"  # where the wheel carries the dataset (storage/paths.py installed_root)
MANIFEST = "installed.json"  # storage/paths.py INSTALLED_MANIFEST
REPOSITORY = "https://github.com/belarus-data/belarus-data"  # storage/paths.py REPOSITORY
# models/columns.py TEXT_PATH: one plain file name directly in records/texts/.
TEXT_PATH = re.compile(r"texts/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*\.txt")


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)  # never a link: it could point anywhere on the build machine
    except OSError:
        return False


def text_plan(root: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(texts to ship, as paths relative to ``records/``; the texts left out, with their source and reason)."""
    shipped: list[str] = []
    withheld: list[dict[str, str]] = []
    with (root / "records" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            relative = row.get("text_path") or ""
            if not relative:
                continue
            redistribution = row.get("redistribution") or ""
            if redistribution == "yes" and TEXT_PATH.fullmatch(relative):
                if not _regular(root / "records" / relative):
                    raise FileNotFoundError(f"records/{relative}: the text of {row.get('id')} is missing")
                shipped.append(relative)
            else:
                withheld.append(
                    {"source_id": row.get("id") or "", "text_path": relative, "redistribution": redistribution}
                )
    return sorted(set(shipped)), withheld


def record_files(root: Path) -> list[str]:
    """The record tables (``records/*.csv``), relative to ``records/``."""
    return sorted(p.name for p in (root / "records").glob("*.csv") if _regular(p))


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the dataset (records, redistributable texts, schema, descriptor, manifest) to the artefact."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        if self.target_name == "wheel" and version == "editable":
            return  # an editable install reads the checkout itself (storage/paths.py installed_root)
        shipped, withheld = text_plan(root)
        include: dict[str, str] = build_data["force_include"]
        if self.target_name == "sdist":
            for relative in shipped:  # the tables come in through [tool.hatch.build.targets.sdist] include
                include[str(root / "records" / relative)] = f"records/{relative}"
            return
        for name in record_files(root):
            include[str(root / "records" / name)] = f"{DATA}/records/{name}"
        for relative in shipped:
            include[str(root / "records" / relative)] = f"{DATA}/records/{relative}"
        include[str(root / "schema")] = f"{DATA}/schema"
        include[str(root / "datapackage.json")] = f"{DATA}/datapackage.json"
        self._tmp = tempfile.mkdtemp(prefix="belarus-data-build-")
        manifest = Path(self._tmp) / MANIFEST
        manifest.write_text(
            json.dumps(
                {
                    "about": "The dataset as installed with the belarus-data package: read-only. Texts whose "
                    "source does not allow redistribution are left out; their quotes are verified in the "
                    f"repository's CI. To change records, clone {REPOSITORY}.",
                    "repository": REPOSITORY,
                    "texts_shipped": shipped,
                    "texts_not_shipped": withheld,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
        include[str(manifest)] = f"{DATA}/{MANIFEST}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
