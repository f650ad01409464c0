"""The convolution lab's views: its inputs, the slides' worked example step by step, and MNIST."""

from __future__ import annotations

import numpy as np
import streamlit as st

from lessons.convolution import (
    CLASSIC_KERNELS,
    SLIDE_FILTER,
    SLIDE_IMAGE,
    conv2d,
    maxpool2d,
    maxpool_winners,
    output_size,
)
from ui.concepts.convolution.controls import (
    filter_name,
    filter_ui,
    geometry_ui,
    grid_to_frame,
    image_ui,
    mnist_digits,
    mnist_ui,
    step_ui,
)
from ui.concepts.convolution.figures import grid_figure, images_figure, products_figure
from ui.concepts.layout import latex_matrix
from ui.language import error_text, markdown, translator


def _text(words: str) -> str:
    """Words inside a LaTeX formula (the catalogue's, in the page's language)."""
    return rf"\text{{{words}}}"


def _sum_latex(window: np.ndarray, kernel: np.ndarray, total: float) -> str:
    terms = " + ".join(
        f"{a:g}\\cdot{w:g}" for a, w in zip(window.ravel(), kernel.ravel(), strict=True)
    )
    return f"{terms} = {total:g}"


def _size_latex(n: int, k: int, s: int, p: int) -> str:
    return (
        rf"\left\lfloor \frac{{n + 2p - k}}{{s}} \right\rfloor + 1 = "
        rf"\left\lfloor \frac{{{n} + 2\cdot{p} - {k}}}{{{s}}} \right\rfloor + 1 = {output_size(n, k, s, p)}"
    )


def inputs():
    """Draw the editors and sliders; return (image, kernel, geometry) or None after a message."""
    left, right = st.columns([3, 2])
    try:
        with left:
            image = image_ui()
        with right:
            kernel = filter_ui()
    except ValueError as exc:
        st.error(error_text(exc))
        return None
    return image, kernel, geometry_ui()


def worked_example(image, kernel, geo) -> None:
    """Output-size formula, the step-through, and the feature-map and pooled tables."""
    try:
        result = conv2d(image, kernel, geo.stride, geo.padding)
    except ValueError as exc:
        st.error(error_text(exc))
        return
    out = result.output
    tr = translator()
    (kh, kw), (h, w) = kernel.shape, image.shape
    st.markdown(tr("convolution.size.intro"))
    st.latex(
        _text(tr("convolution.size.rows")) + " = " + _size_latex(h, kh, geo.stride, geo.padding)
    )
    if (w, kw) != (h, kh):
        st.latex(
            _text(tr("convolution.size.columns"))
            + " = "
            + _size_latex(w, kw, geo.stride, geo.padding)
        )

    st.subheader(tr("convolution.step.title"))
    i, j = step_ui(*out.shape)
    r, c = result.window_origin(i, j)
    c1, c2, c3 = st.columns([4, 3, 3])
    c1.plotly_chart(
        grid_figure(
            result.padded,
            tr("convolution.step.image_padded" if geo.padding else "convolution.step.image"),
            window=(r, c, kh, kw),
            padding=geo.padding,
            tr=tr,
        ),
        key="conv_image_fig",
    )
    c2.plotly_chart(products_figure(result.window(i, j), kernel, tr=tr), key="conv_products_fig")
    c2.caption(tr("convolution.step.products_caption"))
    c3.plotly_chart(
        grid_figure(
            out, tr("convolution.step.feature_map"), window=(i, j, 1, 1), output=True, tr=tr
        ),
        key="conv_map_fig",
    )
    st.latex(
        _text(tr("convolution.step.output"))
        + f"[{i + 1},{j + 1}] = "
        + _sum_latex(result.window(i, j), kernel, out[i, j])
    )

    c1, c2 = st.columns(2)
    with c1:
        st.markdown(tr("convolution.tables.feature_map", rows=out.shape[0], cols=out.shape[1]))
        st.table(grid_to_frame(out), hide_index=False)
        is_slides = (
            image.shape == SLIDE_IMAGE.shape
            and np.array_equal(image, SLIDE_IMAGE)
            and np.array_equal(kernel, SLIDE_FILTER)
            and (geo.stride, geo.padding) == (1, 0)
        )
        if is_slides:
            st.caption(tr("convolution.tables.slides_caption"))
    with c2:
        try:
            pooled = maxpool2d(out, geo.pool)
        except ValueError as exc:
            st.error(error_text(exc))
            return
        st.markdown(
            tr(
                "convolution.tables.pooled",
                pool=geo.pool,
                rows=pooled.shape[0],
                cols=pooled.shape[1],
            )
        )
        st.table(grid_to_frame(pooled), hide_index=False)
    st.plotly_chart(
        grid_figure(
            out,
            tr("convolution.tables.winners"),
            winners=maxpool_winners(out, geo.pool),
            output=True,
            tr=tr,
        ),
        key="conv_winners_fig",
    )


def mnist_section() -> None:
    """Classic filters on a real handwritten digit."""
    tr = translator()
    st.subheader(tr("convolution.mnist.title"))
    markdown("convolution.mnist.text")
    index, name, pool = mnist_ui()
    try:
        digits, labels = mnist_digits()
    except (OSError, ValueError) as exc:
        st.warning(tr("convolution.mnist.load_failed", reason=error_text(exc)))
        return
    kernel = CLASSIC_KERNELS[name]
    filtered = conv2d(digits[index], kernel, padding=kernel.shape[0] // 2).output
    panels = [
        (tr("convolution.mnist.digit", label=labels[index]), digits[index]),
        (filter_name(name), filtered),
    ]
    if pool:
        panels.append((tr("convolution.mnist.pooled"), maxpool2d(filtered, 2)))
    st.plotly_chart(images_figure(panels, tr=tr), key="conv_mnist_fig")
    st.latex(_text(tr("convolution.mnist.filter")) + " = " + latex_matrix(kernel, digits=3))
