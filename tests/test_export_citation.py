"""CITATION.cff agrees with the package: same version, same data licence, same title as datapackage.json."""

from __future__ import annotations

import json
import tomllib

import yaml
from conftest import REPO

from belarus_data._version import __version__


def test_citation_matches_version_licence_and_title() -> None:
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    package = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert str(citation["version"]) == __version__ == package["version"]
    assert citation["license"] == package["licenses"][0]["name"] == "CC-BY-4.0"
    assert citation["title"] == package["title"]
    assert citation["authors"] and all("name" in a or "family-names" in a for a in citation["authors"])


def test_wheel_metadata_declares_both_licences() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert set(project["license-files"]) == {"LICENSE", "LICENSE-DATA"}
