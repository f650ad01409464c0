"""The MNIST pad in a real browser: mouse strokes are read by the pretrained model; touch never scrolls."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import shot

pytestmark = pytest.mark.e2e

PAD = "canvas[data-testid='nnlab-digit-pad']"
PREDICTION = ".st-key-mnist_prediction"
# The frontend's own states, as Streamlit's browser tests read them (no wait: None without an app).
APP_STATES = """() => { const a = document.querySelector('[data-testid="stApp"]');
    return a && [a.dataset.testScriptState, a.dataset.testConnectionState]; }"""


def open_mnist(page, app_url: str):
    """Open the app, go to the MNIST lab through the navigation, return the pad's bounding box."""
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="MNIST digits").click()
    page.get_by_text("Draw a digit in the white box").wait_for(timeout=60_000)
    wait_for_app(page)
    pad = page.locator(PAD)
    pad.wait_for()
    return pad.bounding_box()


@contextmanager
def touch_screen(browser, width: int, height: int) -> Iterator[tuple]:
    """A (context, page) pair that sends touch events, like a phone or tablet; closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield context, page
    finally:
        context.close()


def stroke(page, points) -> None:
    """One mouse stroke through `points` (page coordinates): press, move, release."""
    page.mouse.move(*points[0])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x, y, steps=2)
    page.mouse.up()


def read_digit(page, after_stroke: int) -> str:
    """Wait for the reading of stroke `after_stroke` and return the digit the page shows.

    If it never comes, the error says whether the pad counted the stroke (so the browser lost
    nothing and the server's answer is missing) and what the page showed instead.
    """
    box = page.locator(PREDICTION)
    try:
        box.get_by_text(f"after stroke {after_stroke}").wait_for(timeout=20_000)
    except PlaywrightTimeout:
        pads = page.locator(PAD).evaluate_all("cs => cs.map(c => c.dataset.strokes || '0')")
        state = page.evaluate(APP_STATES)
        shown = (page.locator("[role='tabpanel']").all_inner_texts() or [""])[0][:600]
        raise AssertionError(
            f"no reading of stroke {after_stroke} in 20 s; the pads counted {pads} strokes, "
            f"the app's script and connection states were {state}, and the Draw tab "
            f"showed: {shown!r}"
        ) from None
    return box.inner_text().split("The model reads:")[1].strip()[0]


def test_mouse_strokes_are_read_by_the_pretrained_model(app_url, page, shot_dir):
    box = open_mnist(page, app_url)
    x0, y0, size = box["x"], box["y"], box["width"]

    # A "1": one vertical stroke, a little off-centre (preprocessing re-centres it).
    stroke(page, [(x0 + size * 0.6, y0 + size * (0.15 + 0.07 * i)) for i in range(11)])
    assert read_digit(page, 1) == "1"
    # The four step images follow the prediction.
    page.get_by_text("4. Centre of mass at the middle of 28×28").wait_for()
    assert page.get_by_text("2. Cropped to the ink").count() == 1
    shot(page, shot_dir / "one.png", whole=False)

    page.get_by_role("button", name="Clear").click()
    page.get_by_text("Draw a digit in the white box").wait_for()
    # Clear mounts a fresh pad; drawing before its script has attached would lose the stroke's start.
    page.locator(PAD + ":not([data-strokes])").wait_for()
    box = page.locator(PAD).bounding_box()
    x0, y0, size = box["x"], box["y"], box["width"]

    # A "0": one closed oval, drawn as a single stroke.
    cx, cy = x0 + size * 0.45, y0 + size * 0.5
    oval = [
        (cx + size * 0.2 * math.sin(t), cy - size * 0.32 * math.cos(t))
        for t in (2 * math.pi * k / 36 for k in range(38))
    ]
    stroke(page, oval)
    assert read_digit(page, 1) == "0"
    shot(page, shot_dir / "zero.png", whole=False)
    assert page.locator("[data-testid='stException']").count() == 0


def test_drawing_with_a_finger_does_not_scroll_the_page(app_url, browser, shot_dir):
    # A short window, so that the page can scroll and a swipe on the pad would show it.
    with touch_screen(browser, 1100, 600) as (context, page):
        box = open_mnist(page, app_url)
        assert page.locator(PAD).evaluate("c => getComputedStyle(c).touchAction") == "none"
        page.locator(PAD).scroll_into_view_if_needed()
        box = page.locator(PAD).bounding_box()
        scroll_before = page.evaluate(
            "() => [window.scrollY, ...Array.from(document.querySelectorAll("
            "'[data-testid=stMain], section.main')).map(e => e.scrollTop)]"
        )
        # An upward finger swipe on the pad: a page would scroll down if the pad let it.
        cdp = context.new_cdp_session(page)
        x = box["x"] + box["width"] * 0.5
        ys = [box["y"] + box["height"] * f for f in (0.85, 0.7, 0.55, 0.4, 0.25, 0.15)]
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchStart", "touchPoints": [{"x": x, "y": ys[0]}]},
        )
        for y in ys[1:]:
            cdp.send(
                "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        assert read_digit(page, 1) == "1"  # the swipe drew a stroke...
        scroll_after = page.evaluate(
            "() => [window.scrollY, ...Array.from(document.querySelectorAll("
            "'[data-testid=stMain], section.main')).map(e => e.scrollTop)]"
        )
        assert scroll_after == scroll_before  # ...and scrolled nothing
        shot(page, shot_dir / "touch.png", whole=False)


def test_a_second_finger_does_not_take_over_the_stroke(app_url, browser, shot_dir):
    # A palm or a second finger landing mid-stroke used to restart the line at its own point
    # and end the stroke when it lifted: a zigzag between the two, read as some other digit.
    with touch_screen(browser, 1400, 1000) as (context, page):
        box = open_mnist(page, app_url)
        cdp = context.new_cdp_session(page)

        def touch(kind: str, points: dict[int, tuple[float, float]]) -> None:
            cdp.send(
                "Input.dispatchTouchEvent",
                {
                    "type": kind,
                    "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in points.items()],
                },
            )

        x = box["x"] + box["width"] * 0.6
        ys = [box["y"] + box["height"] * f for f in (0.15, 0.3, 0.45, 0.6, 0.75, 0.85)]
        palm = (box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.9)
        touch("touchStart", {0: (x, ys[0])})
        touch("touchMove", {0: (x, ys[1])})
        touch("touchStart", {0: (x, ys[1]), 1: palm})  # the second finger lands...
        for y in ys[2:4]:
            touch("touchMove", {0: (x, y), 1: palm})
        touch("touchEnd", {1: palm})  # ...and lifts (a touchEnd lists the points that lift)
        for y in ys[4:]:
            touch("touchMove", {0: (x, y)})
        touch("touchEnd", {0: (x, ys[-1])})
        assert read_digit(page, 1) == "1"
        crop = page.get_by_text(re.compile(r"^2\. Cropped to the ink \(\d+×\d+\)$")).inner_text()
        width, height = map(int, re.search(r"\((\d+)×(\d+)\)", crop).groups())
        # One straight stroke of the 20 px pen, from 15% to 85% of the pad's height.
        assert width <= 24 and height >= 0.6 * box["height"], crop
        shot(page, shot_dir / "two_fingers.png", whole=False)
