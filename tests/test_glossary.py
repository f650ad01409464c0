"""The glossary (ui/locales/glossary.toml): both languages, Taiwan's characters, real labs."""

from __future__ import annotations

import re

import pytest

from lessons.registry import LABS
from ui.glossary.views import by_letter, glossary_rows, search
from ui.i18n import TERM, Translator, catalogue, glossary

FIELDS = ("en", "zh-TW", "meaning_en", "meaning_zh-TW")
LAB_NAMES = {entry.name for entry in LABS}
# The keys catalogues and code were told to use before the glossary was reviewed: they must stay.
REFERENCED_KEYS = """
neural_network neuron node layer input_layer hidden_layer output_layer fully_connected perceptron
mlp weight bias activation_function derivative partial_derivative chain_rule forward_propagation
backpropagation loss_function loss mse cross_entropy gradient gradient_descent vanishing_gradient
learning_rate optimizer momentum epoch batch batch_size mini_batch regression classification
binary_classification multiclass_classification overfitting underfitting training_data
validation_data accuracy feature standardization decision_boundary confusion_matrix convolution
filter feature_map pooling max_pooling stride padding cnn dropout batchnorm weight_decay
early_stopping initialization seed dead_relu universal_approximation saturation softmax sigmoid
precision recall residual state_dict parameter loss_surface
""".split()
CJK = r"[\u3400-\u9fff]"


def _s2tw():
    """OpenCC's Simplified → Taiwan characters converter (opencc-purepy, like test_i18n)."""
    try:
        import opencc_purepy as opencc
    except ImportError:
        opencc = pytest.importorskip("opencc", reason="pip install -r requirements-dev.txt")
    return opencc.OpenCC("s2tw")


def test_every_referenced_key_is_still_there():
    assert set(REFERENCED_KEYS) <= set(glossary())


@pytest.mark.parametrize("key", list(glossary()))
def test_every_term_is_complete_in_both_languages(key):
    entry = glossary()[key]
    assert TERM.fullmatch(f"[[{key}]]"), key  # a key a catalogue text can write as [[key]]
    for field in FIELDS:
        value = entry.get(field)
        assert isinstance(value, str) and value.strip() == value and value, (key, field)
        assert "\n" not in value, (key, field)  # one line each
    labs = entry.get("labs")
    assert labs and len(set(labs)) == len(labs), key
    assert set(labs) <= LAB_NAMES, (key, set(labs) - LAB_NAMES)


@pytest.mark.parametrize("key", list(glossary()))
def test_meanings_are_sentences_with_each_languages_punctuation(key):
    entry = glossary()[key]
    assert not re.match("[a-z]", entry["meaning_en"]), key  # a sentence (or a formula) starts it
    assert entry["meaning_en"].endswith("."), key
    assert not re.search(CJK, entry["meaning_en"]), key
    zh = entry["meaning_zh-TW"]
    assert zh.endswith("。"), key
    assert re.search(CJK, zh), key
    # Full-width punctuation after Chinese text: 「，」 not 「,」 and so on.
    assert not re.search(CJK + r"[,;:!?()]", zh), (key, zh)
    assert not re.search(r"[,;:!?(]" + CJK, zh), (key, zh)


def test_no_two_terms_share_a_word():
    for field in ("en", "zh-TW"):
        words = [entry[field].casefold() for entry in glossary().values()]
        assert len(set(words)) == len(words), [w for w in set(words) if words.count(w) > 1]


def test_chinese_is_taiwan_traditional():
    s2tw = _s2tw()
    for key, entry in glossary().items():
        for field in ("zh-TW", "meaning_zh-TW"):
            assert s2tw.convert(entry[field]) == entry[field], (key, field)


def test_the_slides_words_win_over_mainland_usage():
    text = " ".join(e["zh-TW"] + e["meaning_zh-TW"] for e in glossary().values())
    # Taiwan: 資料 (not 數據), 程式 (not 程序), 網路 (not 網絡), 機率 (not 概率), 位元 (not 比特).
    for mainland in ("數據", "程序", "網絡", "概率", "比特", "信息", "質量", "默認"):
        assert mainland not in text, mainland
    assert glossary()["neural_network"]["zh-TW"] == "神經網路"
    assert glossary()["epoch"]["zh-TW"] == "訓練週期"


def test_rows_list_every_term_a_to_z_with_lab_titles_in_the_pages_language():
    for language in ("en", "zh-TW"):
        tr = Translator(language)
        rows = glossary_rows(tr)
        assert [r.key for r in rows] == sorted(
            glossary(), key=lambda k: (glossary()[k]["en"].casefold(), k)
        )
        for row in rows:
            entry = glossary()[row.key]
            assert (row.en, row.zh) == (entry["en"], entry["zh-TW"])
            assert row.meaning == entry[f"meaning_{language}"]
            assert row.other_meaning == entry[f"meaning_{tr.other}"]
            assert {link.name for link in row.labs} == set(entry["labs"])
            for link in row.labs:
                assert link.title == catalogue(language)[f"labs.{link.name}.title"]
                assert link.page == f"pages/{link.name}.py" and link.icon.startswith(":material/")
            order = [link.name for link in row.labs]
            assert order == [e.name for e in LABS if e.name in order]  # the navigation's order


def test_search_finds_either_language_and_letters_group_in_order():
    rows = glossary_rows(Translator("zh-TW"))
    assert search(rows, "") == rows
    found = {r.key for r in search(rows, "梯度")}
    assert {"gradient", "gradient_descent", "vanishing_gradient", "exploding_gradient"} <= found
    assert {r.key for r in search(rows, "  GRADIENT ")} >= {"gradient", "vanishing_gradient"}
    assert search(rows, "no such term at all") == []
    english = glossary_rows(Translator("en"))
    for query in ("梯度", "slope", "像素", "Adam"):  # the same terms in either language
        assert [r.key for r in search(english, query)] == [r.key for r in search(rows, query)]
    groups = by_letter(rows)
    assert list(groups) == sorted(groups)
    assert [r for group in groups.values() for r in group] == rows
    assert all(r.letter == letter for letter, group in groups.items() for r in group)


def test_a_glossary_of_its_own_builds_rows_without_the_file():
    terms = {
        "zeta": {
            "en": "zeta",
            "zh-TW": "澤塔",
            "meaning_en": "Z.",
            "meaning_zh-TW": "Z。",
            "labs": ["mnist", "xor"],
        },
        "alpha": {"en": "Alpha", "zh-TW": "阿法", "meaning_en": "A.", "labs": []},
    }
    rows = glossary_rows(Translator("zh-TW"), terms)
    assert [r.key for r in rows] == ["alpha", "zeta"]
    assert rows[0].meaning == "A."  # falls back to English when a meaning is missing
    assert [link.name for link in rows[1].labs] == ["xor", "mnist"]
    assert rows[1].labs[0].title == "XOR" and rows[0].letter == "A"
