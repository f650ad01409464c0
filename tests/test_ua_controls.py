"""The universal-approximation lab's point pad axis: tall enough for the points, no taller."""

import numpy as np

from lessons.universal_approximation import DEFAULT_POINTS, TARGET_LABELS, Y_LIMIT
from ui.concepts.universal_approximation.controls import PAD_Y_HALF, pad_y_range, target_label
from ui.i18n import Translator


def test_the_default_points_get_the_standard_axis():
    assert pad_y_range(np.asarray(DEFAULT_POINTS, dtype=float)) == (-PAD_Y_HALF, PAD_Y_HALF)
    assert pad_y_range(np.empty((0, 2))) == (-PAD_Y_HALF, PAD_Y_HALF)


def test_a_typed_point_outside_it_widens_the_axis_to_a_whole_number_past_it():
    lo, hi = pad_y_range(np.array([[0.0, 1.0], [0.5, -12.3], [1.0, np.nan]]))
    assert (lo, hi) == (-14.0, 14.0) and hi > 12.3


def test_the_axis_never_exceeds_what_the_checks_allow():
    assert pad_y_range(np.array([[0.0, Y_LIMIT], [1.0, 0.0]])) == (-Y_LIMIT, Y_LIMIT)


def test_target_names_come_from_the_catalogue_in_either_language():
    zh = Translator("zh-TW")
    assert [target_label(k, zh) for k in TARGET_LABELS] == [
        "sin",
        "|x|",
        "階梯函數",
        "多項式",
        "我的點",
    ]
    assert [target_label(k) for k in TARGET_LABELS] == list(TARGET_LABELS.values())
    assert target_label("unknown", zh) == "unknown"  # a target the catalogue lacks keeps its key
