"""A phone or a tablet: what only a touch screen's browser shows (a tablet review's findings)."""

from __future__ import annotations

import pytest

from lessons.registry import LABS
from tests.e2e.test_labs import no_exception
from tests.e2e.test_mnist_canvas import touch_screen
from ui.i18n import Translator

pytestmark = pytest.mark.e2e

PHONE = (390, 844)


def test_on_a_phone_the_cards_keep_the_sidebars_order_and_charts_have_no_toolbar(browser, app_url):
    en = Translator("en")
    with touch_screen(browser, *PHONE) as (_, page):
        page.goto(f"{app_url}/?lang=en")
        cards = page.locator("[data-testid='stMain'] [data-testid='stPageLink']")
        titles = [en(f"labs.{lab.name}.title") for lab in LABS if not lab.default]
        cards.nth(len(titles) - 1).wait_for(timeout=60_000)
        # The columns stack on a phone: row by row, the cards read in the registry's order.
        # A link's text is its icon's name, then its title.
        shown = [text.strip().splitlines()[-1] for text in cards.all_inner_texts()]
        assert [s for s in shown if s in titles] == titles, shown

        # Plotly shows its toolbar all the time on a touch screen, where it covered titles.
        page.goto(f"{app_url}/xor?lang=en")
        toolbar = page.locator(".modebar-container").first
        toolbar.wait_for(state="attached", timeout=60_000)
        assert toolbar.evaluate("e => getComputedStyle(e).display") == "none"
        no_exception(page)


def test_on_a_laptop_charts_keep_their_toolbar(page, app_url):
    page.goto(f"{app_url}/xor?lang=en")
    toolbar = page.locator(".modebar-container").first
    toolbar.wait_for(state="attached", timeout=60_000)
    assert toolbar.evaluate("e => getComputedStyle(e).display") != "none"
