"""A page reload (a new Streamlit session) keeps the tab's run, training on, and its controls.

ui/session_keeper.py carries the old session's values to the reloaded page's
new one through the NNLAB_TAB cookie. A second tab of the same browser must
not take over the first tab's run while the first is still open. It also
checks that a training run's curves are on the light canvas charts
(ui.live_chart) and are Plotly charts again once the run is paused.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import (
    LONG_RUN,
    live_chart_titles,
    open_page,
    start_long_run,
    status,
    wait_for_charts,
    wait_for_status,
)
from tests.trainer_helpers import wait_for

pytestmark = pytest.mark.e2e

BUDGET_SECONDS = 60.0
HEADING = re.compile("Boston housing: predicting a price")
LIVE_TITLES = ("Loss per epoch", "Validation error per epoch", "Training loss per step")


def _epochs_slider(page):
    return page.get_by_role("slider", name="Epochs").first


def test_reload_keeps_a_training_run_and_a_second_tab_starts_fresh(app_url, page):
    first, second = page, None
    first.set_default_timeout(60_000)
    try:
        open_page(first, app_url, LONG_RUN)
        # A run of minutes: the reload lands while it trains.
        start_long_run(first)
        epochs = _epochs_slider(first).get_attribute("aria-valuetext")

        # A second tab of the same browser is a session of its own: no run, nothing taken over.
        second = first.context.new_page()
        open_page(second, app_url, "boston")
        expect(second.locator("[data-testid='stProgress']")).to_have_text("Ready")

        first.reload()
        first.get_by_role("heading", name=HEADING).first.wait_for()  # the new session's page
        # No wait_for_app here: a training page's live fragment reruns without pause, so
        # Streamlit's running indicator may never go away. The status line is the condition.
        kept = wait_for_status(first, r"^Training", timeout=BUDGET_SECONDS)
        step = int(kept.group(4).replace(",", ""))
        wait_for(
            lambda: int(status(first).group(4).replace(",", "")) > step,
            "the reloaded page's run training on",
            BUDGET_SECONDS,
            every=0.25,
        )
        assert _epochs_slider(first).get_attribute("aria-valuetext") == epochs
        assert first.locator("[data-testid='stException']").count() == 0
        # While it trains, the curves are on the light canvas charts, drawn.
        wait_for(
            lambda: set(LIVE_TITLES) <= set(live_chart_titles(first)),
            "the live curves drawn on their canvases",
            BUDGET_SECONDS,
            every=0.25,
        )

        # The second tab, reloaded in turn, is still its own fresh session.
        second.reload()
        second.get_by_role("heading", name=HEADING).first.wait_for()
        wait_for_app(second)
        expect(second.locator("[data-testid='stProgress']")).to_have_text("Ready")

        first.get_by_role("button", name="Pause", exact=True).click()
        wait_for_status(first, r"^Paused", timeout=BUDGET_SECONDS)
        # Paused, the same curves are Plotly charts again, with hover and zoom.
        titles = wait_for_charts(first, *LIVE_TITLES, timeout=BUDGET_SECONDS)
        assert all(name in titles for name in LIVE_TITLES), titles
        # The light charts leave when the paused page's rerun ends: Streamlit removes a run's
        # stale elements at its end, which on a busy machine comes after the new charts.
        wait_for(
            lambda: first.locator("[data-testid='nnlabLiveChart']").count() == 0,
            "the light charts gone from the paused page",
            BUDGET_SECONDS,
            every=0.25,
        )
    finally:
        if second is not None:
            second.close()
