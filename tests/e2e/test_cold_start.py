"""Controls keep their values when the student clicks before a cold server has drawn the page.

On a fresh server the MNIST page's first run takes seconds (torch, the data,
the pretrained model), and the browser mounts the sidebar's sliders late. A
click in that window used to start a second run whose sliders the browser
first drew at their minimum, and the next interaction sent those minimums
back: 8 neurons, learning rate 1e-5, batch 16. ui.state.remember now re-sends
every remembered value on each full run.
"""

import re
import time

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.server import streamlit_app

pytestmark = pytest.mark.e2e


def slider_values(page) -> dict[str, str]:
    """Label -> shown value of every visible slider."""
    values = {}
    for box in page.locator("[data-testid='stSlider']").all():
        lines = [line.strip() for line in box.inner_text().split("\n") if line.strip()]
        if len(lines) >= 2:
            values[lines[0].replace(" ↻", "")] = lines[1]
    return values


def test_an_early_click_on_a_cold_server_keeps_the_preset(chromium_path, browser):
    with streamlit_app() as (_, url):  # a server of its own: cold, as after `streamlit run`
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        page = context.new_page()
        page.goto(f"{url}/mnist")
        # As soon as it is there; a cold server on a busy machine takes its time to draw it.
        page.get_by_role("tab", name="Train").click(timeout=120_000)
        wait_for_app(page)
        page.get_by_text("Model summary").wait_for(timeout=60_000)
        time.sleep(1)  # let every slider mount
        # Any interaction that reruns the page sends the sliders' values back.
        page.get_by_role("slider", name=re.compile("^Epochs")).focus()
        page.keyboard.press("End")
        wait_for_app(page)
        time.sleep(1)
        values = slider_values(page)
        assert values.get("Epochs") == "30"
        assert values.get("Neurons per hidden layer") == "128", values
        assert values.get("Batch size") == "64", values
        assert values.get("Learning rate (log scale)") == "0.001", values
        context.close()
