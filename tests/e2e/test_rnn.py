"""The RNN lab in a real browser: the gradient-through-time chart draws, and redraws while it trains."""

from __future__ import annotations

import time

import pytest

from tests.e2e.test_labs import (
    chart_titles,
    live_chart_titles,
    no_exception,
    open_page,
    shot,
    slider_to_end,
    status_text,
    wait_for_status,
)

pytestmark = pytest.mark.e2e

GRADIENT = "Gradient through time"
# A trace of the gradient chart, read from Plotly's own graph div (its data, not pixels):
# its y as JSON, or with "steps" its number of points. Streamlit's theme wraps titles in <b>,
# hence includes(); x and y may be Plotly's typed arrays {dtype, bdata, shape}, decoded in
# _inputArray.
TRACE = """([name, part]) => {
  const title = p => ((p._fullLayout || p.layout || {}).title || {}).text || '';
  const plot = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
    p => String(title(p)).includes('GRADIENT'));
  if (!plot) return null;
  const trace = (plot.data || []).find(t => t.name === name);
  if (part === 'steps') {
    if (!trace) return 0;
    return Array.isArray(trace.x) ? trace.x.length : (trace.x._inputArray || []).length;
  }
  return trace ? JSON.stringify(trace.y) : '';
}""".replace("GRADIENT", GRADIENT)


def now_trace(page) -> str | None:
    """The "now" trace's y as JSON ("" before training, None before the chart is there)."""
    return page.evaluate(TRACE, ["now", "y"])


def steps_at_init(page) -> int:
    """How many steps the gradient at initialization has: the T the server drew the page with."""
    return page.evaluate(TRACE, ["at initialization", "steps"])


def test_the_gradient_through_time_draws_before_and_while_training(app_url, page, shot_dir):
    open_page(page, app_url, "rnn")
    page.get_by_text("Model summary").wait_for()
    deadline = time.time() + 30
    while GRADIENT not in chart_titles(page) and time.time() < deadline:
        time.sleep(0.25)
    assert GRADIENT in chart_titles(page)
    assert now_trace(page) == ""  # before training: only the network at initialization
    # A long run (100 epochs of sequences of 200 steps), so it is still training while we look.
    slider_to_end(page, "Epochs", "End")
    slider_to_end(page, "Sequence length T", "End")
    # The server has drawn the page with T = 200 (the browser's slider alone is not proof).
    deadline = time.time() + 60
    while steps_at_init(page) != 200:
        assert time.time() < deadline, f"T = {steps_at_init(page)} after 60 s, not 200"
        time.sleep(0.25)
    page.get_by_role("button", name="Train", exact=True).click()

    seen: list[str] = []
    deadline = time.time() + 180
    while len(set(seen)) < 2:
        state = status_text(page)
        assert time.time() < deadline, f"no redraw while training in 180 s; status {state!r}"
        assert not state.startswith(("Finished", "Stopped", "Diverged")), (
            f"the run ended after {len(seen)} drawing(s) of the gradient: {state!r}"
        )
        if state.startswith("Training"):
            trace = now_trace(page)
            if trace and (not seen or trace != seen[-1]):
                seen.append(trace)
        time.sleep(0.25)
    assert status_text(page).startswith(("Training", "Paused", "Finished"))
    # The lab's own charts are Plotly; the training curves are on the light canvas charts
    # (ui/live_chart) while the run trains, and Plotly again once it has stopped.
    titles = chart_titles(page) + " | " + " | ".join(live_chart_titles(page))
    assert "Hidden state" in titles and "Loss per epoch" in titles, titles
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_status(page, r"^(Paused|Finished)", timeout=60)
    no_exception(page)
    shot(page, shot_dir / "rnn_training.png")
