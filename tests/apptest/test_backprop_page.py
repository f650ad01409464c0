"""AppTests for the backprop lab: steps lower the loss, every input at its ends, kinks and bad targets."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lessons.activation_stats import LAB_ORDER
from lessons.backprop import OUTPUTS
from tests.apptest.concept_steps import ROOT, TIMEOUT, page, sweep
from tests.apptest.helpers import open_page
from tests.apptest.language_checks import english_words


def test_backprop_step_lowers_the_loss():
    at = page("backprop")
    assert "match torch.autograd" in at.success[0].value
    before = float(at.metric[0].value)
    at.button(key="bp_step").click().run()
    after = float(at.metric[0].value)
    assert not at.exception and after < before
    at.button(key="bp_step10").click().run()
    assert float(at.metric[0].value) < after
    assert at.number_input(key="bp_w11").value != 0.15  # the update was written back
    at.button(key="bp_reset").click().run()
    assert float(at.metric[0].value) == pytest.approx(before)


def test_backprop_sliders_and_bad_inputs():
    at = page("backprop")
    assert sweep(at, "slider") == 2
    at.selectbox(key="bp_output").set_value("sigmoid").run()
    at.number_input(key="bp_y").set_value(3.0).run()
    assert not at.exception
    assert "between 0 and 1" in at.error[0].value
    at.number_input(key="bp_y").set_value(1.0).run()
    at.slider(key="bp_lr").set_value(2.0).run()
    at.number_input(key="bp_w11").set_value(1e5).run()
    for _ in range(3):
        at.button(key="bp_step10").click().run()
    assert not at.exception


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_backprop_number_inputs_at_their_ends_stay_finite_and_match_autograd(output):
    at = page("backprop")
    at.selectbox(key="bp_output").set_value(output)
    inputs = [w.key for w in at.number_input]
    assert len(inputs) == 12  # x₁, x₂, y and the nine weights
    for activation in LAB_ORDER:
        at.selectbox(key="bp_act").set_value(activation)
        for end in ("max", "min"):
            for key in inputs:
                w = at.number_input(key=key)
                w.set_value(w.max if end == "max" else w.min)
            if output == "sigmoid":  # the target is a probability there
                at.number_input(key="bp_y").set_value(1.0 if end == "max" else 0.0)
            at.run()
            assert not at.exception, (activation, end, at.exception)
            assert np.isfinite(float(at.metric[0].value)), (activation, end)
            assert "match torch.autograd" in at.success[0].value, (activation, end)
    assert at.number_input(key="bp_w11").max == 1e6  # a typed 1e308 cannot get in
    at.button(key="bp_step").click().run()
    assert not at.exception
    if output == "linear":  # GELU, all weights -1e6, x = -10: ŷ is about -4e13, far from y
        assert at.warning and "ran away" in at.warning[0].value


def test_backprop_explains_a_kink_with_the_slope_pytorch_takes():
    at = page("backprop")
    at.selectbox(key="bp_act").set_value("leaky_relu")
    for key in ("bp_w11", "bp_w12", "bp_w21", "bp_w22", "bp_b1", "bp_b2"):
        at.number_input(key=key).set_value(0.0)  # Z1 = [0, 0]: both units on the kink
    at.run()
    assert not at.exception and not at.success
    assert "Leaky ReLU's kink" in at.info[0].value and "takes it as α" in at.info[0].value
    at.number_input(key="bp_b1").set_value(0.1).run()
    at.number_input(key="bp_b2").set_value(-0.1).run()
    assert "match torch.autograd" in at.success[0].value


def test_backprop_weights_survive_a_page_switch():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/backprop.py").run()
    at.button(key="bp_step10").click().run()
    trained = at.number_input(key="bp_w11").value
    assert not at.exception and trained != 0.15
    at.switch_page("pages/optimizers.py").run()
    at.switch_page("pages/backprop.py").run()
    assert not at.exception
    assert at.number_input(key="bp_w11").value == pytest.approx(trained)


# The slides' section title in the page header ("反向傳遞 (Backward propagation)"), and
# GELU, a name like ReLU.
ZH_ALLOWED = {"propagation", "gelu"}


def test_backprop_in_zh_tw_shows_no_english():
    at = open_page("backprop", "zh-TW")
    assert english_words(at, allowed=ZH_ALLOWED) == []
    assert "一致" in at.success[0].value
    assert at.metric[0].label == "損失 L"
    at.button(key="bp_step").click().run()
    at.button(key="bp_step10").click().run()
    assert not at.exception and english_words(at, allowed=ZH_ALLOWED) == []
    at.selectbox(key="bp_output").set_value("sigmoid").run()
    assert not at.exception and english_words(at, allowed=ZH_ALLOWED) == []
    assert at.selectbox(key="bp_output").options == [
        "線性輸出，L = ½(ŷ − y)²",
        "Sigmoid 輸出，二元交叉熵",
    ]


def test_backprop_in_zh_tw_explains_a_kink_and_a_runaway_step():
    at = open_page("backprop", "zh-TW")
    at.selectbox(key="bp_act").set_value("leaky_relu")
    for key in ("bp_w11", "bp_w12", "bp_w21", "bp_w22", "bp_b1", "bp_b2"):
        at.number_input(key=key).set_value(0.0)
    at.run()
    assert not at.exception and "轉折點" in at.info[0].value and "α" in at.info[0].value
    assert english_words(at, allowed=ZH_ALLOWED) == []
    at.selectbox(key="bp_act").set_value("gelu")
    at.number_input(key="bp_x1").set_value(-10.0)
    at.number_input(key="bp_x2").set_value(-10.0)
    for key in ("bp_w11", "bp_w12", "bp_w21", "bp_w22", "bp_b1", "bp_b2", "bp_v1", "bp_v2"):
        at.number_input(key=key).set_value(-1e6)
    at.run()
    at.button(key="bp_step").click().run()
    assert not at.exception
    assert "發散" in at.warning[0].value and english_words(at, allowed=ZH_ALLOWED) == []


def test_backprop_switching_language_keeps_the_weights_and_the_loss_history():
    at = page("backprop")
    at.button(key="bp_step10").click().run()
    trained = at.number_input(key="bp_w11").value
    loss = at.metric[0].value
    history = _losses(at)
    assert len(history) == 11
    for lang, label in (("zh-TW", "損失 L"), ("en", "Loss L")):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert at.metric[0].label == label
        assert at.number_input(key="bp_w11").value == pytest.approx(trained)
        assert at.metric[0].value == loss and _losses(at) == history


def _losses(at: AppTest) -> list[float]:
    """The points of the loss-history chart (the one after the network diagram)."""
    return json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]["y"]
