"""Training with the keyboard alone: the focus stays in the row of buttons (an accessibility review)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import no_exception
from ui.i18n import Translator

pytestmark = pytest.mark.e2e

FOCUSED = "() => (document.activeElement && document.activeElement.innerText.trim()) || ''"


def test_enter_on_train_then_on_pause_keeps_the_focus_on_the_next_button(page, app_url):
    # Train disables itself while the run trains, and Pause once paused: the browser used to
    # drop the focus to the page's body, so the next Tab started over at the sidebar.
    zh = Translator("zh-TW")
    # 1,000 epochs without early stopping: long enough to still train when Pause is pressed.
    page.goto(f"{app_url}/boston?lang=zh-TW&epochs=1000&early-stopping=0")
    train = page.get_by_role("button", name=zh("common.train"), exact=True)
    train.wait_for(timeout=60_000)
    wait_for_app(page)
    train.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"({FOCUSED})() === {zh('common.pause')!r}", timeout=30_000)
    page.keyboard.press("Enter")
    page.wait_for_function(f"({FOCUSED})() === {zh('common.resume')!r}", timeout=30_000)
    no_exception(page)
