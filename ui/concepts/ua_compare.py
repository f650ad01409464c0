"""Live "more neurons" comparison: one TrainingRun per N, advanced together in time slices.

Same pattern as ui.training_view: the runs live in st.session_state and a
fragment with run_every advances them a slice at a time, so the page stays
responsive and every fit visibly improves as training runs.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data import Dataset
from models import ModelConfig, TrainConfig, TrainingRun
from ui.training_view import LIVE_INTERVAL, SLICE_SECONDS

STATE_KEY = "ua_compare_state"
Draw = Callable[[list[tuple[int, object, float]]], None]


def _start(dataset: Dataset, configs: dict[int, ModelConfig], tc: TrainConfig, key: tuple) -> None:
    runs = {
        n: TrainingRun(dataset, mc, TrainConfig.from_dict(tc.to_dict()))
        for n, mc in configs.items()
    }
    st.session_state[STATE_KEY] = {"key": key, "runs": runs, "running": True}


def _toggle(state: dict) -> None:
    state["running"] = not state["running"]


def _body(draw: Draw) -> None:
    state = st.session_state.get(STATE_KEY)
    if state is None:
        return
    runs: dict[int, TrainingRun] = state["runs"]
    active = [r for r in runs.values() if not r.done]
    if state["running"] and active:
        # Share one slice between the runs still training, so N = 32 gets no head start.
        for run in active:
            run.advance(seconds=SLICE_SECONDS / len(active))
    finished_now = state["running"] and all(r.done for r in runs.values())
    epochs = min(r.epoch for r in runs.values())
    total = next(iter(runs.values())).train_config.epochs
    st.progress(min(1.0, epochs / max(1, total)), text=f"epoch {epochs}/{total} for every N")
    fits = []
    for n, run in runs.items():
        last = run.history.latest()
        fits.append((n, run.model, float(last["valid_loss"]) if last else float("nan")))
    draw(fits)
    if finished_now:
        state["running"] = False
        st.rerun()  # a full rerun stops the polling


def compare_panel(
    dataset: Dataset, configs: dict[int, ModelConfig], tc: TrainConfig, key: tuple, draw: Draw
) -> None:
    """Start / pause buttons and the live small multiples; `draw(fits)` draws [(N, model, loss)]."""
    state = st.session_state.get(STATE_KEY)
    stale = state is not None and state["key"] != key
    c1, c2 = st.columns(2)
    c1.button(
        "Train every N",
        type="primary",
        key="ua_compare",
        on_click=_start,
        args=(dataset, configs, tc, key),
    )
    if state is not None and not stale:
        all_done = all(r.done for r in state["runs"].values())
        c2.button(
            "Pause" if state["running"] else "Resume",
            key="ua_compare_pause",
            on_click=_toggle,
            args=(state,),
            disabled=all_done,
        )
    if stale:
        st.caption(
            "The settings changed since this comparison; press the button to train it again."
        )
        return
    polling = state is not None and state["running"]
    st.fragment(_body, run_every=LIVE_INTERVAL if polling else None)(draw)
