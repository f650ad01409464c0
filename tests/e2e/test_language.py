"""Both languages in a real browser: the switch, the URL, page switches, reloads and the browser's locale.

Screenshots of the XOR lab in both languages are kept in test-results/<test name>/.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.server import VIEWPORT
from tests.e2e.test_labs import chart_titles, shot
from ui.i18n import Translator

pytestmark = pytest.mark.e2e


def nav(page):
    """The sidebar navigation."""
    return page.locator("[data-testid='stSidebarNav']")


def wait_until(condition, what: str, timeout: float = 30) -> None:
    """Poll `condition()` until it holds, failing after `timeout` seconds."""
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.2)


def axis_titles(page) -> str:
    """Every Plotly axis title on the page (SVG text)."""
    return " | ".join(
        page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "\"[data-testid='stPlotlyChart'] .xtitle, [data-testid='stPlotlyChart'] .ytitle\"))"
            ".map(t => t.textContent)"
        )
    )


def test_switch_to_chinese_keeps_it_across_pages_and_reloads(page, app_url, shot_dir):
    page.goto(f"{app_url}/xor?lang=en")
    page.get_by_role("heading", name="XOR: why we need hidden layers").wait_for(timeout=60_000)
    wait_for_app(page)
    shot(page, shot_dir / "xor_en.png")

    page.locator("[data-testid='stSidebar']").get_by_text("繁體中文").click()
    page.get_by_role("heading", name="XOR：為什麼需要隱藏層").wait_for(timeout=30_000)
    wait_for_app(page)
    assert "lang=zh-TW" in page.url
    assert nav(page).get_by_text("練習").is_visible() and nav(page).get_by_text("觀念").is_visible()
    # Every lab is listed: no "View N more" from Streamlit, which it would not translate.
    assert "View" not in nav(page).inner_text()
    page.get_by_role("button", name="訓練", exact=True).click()
    # A chart's axis titles, drawn by Plotly in the browser.
    wait_until(lambda: "訓練週期" in axis_titles(page), "the loss chart's epoch axis in Chinese")
    wait_until(lambda: "每個訓練週期的損失" in chart_titles(page), "the loss chart's title")
    wait_for_app(page)
    shot(page, shot_dir / "xor_zh-TW.png")

    nav(page).get_by_text("鳶尾花").click()  # another page, through the navigation
    page.get_by_role("heading", name=re.compile("鳶尾花：")).wait_for(timeout=60_000)
    wait_until(lambda: "lang=zh-TW" in page.url, "the language in the new page's URL")

    page.reload()
    page.get_by_role("heading", name=re.compile("鳶尾花：")).wait_for(timeout=60_000)
    assert nav(page).get_by_text("練習").is_visible()


def test_a_chinese_browser_without_lang_gets_chinese(browser, app_url):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-TW")
    page = context.new_page()
    page.goto(app_url)
    page.get_by_role("heading", name=re.compile("NN Lab：")).wait_for(timeout=60_000)
    assert nav(page).get_by_text("練習").is_visible()
    wait_until(lambda: "lang=zh-TW" in page.url, "the language written into the URL")
    context.close()


def test_an_english_browser_without_lang_gets_english(page, app_url):
    page.goto(app_url)
    page.get_by_role("heading", name=re.compile("NN Lab: learn")).wait_for(timeout=60_000)
    assert nav(page).get_by_text("Exercises").is_visible()


def test_terms_show_the_other_language_on_hover(page, app_url):
    page.goto(f"{app_url}/?lang=zh-TW")
    page.get_by_role("heading", name=re.compile("NN Lab：")).wait_for(timeout=60_000)
    term = page.locator("abbr[title='activation function']").first
    term.wait_for()
    assert term.inner_text() == "激活函數"


def test_the_drawing_pad_speaks_chinese(page, app_url):
    page.goto(f"{app_url}/mnist?lang=zh-TW")
    page.get_by_role("heading", name=re.compile("MNIST：")).wait_for(timeout=60_000)
    wait_for_app(page)
    canvas = page.locator("canvas[aria-label]").first
    canvas.wait_for(timeout=30_000)
    assert canvas.get_attribute("aria-label") == Translator("zh-TW")("mnist.pad.label")
    assert page.get_by_role("button", name="清除").is_visible()
    assert page.get_by_role("tab", name=Translator("zh-TW")("mnist.tabs.draw")).is_visible()


def test_a_translated_choice_survives_the_switch_and_the_next_move(page, app_url):
    # A selectbox sends back the label it shows: after a switch the browser's value is the
    # English label, which matches none of the Chinese ones unless the server sends it again.
    page.goto(f"{app_url}/rnn?lang=en")
    page.get_by_text("Model summary").wait_for(timeout=60_000)
    wait_for_app(page)
    task = page.locator("[data-testid='stSelectbox']").filter(has_text="Task").first
    task.click()
    page.get_by_role("option", name="Next value of a noisy wave").click()
    wait_until(lambda: chosen(task) == "Next value of a noisy wave", "the task chosen")
    wait_until(lambda: 0 < page.evaluate(LONGEST_TRACE_JS) < 200, "its preview, at T = 30")
    wait_for_app(page)

    page.locator("[data-testid='stSidebar']").get_by_text("繁體中文").click()
    task = page.locator("[data-testid='stSelectbox']").filter(has_text="任務").first
    wait_until(lambda: chosen(task) == "預測含雜訊波形的下一個值", "the task in Chinese")
    wait_for_app(page)
    length = page.get_by_role("slider", name=re.compile("^序列長度 T")).first
    length.focus()
    page.keyboard.press("End")  # a move sends every widget's value back
    # The server has drawn the page with T = 200 (its charts of sequences have T points).
    wait_until(lambda: page.evaluate(LONGEST_TRACE_JS) >= 200, "the page redrawn with T = 200")
    assert chosen(task) == "預測含雜訊波形的下一個值", chosen(task)
    assert page.get_by_text("預測含雜訊波形的下一個值").first.is_visible()


def chosen(selectbox) -> str:
    """The option a selectbox shows as chosen (its input's value; the box's text is the label)."""
    return selectbox.locator("input").first.input_value()


# The most points of any Plotly trace on the page (x may be a typed array, decoded in _inputArray).
LONGEST_TRACE_JS = """() => Math.max(0, ...Array.from(document.querySelectorAll('.js-plotly-plot'))
  .flatMap(p => (p.data || []).map(t => !t.x ? 0 : Array.isArray(t.x) ? t.x.length
    : (t.x._inputArray || []).length)))"""
