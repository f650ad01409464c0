"""A link that reopens an experiment, in a real browser: the controls follow the link, training waits."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

LINK = "/xor?hidden=5&activation=tanh&optimizer=sgd&lr=0.1&seed=7"


def sidebar(page):
    """The sidebar, where the controls are."""
    return page.locator("[data-testid='stSidebar']")


def slider_value(page, label: str) -> str:
    """The value a slider shows next to its thumb."""
    return (
        sidebar(page)
        .locator("[data-testid='stSlider']", has_text=label)
        .get_by_role("slider")
        .get_attribute("aria-valuetext")
        or ""
    )


def selectbox_text(page, label: str) -> str:
    """The option a selectbox shows (the value of its combobox input)."""
    box = sidebar(page).locator("[data-testid='stSelectbox']", has_text=label).first
    return box.get_by_role("combobox").input_value()


def test_the_issues_link_opens_xor_with_its_settings_and_shows_its_own_link(page, app_url):
    page.goto(app_url + LINK + "&lang=en")
    page.get_by_role("heading", name="XOR: why we need hidden layers").wait_for(timeout=60_000)
    wait_for_app(page)
    assert slider_value(page, "Neurons per hidden layer") == "5"
    assert slider_value(page, "Learning rate") == "0.1"
    assert selectbox_text(page, "Activation") == "Tanh"
    assert selectbox_text(page, "Optimizer") == "SGD"
    # Nothing trains until the student presses Train.
    assert page.locator("[data-testid='stPlotlyChart']").count() <= 1
    page.get_by_role("button", name=re.compile("Link")).click()
    # The popover draws its content once open: wait for it, then read every code block.
    page.locator("[data-testid='stCode']", has_text="/xor?").first.wait_for()
    codes = page.locator("[data-testid='stCode']").all_inner_texts()
    link = next(c for c in codes if "/xor?" in c)
    for part in ("hidden=5", "activation=tanh", "optimizer=sgd", "lr=0.1", "seed=7"):
        assert part in link, part
    assert link.startswith(app_url + "/xor?")
    assert any("python -m models.train --dataset xor" in c for c in codes)


def test_another_page_does_not_take_the_links_settings(page, app_url):
    page.goto(app_url + LINK + "&lang=en")
    page.get_by_role("heading", name="XOR: why we need hidden layers").wait_for(timeout=60_000)
    wait_for_app(page)
    page.locator("[data-testid='stSidebarNav']").get_by_text("Iris").click()
    page.get_by_role("heading", name=re.compile("Iris:")).wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator("[data-testid='stAlert']").count() == 0
    assert slider_value(page, "Neurons per hidden layer") == "16"
