"""Figure builders of the activation and convolution labs (and the concept labs' shared style)."""

import numpy as np
import plotly.graph_objects as go

from lessons.activation_stats import LAB_ORDER, all_chain_gradients, autograd_curve
from lessons.convolution import SLIDE_FILTER, SLIDE_IMAGE, conv2d, maxpool_winners
from ui.concepts.activations.figures import activation_figure, layer_gradient_figure
from ui.concepts.convolution.controls import FILTERS, grid_to_frame
from ui.concepts.convolution.figures import grid_figure, images_figure, products_figure
from ui.concepts.layout import SERIES, latex_matrix
from ui.i18n import Translator, catalogue
from ui.palette import OKABE_ITO

ZH = Translator("zh-TW")


def _colors(fig: go.Figure) -> set[str]:
    return {t.line.color for t in fig.data if getattr(t, "line", None) and t.line.color}


def test_activation_figure_has_function_and_derivative_per_activation():
    curves = {n: autograd_curve(n, -3, 3, n=50) for n in LAB_ORDER}
    fig = activation_figure(curves)
    assert len(fig.data) == 2 * len(LAB_ORDER)
    sigmoid_d = [t for t in fig.data if t.name == "Sigmoid"][1]
    assert max(sigmoid_d.y) <= 0.25
    assert _colors(fig) <= set(OKABE_ITO)


def test_layer_gradient_figure_is_log_scale_and_drops_exact_zeros():
    grads = all_chain_gradients(depth=10, x0=-1.0)  # ReLU dies for negative input
    fig = layer_gradient_figure(grads)
    assert fig.layout.yaxis.type == "log"
    relu = next(t for t in fig.data if t.name.startswith("ReLU"))
    assert "reaches 0" in relu.name and np.isnan(relu.y[-1])
    bound = fig.data[-1]
    np.testing.assert_allclose(bound.y, 0.25 ** np.arange(11))


def test_the_sigmoid_bound_follows_the_weight_and_no_sigmoid_chain_beats_it():
    # With w > 1 a layer keeps up to 0.25·w: a bound of 0.25 per layer was beaten 57-fold.
    for weight in (0.5, 1.0, 1.7, 3.0):
        grads = all_chain_gradients(depth=30, x0=-0.3, weight=weight)
        bound = 0.25 * weight
        fig = layer_gradient_figure(grads, bound=bound)
        np.testing.assert_allclose(fig.data[-1].y, bound ** np.arange(31))
        assert (grads["sigmoid"] <= bound ** np.arange(31) * (1 + 1e-9)).all()
    assert "1.7" not in fig.data[-1].name and "0.75" in fig.data[-1].name


def test_conv_grid_figure_shows_every_number_and_the_window():
    result = conv2d(SLIDE_IMAGE, SLIDE_FILTER, padding=1)
    fig = grid_figure(result.padded, "image", window=(0, 1, 3, 3), padding=1)
    heat = fig.data[0]
    assert np.array(heat.z).shape == (10, 10)
    assert heat.text[1][1] == "2"  # the slides' first pixel, inside the padding
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    window = rects[-1]
    assert (window.x0, window.x1, window.y0, window.y1) == (0.5, 3.5, -0.5, 2.5)
    # The grey padding covers each padded cell once: no darker corners where bands overlap.
    grey = [r for r in rects if r.fillcolor]
    covered = np.zeros((10, 10), int)
    for r in grey:
        covered[int(r.y0 + 0.5) : int(r.y1 + 0.5), int(r.x0 + 0.5) : int(r.x1 + 0.5)] += 1
    padded = np.ones((10, 10), int)
    padded[1:-1, 1:-1] = 0
    np.testing.assert_array_equal(covered, padded)
    winners = maxpool_winners(conv2d(SLIDE_IMAGE, SLIDE_FILTER).output)
    fig = grid_figure(conv2d(SLIDE_IMAGE, SLIDE_FILTER).output, winners=winners, output=True)
    assert len(fig.layout.shapes) == winners.sum() == 9


