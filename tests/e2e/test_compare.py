"""Compare runs in a real browser: pin a run, change the learning rate, train, read chart and table."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import shot

pytestmark = pytest.mark.e2e

STATUS = re.compile(r"^(Finished|Stopped early|Diverged) · epoch (\d+)/(\d+)")


def status_line(page) -> str:
    """The status line's text ("" before the page has one)."""
    bar = page.locator("[data-testid='stProgress']")
    return bar.first.inner_text().strip() if bar.count() else ""


def wait_until_done(page, timeout: float = 90, after: str | None = None) -> None:
    """Poll the status line until the run has ended, then let the page's last rerun finish.

    `after`: the line an earlier run ended with, read before this run's click; until the new
    run's first redraw the page still shows it (its clock and rate make each run's line unique).
    """
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = status_line(page)
        if STATUS.search(line) and line != after:
            wait_for_app(page)
            return
        time.sleep(0.25)
    raise AssertionError(f"the run did not end; the status line says {status_line(page)!r}")


def legend_names(page) -> list[str]:
    """The legend entries of every chart (SVG text: read textContent)."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll(\"[data-testid='stPlotlyChart'] .legendtext\"))"
        ".map(t => t.textContent)"
    )


def wait_for_legend(page, name: str, timeout: float = 30) -> list[str]:
    """Poll until a legend entry `name` is drawn (Plotly draws after the script ends)."""
    deadline = time.time() + timeout
    names = legend_names(page)
    while name not in names and time.time() < deadline:
        time.sleep(0.25)
        names = legend_names(page)
    return names


def test_pin_change_the_learning_rate_train_and_compare(app_url, page, shot_dir):
    page.goto(f"{app_url}/xor?epochs=10&lang=en")
    page.get_by_role("heading", name=re.compile("^XOR")).first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_role("button", name="Train", exact=True).click()
    wait_until_done(page)
    page.get_by_role("button", name="Pin this run as the baseline").click()
    wait_for_app(page)
    # Pinned: Pin keeps its place, disabled, and Unpin beside it can be clicked.
    expect(page.get_by_role("button", name="Unpin this run")).to_be_enabled(timeout=30_000)
    expect(page.get_by_role("button", name="Pin this run as the baseline")).to_be_disabled()
    # One notch up the learning-rate slider: 0.03 -> 0.1 (a lost key press is pressed again).
    slider = page.get_by_role("slider", name=re.compile("^Learning rate")).first
    for _ in range(5):
        if slider.get_attribute("aria-valuetext") == "0.1":
            break
        slider.focus()
        page.keyboard.press("ArrowRight")
        wait_for_app(page)
    assert slider.get_attribute("aria-valuetext") == "0.1"
    first = status_line(page)
    page.get_by_role("button", name="Train", exact=True).click()
    wait_until_done(page, after=first)
    names = wait_for_legend(page, "Run 2 (now) · validation")
    for name in ("Run 1 · training", "Run 1 · validation", "Run 2 (now) · training"):
        assert name in names, names
    table = page.locator("[data-testid='stTable']", has_text="Settings that differ")
    row = table.locator("tr", has_text="Run 2 (now)")
    assert "Learning rate 0.03 → 0.1" in row.inner_text()
    assert "1 (same)" in row.inner_text()
    assert table.locator("tr", has_text="Run 1").first.inner_text().count("baseline") == 1
    page.get_by_role("button", name="Download the model of Run 1").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, shot_dir / "xor_compare.png")
