"""Every code block in README.md, CONTRIBUTING.md and docs/ runs, as a reader would run it.

Each document is one scenario (tests/docsnippets.py): its blocks run in order in one bash process,
in a throw-away world of its own: a copy of this working tree committed as ``main`` in a bare
"upstream" repository and a bare "fork" (``https://github.com/YOUR-NAME/belarus-data.git`` and the
project's URL are redirected to them with git's ``url.<base>.insteadOf``), a HOME of its own, and
a clone of the fork as the working directory. Documents that install the package (README,
CONTRIBUTING) do so for real into a new virtual environment; the others use the test run's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.docsnippets import (
    RUN_LANGUAGES,
    SHOWN_LANGUAGES,
    Block,
    blocks,
    ci_runs_command,
    documents,
    scenario,
    served_url,
)

REPO = Path(__file__).resolve().parents[1]
UPSTREAM_URL = "https://github.com/belarus-data/belarus-data.git"
FORK_URL = "https://github.com/YOUR-NAME/belarus-data.git"
WAIT_FOR_URL = Path(__file__).with_name("waitforurl.py")
_IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "mutants",
)


def _all_blocks() -> list[Block]:
    return [block for path in documents(REPO) for block in blocks(path)]


def _runnable_documents() -> list[Path]:
    return [path for path in documents(REPO) if any(b.language in RUN_LANGUAGES for b in blocks(path))]


def test_every_block_names_its_language() -> None:
    unnamed = [b.where for b in _all_blocks() if b.language not in RUN_LANGUAGES | SHOWN_LANGUAGES]
    assert not unnamed, f"give these blocks a language (python/sh/bash to run, text to show): {unnamed}"


def test_the_documents_have_code_to_run() -> None:
    names = {path.relative_to(REPO).as_posix() for path in _runnable_documents()}
    assert {"README.md", "CONTRIBUTING.md", "docs/curation.md", "docs/exports.md"} <= names


def test_what_ci_runs_instead_is_run_by_ci() -> None:
    ci_text = (REPO / ".ci" / "run").read_text(encoding="utf-8") + (REPO / "scripts" / "checks.sh").read_text(
        encoding="utf-8"
    )
    directed = [(b.where, ci_runs_command(b)) for b in _all_blocks() if ci_runs_command(b)]
    assert directed, "the README's test command is marked as run by CI"
    for where, command in directed:
        assert command is not None and command in ci_text, f"{where}: CI does not run {command!r}"


def _git(*args: str, cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _world(tmp: Path) -> tuple[dict[str, str], Path]:
    """HOME, git redirections and remotes; returns the environment and a clone of the fork."""
    home = tmp / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_AUTHOR_NAME": "Doc Reader",
        "GIT_AUTHOR_EMAIL": "reader@example.org",
        "GIT_COMMITTER_NAME": "Doc Reader",
        "GIT_COMMITTER_EMAIL": "reader@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": os.environ.get("PATH", ""),
    }
    for name in ("PIP_CACHE_DIR", "XDG_CACHE_HOME", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "TMPDIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    # The reader's pip cache is the machine's: the packages were fetched when the project was installed.
    env.setdefault("PIP_CACHE_DIR", str(Path(os.environ.get("HOME", str(home))) / ".cache" / "pip"))
    source = tmp / "source"
    shutil.copytree(REPO, source, ignore=_IGNORED)
    _git("init", "-q", "-b", "main", cwd=source, env=env)
    _git("add", "-A", cwd=source, env=env)
    _git("commit", "-q", "-m", "the project as documented", cwd=source, env=env)
    remotes = tmp / "remotes"
    for name in ("upstream", "fork"):
        _git("clone", "-q", "--bare", str(source), str(remotes / f"{name}.git"), cwd=tmp, env=env)
    redirects = {f"{remotes / 'upstream.git'}": UPSTREAM_URL, f"{remotes / 'fork.git'}": FORK_URL}
    env["GIT_CONFIG_COUNT"] = str(len(redirects))
    for index, (local, url) in enumerate(redirects.items()):
        env[f"GIT_CONFIG_KEY_{index}"] = f"url.{local}.insteadOf"
        env[f"GIT_CONFIG_VALUE_{index}"] = url
    work = tmp / "work"
    _git("clone", "-q", FORK_URL, str(work), cwd=tmp, env=env)
    return env, work


def _system_bin() -> str:
    """The directory of the Python the test run's venv was made from (a reader's ``python3``)."""
    base = Path(sys.base_prefix) / "bin"
    return f"{base}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin"


def _installs(document: list[Block]) -> bool:
    return any("pip install" in b.code for b in document if b.language in RUN_LANGUAGES)


def _run_document(path: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    document = blocks(path)
    env, work = _world(tmp)
    if _installs(document):
        # The document installs the package itself: it starts where a reader starts, with a plain
        # python3 and no belarus-data on the PATH (CONTRIBUTING makes its own venv; the README's
        # commands install into the interpreter they find, here a new empty venv).
        if any("python3 -m venv" in b.code for b in document):
            env["PATH"] = _system_bin()
            cwd = Path(env["HOME"])
        else:
            reader = tmp / "reader-venv"
            subprocess.run([sys.executable, "-m", "venv", str(reader)], check=True)
            env["PATH"] = f"{reader / 'bin'}{os.pathsep}{_system_bin()}"
            env["VIRTUAL_ENV"] = str(reader)
            cwd = work
    else:
        env["PATH"] = f"{Path(sysconfig.get_path('scripts'))}{os.pathsep}{_system_bin()}"
        cwd = work
    marker = tmp / "block"
    script = tmp / "scenario.sh"
    script.write_text(scenario(document, marker, WAIT_FOR_URL), encoding="utf-8")
    result = subprocess.run(
        ["bash", str(script)], cwd=cwd, env=env, capture_output=True, text=True, timeout=1500, check=False
    )
    where = marker.read_text(encoding="utf-8") if marker.exists() else "(before the first block)"
    result.stdout = f"last block started: {where}\n{result.stdout}"
    return result


@pytest.mark.parametrize("path", _runnable_documents(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_document_runs(path: Path, tmp_path: Path) -> None:
    result = _run_document(path, tmp_path)
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-4000:]}"
    assert result.stdout.startswith("last block started: done"), result.stdout[-2000:]


def test_a_failing_block_is_reported_with_its_place(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "broken.md"
    doc.parent.mkdir()
    doc.write_text("# A guide\n\n```sh\ntrue\n```\n\nthen\n\n```python\nraise SystemExit(3)\n```\n", encoding="utf-8")
    document = blocks(doc)
    assert [b.language for b in document] == ["sh", "python"]
    marker = tmp_path / "block"
    script = tmp_path / "s.sh"
    script.write_text(scenario(document, marker, WAIT_FOR_URL), encoding="utf-8")
    result = subprocess.run(["bash", str(script)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 3
    assert marker.read_text(encoding="utf-8") == f"{doc}:9"


def test_directives_are_read(tmp_path: Path) -> None:
    doc = tmp_path / "guide.md"
    doc.write_text(
        "<!-- doc-test: serves http://127.0.0.1:1/ -->\n\n```sh\nserve\n```\n\n"
        '<!-- doc-test: ci-runs "python3 -m pytest" -->\n```sh\npip install x && python3 -m pytest\n```\n'
        "```text\nshown\n```\n",
        encoding="utf-8",
    )
    first, second, third = blocks(doc)
    assert served_url(first) == "http://127.0.0.1:1/" and ci_runs_command(first) is None
    assert ci_runs_command(second) == "python3 -m pytest" and served_url(second) is None
    assert third.directive is None and third.language == "text"
    script = scenario([second], tmp_path / "m", WAIT_FOR_URL)
    assert "pip install x && true" in script and "python3 -m pytest" not in script
