"""Browser tests: Playwright drives Debian's chromium against a real `streamlit run app.py`.

Playwright's own browser download is never used: we launch /usr/bin/chromium.
Outside CI the tests skip (with a clear message) when no chromium is found;
in CI (CI=true) a missing browser is a failure, because .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, ROOT, launch_chromium, streamlit_app

ARTIFACTS = ROOT / "test-results"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's chromium; skip (or fail in CI) when it is missing."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(
                f"chromium not found at {CHROMIUM}; .ci/run should have installed it with apt-get"
            )
        pytest.skip(
            f"Browser tests skipped: no chromium at {CHROMIUM} (apt-get install chromium to run them)"
        )
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture(scope="session")
def app_url(chromium_path: str) -> str:
    """Start `streamlit run app.py` on a free localhost port; yield its base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_app(ARTIFACTS / "streamlit.log") as (_, url):
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p, chromium_path)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context (= a fresh Streamlit session) per test."""
    # English unless a test asks for another locale: without ?lang= the app follows the browser.
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture
def shot_dir(request) -> Path:
    """This test's output folder for screenshots (test-results/<test name>/)."""
    d = ARTIFACTS / request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    d.mkdir(parents=True, exist_ok=True)
    return d


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the page script."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
