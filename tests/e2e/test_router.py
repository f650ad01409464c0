"""A fresh server, as after `streamlit run`: its first visit gets the router and the lab's preset.

Streamlit decides once per process whether to use the legacy pages/-folder
mode; ui/router_guard.py must switch it off, or every session of that server
would lose app.py's sections and wide layout. Until app.py reaches
st.navigation, that mode would list the files of pages/ ("app", "activations",
...); .streamlit/config.toml hides it.

On a fresh server the MNIST page's first run takes seconds (torch, the data,
the pretrained model), and the browser mounts the sidebar's sliders late. A
click in that window used to start a second run whose sliders the browser
first drew at their minimum, and the next interaction sent those minimums
back: 8 neurons, learning rate 1e-5, batch 16. ui.state.remember now re-sends
every remembered value on each full run.

A fresh server takes seconds of a busy machine to start, so one is visited
first at a page URL and checked for both, and one first at "/".
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import wait_for_app
from tests.e2e.server import VIEWPORT, streamlit_app
from tests.e2e.test_labs import PAGES, slider_to_end
from tests.trainer_helpers import wait_for

pytestmark = pytest.mark.e2e

# Records every text the sidebar navigation ever shows, from the first paint on.
NAV_LOG = """
window.__navTexts = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (nav && window.__navTexts.at(-1) !== nav.innerText) window.__navTexts.push(nav.innerText);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
SLIDERS = ("Epochs", "Neurons per hidden layer", "Batch size", "Learning rate (log scale)")


def slider_values(page) -> dict[str, str]:
    """Label -> shown value of every visible slider."""
    values = {}
    for box in page.locator("[data-testid='stSlider']").all():
        lines = [line.strip() for line in box.inner_text().split("\n") if line.strip()]
        if len(lines) >= 2:
            values[lines[0].replace(" ↻", "")] = lines[1]
    return values


@contextmanager
def _fresh_page(browser) -> Iterator:
    """A page in a new browser context that logs the sidebar; closed after."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        page = context.new_page()
        page.add_init_script(NAV_LOG)
        yield page
    finally:
        context.close()


def _count_full_runs(page) -> list[int]:
    """From now on, count the page's full script runs the server reports finished: [count].

    Read from the server's own messages (Streamlit's ForwardMsg), since the browser may draw a
    short run's start and end at once, and no mark in the page then shows that it happened.
    """
    ended = [0]

    def on_frame(payload) -> None:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        except DecodeError:
            return
        if msg.WhichOneof("type") == "script_finished" and (
            msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        ):
            ended[0] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return ended


def _wait_for_runs(page, ended: list[int], more_than: int, budget: float = 60) -> None:
    """Wait until more than `more_than` full runs have ended (Playwright delivers the frames
    while the page waits)."""
    deadline = time.monotonic() + budget
    while ended[0] <= more_than:
        assert time.monotonic() < deadline, f"no full run ended within {budget:.0f} s"
        page.wait_for_timeout(50)


def _router_held(page) -> None:
    """The sidebar showed app.py's sections from its first paint on, and no file names."""
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_text("Exercises").wait_for(timeout=120_000)
    assert nav.get_by_text("Concepts").is_visible()
    assert nav.get_by_text("mnist", exact=True).count() == 0  # no legacy file-name entries
    texts = page.evaluate("() => window.__navTexts")
    assert texts and all("Exercises" in t for t in texts), texts


def test_a_fresh_servers_first_visit_to_a_page_gets_the_router_and_an_early_click_the_preset(
    chromium_path, browser
):
    # No session has visited "/" yet: the first run is a page.
    with streamlit_app() as (_, url), _fresh_page(browser) as page:
        runs = _count_full_runs(page)
        page.goto(f"{url}/mnist")
        # As soon as it is there; a cold server on a busy machine takes its time to draw it.
        page.get_by_role("tab", name="Train").click(timeout=120_000)
        _router_held(page)
        wait_for_app(page)
        page.get_by_text("Model summary").wait_for(timeout=60_000)
        assert page.get_by_role("heading", name=PAGES["mnist"]).first.is_visible()
        wait_for(lambda: set(SLIDERS) <= set(slider_values(page)), "every slider mounted")
        # Any interaction that reruns the page sends the sliders' values back; the values are
        # read once the run that the move started has ended and the browser has drawn it.
        wait_for_app(page)
        before = runs[0]
        slider_to_end(page, "Epochs", "End")
        _wait_for_runs(page, runs, before)
        wait_for_app(page)
        values = slider_values(page)
        assert values.get("Epochs") == "30"
        assert values.get("Neurons per hidden layer") == "128", values
        assert values.get("Batch size") == "64", values
        assert values.get("Learning rate (log scale)") == "0.001", values
        _router_held(page)  # and still, after the reruns


def test_a_fresh_servers_first_visit_to_home_never_shows_the_pages_folder(chromium_path, browser):
    with streamlit_app() as (_, url), _fresh_page(browser) as page:
        page.goto(url)
        _router_held(page)
