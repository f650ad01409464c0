"""A phone or a tablet: what only a touch screen's browser shows (a tablet review's findings)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from lessons.registry import LABS
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_labs import no_exception
from tests.e2e.test_mnist_canvas import touch_screen
from ui.glossary.views import glossary_rows
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


# A phone review's findings (ui/page_style.py PHONE, ui/concepts/backprop/figures.py). Each check
# is a script that lists what is wrong; a test waits until the list is empty (Plotly redraws and
# the sidebar folds away after a page's run), and fails with the last list.
DIAGRAM_PROBLEMS = """() => {
  const box = e => e.getBoundingClientRect();
  const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top
    || b.bottom <= a.top;
  const all = s => [...document.querySelectorAll('.st-key-bp_network ' + s)];
  const chart = box(all('.main-svg')[0]), nodes = all('.scatterlayer .point').map(box);
  const labels = all('.annotation rect.bg').map(box), problems = [];
  if (nodes.length !== 5 || labels.length !== 6) problems.push(`${nodes.length} nodes, ${labels.length} labels`);
  labels.forEach((l, i) => {
    nodes.forEach((n, j) => { if (!apart(l, n)) problems.push(`label ${i} on node ${j}`); });
    if (l.left < chart.left || l.right > chart.right || l.top < chart.top || l.bottom > chart.bottom)
      problems.push(`label ${i} cut off`);
  });
  for (const t of all(':is(.annotation, .textpoint) text')) {
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (size < 11) problems.push(`${t.textContent}: ${size} px`);
  }
  return problems;
}"""
FORMULA_PROBLEMS = """() => {
  const formulas = [...document.querySelectorAll('[data-testid="stMain"] .katex-display')];
  const main = document.querySelector('[data-testid="stMain"]');
  return formulas.map(k => k.scrollWidth - k.clientWidth).filter(hidden => hidden > 4)
    .map(hidden => `${hidden} px of a formula out of sight`)
    .concat(main.scrollWidth > main.clientWidth ? ['the page scrolls sideways'] : []);
}"""
# A header or a changed settings cell on more than 3 lines, another cell on more than 1.
TABLE_PROBLEMS = """t => {
  const lines = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 6).length;
  };
  const problems = [];
  [...t.querySelectorAll('tr')].forEach((tr, row) => [...tr.children].forEach((cell, col) => {
    const n = lines(cell), most = row === 0 || col === 1 ? 3 : 1;
    if (n > most) problems.push(`${cell.innerText.replace(/\\n/g, ' ')}: ${n} lines`);
  }));
  return problems;
}"""
SIDE_BY_SIDE = """row => {
  const [a, b] = [...row.children].map(c => c.getBoundingClientRect());
  return Math.abs(a.top - b.top) <= 2 && a.right <= b.left ? [] : [`${a.top} ${b.top} ${a.right} ${b.left}`];
}"""


def problems(target, script: str, timeout: float = 30_000) -> list[str]:
    """The problems `script` finds on `target` (a page or a locator), once there are none or after
    `timeout` ms, whichever comes first."""
    on_page = not hasattr(target, "element_handle")
    arg = None if on_page else target.element_handle()
    page = target if on_page else target.page
    try:
        page.wait_for_function(f"a => ({script})(a).length === 0", arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        pass
    return page.evaluate(script) if on_page else target.evaluate(script)


def test_on_a_phone_the_backprop_diagram_and_the_formulas_show_everything(browser, app_url):
    with touch_screen(browser, *PHONE) as (_, page):
        for path in ("backprop?lang=en", "backprop?lang=zh-TW", "convolution?lang=en"):
            page.goto(f"{app_url}/{path}")
            page.locator(".katex-display").first.wait_for(timeout=60_000)
            wait_for_app(page)
            if path.startswith("backprop"):
                # Labels a third along their edges covered x₁'s value and h₁'s bias on a phone.
                page.locator(".st-key-bp_network .annotation").nth(5).wait_for()
                assert problems(page, DIAGRAM_PROBLEMS) == [], path
            # Lines up to 742 px wide in a 358 px box were cut at the screen's edge: they wrap.
            assert problems(page, FORMULA_PROBLEMS) == [], path
            no_exception(page)


def test_on_a_phone_the_run_comparison_table_is_readable(browser, app_url):
    zh = Translator("zh-TW")
    finished = zh("common.status.finished")
    with touch_screen(browser, *PHONE) as (_, page):
        # Chinese breaks between any two characters: its columns were squeezed the most.
        page.goto(f"{app_url}/xor?epochs=10&lang=zh-TW")
        train = page.locator(".st-key-xor_train button")
        train.wait_for(timeout=60_000)
        wait_for_app(page)
        train.click()
        box = page.locator("[data-testid='stTable']", has_text=zh("compare.columns.changes"))
        rows = box.locator("tbody tr")
        expect(rows.last).to_contain_text(finished, timeout=90_000)
        wait_for_app(page)
        page.get_by_role("button", name=zh("compare.pin_current")).click()
        expect(page.get_by_role("button", name=zh("compare.unpin_current"))).to_be_enabled()
        # One notch up the learning rate in the sidebar, which a phone opens over the page.
        page.get_by_test_id("stExpandSidebarButton").click()
        slider = page.get_by_role(
            "slider", name=re.compile("^" + re.escape(zh("common.learning_rate")))
        )
        slider.focus()
        page.keyboard.press("ArrowRight")
        expect(slider).to_have_attribute("aria-valuetext", "0.1")
        wait_for_app(page)
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        train.click()
        expect(rows).to_have_count(2, timeout=90_000)
        expect(rows.last).to_contain_text(finished, timeout=90_000)
        wait_for_app(page)
        # Headers were up to ten lines (a character each), "第 2 次訓練（目前）" four.
        table = box.locator("table")
        assert problems(table, TABLE_PROBLEMS) == []
        # The table scrolls in its own box, to its last column; the page does not.
        box.locator("xpath=./div").evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        last = table.locator("th").last.bounding_box()
        assert last["x"] >= 0 and last["x"] + last["width"] <= PHONE[0], last
        main = page.locator("[data-testid='stMain']")
        assert main.evaluate("m => m.scrollWidth <= m.clientWidth")
        no_exception(page)


def test_on_a_phone_the_glossary_shows_each_terms_two_words_on_one_line(browser, app_url):
    with touch_screen(browser, *PHONE) as (_, page):
        for lang in ("en", "zh-TW"):
            tr = Translator(lang)
            first = glossary_rows(tr)[0]
            page.goto(f"{app_url}/glossary?lang={lang}")
            row = page.locator("[data-testid='stHorizontalBlock']", has_text=first.meaning).first
            row.wait_for(timeout=60_000)
            wait_for_app(page)
            # The stacked columns put the English word above the Chinese, and the header's four
            # words (English, Chinese, Meaning, Shown in) on four lines of their own.
            assert problems(row, SIDE_BY_SIDE) == [], lang
            # Drawn, and hidden: not merely missing.
            header = page.locator(".st-key-glossary_header")
            expect(header.get_by_text(tr("glossary_page.columns.meaning"))).to_be_attached()
            expect(header).to_be_hidden()
            no_exception(page)


def test_on_a_laptop_the_glossary_keeps_its_header_and_the_diagram_its_labels(page, app_url):
    page.goto(f"{app_url}/glossary?lang=en")
    header = page.locator("[data-testid='stColumn']").get_by_text("Meaning", exact=True)
    expect(header).to_be_visible(timeout=60_000)
    page.goto(f"{app_url}/backprop?lang=en")
    page.locator(".st-key-bp_network .annotation").nth(5).wait_for(timeout=60_000)
    assert problems(page, DIAGRAM_PROBLEMS) == []
