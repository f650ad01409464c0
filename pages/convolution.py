"""Convolution and max pooling lab: the slides' worked example, step by step, then MNIST."""

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
from lessons.registry import lab
from ui.concepts.convolution.controls import (
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
from ui.page_header import page_header

LAB = lab("convolution")

page_header(LAB)
st.markdown(
    "A convolutional layer slides a small **filter** over the image. At each position it multiplies "
    "the cells under the filter by the filter's weights and adds them up: one number of the "
    "**feature map**. **Max pooling** then keeps only the largest number in each small block. "
    "The page opens on the slides' example; edit any cell, or change stride and padding."
)


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
        st.error(f"{exc}")
        return None
    return image, kernel, geometry_ui()


def worked_example(image, kernel, geo) -> None:
    """Output-size formula, the step-through, and the feature-map and pooled tables."""
    try:
        result = conv2d(image, kernel, geo.stride, geo.padding)
    except ValueError as exc:
        st.error(f"{exc}")
        return
    out = result.output
    (kh, kw), (h, w) = kernel.shape, image.shape
    st.markdown("**Output size** for an n×n image, a k×k filter, padding p and stride s:")
    st.latex(r"\text{rows} = " + _size_latex(h, kh, geo.stride, geo.padding))
    if (w, kw) != (h, kh):
        st.latex(r"\text{columns} = " + _size_latex(w, kw, geo.stride, geo.padding))

    st.subheader("Step the filter across the image")
    i, j = step_ui(*out.shape)
    r, c = result.window_origin(i, j)
    c1, c2, c3 = st.columns([4, 3, 3])
    c1.plotly_chart(
        grid_figure(
            result.padded,
            "Image" + (" (grey = zero padding)" if geo.padding else ""),
            window=(r, c, kh, kw),
            padding=geo.padding,
        ),
        key="conv_image_fig",
    )
    c2.plotly_chart(products_figure(result.window(i, j), kernel), key="conv_products_fig")
    c2.caption("Each cell: image value × filter weight, and the product in bold.")
    c3.plotly_chart(
        grid_figure(out, "Feature map", window=(i, j, 1, 1), output=True), key="conv_map_fig"
    )
    st.latex(
        rf"\text{{output}}[{i + 1},{j + 1}] = " + _sum_latex(result.window(i, j), kernel, out[i, j])
    )

    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**Feature map** ({out.shape[0]}×{out.shape[1]})")
        st.table(grid_to_frame(out), hide_index=False)
        is_slides = (
            image.shape == SLIDE_IMAGE.shape
            and np.array_equal(image, SLIDE_IMAGE)
            and np.array_equal(kernel, SLIDE_FILTER)
            and (geo.stride, geo.padding) == (1, 0)
        )
        if is_slides:
            st.caption(
                "The slides print 36 in row 2, column 4; the products there add up to 37 "
                "(step to position 10 to check). The pooled result is the same either way."
            )
    with c2:
        try:
            pooled = maxpool2d(out, geo.pool)
        except ValueError as exc:
            st.error(f"{exc}")
            return
        st.markdown(
            f"**After {geo.pool}×{geo.pool} max pooling** ({pooled.shape[0]}×{pooled.shape[1]})"
        )
        st.table(grid_to_frame(pooled), hide_index=False)
    st.plotly_chart(
        grid_figure(
            out,
            "Each pooling window's winner (outlined)",
            winners=maxpool_winners(out, geo.pool),
            output=True,
        ),
        key="conv_winners_fig",
    )


def mnist_section() -> None:
    """Classic filters on a real handwritten digit."""
    st.subheader("Classic filters on an MNIST digit")
    st.markdown(
        "A CNN *learns* its filters. Hand-made ones show what such filters can detect: "
        "edges, blur, sharpness. Padding 1 keeps the 28×28 size."
    )
    index, name, pool = mnist_ui()
    try:
        digits, labels = mnist_digits()
    except (OSError, ValueError) as exc:
        st.warning(f"The MNIST digits could not be loaded ({exc}).")
        return
    kernel = CLASSIC_KERNELS[name]
    filtered = conv2d(digits[index], kernel, padding=kernel.shape[0] // 2).output
    panels = [(f"Digit {labels[index]}", digits[index]), (name, filtered)]
    if pool:
        panels.append(("2×2 max pool", maxpool2d(filtered, 2)))
    st.plotly_chart(images_figure(panels), key="conv_mnist_fig")
    st.latex(r"\text{filter} = " + latex_matrix(kernel, digits=3))


chosen = inputs()
if chosen is not None:
    worked_example(*chosen)
mnist_section()
