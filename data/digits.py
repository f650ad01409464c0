"""Turn a drawing into a 28x28 MNIST-style image, the way MNIST itself was made.

MNIST digits were cropped to their ink, scaled so the longer side is 20 px
(keeping the aspect ratio, anti-aliased), then placed in a 28x28 field with
the centre of mass at the middle. A drawing processed the same way looks like
the training data, which is what makes the model's prediction meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from .errors import BlankDrawingError, CodedError

FIELD = 28
BOX = 20
# Where MNIST's centres of mass actually sit (mean over the training set is
# (13.99, 14.00) in 0-based row/column coordinates).
TARGET_CENTRE = 14.0
INK_THRESHOLD = 0.1  # ink level that counts for the bounding box
MIN_INK_FRACTION = 0.001  # total ink below 0.1% of the canvas area is "blank"
# Ink spanning less than 10% of the canvas side is a dot, not a digit: one tap with
# the pad's 20 px pen leaves a ~21 px dot on 280 px, which the CNN read as "0", 97% sure.
MIN_EXTENT_FRACTION = 0.1


@dataclass
class DigitSteps:
    """The intermediate images of the preprocessing, for a "what the model sees" view.

    ink: 2-D float 0..1 at the input size (0 = background).
    cropped: ink cut to its bounding box (shape (0, 0) when blank).
    fitted: the crop scaled so its longer side is 20 px (<= 20x20, float 0..1).
    centred: the final 28x28 uint8 image, 0 = background, 255 = ink.
    blank: True when there is (almost) no ink; centred is then all zeros.
    """

    ink: np.ndarray
    cropped: np.ndarray
    fitted: np.ndarray
    centred: np.ndarray
    blank: bool


def _to_float(arr: np.ndarray) -> np.ndarray:
    """Scale any numeric image to float 0..1 (uint8 0-255, uint16, bool or float)."""
    if arr.dtype == bool:
        return arr.astype(np.float64)
    out = np.nan_to_num(arr.astype(np.float64))
    if np.issubdtype(arr.dtype, np.integer):
        return out / (65535.0 if out.max() > 255 else 255.0)
    # Floats may be 0..1 or 0..255.
    return out / 255.0 if out.max() > 1.0 else out


def _border(a: np.ndarray) -> np.ndarray:
    return np.concatenate([a[0], a[-1], a[1:-1, 0], a[1:-1, -1]])


def extract_ink(image) -> np.ndarray:
    """Ink as 2-D float 0..1 with the background at 0, whatever the input style.

    RGBA with varying alpha (transparent canvas): ink is the alpha channel.
    Otherwise luminance, inverted when the border (the background) is light,
    and the background level subtracted so grey paper becomes 0.
    """
    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise CodedError(
            "image_bad_shape",
            f"Expected a gray, RGB or RGBA image, got an array of shape {arr.shape}.",
            shape=tuple(arr.shape),
        )
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        height, width = arr.shape[:2]
        raise CodedError(
            "image_too_small",
            f"The image is too small ({height}x{width}).",
            height=height,
            width=width,
        )
    img = _to_float(arr)
    if img.ndim == 3:
        if img.shape[2] == 4:
            alpha = img[:, :, 3]
            if alpha.max() - alpha.min() > 0.05:
                return alpha
            img = img[:, :, :3]
        img = img @ np.array([0.299, 0.587, 0.114])
    background = float(np.median(_border(img)))
    if background > 0.5:  # dark ink on light paper
        img, background = 1.0 - img, 1.0 - background
    return np.clip((img - background) / max(1.0 - background, 1e-6), 0.0, 1.0)


def _fit(cropped: np.ndarray) -> np.ndarray:
    """Scale so the longer side is 20 px, keeping the aspect ratio, anti-aliased."""
    h, w = cropped.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # PIL wants (width, height)
    fitted = np.asarray(
        Image.fromarray(cropped.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    )
    fitted = np.clip(fitted, 0.0, 1.0)  # Lanczos rings slightly past the range
    peak = fitted.max()
    # Faint strokes (pencil, grey pen) are stretched so the darkest ink is full
    # intensity, as it is in almost every MNIST digit.
    return (fitted / peak if peak > 0 else fitted).astype(np.float64)


def _centre(fitted: np.ndarray) -> np.ndarray:
    """Paste into 28x28 with the centre of mass at (14, 14), never cutting ink off."""
    h, w = fitted.shape
    cy, cx = ndimage.center_of_mass(fitted)
    top = int(np.clip(round(TARGET_CENTRE - cy), 0, FIELD - h))
    left = int(np.clip(round(TARGET_CENTRE - cx), 0, FIELD - w))
    field = np.zeros((FIELD, FIELD))
    field[top : top + h, left : left + w] = fitted
    return np.round(field * 255).astype(np.uint8)


def preprocess_steps(image) -> DigitSteps:
    """Run the MNIST preprocessing and keep every intermediate image.

    `image`: array or PIL image of any size: RGBA with a transparent background,
    gray/RGB dark-on-light or light-on-dark, uint8 or float. Never raises for
    a blank drawing; check `.blank` (canvas_to_mnist raises instead).
    """
    ink = extract_ink(image)
    empty = np.zeros((0, 0))
    blank_steps = DigitSteps(ink, empty, empty, np.zeros((FIELD, FIELD), np.uint8), True)
    mask = ink > INK_THRESHOLD
    if not mask.any() or ink.sum() < MIN_INK_FRACTION * ink.size:
        return blank_steps
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    if max(r1 - r0, c1 - c0) < MIN_EXTENT_FRACTION * min(ink.shape):
        return blank_steps  # a stray click, not a digit
    cropped = ink[r0:r1, c0:c1]
    fitted = _fit(cropped)
    return DigitSteps(ink, cropped, fitted, _centre(fitted), False)


def canvas_to_mnist(image) -> np.ndarray:
    """A drawing as a 28x28 uint8 image in data.load("mnist")'s representation.

    0 = background, 255 = ink, so the same prediction function accepts both.
    Raises BlankDrawingError when the drawing is blank or nearly so.
    """
    steps = preprocess_steps(image)
    if steps.blank:
        raise BlankDrawingError("drawing_blank", "The drawing is blank: draw a digit first.")
    return steps.centred
