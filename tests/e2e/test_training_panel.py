"""Train, Pause and Reset rerun only the training panel, not the page around it.

The panel is a fragment (ui.training_view): on a classroom server a click that
reran the whole page cost eight browsers at once a full page each. What was
rerun shows only in a browser: Streamlit marks the elements of the part it
reruns stale until they are drawn again, and leaves the rest alone.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import no_exception, open_page, slider_to_end, wait_for_status

pytestmark = pytest.mark.e2e

# Counts, from now on, the elements marked stale in the sidebar and in the main area.
WATCH_STALE = """() => {
  window.__stale = {sidebar: 0, main: 0};
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.target.getAttribute('data-stale') !== 'true') continue;
      window.__stale[c.target.closest('[data-testid="stSidebar"]') ? 'sidebar' : 'main']++;
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-stale']});
}"""


def stale_counts(page) -> dict:
    """Stale marks seen since WATCH_STALE, by area."""
    return page.evaluate("() => ({...window.__stale})")


def test_train_and_pause_rerun_only_the_panel_and_a_setting_reruns_the_page(app_url, page):
    open_page(page, app_url, "iris")
    for label, key in [("Batch size", "Home"), ("Epochs", "End")]:  # a run far longer than the test
        slider_to_end(page, label, key)
    page.evaluate(WATCH_STALE)

    page.get_by_role("button", name="Train", exact=True).click()
    wait_for_status(page, r"^Training .* step [1-9]", timeout=90)
    page.locator("[data-testid='nnlabLiveChart']").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    wait_for_status(page, r"^Paused", timeout=60)
    wait_for_app(page)
    after_clicks = stale_counts(page)

    # The observer does see a full rerun: a sidebar setting reruns the whole page.
    page.get_by_role("button", name="Reset", exact=True).click()
    wait_for_app(page)
    slider_to_end(page, "Epochs", "Home")
    after_setting = stale_counts(page)

    assert after_clicks["main"] > 0, after_clicks  # the panel itself was rerun
    assert after_clicks["sidebar"] == 0, after_clicks  # the sidebar was not
    assert after_setting["sidebar"] > 0, after_setting
    no_exception(page)
