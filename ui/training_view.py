"""The live training view every lab shares: Train / Pause / Reset, live charts, results.

Training happens in short time slices inside an `st.fragment(run_every=...)`:
each fragment run advances the session's TrainingRun by SLICE_SECONDS, then
redraws one placeholder per chart. The run object lives in st.session_state
(ui.state.lab_state), so reruns, slider moves, page switches and pauses all
find it where they left it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from data import Dataset
from models import ModelConfig, TrainConfig, TrainingRun, build_model, model_summary
from ui.figures.training import loss_figure, metric_figure, step_loss_figure
from ui.model_files import model_files_ui
from ui.state import LabState, lab_state

# Training gets SLICE_SECONDS per fragment run; drawing takes a few tens of ms
# on top. The frontend asks for the next run every LIVE_INTERVAL seconds, and
# requests made while a run is busy wait for it, so runs follow back to back:
# ~90% of the time trains while the charts still update ~3 times a second.
SLICE_SECONDS = 0.3
LIVE_INTERVAL = 0.1

LiveView = Callable[[TrainingRun], None]


def run_signature(dataset_key: tuple, model_config: ModelConfig, train_config: TrainConfig) -> tuple:
    """Everything whose change needs a new run (epochs excluded: they can be extended)."""
    tc = train_config.to_dict()
    tc.pop("epochs")
    return (dataset_key, json.dumps(model_config.to_dict(), sort_keys=True), json.dumps(tc, sort_keys=True))


def _start(state: LabState, dataset: Dataset, mc: ModelConfig, tc: TrainConfig, signature: tuple) -> None:
    run = state.run
    if run is not None and state.signature == signature and run.status != "diverged":
        if tc.epochs > run.train_config.epochs:
            run.extend(tc.epochs - run.train_config.epochs)
        state.running = not run.done
        return
    if run is not None and run.history.epochs:
        state.previous_history = run.history.epochs
    state.run = TrainingRun(dataset, mc, tc)
    state.signature = signature
    state.extras.pop("uploaded", None)
    state.running = True


def _reset(state: LabState) -> None:
    if state.run is not None and state.run.history.epochs:
        state.previous_history = state.run.history.epochs
    state.run, state.running, state.signature = None, False, None
    state.extras.pop("uploaded", None)


def _toggle_pause(state: LabState) -> None:
    state.running = not state.running


def controls_row(state: LabState, dataset: Dataset, mc: ModelConfig, tc: TrainConfig, signature: tuple) -> None:
    """Train / Pause-Resume / Reset buttons, acting through callbacks on the session's LabState."""
    run = state.run
    changed = run is not None and state.signature != signature
    can_extend = run is not None and not changed and run.done and tc.epochs > run.train_config.epochs
    c1, c2, c3 = st.columns(3)
    label = "Train" if run is None or changed else ("Train more" if can_extend else "Train")
    c1.button(label, type="primary", key=f"{state_key(state)}_train", width="stretch",
              on_click=_start, args=(state, dataset, mc, tc, signature),
              disabled=run is not None and not changed and not can_extend and (run.done or state.running)
              and run.status != "diverged")
    c2.button("Resume" if (run and not state.running and not run.done) else "Pause",
              key=f"{state_key(state)}_pause", width="stretch", on_click=_toggle_pause, args=(state,),
              disabled=run is None or run.done)
    c3.button("Reset", key=f"{state_key(state)}_reset", width="stretch", on_click=_reset, args=(state,),
              disabled=run is None)
    if changed and not state.extras.get("uploaded"):
        st.warning(
            "You changed a ↻ setting. The results below still belong to the run trained with the old "
            "settings; press **Train** to start a new run with the new ones (download the model first "
            "if you want to keep it)."
        )
    elif changed:
        st.info("Showing the model you uploaded. Press **Train** to train a new one with the settings on the left.")
    if run is not None and not changed and not run.done and tc.epochs != run.train_config.epochs:
        # Epochs can change mid-run: training simply stops at the new count.
        run.train_config.epochs = max(tc.epochs, run.epoch + 1)


def state_key(state: LabState) -> str:
    """A stable widget-key prefix for a lab's state object."""
    return state.extras.setdefault("key", f"lab{id(state)}")


def status_line(run: TrainingRun, running: bool) -> None:
    """Epoch counter, progress bar and throughput."""
    total = run.train_config.epochs
    word = {"diverged": "Diverged", "early_stopped": "Stopped early", "finished": "Finished"}.get(
        run.status, "Training" if running else ("Paused" if run.step else "Ready")
    )
    st.progress(run.progress, text=f"{word} · epoch {run.epoch}/{total} · step {run.step:,} · "
                                   f"{run.samples_per_sec:,.0f} samples/s")


def _live_body(lab: str, live_views: LiveView | None) -> None:
    state = lab_state(lab)
    run = state.run
    if run is None:
        return
    finished_now = False
    if state.running and not run.done:
        run.advance(seconds=SLICE_SECONDS)
        if run.done:
            state.running, finished_now = False, True
    status_line(run, state.running)
    epochs = run.history.epochs
    c1, c2 = st.columns(2)
    c1.plotly_chart(loss_figure(epochs, state.previous_history), width="stretch")
    c2.plotly_chart(metric_figure(epochs, run.task), width="stretch")
    st.plotly_chart(step_loss_figure(run.history.step_loss), width="stretch")
    if live_views is not None:
        live_views(run)
    if finished_now:
        st.rerun()  # a full rerun stops the polling and shows the after-training views


def live_view(lab: str, live_views: LiveView | None = None) -> None:
    """The charts, redrawn a few times a second while the session's run trains."""
    state = lab_state(lab)
    polling = state.running and state.run is not None and not state.run.done
    st.fragment(_live_body, run_every=LIVE_INTERVAL if polling else None)(lab, live_views)


def results_ui(run: TrainingRun) -> None:
    """What a finished (or paused) run tells: why it stopped, and the per-epoch table."""
    if run.status == "diverged":
        st.error(f"**Training diverged.** {run.stop_reason}")
    elif run.stop_reason:
        st.info(run.stop_reason)
    if run.device_note:
        st.caption(run.device_note)
    if run.history.epochs:
        with st.expander("Metrics per epoch", expanded=run.done):
            df = pd.DataFrame(run.history.epochs).set_index("epoch")
            st.dataframe(df.drop(columns=["eval_seconds"], errors="ignore").round(4), width="stretch")


def summary_ui(model_config: ModelConfig) -> None:
    """The Keras-style summary of the architecture the controls describe."""
    try:
        summary = model_summary(build_model(model_config))
    except ValueError as exc:
        st.error(str(exc))
        return
    st.dataframe(pd.DataFrame(summary.rows_as_dicts()), hide_index=True, width="stretch")
    st.caption(f"Total parameters: {summary.total_params:,} (all trainable)")


def training_panel(
    lab: str,
    dataset: Dataset,
    dataset_key: tuple,
    model_config: ModelConfig,
    train_config: TrainConfig,
    live_views: LiveView | None = None,
) -> LabState:
    """Buttons, live charts, results and model files for one lab; returns its LabState."""
    state = lab_state(lab)
    state.extras.setdefault("key", lab)
    signature = run_signature(dataset_key, model_config, train_config)
    controls_row(state, dataset, model_config, train_config, signature)
    if state.run is None:
        st.markdown("**Model summary** (before training)")
        summary_ui(model_config)
    live_view(lab, live_views)
    if state.run is not None and not state.running:
        results_ui(state.run)
    model_files_ui(state, dataset, train_config)
    return state
