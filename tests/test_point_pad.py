"""The point-pad wrapper: reading what a client sends, the injection hook, Clear, what the pad is given."""

import json
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.concepts.universal_approximation.point_pad import (
    MAX_POINTS,
    PadError,
    pad_error_text,
    parse_points,
    read_message,
)
from ui.i18n import Translator

X_RANGE, Y_RANGE = (-2.0, 2.0), (-10.0, 10.0)


def test_parse_accepts_pairs_and_returns_floats():
    out = parse_points([[-2, 0.5], [1.25, -10], [2.0, 10]], X_RANGE, Y_RANGE)
    assert out.dtype == float and out.shape == (3, 2)
    np.testing.assert_array_equal(out, [[-2, 0.5], [1.25, -10], [2, 10]])
    assert parse_points(np.array([[0.0, 1.0]]), X_RANGE, Y_RANGE).tolist() == [[0.0, 1.0]]


@pytest.mark.parametrize("empty", [[], np.empty((0, 2))])
def test_parse_accepts_an_empty_pad(empty):
    assert parse_points(empty, X_RANGE, Y_RANGE).shape == (0, 2)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "not a list of points"),
        (5, "not a list of points"),
        ("[[0, 1]]", "not a list of points"),
        ({"x": 0, "y": 1}, "not a list of points"),
        ([1.0, 2.0], "[x, y] pair"),
        ([[1.0, 2.0, 3.0]], "[x, y] pair"),
        ([[1.0, 2.0], [3.0]], "[x, y] pair"),
        ([[[1.0, 2.0]]], "[x, y] pair"),
        ([[]], "[x, y] pair"),
        ([[0.5, "1"]], "not a number"),
        ([["a", "b"]], "not a number"),
        ([[None, 1.0]], "not a number"),
        ([[True, 1.0]], "not a number"),
        ([[0.5, [1.0]]], "not a number"),
        ([[math.nan, 1.0]], "not a finite number"),
        ([[0.5, math.inf]], "not a finite number"),
        ([[10**400, 1.0]], "not a finite number"),
        ([[2.01, 0.0]], "outside its plane (x from -2 to 2, y from -10 to 10)"),
        ([[-3.0, 0.0]], "outside its plane"),
        ([[0.0, 10.5]], "outside its plane"),
        ([[0.0, -1e30]], "outside its plane"),
        ([[0.0, 0.0]] * (MAX_POINTS + 1), f"at most {MAX_POINTS} points"),
    ],
)
def test_parse_refuses_what_our_pad_never_sends_with_a_sentence(value, words):
    with pytest.raises(ValueError) as err:
        parse_points(value, X_RANGE, Y_RANGE)
    message = str(err.value)
    assert words in message
    assert message.endswith("so the points were left as they were.")


def test_read_message_splits_points_and_click_count():
    assert read_message({"points": [[0, 1]], "seq": 3}) == ([[0, 1]], 3)


@pytest.mark.parametrize(
    "message",
    [
        None,
        [[0, 1]],
        "x",
        {"points": []},
        {"points": [], "seq": "3"},
        {"points": [], "seq": True},
        {"points": [], "seq": -1},
        {"points": [], "seq": 1.5},
    ],
)
def test_read_message_refuses_a_message_without_a_click_count(message):
    with pytest.raises(ValueError, match="without its click count"):
        read_message(message)


def _pad_app():
    import streamlit as st

    from ui.concepts.universal_approximation.point_pad import point_pad_ui
    from ui.language import begin_page

    begin_page()  # as every page does (ui.page_header): the run's language comes from here
    # The app's one copy of the points, as a page keeps it.
    given = st.session_state.setdefault("given", [[-1.0, 0.5], [1.0, float("nan")], [1.5, -3.0]])
    out = point_pad_ui("pad", (-2.0, 2.0), (-10.0, 10.0), given)
    st.session_state["given"] = out.tolist()
    st.markdown(f"shape {out.shape}")
    st.markdown(repr(out.tolist()))


