"""`belarus-data annotate` in a real browser (headless Chromium): select, fill, save, check the CSV.

Marked `browser`; they fail with an install hint when Chromium is missing (see tests/browser.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from annotating import ASTRAL_QUOTE, ASTRAL_TEXT, SEED, add_astral_source, copy_dataset, rows_of, serving
from browser import SELECT_JS, chromium
from click.testing import CliRunner
from conftest import today

from belarus_data import validate
from belarus_data.cli import main

pytestmark = pytest.mark.browser


def wait_for(driver: Any, condition: str, timeout: float = 30) -> Any:
    """Wait until the JavaScript expression ``condition`` is truthy; its value."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(f"return {condition}"))


def open_page(driver: Any, url: str) -> Any:
    driver.get(url)
    wait_for(driver, "document.body.dataset.ready === '1'")
    return driver.find_element("css selector", '[data-testid="source-text"]')


def select_quote(driver: Any, box: Any, quote: str) -> None:
    """Select ``quote`` in the page's text as the user would (UTF-16 positions, as the DOM counts)."""
    start = driver.execute_script("return arguments[0].textContent.indexOf(arguments[1])", box, quote)
    assert start >= 0
    driver.execute_script(SELECT_JS, box, start, start + driver.execute_script("return arguments[0].length", quote))
    wait_for(driver, f"document.querySelector('#claim-form [name=quote]').value === {quote!r}")


def fill(driver: Any, name: str, value: str, form: str = "#claim-form") -> None:
    from selenium.webdriver.support.ui import Select

    field = driver.find_element("css selector", f'{form} [name="{name}"]')
    if field.tag_name == "select":
        Select(field).select_by_value(value)
    else:
        field.clear()
        field.send_keys(value)


def save_and_wait(driver: Any) -> str:
    driver.find_element("css selector", '[data-testid="save-claim"]').click()
    return str(
        wait_for(
            driver,
            "/^(saved|not saved)/.test(document.querySelector('#status').textContent) && "
            "document.querySelector('#status').textContent",
        )
    )


def test_astral_quote_selected_filled_and_saved(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path / "dataset")
    source_id = add_astral_source(root)
    text = ASTRAL_TEXT.read_text(encoding="utf-8")
    with serving(root, source_id) as server, chromium() as driver:
        box = open_page(driver, server.url)
        assert box.get_property("textContent") == text
        select_quote(driver, box, ASTRAL_QUOTE)
        start = text.index(ASTRAL_QUOTE)
        assert driver.find_element("css selector", "#claim-form [name=start]").get_property("value") == str(start)
        fill(driver, "asserted_by", "Minsk")
        fill(driver, "attribution", "cited")
        fill(driver, "claim_type", "report")
        fill(driver, "modality", "reported")
        fill(driver, "statement", "Belarusian officials call the flights mere training.")
        status = save_and_wait(driver)
        assert status.startswith("saved"), driver.find_element("css selector", '[data-testid="problems"]').text
    claims = [r for r in rows_of(root, "claims") if r["source_id"] == source_id]
    assert len(claims) == 1
    row = claims[0]
    assert (row["quote"], int(row["start"]), int(row["end"])) == (ASTRAL_QUOTE, start, start + len(ASTRAL_QUOTE))
    assert text[int(row["start"]) : int(row["end"])] == ASTRAL_QUOTE
    assert (row["asserted_by"], row["attribution"], row["claim_type"], row["modality"]) == (
        "act-blr-gov",
        "cited",
        "report",
        "reported",
    )
    assert (row["version"], row["created"], row["updated"], row["record_status"]) == ("1", today(), today(), "active")
    assert validate(root).ok
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output


def test_form_error_is_shown_inline_and_nothing_is_saved(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path / "dataset")
    before = (root / "records" / "claims.csv").read_bytes()
    with serving(root, SEED) as server, chromium() as driver:
        box = open_page(driver, server.url)
        select_quote(driver, box, "the red line for such a tactics")
        fill(driver, "asserted_by", "Belarus in Focus")
        fill(driver, "attribution", "author")
        fill(driver, "claim_type", "assessment")
        fill(driver, "modality", "asserted")
        fill(driver, "statement", "Regime survival limits the balancing.")
        fill(driver, "horizon", "2017")  # only predictions have a horizon
        wait_for(driver, "document.querySelector('[data-testid=problems]').textContent.includes('prediction-fields')")
        problems = driver.find_element("css selector", '[data-testid="problems"]').text
        assert "horizon: horizon/resolution are for predictions only" in problems
        assert "(fix: empty them or set claim_type to prediction)" in problems
        horizon = driver.find_element("css selector", "#claim-form [name=horizon]")
        assert horizon.get_attribute("aria-invalid") == "true"
        assert save_and_wait(driver).startswith("not saved")
    assert (root / "records" / "claims.csv").read_bytes() == before


def test_editing_a_published_claim_bumps_version_and_updated(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path / "dataset")
    first = rows_of(root, "claims")[0]
    with serving(root, SEED) as server, chromium() as driver:
        open_page(driver, server.url)
        driver.find_element("css selector", f'[data-testid="edit-{first["id"]}"]').click()
        wait_for(driver, f"document.querySelector('#claim-heading').textContent.startsWith('Edit {first['id']}')")
        fill(driver, "statement", "Belarus's balancing stops where it would endanger the regime.")
        status = save_and_wait(driver)
        assert status.startswith("saved"), driver.find_element("css selector", '[data-testid="problems"]').text
    row = next(r for r in rows_of(root, "claims") if r["id"] == first["id"])
    assert (row["version"], row["updated"], row["created"]) == (
        str(int(first["version"]) + 1),
        today(),
        first["created"],
    )
    assert row["statement"] == "Belarus's balancing stops where it would endanger the regime."
    assert (row["quote"], row["start"], row["end"]) == (first["quote"], first["start"], first["end"])
    assert validate(root).ok


def test_new_source_started_from_a_text_file(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path / "dataset")
    with serving(root, text_file=ASTRAL_TEXT) as server, chromium() as driver:
        box = open_page(driver, server.url)
        assert box.get_property("textContent") == ASTRAL_TEXT.read_text(encoding="utf-8")
        fields = {"title": "Air drills", "outlet": "Test", "url": "https://example.org/x", "redistribution": "yes"}
        for name, value in (fields | {"outlet_actor_id": "Belarus in Focus"}).items():
            fill(driver, name, value, "#source-form")
        wait_for(driver, "document.querySelector('#source-derived').textContent.includes('text_sha256')")
        driver.find_element("css selector", '[data-testid="save-source"]').click()
        wait_for(driver, "!document.querySelector('#claim-form').hidden")  # on to the new source's claims
    row = next(r for r in rows_of(root, "sources") if r["id"] == "src-air-drills")
    assert (row["outlet_actor_id"], row["text_path"]) == ("act-belarus-in-focus", "texts/air-drills.txt")
    assert (root / "records" / "texts" / "air-drills.txt").read_bytes() == ASTRAL_TEXT.read_bytes()
    assert validate(root).ok
