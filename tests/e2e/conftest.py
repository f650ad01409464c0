"""Browser tests: Playwright drives Debian's chromium against a real `streamlit run app.py`.

Playwright's own browser download is never used: we launch /usr/bin/chromium.
Outside CI the tests skip (with a clear message) when no chromium is found;
in CI (CI=true) a missing browser is a failure, because .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.server import (
    CHROMIUM,
    LOCAL_HOSTS,
    ROOT,
    VIEWPORT,
    launch_chromium,
    streamlit_app,
)

ARTIFACTS = ROOT / "test-results"
# Every expect() waits up to this long for its condition, like the pages' own default timeout.
# Playwright's 5 s failed on a busy machine: a fresh tab beside a training one could take
# longer to show its status line.
expect.set_options(timeout=30_000)
# Screenshots for a person to look at (the labs trained, both languages): NNLAB_SCREENSHOTS=1
# keeps them in test-results/<test name>/. Off by default: each whole-page one takes a second
# or more of a busy machine. A failing test keeps its page's last state either way.
KEEP_SCREENSHOTS = os.environ.get("NNLAB_SCREENSHOTS") == "1"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Note each phase's report on the test, so the `page` fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


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
    # One server per test process (pytest -n): each its own log.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with streamlit_app(ARTIFACTS / f"streamlit-{worker}.log") as (_, url):
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p, chromium_path)
        yield b
        b.close()


def local_only(page) -> list[str]:
    """Record every request `page` makes to a host other than this machine; returns the list.

    NN Lab runs in classrooms without internet, so nothing may be fetched from outside
    at run time (a page icon from fonts.gstatic.com was, until a test like this saw it).
    """
    outside: list[str] = []

    def check(request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL_HOSTS:
            outside.append(request.url)

    page.on("request", check)
    return outside


class ReusedTab:
    """One browser tab that every test of a test process gets, emptied in between (`page`).

    A new browser context per test made chromium start a renderer and compile Streamlit's
    JavaScript from nothing each time, several times the CPU of a page opened in a reused tab
    (bench/README.md, "The test suite"). Emptied, the tab is a browser that
    has never seen NN Lab: no cookie, no local or session storage, so the server gives it a
    new session and ui/session_keeper.py finds no earlier tab to take over. Only the HTTP
    cache is kept.
    """

    def __init__(self, browser) -> None:
        self.browser = browser
        self.context = self.page = self.cdp = None
        self.outside: list[str] = []
        self.origins: set[str] = set()

    def fresh(self):
        """The tab, on about:blank, with nothing kept from an earlier test but the HTTP cache."""
        if self.page is None or self.page.is_closed():
            self._open()
        self.outside.clear()
        self.page.set_viewport_size(VIEWPORT)
        self.page.set_default_timeout(30_000)
        return self.page

    def empty(self) -> None:
        """Leave the test's page (its session ends, as with a closed tab); forget what it stored."""
        try:
            self.page.goto("about:blank")
            self.context.clear_cookies()
            for origin in self.origins:
                self.cdp.send(
                    "Storage.clearDataForOrigin",
                    {"origin": origin, "storageTypes": "local_storage,session_storage,cookies"},
                )
        except Exception as exc:  # a crashed or hung tab: the next test gets a new context
            print(f"the reused tab could not be emptied ({exc}); opening a new one")
            self.close()
        self.origins.clear()

    def close(self) -> None:
        """Close the tab's context (the next `fresh()` opens a new one)."""
        if self.context is not None:
            try:
                self.context.close()
            except Exception:  # already gone with its browser
                pass
        self.context = self.page = self.cdp = None

    def _open(self) -> None:
        # English unless a test asks for another locale: without ?lang= the app follows the browser.
        self.context = self.browser.new_context(viewport=VIEWPORT, locale="en-US")
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.outside = local_only(self.page)
        self.page.on("request", self._note_origin)

    def _note_origin(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https"):
            self.origins.add(f"{url.scheme}://{url.netloc}")


@pytest.fixture(scope="session")
def reused_tab(browser):
    """The test process's ReusedTab, closed with the session."""
    tab = ReusedTab(browser)
    yield tab
    tab.close()


@pytest.fixture
def page(reused_tab, request):
    """A fresh Streamlit session in a browser that has seen nothing of NN Lab, fetching nothing
    from outside: the process's one tab, emptied (ReusedTab)."""
    pg = reused_tab.fresh()
    yield pg
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        try:  # what the page showed when the test failed
            pg.screenshot(path=str(_test_dir(request) / "failed.png"), full_page=True)
        except Exception as exc:  # a page that has crashed cannot be shot; the failure stands
            print(f"no screenshot of the failed page: {exc}")
    outside = list(reused_tab.outside)
    reused_tab.empty()
    assert not outside, f"the page fetched from outside this machine: {sorted(set(outside))}"


@pytest.fixture
def shot_dir(request) -> Path:
    """This test's output folder for screenshots (test-results/<test name>/)."""
    return _test_dir(request)


def _test_dir(request) -> Path:
    d = ARTIFACTS / request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    d.mkdir(parents=True, exist_ok=True)
    return d


# Streamlit's own mark of the script's state on its root element ("initial" before the first
# run, "running", "notRunning", ...). Its status widget, which this used to wait on, appears only
# once a run has lasted 500 ms: a shorter or just-started run looked finished.
APP_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the page script (and shows no connection sign)."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(APP_IDLE, timeout=60_000)
