"""Streamlit's own words in the page's language: the file uploader (and a sentence for a refused file), the Stop button.

Streamlit refuses a file of the wrong type or size in the browser, so the server never sees it;
only the style `ui.uploader` sends can say so. This checks that its selectors still match the
pinned Streamlit's page.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_labs import no_exception
from ui.i18n import Translator
from ui.your_data.upload import TABLE_MAX_MB, UPLOAD_KEY

pytestmark = pytest.mark.e2e

BOX = f".st-key-{UPLOAD_KEY}_box"
BUTTON_WORDS = (
    f"{BOX} [data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
)
LIMIT_LINE = f"{BOX} [data-testid='stFileUploaderDropzoneInstructions'] span"
UPLOADER = f"{BOX} [data-testid='stFileUploader']"


def _after(page, selector: str) -> str:
    """The text of `selector`'s ::after, as the browser computed it ("none" when there is none)."""
    return page.eval_on_selector(selector, "e => getComputedStyle(e, '::after').content")


@pytest.mark.parametrize("language", ["zh-TW", "en"])
def test_the_uploader_speaks_the_page_language_and_says_when_it_refuses_a_file(
    page, app_url, tmp_path, language
):
    tr = Translator(language)
    kinds = tr("common.uploader.type_separator").join(["CSV", "TXT", "TSV"])
    page.goto(f"{app_url}/your_data?lang={language}")
    page.locator(BUTTON_WORDS).wait_for(timeout=60_000)

    assert _after(page, BUTTON_WORDS) == f'"{tr("common.uploader.button")}"'
    assert (
        _after(page, LIMIT_LINE) == f'"{tr("common.uploader.limit", mb=TABLE_MAX_MB, kinds=kinds)}"'
    )
    # Streamlit's own English words are still in the page, but take no room.
    assert page.eval_on_selector(BUTTON_WORDS, "e => getComputedStyle(e).fontSize") == "0px"
    assert page.eval_on_selector(LIMIT_LINE, "e => getComputedStyle(e).fontSize") == "0px"
    if language == "zh-TW":
        assert _after(page, BUTTON_WORDS) == '"上傳"'
    assert _after(page, UPLOADER) == "none"  # no file, nothing refused

    sheet = tmp_path / "grades.xlsx"  # a spreadsheet, not a CSV: the browser refuses it
    sheet.write_bytes(b"PK\x03\x04" + bytes(200))
    page.locator(f"{BOX} input[type='file']").set_input_files(str(sheet))
    page.locator(f"{BOX} [data-testid='stFileChipIconError']").wait_for(timeout=30_000)
    refused = tr("common.uploader.refused", mb=TABLE_MAX_MB, kinds=kinds)
    assert _after(page, UPLOADER) == f'"{refused}"'
    assert page.locator(UPLOADER).evaluate("e => getComputedStyle(e, '::after').display") == "block"
    no_exception(page)


def test_streamlits_stop_button_speaks_the_page_language(page, app_url):
    # The one English word a teacher found on a zh-TW page while a run trained.
    page.goto(f"{app_url}/xor?lang=zh-TW&epochs=2000&batch=1&n_per_corner=50")
    train = page.get_by_role("button", name="訓練", exact=True)
    train.wait_for(timeout=60_000)
    train.click()
    # The button comes and goes with each of the live view's runs: read it the moment it is there.
    shown = page.wait_for_function(
        """() => {
            const b = document.querySelector('[data-testid="stStatusWidget"] button');
            return b && [getComputedStyle(b, '::after').content, getComputedStyle(b).fontSize];
        }""",
        timeout=60_000,
        polling=20,
    ).json_value()
    assert shown == ['"停止"', "0px"]
    page.get_by_role("button", name="暫停", exact=True).click()
    no_exception(page)
