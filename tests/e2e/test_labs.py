"""The labs in a real browser: every page opens, XOR trains live and keeps its run across pages.

One `streamlit run app.py` serves all of these tests (conftest's app_url); each
test gets the test process's one tab, emptied: a fresh Streamlit session (conftest.ReusedTab).
Screenshots land in test-results/<test name>/.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest

from lessons.registry import LABS
from tests.e2e.conftest import KEEP_SCREENSHOTS, wait_for_app
from ui.i18n import Translator

pytestmark = pytest.mark.e2e

# URL path -> the page's title (st.title), for every lab in the registry; "" is the home page.
PAGES = {("" if lab.default else lab.name): lab.heading for lab in LABS}
EN = Translator("en")
# Boston at batch size 1 without early stopping for 1000 epochs, 400 rows: a run of minutes,
# far beyond what a test looks at, also in a worker process. An experiment link sets it up
# (three slider moves took a rerun each; test_boston_trains... moves those sliders itself).
LONG_RUN = "boston?early-stopping=0&batch-size=1&epochs=1000"
STATUS = re.compile(
    r"(Training|Paused|Finished|Stopped early|Diverged) · epoch (\d+)/(\d+) · step ([\d,]+)"
)


def open_page(page, app_url: str, path: str) -> None:
    """Go to a page (its path, with a query if any) and wait until its script has run
    (its title is there, no run in progress)."""
    page.goto(f"{app_url}/{path}")
    heading = PAGES[path.split("?")[0]]
    page.get_by_role("heading", name=re.compile(re.escape(heading))).first.wait_for(timeout=60_000)
    wait_for_app(page)


def status_text(page) -> str:
    """The lab's training status line as the page shows it ("" while there is none)."""
    bar = page.locator("[data-testid='stProgress']")
    return bar.first.inner_text().strip() if bar.count() else ""


def status(page) -> re.Match:
    """The lab's training status line, parsed."""
    text = page.locator("[data-testid='stProgress']").first.inner_text().strip()
    m = STATUS.search(text)
    assert m, f"no training status line in {text!r}"
    return m


def wait_for_status(page, pattern: str, timeout: float = 60) -> re.Match:
    """Poll the status line until it matches `pattern` (e.g. "Finished").

    On a timeout the error says what the line said last and what else the page
    showed (an error box, an exception, a button that stayed), so a rare miss
    can be read from the test's output alone.
    """
    deadline = time.time() + timeout
    text = None
    while time.time() < deadline:
        text = status_text(page) or text
        if text and re.search(pattern, text):
            return STATUS.search(text)
        time.sleep(0.25)
    alerts = page.locator("[data-testid='stAlert'], [data-testid='stException']").all_inner_texts()
    buttons = [b.strip() for b in page.locator("button").all_inner_texts() if b.strip()]
    raise AssertionError(
        f"status never matched {pattern!r} in {timeout:.0f} s; it said {text!r} last. "
        f"Alerts: {[a[:200] for a in alerts]}; buttons: {buttons[:20]}"
    )


def chart_titles(page) -> str:
    """Every Plotly chart title on the page, joined (SVG text: read textContent, not innerText)."""
    return " | ".join(
        page.evaluate(
            "() => Array.from(document.querySelectorAll(\"[data-testid='stPlotlyChart'] .gtitle\"))"
            ".map(t => t.textContent)"
        )
    )


