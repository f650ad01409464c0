"""AppTests for the activation-functions lab: formulas, the vanishing-gradient table, every control at its ends, in both languages."""

import json

import pytest

from lessons.activation_stats import LAB_ORDER
from tests.apptest.concept_steps import page, sweep
from tests.apptest.helpers import open_page
from tests.apptest.language_checks import english_words


def test_activation_page():
    at = page("activations")
    latex = [e.value for e in at.latex]
    assert any(r"\frac{1}{1 + e^{-x}}" in v for v in latex)  # the slides' sigmoid
    table = at.dataframe[0].value
    sigmoid = table[table["activation"] == "Sigmoid"].iloc[0]
    assert sigmoid.iloc[1] <= 0.25**10
    assert sweep(at, "slider") >= 10


def test_activation_page_explains_empty_choices():
    at = page("activations")
    at.multiselect(key="act_names").set_value([]).run()
    assert not at.exception
    assert "at least one" in at.info[0].value


def test_activation_page_every_choice_and_the_full_range():
    at = page("activations")
    table = at.dataframe[0].value
    assert len(table) == len(LAB_ORDER) and table.columns[1] == "gradient after 10 layers"
    for name in LAB_ORDER:  # each activation alone: its curve, its formula, no other
        at.multiselect(key="act_names").set_value([name]).run()
        assert not at.exception, name
        assert len(at.latex) == 2, name  # f(x) and f'(x)
    at.multiselect(key="act_names").set_value(LAB_ORDER)
    at.slider(key="act_range").set_value((-10.0, 10.0)).run()
    assert not at.exception and len(at.get("plotly_chart")) == 2
    assert not at.warning


# --- In Traditional Chinese (?lang=zh-TW) -------------------------------------------------

# GELU is a name like ReLU (language_checks.NAMES lacks it). The other words a zh-TW page
# may show come from LaTeX markup (\frac, \begin{cases}): formulas stay as they are.
NAMES_HERE = {"gelu"}


def test_activation_page_in_chinese_shows_no_english():
    at = open_page("activations", "zh-TW")
    assert english_words(at, allowed=NAMES_HERE) == []
    assert at.subheader[0].value == "方程式與導函數"
    table = at.dataframe[0].value
    assert list(table.columns[:2]) == ["激活函數", "經過 10 層後的梯度"]
    assert table.iloc[0, 0] == "Sigmoid"  # names stay
    # The slides' table headers (004): 名稱 / 方程式 / 導函數.
    headers = [e.value for e in at.markdown[1:4]]
    assert ["名稱" in headers[0], "方程式" in headers[1], "導函數" in headers[2]] == [True] * 3
    gradients = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert gradients["layout"]["yaxis"]["title"]["text"] == "傳到該層的 |梯度|"


def test_activation_page_in_chinese_after_every_interaction():
    at = open_page("activations", "zh-TW")
    at.multiselect(key="act_names").set_value([]).run()
    assert not at.exception and "至少" in at.info[0].value
    assert english_words(at, allowed=NAMES_HERE) == []
    at.multiselect(key="act_names").set_value(LAB_ORDER)
    at.slider(key="act_range").set_value((1.0, 1.0)).run()
    assert not at.exception and "x 範圍" in at.warning[0].value
    assert english_words(at, allowed=NAMES_HERE) == []
    at.slider(key="act_range").set_value((-3.0, 3.0))
    at.slider(key="act_x0").set_value(-1.0).run()  # ReLU dies: its legend says so
    traces = json.loads(at.get("plotly_chart")[1].proto.spec)["data"]
    assert any(t["name"] == "ReLU（降到 0）" for t in traces)
    assert english_words(at, allowed=NAMES_HERE) == []
    assert sweep(at, "slider") >= 10
    assert english_words(at, allowed=NAMES_HERE) == []


def test_switching_language_keeps_every_choice():
    at = page("activations")
    at.multiselect(key="act_names").set_value(["relu", "sigmoid"])
    at.slider(key="act_range").set_value((-2.0, 3.0))
    at.slider(key="act_alpha").set_value(0.3)
    at.slider(key="act_depth").set_value(20)
    at.slider(key="act_x0").set_value(-1.5)
    at.slider(key="act_weight").set_value(2.0).run()
    chosen = {
        "act_range": (-2.0, 3.0),
        "act_alpha": 0.3,
        "act_depth": 20,
        "act_x0": -1.5,
        "act_weight": 2.0,
    }
    for lang, column in (("zh-TW", "經過 20 層後的梯度"), ("en", "gradient after 20 layers")):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, lang
        assert at.multiselect(key="act_names").value == ["relu", "sigmoid"], lang
        for key, value in chosen.items():
            assert at.slider(key=key).value == pytest.approx(value), (lang, key)
        assert at.dataframe[0].value.columns[1] == column
        assert len(at.latex) == 4  # the two chosen activations' formulas, in both languages
