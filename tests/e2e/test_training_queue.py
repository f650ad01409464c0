"""The training queue in a real browser: two tabs share one slot in short turns, and each tab's
status line follows its run's place both ways (admitted, and back in the queue).

The live fragment's timer is what moves a tab from one state to the other (ui.live_view),
and only a browser runs it.
"""

from __future__ import annotations

import os
import re
import time

import pytest

from tests.e2e.conftest import ARTIFACTS, wait_for_app
from tests.e2e.server import VIEWPORT, streamlit_app
from tests.e2e.test_labs import LONG_RUN, no_exception, open_page, start_long_run, status_text

pytestmark = pytest.mark.e2e

# In line before its first step, or taking turns after one (classroom.queue, classroom.turn).
WAITING = re.compile(r"^(Waiting for a free core|Taking turns with the class)")
TRAINING = re.compile(r"^Training · epoch \d+/\d+ · step [1-9]")


def _states(page) -> str:
    """ "W" while the page's status line says the run waits, "T" while it trains, else ""."""
    line = status_text(page)
    return "W" if WAITING.search(line) else "T" if TRAINING.search(line) else ""


def _until_each_shows(pages: dict, sequences: dict, seconds: float) -> None:
    """Poll every page until each has shown its states in the order `sequences` gives, each page
    on its own (two tabs redraw at different moments), within `seconds`."""
    seen = {name: "" for name in pages}
    deadline = time.time() + seconds
    while not all(sequences[name] in seen[name] for name in pages):
        lines = {name: status_text(page) for name, page in pages.items()}
        assert time.time() < deadline, f"after {seconds} s: states {seen}, lines now {lines}"
        for name, page in pages.items():
            state = _states(page)
            if state and not seen[name].endswith(state):
                seen[name] += state
        time.sleep(0.25)


def test_two_tabs_take_turns_and_each_shows_its_place(chromium_path, browser):
    # One slot and 3 s turns: the runs swap places every few seconds.
    env = dict(os.environ, NNLAB_TRAINING_SLOTS="1", NNLAB_TURN_SECONDS="3")
    with streamlit_app(ARTIFACTS / "streamlit-queue.log", env) as (_, url):
        contexts = [browser.new_context(viewport=VIEWPORT, locale="en-US") for _ in range(2)]
        try:
            first, second = (context.new_page() for context in contexts)
            for page in (first, second):
                open_page(page, url, LONG_RUN)
            start_long_run(first)
            second.get_by_role("button", name="Train", exact=True).click()
            # Each run trains, waits while the other has its turn, and trains again; each tab
            # shows it (the second may catch the first mid-turn or at its end).
            pages = {"first": first, "second": second}
            _until_each_shows(pages, {"first": "TWT", "second": "WTW"}, 90)
            for page in (first, second):
                page.get_by_role("button", name="Pause", exact=True).click()
                wait_for_app(page)
                no_exception(page)
        finally:
            for context in contexts:
                context.close()
