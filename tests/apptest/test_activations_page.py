"""AppTests for the activation-functions lab: formulas, the vanishing-gradient table, every control at its ends."""

from lessons.activation_stats import LAB_ORDER
from tests.apptest.concept_steps import page, sweep


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
