"""The two message catalogues: the same keys and placeholders, the slides' terms, Taiwan's characters."""

from __future__ import annotations

import string

import pytest

from lessons.registry import LABS
from ui.i18n import LANGUAGES, TERM, Translator, catalogue, glossary, normalize


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_exactly_the_same_keys():
    en, zh = catalogue("en"), catalogue("zh-TW")
    assert sorted(set(en) - set(zh)) == [], "keys missing in zh-TW"
    assert sorted(set(zh) - set(en)) == [], "keys missing in en"


def test_every_message_has_the_same_placeholders_in_both_languages():
    en, zh = catalogue("en"), catalogue("zh-TW")
    differ = {k: (_fields(en[k]), _fields(zh[k])) for k in en if _fields(en[k]) != _fields(zh[k])}
    assert not differ


def test_every_message_formats_with_its_own_placeholders():
    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            values = dict.fromkeys(_fields(text), 1)
            Translator(lang)(key, **values) if values else Translator(lang)(key)


def test_every_term_marker_names_a_glossary_term():
    terms = glossary()
    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            unknown = set(TERM.findall(text)) - set(terms)
            assert not unknown, (lang, key, unknown)


def test_english_lab_texts_equal_the_registry():
    tr = Translator("en")
    for lab in LABS:
        assert tr(f"labs.{lab.name}.title") == lab.title
        assert tr(f"labs.{lab.name}.heading") == lab.heading
        assert tr(f"labs.{lab.name}.blurb") == lab.blurb


def test_the_zh_tw_catalogue_has_no_simplified_characters():
    opencc = pytest.importorskip("opencc_purepy", reason="pip install -r requirements-dev.txt")
    # s2tw converts characters only. The phrase tables (s2twp) would rewrite the slides'
    # own terms, such as 激活函數 and 優化器, so they are not the check.
    converter = opencc.OpenCC("s2tw")
    texts = dict(catalogue("zh-TW"))
    for key, entry in glossary().items():
        texts[f"glossary.{key}"] = entry["zh-TW"] + " " + entry.get("meaning_zh-TW", "")
    changed = {k: v for k, v in texts.items() if converter.convert(v) != v}
    assert not changed


def test_terms_come_out_in_the_pages_language_with_the_other_on_first_hover():
    zh = Translator("zh-TW")
    assert zh.term("activation_function") == "激活函數"
    first = zh.term("activation_function", hover=True)
    assert first == '<abbr title="activation function">激活函數</abbr>'
    assert zh.term("activation_function", hover=True) == "激活函數"  # only the first time
    en = Translator("en")
    assert en.term("loss_function", hover=True) == '<abbr title="損失函數">loss function</abbr>'


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh-TW", "zh-TW"),
        ("zh-tw", "zh-TW"),
        ("zh_TW", "zh-TW"),
        ("zh-Hant", "zh-TW"),
        ("zh-CN", "zh-TW"),
        ("zh", "zh-TW"),
        ("en", "en"),
        ("en-US", "en"),
        ("fr", None),
        ("", None),
        (None, None),
        ("<script>", None),
    ],
)
def test_language_codes_from_urls_and_browsers(given, expected):
    assert normalize(given) == expected


def test_a_missing_key_falls_back_to_english_then_to_the_key():
    assert Translator("zh-TW").template("no.such.key") == "no.such.key"
