"""AppTests for the convolution lab: the slides' example, every control at its ends, bad cells and
sizes, in both languages."""

import json

import numpy as np

from lessons.convolution import CLASSIC_KERNELS
from lessons.registry import lab
from tests.apptest.concept_steps import (
    chart_is_finite,
    choose_each,
    edit,
    page,
    sweep,
)
from tests.apptest.helpers import open_page
from tests.apptest.language_checks import WORD, english_words
from ui.concepts.convolution.controls import FILTERS, MNIST_DIGITS, RANDOM_IMAGE, SLIDES_IMAGE


def test_convolution_page_opens_on_the_slides_example():
    at = page("convolution")
    feature_map, pooled = (t.value.to_numpy() for t in at.table)
    assert feature_map.shape == (6, 6)
    np.testing.assert_array_equal(feature_map[0], [35, 27, 44, 32, 36, 38])
    np.testing.assert_array_equal(pooled, [[36, 44, 43], [37, 26, 35], [38, 34, 40]])
    assert any("= 6" in e.value for e in at.latex)  # output-size formula
    assert any("= 35" in e.value for e in at.latex)  # the first window's products
    # Row numbers are shown: the caption sends students to "row 2, column 4".
    assert [t.proto.hide_index for t in at.table] == [False, False]
    assert list(at.table[0].value.index) == [1, 2, 3, 4, 5, 6]


def test_convolution_page_sliders():
    at = page("convolution")
    assert sweep(at, "slider") >= 10


def test_convolution_page_bad_cell_and_oversized_filter():
    at = page("convolution")
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


def test_convolution_page_refuses_huge_numbers_with_a_sentence():
    at = page("convolution")
    edit(at, "conv_image_slides", {0: {"2": 1e20}})
    assert not at.exception
    assert "row 1, column 2 of the image is too large" in at.error[0].value
    assert not at.table  # 1e20 used to reach the table as -9223372036854775808
    edit(at, "conv_image_slides", {})
    edit(at, "conv_filter_Slides' filter", {2: {"3": 1e6}})  # the largest allowed weight
    assert not at.exception and not at.error
    # The weight 2 at row 3, column 3 meets the image's 1 there: 35 - 2·1 + 10⁶·1.
    assert at.table[0].value.iloc[0, 0] == 35 - 2 + 10**6


def test_convolution_page_stride_past_the_image_and_large_padding():
    at = page("convolution")
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


def test_convolution_page_every_preset_filter_and_digit():
    at = page("convolution")
    choose_each(at, "selectbox", "conv_filter_preset", FILTERS)
    choose_each(at, "selectbox", "conv_mnist_filter", CLASSIC_KERNELS)
    at.checkbox(key="conv_mnist_pool").uncheck().run()
    assert not at.exception
    for index in (1, MNIST_DIGITS):
        at.slider(key="conv_mnist_index").set_value(index).run()
        assert not at.exception and chart_is_finite(at.get("plotly_chart")[-1])
    choose_each(at, "selectbox", "conv_image_preset", [SLIDES_IMAGE, RANDOM_IMAGE])
    for size in (3, 10):  # the random image's size slider, at both ends
        at.slider(key="conv_image_size").set_value(size).run()
        assert not at.exception and at.table[0].value.shape == (size - 2, size - 2)


def test_convolution_page_last_step_shows_the_products_of_the_last_window():
    at = page("convolution")
    at.slider(key="conv_step_6x6").set_value(36).run()
    assert not at.exception
    # Row 6, column 6 of the feature map is 40 (the slides' bottom-right number).
    assert any(
        r"\text{output}[6,6] =" in e.value and e.value.strip("$\n").endswith("= 40")
        for e in at.latex
    )


# --- In Traditional Chinese (?lang=zh-TW) -------------------------------------------------

