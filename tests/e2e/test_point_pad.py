"""The universal-approximation point pad in a real browser: clicks place and remove points, the table follows."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from lessons.universal_approximation import DEFAULT_POINTS, DOMAIN
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import open_page, shot, wait_for_status
from ui.concepts.universal_approximation.controls import PAD_Y_HALF
from ui.concepts.universal_approximation.point_pad import PAD_MARGINS, PAD_WIDTH

pytestmark = pytest.mark.e2e

PAD = "canvas[data-testid='nnlab-point-pad']"
# Where to click, in data units: away from the default points (|y| <= 1.5) and from each other,
# inside the pad's y axis (±PAD_Y_HALF while every point fits in it).
SPOTS = [(-1.5, 2.4), (0.6, -2.2), (1.5, 2.7)]
# Half a pixel of rounding plus a pixel of slack, in data units: x spans 4 over ~380 px,
# y spans 6 over ~256 px.
X_TOL, Y_TOL = 0.03, 0.06


def page_point(page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of data point (x, y) on the pad, from its drawn size (the CSS may shrink it)."""
    left, top, width, height = page.locator(PAD).evaluate(
        "c => { const r = c.getBoundingClientRect();"
        " return [r.left + c.clientLeft, r.top + c.clientTop, c.clientWidth, c.clientHeight]; }"
    )
    scale = width / PAD_WIDTH  # the same in y: the canvas keeps its aspect ratio
    m_left, m_top, m_right, m_bottom = (m * scale for m in PAD_MARGINS)
    fx = (x - DOMAIN[0]) / (DOMAIN[1] - DOMAIN[0])
    fy = (PAD_Y_HALF - y) / (2 * PAD_Y_HALF)
    return (
        left + m_left + fx * (width - m_left - m_right),
        top + m_top + fy * (height - m_top - m_bottom),
    )


def table_rows(page) -> list[tuple[float, float]]:
    """The (x, y) rows the points table shows, read from its accessible grid cells."""
    cells = page.evaluate(
        "() => Array.from(document.querySelectorAll(\"[class*='st-key-ua_points_'] td[role=gridcell]\"))"
        ".map(td => [td.id, td.textContent])"
    )
    rows: dict[int, dict[int, str]] = {}
    for cell_id, text in cells:
        col, row = map(int, re.fullmatch(r"glide-cell-(\d+)-(\d+)", cell_id).groups())
        rows.setdefault(row, {})[col] = text
    out = []
    for row in sorted(rows):
        x_text, y_text = (rows[row][c] for c in sorted(rows[row])[-2:])  # x and y are the last two
        out.append((float(x_text), float(y_text)))
    return out


def wait_for_rows(page, count: int, timeout: float = 30) -> list[tuple[float, float]]:
    """Poll until the table shows `count` rows and the app is idle; return them."""
    deadline = time.time() + timeout
    while True:
        wait_for_app(page)
        rows = table_rows(page)
        if len(rows) == count or time.time() > deadline:
            assert len(rows) == count, rows
            return rows
        time.sleep(0.25)


def near(row: tuple[float, float], spot: tuple[float, float]) -> bool:
    return abs(row[0] - spot[0]) <= X_TOL and abs(row[1] - spot[1]) <= Y_TOL


def click_pad(page, spot: tuple[float, float], clicks_so_far: int) -> None:
    """Click the pad at a data point and wait until the pad has sent that click."""
    page.mouse.click(*page_point(page, *spot))
    page.locator(f"{PAD}[data-seq='{clicks_so_far + 1}']").wait_for()


