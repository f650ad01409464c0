"""The "Draw" view: a pad, the model's reading of it, and what the model actually sees.

It runs as an st.fragment, so a stroke reruns only this view (pad ->
preprocessing -> one forward pass -> chart), never the sidebar, the training
panel or the inspection views. That keeps stroke-to-prediction well under
the 300 ms budget (bench/stroke_latency.py measures it).
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from data.digits import preprocess_steps
from models import predict_proba
from ui.mnist.canvas import draw_digit_ui
from ui.mnist.figures import probability_figure, step_images
from ui.mnist.models import NOT_NUMBERS, active_model
from ui.state import lab_session

PAD_KEY = "mnist_pad"


def prediction_ui(probs: np.ndarray, seconds: float, strokes: int) -> None:
    """The predicted digit in large type, its confidence, and the bar chart of all ten."""
    digit, confidence = int(probs.argmax()), float(probs.max())
    with st.container(key="mnist_prediction"):
        st.markdown(f"## The model reads: **{digit}**")
        # The stroke number also tells a browser test which stroke this reading belongs to.
        st.caption(
            f"{confidence:.0%} sure · read in {seconds * 1000:.0f} ms · after stroke {strokes}"
        )
    if confidence < 0.5:
        st.info("Not sure at all: the drawing looks like several digits to the model.")
    # A static plot: nothing to zoom on ten bars, and the browser redraws it faster after each stroke.
    st.plotly_chart(probability_figure(probs), width="stretch", config={"staticPlot": True})


def model_sees_ui(steps) -> None:
    """The four preprocessing steps of data.digits as small images, with the reason for each."""
    st.markdown("**What the model sees**")
    images = step_images(steps)
    cols = st.columns(4)
    for col, (image, caption) in zip(cols, images, strict=True):
        col.image(image, caption=caption, width="stretch")
    st.caption(
        "MNIST's digits were made this way: cropped to the ink, scaled so the longer side is 20 px, "
        "then placed in a 28×28 field with their centre of mass in the middle. Doing the same to your "
        "drawing is why a small, large or off-centre digit still reads correctly: the model only ever "
        "sees step 4."
    )


def _draw_body() -> None:
    active = active_model(lab_session("mnist"), st.session_state.get("mnist_use_model", "mlp"))
    left, right = st.columns([1, 1.3], gap="medium")
    with left:
        st.markdown("**Draw a digit (0–9)** with the mouse, a pen or a finger.")
        image = draw_digit_ui(PAD_KEY)
        if active is not None:
            st.caption(f"Reading with: {active.description}")
    steps = preprocess_steps(image) if image is not None else None
    with right:
        if active is None:
            return
        if steps is None:
            st.info(
                "Draw in the white box on the left. The prediction appears as soon as you lift the pen."
            )
            return
        if steps.blank:
            st.warning(
                "The pad looks empty (or holds only a dot). Draw a digit large enough to see."
            )
            return
        t0 = time.perf_counter()
        # Your model is read through a copy (ui.mnist.models): the prediction neither waits for
        # a slice (an epoch's end scores 10,000 digits) nor touches the training model.
        probs = predict_proba(active.model, steps.centred)[0]
        if np.isfinite(probs).all():
            prediction_ui(
                probs, time.perf_counter() - t0, st.session_state.get(f"{PAD_KEY}_strokes", 0)
            )
        else:
            st.error(NOT_NUMBERS)
    model_sees_ui(steps)


def draw_view() -> None:
    """The pad and its live prediction, as a fragment: a stroke reruns only this."""
    st.fragment(_draw_body)()