def test_grid_to_frame_shows_whole_numbers_as_ints_only_when_exact():
    frame = grid_to_frame(np.array([[35.0, 27.0], [-2.5e13, 0.0]]))
    assert list(frame.columns) == ["1", "2"] and list(frame.index) == [1, 2]
    assert frame.iloc[1, 0] == -25_000_000_000_000 and frame.dtypes.iloc[0].kind == "i"
    # Past 2**53 an int cast prints noise (1e20 became -9223372036854775808): keep floats.
    big = grid_to_frame(np.array([[1e20, 1.0]]))
    assert big.dtypes.iloc[0].kind == "f" and big.iloc[0, 0] == 1e20
    assert grid_to_frame(np.array([[1 / 9]])).iloc[0, 0] == 0.1111


def test_products_figure_spells_out_each_product():
    fig = products_figure(SLIDE_IMAGE[:3, :3], SLIDE_FILTER)
    assert fig.data[0].text[1][2] == "4×3<br><b>12</b>"
    assert np.sum(fig.data[0].z) == 35


def test_images_figure_uses_diverging_scale_for_signed_images():
    fig = images_figure([("digit", np.ones((4, 4))), ("edges", np.array([[-1.0, 1.0]]))])
    assert len(fig.data) == 2
    assert fig.data[1].zmid == 0 and fig.data[0].zmid is None


def test_latex_matrix():
    assert latex_matrix([[1, 2], [3, 4.5]]) == r"\begin{bmatrix}1 & 2 \\ 3 & 4.5\end{bmatrix}"
    assert latex_matrix([1e-7]) == r"\begin{bmatrix}1\mathrm{e}-07\end{bmatrix}"


def test_every_activation_has_a_line_of_its_own_in_every_panel():
    # Eight activations, seven colours: GELU shares Sigmoid's blue and needs another line style.
    curves = {n: autograd_curve(n, -3, 3, n=50) for n in LAB_ORDER}
    figures = (activation_figure(curves), layer_gradient_figure(all_chain_gradients(depth=6)))
    for fig in figures:
        for axis in {t.xaxis for t in fig.data}:
            lines = [
                (t.line.color, t.line.dash, t.marker.symbol)
                for t in fig.data
                if t.xaxis == axis and t.line.color in OKABE_ITO
            ]
            assert len(lines) == len(LAB_ORDER) and len(set(lines)) == len(lines), lines


def test_series_colors_come_from_the_palette():
    assert set(SERIES) <= set(OKABE_ITO)


def test_activation_figures_in_chinese():
    curves = {n: autograd_curve(n, -3, 3, n=50) for n in ("sigmoid", "relu")}
    fig = activation_figure(curves, tr=ZH)
    texts = [a.text for a in fig.layout.annotations]
    assert texts[:2] == ["函數圖 f(x)", "導函數 f′(x)（由 torch.autograd 算出）"]
    assert "0.25 = Sigmoid 的最大斜率" in texts
    assert [t.name for t in fig.data][::2] == ["Sigmoid", "ReLU"]  # names stay
    fig = layer_gradient_figure(all_chain_gradients(depth=5, x0=-1.0), tr=ZH)
    assert fig.layout.yaxis.title.text == "傳到該層的 |梯度|"
    assert fig.layout.xaxis.title.text == "梯度往回傳過的層數"
    assert any(t.name == "ReLU（降到 0）" for t in fig.data)
    assert fig.data[-1].name == "(0.25·|w|)ˡ = 0.25ˡ（這個 w 下 Sigmoid 的最佳情況）"


def test_convolution_figures_in_chinese():
    fig = grid_figure(SLIDE_IMAGE, "影像", tr=ZH)
    assert fig.data[0].hovertemplate == "第 %{y} 列、第 %{x} 欄：%{text}<extra></extra>"
    fig = products_figure(SLIDE_IMAGE[:3, :3], SLIDE_FILTER, tr=ZH)
    assert fig.data[0].hovertemplate.startswith("第 %{y} 列")
    fig = images_figure([("數字 7", np.ones((4, 4)))], tr=ZH)
    assert fig.data[0].hovertemplate == "第 %{y} 列、第 %{x} 欄：%{z:.2f}<extra></extra>"
    # English stays the default for every builder.
    assert grid_figure(SLIDE_IMAGE).data[0].hovertemplate.startswith("row %{y}, column %{x}")


def test_every_preset_filter_has_a_name_in_both_languages():
    for lang in ("en", "zh-TW"):
        names = catalogue(lang)
        assert all(f"convolution.filters.{name}" in names for name in FILTERS), lang
    assert all(Translator("en")(f"convolution.filters.{n}") == n for n in FILTERS)
    assert ZH("convolution.filters.Slides' filter") == "投影片的濾波器"