def _pad_data(at) -> dict:
    """What the pad's JavaScript is given on the latest run."""
    (pad,) = [
        e
        for e in at.main
        if type(e).__name__ == "UnknownElement"
        and getattr(e.proto, "component_name", "") == "nnlab_point_pad"
    ]
    return json.loads(pad.proto.json)


def test_pad_draws_the_given_points_but_not_a_half_typed_row():
    at = AppTest.from_function(_pad_app, default_timeout=30).run()
    assert not at.exception and not at.warning
    assert at.markdown[0].value == "shape (3, 2)"  # nothing changed: the NaN row is returned as is
    data = _pad_data(at)
    assert data["points"] == [[-1.0, 0.5], [1.5, -3.0]]
    assert data["x_range"] == [-2.0, 2.0] and data["y_range"] == [-10.0, 10.0]
    assert data["seq"] == 0
    assert at.button(key="pad_clear").label == "Clear points"


def test_injected_points_are_taken_once_and_drawn():
    at = AppTest.from_function(_pad_app, default_timeout=30).run()
    at.session_state["pad_injected"] = [[0.25, 7.5], [-2.0, -10.0]]
    at.run()
    assert not at.exception and not at.warning
    assert at.markdown[1].value == "[[0.25, 7.5], [-2.0, -10.0]]"
    assert _pad_data(at)["points"] == [[0.25, 7.5], [-2.0, -10.0]]
    assert "pad_injected" not in at.session_state  # taken once, like one click
    at.session_state["given"] = [[1.0, 1.0], [0.0, 0.0]]  # the page changed them (its table)
    at.run()
    assert at.markdown[1].value == "[[1.0, 1.0], [0.0, 0.0]]"
    assert _pad_data(at)["points"] == [[1.0, 1.0], [0.0, 0.0]]


@pytest.mark.parametrize(
    "bad",
    [[[0.0, math.nan]], [[0.0, "7"]], [[5.0, 0.0]], [[0.0, 1.0, 2.0]], "points", [[0.0, 11.0]]],
)
def test_malformed_injection_is_a_warning_and_changes_nothing(bad):
    at = AppTest.from_function(_pad_app, default_timeout=30).run()
    at.session_state["pad_injected"] = bad
    at.run()
    assert not at.exception
    assert "The point pad sent" in at.warning[0].value
    assert at.markdown[0].value == "shape (3, 2)"
    assert at.markdown[1].value == "[[-1.0, 0.5], [1.0, nan], [1.5, -3.0]]"


def test_clear_empties_the_pad():
    at = AppTest.from_function(_pad_app, default_timeout=30).run()
    at.button(key="pad_clear").click().run()
    assert not at.exception
    assert at.markdown[0].value == "shape (0, 2)"
    assert _pad_data(at)["points"] == []
    at.run()  # and stays empty: Clear is not pressed again
    assert at.markdown[0].value == "shape (0, 2)"


def test_refusals_carry_a_code_and_read_in_either_language():
    with pytest.raises(PadError) as err:
        parse_points([[2.5, 0.0]], X_RANGE, Y_RANGE)
    assert err.value.code == "outside" and err.value.params["x1"] == 2.0
    assert str(err.value) == pad_error_text(err.value)  # English by default
    zh = pad_error_text(err.value, Translator("zh-TW"))
    assert zh.startswith("點選畫板傳來了一個超出範圍的點") and "x 應在 -2 到 2 之間" in zh
    assert pad_error_text(ValueError("plain"), Translator("zh-TW")) == "plain"


def test_pad_texts_follow_the_page_language():
    at = AppTest.from_function(_pad_app, default_timeout=30)
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception
    assert at.button(key="pad_clear").label == "清除所有點"
    assert _pad_data(at)["label"].startswith("點選畫板：")
    at.session_state["pad_injected"] = "points"
    at.run()
    assert at.warning[0].value.startswith("點選畫板傳來了不該出現的資料")
    at.query_params["lang"] = "en"
    at.run()
    assert at.button(key="pad_clear").label == "Clear points"
    assert _pad_data(at)["label"].startswith("Point pad:")
    assert at.markdown[0].value == "shape (3, 2)"  # the points did not change with the language
