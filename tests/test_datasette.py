"""Datasette serves the SQLite export with its metadata and no further setup; the claims it returns are the loaded claims.

Starts a real Datasette on 127.0.0.1 at a free port, waits (bounded) until it
answers, fetches every claim as JSON over HTTP, following Datasette's pages,
and always stops the server.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from exporthelp import DATASETS, expected_rows

from belarus_data.export.sqlite import export_sqlite

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def wait_until_up(server: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"datasette exited with {server.returncode}: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            get_json(f"{base}/-/versions.json")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"datasette did not answer within {STARTUP_SECONDS} s")


def all_rows(base: str, path: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    url: str | None = f"{base}{path}?_shape=objects&_size=max"
    while url:
        page = get_json(url)
        rows += page["rows"]
        url = page.get("next_url")
    return rows


@pytest.mark.parametrize("dataset", DATASETS)
def test_datasette_serves_the_loaded_claims(dataset: Path, tmp_path: Path) -> None:
    db, metadata = export_sqlite(tmp_path / "belarus.db", dataset)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db),
        "-m",
        str(metadata),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(server, base)
        served = all_rows(base, "/belarus/claims.json")
        meta = get_json(f"{base}/-/metadata.json")
        table_page = get_json(f"{base}/belarus/claims.json?_size=1")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    want = expected_rows("claims", dataset)
    assert sorted(served, key=lambda r: r["id"]) == sorted(want, key=lambda r: r["id"])
    assert meta["databases"]["belarus"]["tables"]["claims"]["columns"]["quote"].startswith("Verbatim evidence")
    assert table_page["filtered_table_rows_count"] == len(want)
