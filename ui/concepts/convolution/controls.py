"""Widgets for the convolution lab: editable image and filter, stride/padding/pool, stepping."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from lessons.convolution import CLASSIC_KERNELS, MAX_CELL, SLIDE_FILTER, SLIDE_IMAGE, to_grid
from ui.i18n import Translator
from ui.language import t, translator
from ui.state import remember

# Option values (never shown: the catalogue words them, convolution.images.*).
SLIDES_IMAGE = "Slides' example (8×8)"
RANDOM_IMAGE = "Random digits"
IMAGE_KEYS = {SLIDES_IMAGE: "slides", RANDOM_IMAGE: "random"}
FILTERS = {"Slides' filter": SLIDE_FILTER, **CLASSIC_KERNELS}
MNIST_DIGITS = 100  # how many digits the MNIST picker offers


@dataclass(frozen=True)
class Geometry:
    """How the filter moves (stride), the zero border (padding) and the pooling window."""

    stride: int
    padding: int
    pool: int


def filter_name(name: str, tr: Translator | None = None) -> str:
    """A preset filter's name (its key in FILTERS) in the session's language (or `tr`'s)."""
    return (tr or translator())(f"convolution.filters.{name}")


def _filter_names():
    """A format_func for the filter pickers, bound to this run's language.

    Bound, not looked up when called: whoever formats the options later (AppTest does,
    outside any run) gets the words the page showed.
    """
    tr = translator()
    return lambda name: filter_name(name, tr)


def grid_to_frame(grid: np.ndarray) -> pd.DataFrame:
    """A grid as a DataFrame with 1-based row/column labels; whole numbers shown as ints."""
    grid = np.asarray(grid, dtype=float)
    # Only below 2**53 is every whole float exactly an int64; above, a cast would print noise.
    whole = np.all(np.abs(grid) < 2**53) and np.all(np.mod(grid, 1) == 0)
    data = grid.astype(int) if whole else grid.round(4)
    cols = [str(j + 1) for j in range(grid.shape[1])]
    return pd.DataFrame(data, columns=cols, index=range(1, grid.shape[0] + 1))


def _editor(default: np.ndarray, key: str, what: str) -> np.ndarray:
    """An editable grid; `what` ("image", "filter" in the page's language) names it in errors."""
    # Float columns so a student can type 0.5 into the slides' integer image too.
    frame = grid_to_frame(default).astype(float)
    edited = st.data_editor(
        frame,
        key=key,
        column_config={
            c: st.column_config.NumberColumn(
                format="plain", width=48, min_value=-MAX_CELL, max_value=MAX_CELL
            )
            for c in frame
        },
    )
    return to_grid(edited.to_numpy(), what)


def image_ui() -> np.ndarray:
    """Image preset (+ size for random), then an editable grid. Raises ValueError for a bad cell."""
    c1, c2 = st.columns(2)
    tr = translator()
    preset = c1.selectbox(
        tr("convolution.controls.image"),
        [SLIDES_IMAGE, RANDOM_IMAGE],
        format_func=lambda v: tr(f"convolution.images.{IMAGE_KEYS[v]}"),
        key=remember("conv_image_preset"),
    )
    if preset == SLIDES_IMAGE:
        default, key = SLIDE_IMAGE, "conv_image_slides"
    else:
        size = c2.slider(
            t("convolution.controls.image_size"), 3, 10, key=remember("conv_image_size", 6)
        )
        default = np.random.default_rng(size).integers(0, 6, size=(size, size))
        key = f"conv_image_random_{size}"  # a new size starts a fresh grid
    return _editor(default, key, t("convolution.grid.image"))


def filter_ui() -> np.ndarray:
    """Filter preset (the slides' or a classic one), then an editable grid."""
    name = st.selectbox(
        t("convolution.controls.filter"),
        list(FILTERS),
        format_func=_filter_names(),
        key=remember("conv_filter_preset"),
    )
    return _editor(FILTERS[name], f"conv_filter_{name}", t("convolution.grid.filter"))


def geometry_ui() -> Geometry:
    """Stride, padding and pooling-window sliders."""
    c1, c2, c3 = st.columns(3)
    # Up to the slides' image size, so a stride larger than a small image can be tried.
    stride = c1.slider(
        t("convolution.controls.stride"),
        1,
        8,
        key=remember("conv_stride", 1),
        help=t("convolution.controls.stride_help"),
    )
    padding = c2.slider(
        t("convolution.controls.padding"),
        0,
        4,
        key=remember("conv_padding", 0),
        help=t("convolution.controls.padding_help"),
    )
    pool = c3.slider(
        t("convolution.controls.pool"),
        1,
        3,
        key=remember("conv_pool", 2),
        help=t("convolution.controls.pool_help"),
    )
    return Geometry(int(stride), int(padding), int(pool))


def step_ui(out_rows: int, out_cols: int) -> tuple[int, int]:
    """A slider over the output cells in reading order; returns the (row, col) being computed."""
    n = out_rows * out_cols
    if n == 1:
        return 0, 0
    # The key carries the output shape: a new geometry restarts at the first window
    # instead of keeping a position that may no longer exist.
    k = st.slider(
        t("convolution.controls.step"),
        1,
        n,
        key=remember(f"conv_step_{out_rows}x{out_cols}", 1),
    )
    return divmod(int(k) - 1, out_cols)


@functools.lru_cache(maxsize=1)
def mnist_digits(n: int = MNIST_DIGITS) -> tuple[np.ndarray, np.ndarray]:
    """The first n validation digits as floats in [0, 1] (ink = 1), and their labels.

    Cached for the whole process: the arrays are small and never modified.
    """
    import data  # deferred: only this section needs the MNIST files

    ds = data.load("mnist", n_train=1, n_valid=n)
    return ds.X_valid.astype(float) / 255.0, ds.y_valid


def mnist_ui() -> tuple[int, str, bool]:
    """Digit index, classic filter name, and whether to max-pool the result."""
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    index = c1.slider(
        t("convolution.controls.mnist_digit"), 1, MNIST_DIGITS, key=remember("conv_mnist_index", 1)
    )
    name = c2.selectbox(
        t("convolution.controls.classic_filter"),
        list(CLASSIC_KERNELS),
        format_func=_filter_names(),
        key=remember("conv_mnist_filter", list(CLASSIC_KERNELS)[1]),
    )
    pool = c3.checkbox(t("convolution.controls.mnist_pool"), key=remember("conv_mnist_pool", True))
    return int(index) - 1, name, bool(pool)