# The page header quotes the slides' own deck and section titles as they are, and those are
# partly English ("CNN：Convolutional Layer、max-pooling layer"); LaTeX markup (\frac,
# \lfloor, \text) is no text either. Every other word on a zh-TW page must be Chinese.
SLIDE_WORDS = {w.lower() for title in lab("convolution").slides for w in WORD.findall(title)}


def _chart_titles(at) -> list[str]:
    out = []
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        title = layout.get("title") or {}
        out.append(title.get("text", "") if isinstance(title, dict) else str(title))
        out += [a["text"] for a in layout.get("annotations", [])]  # subplot titles
    return out


def test_convolution_page_in_chinese_shows_no_english():
    at = open_page("convolution", "zh-TW")
    assert english_words(at, allowed=SLIDE_WORDS) == []
    assert any(e.value.strip("$\n").startswith(r"\text{列數} = ") for e in at.latex)
    assert any(r"\text{輸出}[1,1] =" in e.value for e in at.latex)
    assert at.selectbox(key="conv_filter_preset").options[0] == "投影片的濾波器"
    assert at.selectbox(key="conv_image_preset").value == SLIDES_IMAGE  # values stay
    assert "每個池化區塊選出的代表（加框的格子）" in _chart_titles(at)
    assert {"特徵圖", "2×2 最大池化"} <= set(_chart_titles(at))
    assert "內積" in at.markdown[0].value  # the slides' word for the sum of products


def test_convolution_page_in_chinese_after_every_interaction():
    at = open_page("convolution", "zh-TW")
    # Each slider at its min, as the English sweep leaves them (which also runs every max).
    assert sweep(at, "slider", ends=("min",)) >= 5
    assert english_words(at, allowed=SLIDE_WORDS) == []
    choose_each(at, "selectbox", "conv_filter_preset", FILTERS)
    choose_each(at, "selectbox", "conv_mnist_filter", CLASSIC_KERNELS)
    assert english_words(at, allowed=SLIDE_WORDS) == []
    at.checkbox(key="conv_mnist_pool").uncheck().run()
    at.selectbox(key="conv_image_preset").set_value(RANDOM_IMAGE).run()
    at.slider(key="conv_image_size").set_value(3).run()
    at.selectbox(key="conv_filter_preset").set_value("Gaussian blur 5×5").run()
    assert not at.exception and at.error  # the filter does not fit: said in an error box
    at.selectbox(key="conv_filter_preset").set_value("Slides' filter").run()
    at.slider(key="conv_padding").set_value(1).run()
    assert not at.exception
    assert english_words(at, allowed=SLIDE_WORDS) == []


def test_switching_language_keeps_every_choice_and_edit():
    at = page("convolution")
    edit(at, "conv_image_slides", {0: {"1": 9}})  # the slides' first pixel, 2 -> 9
    at.selectbox(key="conv_filter_preset").set_value("Sharpen")
    at.slider(key="conv_padding").set_value(1)
    at.slider(key="conv_pool").set_value(3).run()
    at.slider(key="conv_step_8x8").set_value(10)
    at.slider(key="conv_mnist_index").set_value(42)
    at.selectbox(key="conv_mnist_filter").set_value("Box blur 3×3")
    at.checkbox(key="conv_mnist_pool").uncheck().run()
    assert not at.exception
    before = at.table[0].value.to_numpy()
    for lang in ("zh-TW", "en"):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, lang
        assert at.selectbox(key="conv_filter_preset").value == "Sharpen", lang
        assert at.selectbox(key="conv_mnist_filter").value == "Box blur 3×3", lang
        assert at.slider(key="conv_padding").value == 1 and at.slider(key="conv_pool").value == 3
        assert at.slider(key="conv_step_8x8").value == 10, lang
        assert at.slider(key="conv_mnist_index").value == 42, lang
        assert at.checkbox(key="conv_mnist_pool").value is False, lang
        np.testing.assert_array_equal(at.table[0].value.to_numpy(), before)  # the edit stays
    assert any(r"\text{output}[2,2] =" in e.value for e in at.latex)
