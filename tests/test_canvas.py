"""The drawing-pad wrapper: PNG decoding from the browser, the injection hook, Clear."""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from ui.mnist.canvas import PAD_SIZE, decode_png_data_url


def _data_url(array: np.ndarray, fmt: str = "PNG") -> str:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format=fmt)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_decode_returns_rgba_pixels():
    img = np.zeros((PAD_SIZE, PAD_SIZE, 4), np.uint8)
    img[100:180, 130:150] = (0, 0, 0, 255)
    out = decode_png_data_url(_data_url(img))
    assert out.shape == (PAD_SIZE, PAD_SIZE, 4) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, img)


def test_decode_converts_gray_to_rgba():
    out = decode_png_data_url(_data_url(np.full((50, 40), 200, np.uint8)))
    assert out.shape == (50, 40, 4)
    assert (out[..., 3] == 255).all()


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        {"png": "x"},
        "",
        "data:image/png;base64,",
        "data:image/png;base64,!!!not base64!!!",
        "data:image/png;base64," + base64.b64encode(b"not an image at all").decode(),
        "hello",
    ],
)
def test_decode_rejects_anything_else(value):
    assert decode_png_data_url(value) is None


def test_decode_refuses_huge_payloads():
    url = _data_url(np.zeros((PAD_SIZE, PAD_SIZE, 4), np.uint8))
    assert decode_png_data_url(url, max_bytes=10) is None
    # A small file that decompresses into a huge image (a "decompression bomb") is refused too.
    assert decode_png_data_url(_data_url(np.zeros((2000, 2000), np.uint8))) is None


@pytest.mark.parametrize("shape", [(1, 1, 4), (1, 280, 4), (280, 1, 4)])
def test_decode_refuses_a_one_pixel_wide_image(shape):
    # data.digits raises "too small" for it: a traceback on the page, had a client sent one.
    assert decode_png_data_url(_data_url(np.zeros(shape, np.uint8))) is None


def _pad_app():
    import numpy as np
    import streamlit as st

    from ui.mnist.canvas import draw_digit_ui

    image = draw_digit_ui("pad")
    st.markdown("none" if image is None else f"ink {int(np.asarray(image)[..., 3].sum() // 255)}")
    st.markdown(f"strokes {st.session_state.get('pad_strokes')}")


def test_pad_renders_and_returns_none_before_drawing():
    at = AppTest.from_function(_pad_app, default_timeout=30).run()
    assert not at.exception
    assert at.markdown[0].value == "none"
    assert at.button(key="pad_clear").label == "Clear"


def test_injected_drawing_is_returned_and_clear_forgets_it():
    at = AppTest.from_function(_pad_app, default_timeout=30).run()
    img = np.zeros((PAD_SIZE, PAD_SIZE, 4), np.uint8)
    img[50:60, 50:60, 3] = 255
    at.session_state["pad_injected"] = img
    at.run()
    assert at.markdown[0].value == "ink 100"
    assert at.markdown[1].value == "strokes 1"
    at.button(key="pad_clear").click().run()
    assert at.markdown[0].value == "none"
    assert at.markdown[1].value == "strokes 0"
    assert at.session_state["pad_generation"] == 1  # a fresh pad was mounted


def test_the_pad_speaks_the_session_language():
    at = AppTest.from_function(_pad_app, default_timeout=30)
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception
    assert at.button(key="pad_clear").label == "清除"
    data = json.loads(at.get("bidi_component")[0].proto.json)  # what the pad's JS receives
    assert data["label"] == "手寫板"  # its accessible name