def live_chart_titles(page) -> list[str]:
    """Titles of the light live charts (ui.live_chart) whose canvas has something drawn on it."""
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='nnlabLiveChart']")]
          .filter(c => { const cv = c.querySelector('canvas');
                         if (!cv || !cv.width) return false;
                         const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
                         for (let i = 3; i < px.length; i += 4) if (px[i]) return true;
                         return false; })
          .map(c => c.querySelector('.nnlab-lc-title').textContent)"""
    )


def wait_for_charts(page, *names: str, timeout: float = 30) -> str:
    """Poll until every named chart title has been drawn (Plotly draws after the script ends)."""
    deadline = time.time() + timeout
    while True:
        titles = chart_titles(page)
        if all(name in titles for name in names) or time.time() > deadline:
            return titles
        time.sleep(0.25)


def shot(page, path, whole: bool = True) -> None:
    """Keep a screenshot at `path` for a person to look at, if NNLAB_SCREENSHOTS=1 (conftest).

    `whole`: the whole page, not only the window. Streamlit scrolls an inner container, so
    `full_page` alone would stop at the window: grow the window to the content's height first.
    """
    if not KEEP_SCREENSHOTS:
        return
    if not whole:
        page.screenshot(path=str(path))
        return
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll(\"[data-testid='stMain'], section\"))"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), 8000)}
    )
    page.wait_for_timeout(500)  # let the charts re-lay themselves out
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_every_page_opens_without_an_exception(app_url, page, shot_dir):
    # As a student goes through them: in one session, from the sidebar (a page's URL loads the
    # whole frontend again, seconds of a busy machine each). Pages opened by URL in a fresh
    # session: the labs' tests below and tests/e2e/test_router.py; every page's script alone:
    # the AppTests.
    open_page(page, app_url, "")
    nav = page.locator("[data-testid='stSidebarNav']")
    for lab in LABS:
        path = "" if lab.default else lab.name
        nav.get_by_text(EN(f"labs.{lab.name}.title"), exact=True).click()
        page.get_by_role("heading", name=re.compile(re.escape(PAGES[path]))).first.wait_for(
            timeout=60_000
        )
        wait_for_app(page)
        assert urlparse(page.url).path.strip("/") == path
        no_exception(page)
        if path in ("xor", "iris", "boston", "mnist"):
            shot(page, shot_dir / f"{path}_before_training.png")


def test_xor_trains_live_and_its_run_survives_a_page_switch(app_url, page, shot_dir):
    open_page(page, app_url, "xor")
    page.get_by_text("Model summary").wait_for()  # shown before training
    page.get_by_role("button", name="Train", exact=True).click()
    # The live charts appear (while it trains, or at the latest when it ends).
    page.get_by_text("Loss per epoch").first.wait_for()
    page.get_by_text("Decision boundary").first.wait_for()
    done = wait_for_status(page, r"^(Finished|Stopped early)", timeout=90)
    assert int(done.group(2)) == int(done.group(3)) == 300
    wait_for_app(page)
    finished = status(page).group(0)
    titles = wait_for_charts(page, "Loss per epoch", "Decision boundary")
    assert "Loss per epoch" in titles and "Decision boundary" in titles
    no_exception(page)
    shot(page, shot_dir / "xor_trained.png")

    # To another page and back, in the same session: the run is still there.
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_text("Iris", exact=True).click()
    page.get_by_role("heading", name=re.compile("Iris: three species")).first.wait_for()
    wait_for_app(page)
    nav.get_by_text("XOR", exact=True).click()
    page.get_by_role("heading", name=re.compile("XOR: why we need hidden layers")).first.wait_for()
    wait_for_app(page)
    assert status(page).group(0) == finished
    titles = wait_for_charts(page, "Loss per epoch", "Decision boundary")
    assert "Loss per epoch" in titles and "Decision boundary" in titles
    page.get_by_text("Truth table").wait_for()
    assert page.get_by_text("Model summary").count() == 0  # a trained run, not a fresh page
    no_exception(page)
    shot(page, shot_dir / "xor_after_page_switch.png")


def test_iris_trains_and_shows_its_results(app_url, page, shot_dir):
    open_page(page, app_url, "iris")
    page.get_by_role("button", name="Train", exact=True).click()
    wait_for_status(page, r"^Finished", timeout=90)
    wait_for_app(page)
    page.get_by_text("Validation accuracy").first.wait_for()
    titles = wait_for_charts(page, "Confusion matrix", "coloured by predicted class")
    assert "Confusion matrix" in titles and "coloured by predicted class" in titles
    page.get_by_text("Per-class precision and recall").wait_for()
    no_exception(page)
    shot(page, shot_dir / "iris_trained.png")


def slider_to_end(page, label: str, key: str) -> None:
    """Push the slider whose label starts with `label` to one end ("Home" or "End") by keyboard.

    A key press that lands while the previous change's rerun redraws the sidebar can be lost,
    so it checks that the slider moved and presses again if not.
    """
    slider = page.get_by_role("slider", name=re.compile("^" + re.escape(label))).first
    before = slider.get_attribute("aria-valuetext")
    for _ in range(5):
        slider.focus()
        page.keyboard.press(key)
        wait_for_app(page)
        if slider.get_attribute("aria-valuetext") != before:
            return
        time.sleep(0.5)
    raise AssertionError(f"the {label!r} slider did not move with {key}")


def start_long_run(page) -> None:
    """On a page opened at LONG_RUN, click Train and wait until the run trains."""
    page.get_by_role("button", name="Train", exact=True).click()
    wait_for_status(page, r"^Training .* step [1-9]", timeout=90)


def test_boston_trains_and_compares_with_linear_regression(app_url, page, shot_dir):
    open_page(page, app_url, "boston")
    # Boston trains ~300 epochs a second at its defaults, so a run can end before a Pause
    # click lands. Batch size 1, no early stopping and 1000 epochs make it a long run.
    slider_to_end(page, "Early stopping", "Home")
    slider_to_end(page, "Batch size", "Home")
    slider_to_end(page, "Epochs", "End")
    page.get_by_role("button", name="Train", exact=True).click()
    wait_for_status(page, r"Training · epoch ([3-9]|\d{2,})/1000")
    page.get_by_role("button", name="Pause", exact=True).click()
    paused = wait_for_status(page, r"^Paused")
    assert int(paused.group(2)) < 1000
    wait_for_app(page)
    page.get_by_text("The network against classical baselines").wait_for()
    titles = wait_for_charts(page, "predicted against actual", "Residuals")
    assert "predicted against actual" in titles and "Residuals" in titles
    no_exception(page)
    shot(page, shot_dir / "boston_paused.png")
