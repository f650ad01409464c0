"""Every page through the router in both languages, and a language switch that loses nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lessons.registry import LABS
from tests.apptest.helpers import progress_text, rerun_until, run_stat, set_widget
from tests.apptest.language_checks import english_words, visible_texts, without_markup
from ui.i18n import glossary

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The first view of every page in zh-TW may show fewer than this many English words
# in total (names such as ReLU, Adam or MNIST are not counted): the goal.
MAX_ENGLISH_WORDS_ZH = 100


def glossary_words(lang: str) -> set[str]:
    """Every word of the glossary's `lang` column: the glossary page shows both columns on purpose."""
    words = set()
    for entry in glossary().values():
        for text in (entry[lang], entry[f"meaning_{lang}"]):
            words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z_']+", text)}
            words |= {text}
    return words


def open_app(lang: str) -> AppTest:
    """The router (app.py) with ?lang=<lang>, run once."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def visit(at: AppTest, page: str) -> AppTest:
    """Switch to a page through the router, as a click in the navigation does."""
    at.switch_page(page).run()
    assert not at.exception, (page, at.exception)
    return at


def test_every_page_opens_in_chinese_with_under_100_english_words_in_all():
    at = open_app("zh-TW")
    per_page = {}
    for lab in LABS:
        visit(at, lab.page)
        assert at.query_params["lang"] == ["zh-TW"] or at.query_params["lang"] == "zh-TW"
        assert CJK.search(at.title[0].value), (lab.name, at.title[0].value)
        allowed = glossary_words("en") if lab.name == "glossary" else set()
        per_page[lab.name] = english_words(at, allowed=allowed)
    total = sum(len(words) for words in per_page.values())
    assert total < MAX_ENGLISH_WORDS_ZH, {k: v for k, v in per_page.items() if v}


def test_every_page_opens_in_english_with_no_chinese_but_the_slides_titles():
    at = open_app("en")
    for lab in LABS:
        visit(at, lab.page)
        slides = set(lab.slides) | {"繁體中文"}  # the language switch names itself
        if lab.name == "glossary":
            slides |= glossary_words("zh-TW")
        chinese = [
            text
            for text in visible_texts(at)
            if CJK.search(without_markup(text)) and not any(title in text for title in slides)
        ]
        assert not chinese, (lab.name, chinese[:5])


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_the_language_stays_across_page_switches(lang):
    at = open_app(lang)
    for lab in LABS:
        visit(at, lab.page)
        assert at.session_state["i18n::language"] == lang
        assert at.query_params["lang"] in (lang, [lang])
        assert bool(CJK.search(at.title[0].value)) == (lang == "zh-TW"), at.title[0].value


def test_switching_language_keeps_the_run_and_every_widget():
    at = open_app("en")
    visit(at, "pages/xor.py")
    set_widget(at, "xor_neurons", 5)
    at.run()
    at.button(key="xor_train").click()
    at.run()
    rerun_until(at, lambda: run_stat(at, "xor", lambda r: r.epoch) >= 1, "a first epoch")
    generation = at.session_state["lab_session::xor"].live.generation
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception
    assert at.slider(key="xor_neurons").value == 5
    assert at.session_state["lab_session::xor"].live.generation == generation  # the same run
    assert "訓練週期" in progress_text(at)
    assert at.title[0].value.startswith("XOR：")
    at.query_params["lang"] = "en"
    at.run()
    assert at.slider(key="xor_neurons").value == 5 and "epoch" in progress_text(at)
    assert at.session_state["lab_session::xor"].live.generation == generation


def test_a_bad_language_in_the_url_falls_back_and_is_corrected():
    at = open_app("klingon")
    assert at.session_state["i18n::language"] == "en"
    assert at.query_params["lang"] in ("en", ["en"])
