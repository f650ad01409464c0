"""AppTests for the activation-functions lab: formulas, the vanishing-gradient table, every control at its ends."""

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
