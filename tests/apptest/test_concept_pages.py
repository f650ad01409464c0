"""AppTests for the concept labs: each page loads, survives every slider extreme, and
answers bad input with a message instead of a traceback."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT = 60
# AppTest resolves relative paths against this file, so anchor on the repository root.
PAGES = Path(__file__).resolve().parents[2] / "pages"


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _number(label: str):
    try:
        return float(label)
    except ValueError:
        return label


def _sweep(at: AppTest, kind: str) -> int:
    """Set every slider (or select_slider) of the page to its max, then its min; no run may raise.

    Max first so each widget is left at its cheap end (e.g. 10 optimizer steps, not 1000)
    while the next one is swept.
    """
    widgets = getattr(at, kind)
    swept = 0
    for i in range(len(widgets)):
        for end in ("max", "min"):
            widgets = getattr(at, kind)
            if i >= len(widgets):
                break
            w = widgets[i]
            if kind == "slider":
                value = w.min if end == "min" else w.max
                if isinstance(w.value, (tuple, list)):  # a range slider: both handles at one end
                    value = [value, value]
            else:
                # .options holds the formatted labels; the widget wants the option values.
                value = _number(w.options[0] if end == "min" else w.options[-1])
            w.set_value(value).run()
            assert not at.exception, f"{kind} {w.label!r} = {value}: {at.exception}"
            swept += 1
    return swept


def test_activation_page():
    at = _page("activations")
    latex = [e.value for e in at.latex]
    assert any(r"\frac{1}{1 + e^{-x}}" in v for v in latex)  # the slides' sigmoid
    table = at.dataframe[0].value
    sigmoid = table[table["activation"] == "Sigmoid"].iloc[0]
    assert sigmoid.iloc[1] <= 0.25**10
    assert _sweep(at, "slider") >= 10


def test_activation_page_explains_empty_choices():
    at = _page("activations")
    at.multiselect(key="act_names").set_value([]).run()
    assert not at.exception
    assert "at least one" in at.info[0].value


def test_convolution_page_opens_on_the_slides_example():
    at = _page("convolution")
    feature_map, pooled = (t.value.to_numpy() for t in at.table)
    assert feature_map.shape == (6, 6)
    np.testing.assert_array_equal(feature_map[0], [35, 27, 44, 32, 36, 38])
    np.testing.assert_array_equal(pooled, [[36, 44, 43], [37, 26, 35], [38, 34, 40]])
    assert any("= 6" in e.value for e in at.latex)  # output-size formula
    assert any("= 35" in e.value for e in at.latex)  # the first window's products


def test_convolution_page_sliders():
    at = _page("convolution")
    assert _sweep(at, "slider") >= 10


def test_convolution_page_bad_cell_and_oversized_filter():
    at = _page("convolution")
    at.session_state["conv_image_slides"] = {
        "edited_rows": {2: {"4": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "row 3, column 4 of the image" in at.error[0].value
    at.selectbox(key="conv_image_preset").set_value("Random digits").run()
    at.slider(key="conv_image_size").set_value(3).run()
    at.selectbox(key="conv_filter_preset").set_value("Gaussian blur 5×5").run()
    assert not at.exception
    assert "bigger than the 3×3 padded image" in at.error[0].value
    at.slider(key="conv_padding").set_value(1).run()  # now it fits once: a 1×1 map
    assert not at.exception
    assert "pooling window is bigger than the 1×1 feature map" in at.error[0].value
    at.slider(key="conv_pool").set_value(1).run()
    assert not at.exception and not at.error


def _edit(at: AppTest, key: str, edited_rows: dict) -> None:
    """Edit cells of a data_editor the way the browser reports it, then rerun."""
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.run()


def test_convolution_page_refuses_huge_numbers_with_a_sentence():
    at = _page("convolution")
    _edit(at, "conv_image_slides", {0: {"2": 1e20}})
    assert not at.exception
    assert "row 1, column 2 of the image is too large" in at.error[0].value
    assert not at.table  # 1e20 used to reach the table as -9223372036854775808
    _edit(at, "conv_image_slides", {})
    _edit(at, "conv_filter_Slides' filter", {2: {"3": 1e6}})  # the largest allowed weight
    assert not at.exception and not at.error
    # The weight 2 at row 3, column 3 meets the image's 1 there: 35 - 2·1 + 10⁶·1.
    assert at.table[0].value.iloc[0, 0] == 35 - 2 + 10**6


def test_convolution_page_stride_past_the_image_and_large_padding():
    at = _page("convolution")
    at.slider(key="conv_stride").set_value(8).run()
    assert not at.exception
    assert any(r"{8 + 2\cdot0 - 3}{8}" in e.value and "= 1" in e.value for e in at.latex)
    assert at.table[0].value.shape == (1, 1)
    assert "bigger than the 1×1 feature map" in at.error[0].value  # 2×2 pooling cannot fit
    at.slider(key="conv_stride").set_value(1).run()
    at.slider(key="conv_padding").set_value(4).run()
    assert not at.exception and not at.error
    feature_map = at.table[0].value.to_numpy()
    assert feature_map.shape == (14, 14) and feature_map[0, 0] == 0  # a window of only zeros


def test_backprop_step_lowers_the_loss():
    at = _page("backprop")
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
    at = _page("backprop")
    assert _sweep(at, "slider") == 2
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


def test_backprop_number_inputs_at_their_ends_stay_finite_and_match_autograd():
    at = _page("backprop")
    inputs = [w.key for w in at.number_input]
    assert len(inputs) == 12  # x₁, x₂, y and the nine weights
    for activation in ("sigmoid", "relu"):
        at.selectbox(key="bp_act").set_value(activation)
        for end in ("max", "min"):
            for key in inputs:
                w = at.number_input(key=key)
                w.set_value(w.max if end == "max" else w.min)
            at.run()
            assert not at.exception, (activation, end, at.exception)
            assert np.isfinite(float(at.metric[0].value)), (activation, end)
            assert "match torch.autograd" in at.success[0].value, (activation, end)
    assert at.number_input(key="bp_w11").max == 1e6  # a typed 1e308 cannot get in
    at.button(key="bp_step").click().run()
    assert not at.exception and "ran away" in at.warning[0].value


def test_backprop_explains_a_kink_with_the_slope_pytorch_takes():
    at = _page("backprop")
    at.selectbox(key="bp_act").set_value("leaky_relu")
    for key in ("bp_w11", "bp_w12", "bp_w21", "bp_w22", "bp_b1", "bp_b2"):
        at.number_input(key=key).set_value(0.0)  # Z1 = [0, 0]: both units on the kink
    at.run()
    assert not at.exception and not at.success
    assert "Leaky ReLU's kink" in at.info[0].value and "takes it as α" in at.info[0].value
    at.number_input(key="bp_b1").set_value(0.1).run()
    at.number_input(key="bp_b2").set_value(-0.1).run()
    assert "match torch.autograd" in at.success[0].value


def test_optimizer_page():
    at = _page("optimizers")
    assert len(at.get("plotly_chart")) == 2
    assert _sweep(at, "slider") >= 6
    assert _sweep(at, "select_slider") >= 6
    at.selectbox(key="opt_surface").set_value("Rosenbrock").run()
    at.select_slider(key="opt_lr_Rosenbrock_sgd").set_value(1.0).run()
    assert not at.exception
    assert "smaller learning rate" in at.warning[0].value
    at.multiselect(key="opt_names").set_value([]).run()
    assert not at.exception and "at least one" in at.info[0].value


def test_universal_approximation_trains_a_short_run():
    at = _page("universal_approximation")
    assert _sweep(at, "slider") >= 4
    assert _sweep(at, "select_slider") >= 6
    at.button(key="ua_train").click().run()
    for _ in range(2):
        at.run()
    assert not at.exception
    assert "epoch" in at.get("progress")[0].proto.text
    state = at.session_state["lab_state::ua"]
    assert state.run is not None and state.run.step > 0
    losses = [row["train_loss"] for row in state.run.history.epochs]
    assert len(losses) >= 2 and losses[-1] < losses[0]
    at.button(key="ua_compare").click().run()
    assert not at.exception
    runs = at.session_state["ua_compare_state"]["runs"]
    assert sorted(runs) == [1, 2, 4, 8, 16, 32] and all(r.step > 0 for r in runs.values())


def test_universal_approximation_points_need_numbers():
    at = _page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    assert not at.exception and not at.error
    at.session_state["ua_points"] = {
        "edited_rows": {0: {"x": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "fill in or delete" in at.error[0].value


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"deleted_rows": [0, 1, 2, 3, 4, 5]}, "at least two points"),
        ({"deleted_rows": [0, 1, 2, 3, 4]}, "at least two points"),
        ({"edited_rows": {1: {"x": -1.8}}}, "share the same x"),
        ({"edited_rows": {1: {"y": 1e30}}}, "y between -100 and 100"),
        ({"added_rows": [{"x": 0.5}]}, "fill in or delete"),
    ],
)
def test_universal_approximation_bad_points_read_as_sentences(edit, message):
    at = _page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **edit,
    }
    at.run()
    assert not at.exception
    assert message in at.error[0].value
    assert "ua_train" not in [b.key for b in at.button]  # nothing to train on


def test_universal_approximation_trains_on_two_points():
    at = _page("universal_approximation")
    at.radio(key="ua_target").set_value("points").run()
    at.session_state["ua_points"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [0, 1, 2, 3],
    }
    at.run()
    at.button(key="ua_train").click().run()
    for _ in range(2):
        at.run()
    assert not at.exception and not at.error
    run = at.session_state["lab_state::ua"].run
    assert len(run.dataset.X_train) == 2 and run.step > 0


def test_backprop_weights_survive_a_page_switch():
    at = AppTest.from_file(str(PAGES.parent / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/backprop.py").run()
    at.button(key="bp_step10").click().run()
    trained = at.number_input(key="bp_w11").value
    assert not at.exception and trained != 0.15
    at.switch_page("pages/optimizers.py").run()
    at.switch_page("pages/backprop.py").run()
    assert not at.exception
    assert at.number_input(key="bp_w11").value == pytest.approx(trained)


def test_universal_approximation_huge_learning_rate_is_reported_not_raised():
    at = _page("universal_approximation")
    at.select_slider(key="ua_lr").set_value(10.0).run()
    at.select_slider(key="ua_batch").set_value(256).run()
    at.button(key="ua_train").click().run()
    for _ in range(3):
        at.run()
    assert not at.exception
