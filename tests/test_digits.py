"""Digit preprocessing: drawings map to MNIST's own representation."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

import data
from data import BlankDrawingError
from data.digits import DigitSteps, canvas_to_mnist, preprocess_steps


@pytest.fixture(scope="module")
def digits():
    return data.load("mnist", n_train=30).X_train


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.astype(float).ravel(), b.astype(float).ravel())[0, 1])


def _redraw(digit: np.ndarray, top: int, left: int) -> np.ndarray:
    """The digit scaled up x3 on a 280x280 canvas at (top, left): 0 = background."""
    canvas = np.zeros((280, 280), np.uint8)
    canvas[top : top + 84, left : left + 84] = np.kron(digit, np.ones((3, 3), np.uint8))
    return canvas


def test_mnist_digit_maps_to_itself(digits):
    for d in digits[:10]:
        out = canvas_to_mnist(d)
        assert out.shape == (28, 28) and out.dtype == np.uint8
        assert _corr(out, d) > 0.98


def test_shifted_scaled_rgba_canvas_matches(digits):
    for k, d in enumerate(digits[:10]):
        ref = canvas_to_mnist(d)
        ink = _redraw(d, top=190 - 15 * k, left=10 + 17 * k)
        rgba = np.zeros((280, 280, 4), np.uint8)
        rgba[..., :3] = (20, 200, 255)  # the stroke colour does not matter: alpha is the ink
        rgba[..., 3] = ink
        out = canvas_to_mnist(rgba)
        assert _corr(out, ref) > 0.9
        cy, cx = ndimage.center_of_mass(out.astype(float))
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
        assert out.max() == 255 and out[0].max() == 0 and out[:, 0].max() == 0


def test_dark_on_light_and_light_on_dark_and_float(digits):
    d = digits[3]
    ref = canvas_to_mnist(d)
    ink = _redraw(d, top=5, left=190)
    gray = 255 - ink  # black pen on white paper
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    opaque_rgba = np.dstack([rgb, np.full((280, 280), 255, np.uint8)])  # alpha constant
    light_on_dark = np.repeat(ink[:, :, None], 3, axis=2)
    for image in (gray, rgb, opaque_rgba, light_on_dark, gray / 255.0, ink.astype(np.float32)):
        assert _corr(canvas_to_mnist(image), ref) > 0.9


def test_grey_paper_background_becomes_zero(digits):
    ink = _redraw(digits[5], top=100, left=100)
    photo = (200 - ink * (150 / 255)).astype(np.uint8)  # grey paper, dark-grey pen
    out = canvas_to_mnist(photo)
    assert _corr(out, canvas_to_mnist(digits[5])) > 0.9
    assert out[0].max() == 0 and out.max() == 255


def test_steps_expose_intermediate_images(digits):
    steps = preprocess_steps(_redraw(digits[0], top=50, left=60))
    assert isinstance(steps, DigitSteps) and not steps.blank
    assert steps.ink.shape == (280, 280) and 0 <= steps.ink.min() and steps.ink.max() <= 1
    assert max(steps.cropped.shape) > 20 and steps.cropped.shape[0] <= 84
    assert max(steps.fitted.shape) == 20 and steps.fitted.max() <= 1
    assert steps.centred.shape == (28, 28) and steps.centred.dtype == np.uint8


def test_aspect_ratio_kept_for_a_thin_one():
    canvas = np.zeros((300, 300), np.uint8)
    canvas[40:260, 140:160] = 255  # a 220x20 vertical bar
    steps = preprocess_steps(canvas)
    assert steps.fitted.shape == (20, 2)
    cols = np.flatnonzero(steps.centred.any(axis=0))
    assert len(cols) <= 3 and abs(cols.mean() - 14) <= 1


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((280, 280, 4), np.uint8),  # empty transparent canvas
        np.full((280, 280, 3), 255, np.uint8),  # white paper
        np.zeros((280, 280), np.float32),
    ],
)
def test_blank_drawing_raises(image):
    with pytest.raises(BlankDrawingError, match="blank"):
        canvas_to_mnist(image)
    steps = preprocess_steps(image)
    assert steps.blank and not steps.centred.any()


def test_a_stray_speck_is_blank():
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[100:104, 100:104, 3] = 255
    with pytest.raises(BlankDrawingError):
        canvas_to_mnist(canvas)
    assert issubclass(BlankDrawingError, ValueError)


def _pen(points, width=20):
    """A 280x280 RGBA pad drawing: the pad's round pen through `points`."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    r = width / 2
    for x, y in points:
        pen.ellipse((x - r, y - r, x + r, y + r), fill=(0, 0, 0, 255))
    if len(points) > 1:
        pen.line(points, fill=(0, 0, 0, 255), width=width)
    return np.asarray(img)


@pytest.mark.parametrize(
    "points", [[(140, 140)], [(140, 140), (144, 142)]], ids=["tap", "tap-with-a-twitch"]
)
def test_one_tap_of_the_pen_is_blank(points):
    # A single tap used to be read as a digit: the CNN called the 21 px dot a "0", 97% sure.
    steps = preprocess_steps(_pen(points))
    assert steps.blank


def test_a_small_but_real_stroke_is_not_blank():
    steps = preprocess_steps(_pen([(140, 120), (140, 160)]))  # a "1" 60 px tall
    assert not steps.blank and max(steps.fitted.shape) == 20


def test_bad_shapes_raise_value_error():
    with pytest.raises(ValueError, match="shape"):
        canvas_to_mnist(np.zeros((10, 10, 2)))
    with pytest.raises(ValueError, match="too small"):
        canvas_to_mnist(np.zeros((1, 5)))
