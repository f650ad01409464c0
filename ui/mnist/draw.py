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
from ui.language import markdown, t, translator
from ui.mnist.canvas import draw_digit_ui
from ui.mnist.figures import probability_figure, step_images
from ui.mnist.models import active_model
from ui.state import lab_session

PAD_KEY = "mnist_pad"


def prediction_ui(probs: np.ndarray, seconds: float, strokes: int) -> None:
    """The predicted digit in large type, its confidence, and the bar chart of all ten."""
    digit, confidence = int(probs.argmax()), float(probs.max())
    with st.container(key="mnist_prediction"):
        st.markdown(t("mnist.draw.reads", digit=digit))
        # The stroke number also tells a browser test which stroke this reading belongs to.
        st.caption(
            t("mnist.draw.status", confidence=confidence, ms=seconds * 1000, strokes=strokes)
        )
    if confidence < 0.5:
        st.info(t("mnist.draw.unsure"))
    # A static plot: nothing to zoom on ten bars, and the browser redraws it faster after each stroke.
    st.plotly_chart(
        probability_figure(probs, tr=translator()), width="stretch", config={"staticPlot": True}
    )


def model_sees_ui(steps) -> None:
    """The four preprocessing steps of data.digits as small images, with the reason for each."""
    st.markdown(t("mnist.draw.sees"))
    images = step_images(steps, tr=translator())
    cols = st.columns(4)
    for col, (image, caption) in zip(cols, images, strict=True):
        col.image(image, caption=caption, width="stretch")
    st.caption(t("mnist.draw.sees_caption"))


def _draw_body() -> None:
    active = active_model(lab_session("mnist"), st.session_state.get("mnist_use_model", "mlp"))
    left, right = st.columns([1, 1.3], gap="medium")
    with left:
        markdown("mnist.draw.prompt")
        image = draw_digit_ui(PAD_KEY)
        if active is not None:
            st.caption(t("mnist.draw.reading_with", description=active.description))
    steps = preprocess_steps(image) if image is not None else None
    with right:
        if active is None:
            return
        if steps is None:
            st.info(t("mnist.draw.draw_here"))
            return
        if steps.blank:
            st.warning(t("mnist.draw.empty"))
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
            st.error(t("mnist.models.not_numbers"))
    model_sees_ui(steps)


def draw_view() -> None:
    """The pad and its live prediction, as a fragment: a stroke reruns only this."""
    st.fragment(_draw_body)()
