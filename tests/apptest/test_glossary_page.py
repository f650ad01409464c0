"""AppTests for the glossary page: every term in both languages, its meaning and its labs."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from lessons.registry import LABS
from tests.apptest.helpers import ROOT
from tests.apptest.language_checks import WORD, english_words
from ui.i18n import catalogue, glossary

LAB_NAMES = {entry.name for entry in LABS}
# On the zh-TW page the English column shows the glossary's English words on purpose.
ENGLISH_COLUMN = {w.lower() for e in glossary().values() for w in WORD.findall(e["en"])}
# "Python" is in a deck's title (「用 Python 快速實現深層學習」, in the slides' own words), and
# a page opened without the router links its labs by URL path (./backprop), which is not shown.
ALLOWED = ENGLISH_COLUMN | {"python"} | LAB_NAMES


def _open(language: str, script: str = "pages/glossary.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.query_params["lang"] = language
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _count(at: AppTest) -> str:
    return at.caption[-1].value


def test_every_term_is_listed_in_both_languages_with_its_meaning_and_labs():
    for language in ("en", "zh-TW"):
        at = _open(language)
        assert at.title[0].value == catalogue(language)["labs.glossary.heading"]
        text = _shown(at)
        own = "en" if language == "en" else "zh-TW"
        for key, entry in glossary().items():
            assert f"**{entry[own]}**" in text, (language, key)
            other = entry["zh-TW" if own == "en" else "en"]
            assert other in text, (language, key)
            assert entry[f"meaning_{language}"] in text, (language, key)
            for name in entry["labs"]:  # opened without the router: links by URL path
                title = catalogue(language)[f"labs.{name}.title"]
                assert f"[{title}](./{name})" in text, (language, key, name)
        total = len(glossary())
        assert str(total) in _count(at)


def test_zh_tw_page_shows_no_english_but_the_english_column():
    at = _open("zh-TW")
    assert english_words(at, allowed=ALLOWED) == []
    for header in ("英文", "中文", "說明", "出現的實驗"):
        assert f"**{header}**" in _shown(at)


def test_search_filters_in_either_language_and_survives_a_language_switch():
    at = _open("zh-TW")
    at.text_input(key="glossary_search").set_value("梯度").run()
    assert not at.exception
    text = _shown(at)
    for key in ("gradient", "gradient_descent", "vanishing_gradient", "exploding_gradient"):
        assert f"**{glossary()[key]['zh-TW']}**" in text, key
    assert "**準確率**" not in text
    shown = _count(at)
    assert english_words(at, allowed=ALLOWED) == []

    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.text_input(key="glossary_search").value == "梯度"
    assert "**gradient**" in _shown(at) and "**accuracy**" not in _shown(at)
    assert sorted(re.findall(r"\d+", shown)) == sorted(re.findall(r"\d+", _count(at)))

    at.text_input(key="glossary_search").set_value("no such term").run()
    assert "No term matches" in at.info[0].value
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert at.info[0].value.startswith("找不到符合「no such term」的術語")
    assert english_words(at, allowed=ALLOWED | {"such", "term"}) == []  # the student's own query


def test_through_the_router_every_lab_is_a_page_link():
    at = _open("zh-TW", "app.py")
    at.switch_page("pages/glossary.py")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == catalogue("zh-TW")["labs.glossary.heading"]
    links = at.get("page_link")
    assert len(links) == sum(len(e["labs"]) for e in glossary().values())
    titles = {catalogue("zh-TW")[f"labs.{name}.title"]: name for name in LAB_NAMES}
    for link in links:
        assert link.proto.page in LAB_NAMES, link.proto.page
        assert titles[link.proto.label] == link.proto.page
        assert link.proto.page_script_hash