def test_clicks_place_and_remove_points_that_the_table_lists_and_training_uses(
    app_url, page, shot_dir
):
    open_page(page, app_url, "universal_approximation")
    page.get_by_test_id("stSidebar").get_by_text("my points", exact=True).click()
    page.locator(PAD).wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator(PAD).evaluate("c => getComputedStyle(c).touchAction") == "none"
    defaults = [tuple(p) for p in DEFAULT_POINTS.tolist()]
    assert wait_for_rows(page, len(defaults)) == defaults  # first visit: the defaults

    for i, spot in enumerate(SPOTS):
        click_pad(page, spot, i)
        rows = wait_for_rows(page, len(defaults) + i + 1)
    assert rows[: len(defaults)] == defaults
    placed = rows[len(defaults) :]
    for spot, row in zip(SPOTS, placed, strict=True):
        assert near(row, spot), (row, spot)
    shot(page, shot_dir / "three_points.png")

    # A click on a placed point removes it, from the pad and from the table.
    click_pad(page, SPOTS[1], len(SPOTS))
    rows = wait_for_rows(page, len(defaults) + 2)
    assert not any(near(row, SPOTS[1]) for row in rows)
    assert [row for row in rows if row not in defaults] == [placed[0], placed[2]]

    page.get_by_role("button", name="Train", exact=True).click()
    done = wait_for_status(page, r"^(Finished|Stopped early)", timeout=90)
    assert int(done.group(2)) > 0
    wait_for_app(page)
    assert wait_for_rows(page, len(defaults) + 2) == rows  # training left the points alone
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    shot(page, shot_dir / "trained.png")


def test_a_tap_places_a_point_without_scrolling_and_clear_empties_pad_and_table(
    app_url, browser, shot_dir
):
    # A short window, so that the page can scroll and a swipe on the pad would show it.
    context = browser.new_context(viewport={"width": 1100, "height": 600}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, app_url, "universal_approximation")
        page.get_by_test_id("stSidebar").get_by_text("my points", exact=True).click()
        page.locator(PAD).wait_for(timeout=60_000)
        wait_for_app(page)
        page.locator(PAD).scroll_into_view_if_needed()
        scroll = (
            "() => [window.scrollY, ...Array.from(document.querySelectorAll("
            "'[data-testid=stMain], section.main')).map(e => e.scrollTop)]"
        )
        before = page.evaluate(scroll)
        cdp = context.new_cdp_session(page)
        # A finger lands on an empty spot and slides upwards before lifting: one point, no scroll.
        x, y = page_point(page, -0.5, -2.0)
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )
        for dy in (20, 40, 60, 80):
            cdp.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": [{"x": x, "y": y - dy}]},
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.locator(f"{PAD}[data-seq='1']").wait_for()
        rows = wait_for_rows(page, len(DEFAULT_POINTS) + 1)
        assert near(rows[-1], (-0.5, -2.0)), rows[-1]
        assert page.evaluate(scroll) == before

        page.get_by_role("button", name="Clear points").click()
        wait_for_rows(page, 0)
        page.locator(f"{PAD}[data-points='[]']").wait_for()
        page.get_by_text("Place at least two points for the network to fit.").wait_for()
        shot(page, shot_dir / "cleared.png", whole=False)
    finally:
        context.close()


def test_a_value_typed_in_the_table_moves_the_point_on_the_pad(app_url, page):
    open_page(page, app_url, "universal_approximation")
    page.get_by_test_id("stSidebar").get_by_text("my points", exact=True).click()
    page.locator(PAD).wait_for(timeout=60_000)
    wait_for_app(page)
    grid = page.locator(
        "[class*='st-key-ua_points_'] [data-testid='stDataFrameResizable']"
    ).bounding_box()
    row_height = 35  # Streamlit's default for the header and for each row
    # Double-click the second row's y cell (the last column), type a new value, press Enter.
    page.mouse.dblclick(grid["x"] + grid["width"] - 40, grid["y"] + row_height * 1.5 + row_height)
    editor = page.locator("input.gdg-input:focus")  # the grid's cell editor
    editor.fill("42")
    expect(editor).to_have_value("42")
    editor.press("Enter")
    expected = [list(p) for p in DEFAULT_POINTS.tolist()]
    expected[1][1] = 42.0
    deadline = time.time() + 30
    while (
        json.loads(page.locator(PAD).get_attribute("data-points")) != expected
        and time.time() < deadline
    ):
        time.sleep(0.25)
    assert json.loads(page.locator(PAD).get_attribute("data-points")) == expected
    assert wait_for_rows(page, len(expected)) == [tuple(p) for p in expected]
