"""Headless Chromium for the annotate tests: Debian's chromium driven by Selenium through its chromedriver.

Nothing is downloaded: the browser and driver come from `apt-get install chromium chromium-driver`.
A missing browser fails the tests with that instruction (CI installs it); set
BELARUS_DATA_NO_BROWSER=1 to skip them knowingly on a machine without it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = os.environ.get("BELARUS_DATA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("BELARUS_DATA_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL = "sudo apt-get install -y chromium chromium-driver"
# The network is closed here: without these flags Chromium waits on connections it tries by itself.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)

# Select the words from UTF-16 index `from` to `to` of the text container's textContent, as a mouse
# selection would, then let the page see it (mouseup). The page must convert to code points itself.
SELECT_JS = """
const [box, from, to] = arguments;
function point(target) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let seen = 0, node;
  while ((node = walker.nextNode())) {
    if (seen + node.data.length >= target) return [node, target - seen];
    seen += node.data.length;
  }
  throw new Error("offset past the text");
}
const range = document.createRange();
range.setStart(...point(from));
range.setEnd(...point(to));
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
"""


def require_browser() -> None:
    """Fail (never skip silently) when Chromium or its driver is missing, unless the opt-out is set."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    if not missing:
        return
    message = f"{', '.join(missing)} not found: install them with `{INSTALL}` (Debian)"
    if os.environ.get("BELARUS_DATA_NO_BROWSER") == "1":
        pytest.skip(f"BELARUS_DATA_NO_BROWSER=1: {message}")
    pytest.fail(f"{message}, or set BELARUS_DATA_NO_BROWSER=1 to skip the browser tests")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium session with a fresh profile, closed afterwards."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="belarus-data-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
