"""The training panel every lab shares: Train / Pause-Resume / Reset, live charts, results, model files.

The run lives in the lab's LabSession (ui.state), owned by its LiveRun
(ui.live_run), so reruns, slider moves, page switches and pauses all find it
where they left it. The buttons act through callbacks, which run before the
page is drawn again.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from data import Dataset
from lessons.registry import lab_with_key
from models import ModelConfig, TrainConfig, TrainingRun, build_model, model_summary
from ui.coach.panel import coached, with_coach
from ui.code_view import code_view_ui
from ui.compare.panel import compare_panel
from ui.compare.runs import compare_lab, keep_replaced, take_autostart
from ui.experiment_link import experiment_link_ui
from ui.experiment_settings import link_in_effect, takes_links
from ui.language import error_text, t
from ui.live_run import BorrowedRun
from ui.live_view import DataPreview, LiveViews, live_view
from ui.model_files import adopt_pending, model_files_ui
from ui.state import LabSession, lab_session, set_before_next_run

# (asked, planned epochs, run generation): why _match_epochs moved the slider, shown while it holds.
EPOCHS_NOTE = "training_view/epochs_note::"


def run_signature(
    dataset_key: tuple, model_config: ModelConfig, train_config: TrainConfig
) -> tuple:
    """Everything whose change needs a new run (epochs excluded: they can be extended)."""
    return (dataset_key, model_config, dataclasses.replace(train_config, epochs=0))


def _start(
    session: LabSession, dataset: Dataset, mc: ModelConfig, tc: TrainConfig, signature: tuple
) -> None:
    live = session.live
    with live.borrow() as run:
        same = run is not None and session.signature == signature and run.status != "diverged"
        planned = run.train_config.epochs if same else 0
    if same:
        if tc.epochs > planned:
            live.set_epochs(tc.epochs)
        live.resume()
        return
    keep_replaced(session)  # kept for comparison as it stands (ui/compare/)
    live.start(TrainingRun(dataset, mc, tc))
    session.signature = signature
    session.uploaded = False


def _reset(session: LabSession) -> None:
    keep_replaced(session)
    session.live.reset()
    session.signature, session.uploaded = None, False


def _pause(session: LabSession) -> None:
    session.live.pause()  # waits for the current slice, so the paused run stays put


def controls_row(
    session: LabSession, dataset: Dataset, mc: ModelConfig, tc: TrainConfig, signature: tuple
) -> None:
    """Train (or Resume, Train more) / Pause / Reset, acting through callbacks on the LabSession.

    No button turns into its opposite where it stands: a double click's second
    click would land on it and undo the first (Pause then Resume). A paused run
    resumes from the first button, and Pause stays in its place, disabled.
    """
    live, key = session.live, session.key
    with live.borrow() as run:
        exists = run is not None
        changed = exists and session.signature != signature
        done = exists and run.done
        planned = run.train_config.epochs if exists else 0
        diverged = exists and run.status == "diverged"
    can_extend = exists and not changed and done and tc.epochs > planned
    lab = lab_with_key(key)
    lab = lab if lab is not None and takes_links(lab) else None
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    if lab is not None:
        with c4:
            experiment_link_ui(lab, mc, tc, dataset)
    resumes = exists and not changed and not live.running and not done  # _start resumes it
    if can_extend:
        train_label = t("common.train_more")
    else:
        train_label = t("common.resume") if resumes else t("common.train")
    c1.button(
        train_label,
        type="primary",
        key=f"{key}_train",
        width="stretch",
        on_click=_start,
        args=(session, dataset, mc, tc, signature),
        disabled=exists
        and not changed
        and not can_extend
        and (done or live.running)
        and not diverged,
    )
    c2.button(
        t("common.pause"),
        key=f"{key}_pause",
        width="stretch",
        on_click=_pause,
        args=(session,),
        disabled=not live.running or done,
    )
    c3.button(
        t("common.reset"),
        key=f"{key}_reset",
        width="stretch",
        on_click=_reset,
        args=(session,),
        disabled=not exists,
    )
    if changed and not session.uploaded:
        # A link opened over a trained run set them, not the student (a teacher's review).
        st.warning(t("common.changed_by_link" if link_in_effect(key) else "common.changed_setting"))
    elif changed:
        st.info(t("common.showing_upload"))
    if done and not changed and not can_extend and not diverged:
        # Train and Pause are both grey once a run has ended; nothing else says how to go on.
        st.caption(
            t(
                "common.train_more_hint",
                epochs=t("common.epochs"),
                train_more=t("common.train_more"),
            )
        )
    if exists and not changed and not done and tc.epochs != planned:
        live.set_epochs(tc.epochs)  # epochs can change mid-run: training stops at the new count
        _match_epochs(session, tc.epochs)
    _epochs_note(session, planned, tc.epochs)


def _match_epochs(session: LabSession, asked: int) -> None:
    """Set the Epochs slider to the run's planned epochs when an epoch under way kept them above it.

    Asked for 3 epochs in epoch 7, the run finishes that epoch first (models.TrainingRun.set_epochs);
    the slider, the link and the code view then say 7 too, and a note says why.
    """
    with session.live.borrow() as run:
        planned = run.train_config.epochs if run is not None else asked
    lab = lab_with_key(session.key)
    if planned > asked and lab is not None and lab.controls is not None:
        set_before_next_run(f"{lab.controls.prefix}_epochs", planned)
        st.session_state[EPOCHS_NOTE + session.key] = (asked, planned, session.live.generation)
        st.rerun()


def _epochs_note(session: LabSession, planned: int, slider: int) -> None:
    """Say why the slider moved (_match_epochs), while that run and the slider keep those epochs."""
    note = st.session_state.get(EPOCHS_NOTE + session.key)
    if note is None:
        return
    asked, epoch, generation = note
    if generation != session.live.generation or not planned == slider == epoch:  # moved on
        del st.session_state[EPOCHS_NOTE + session.key]
        return
    st.info(t("common.epochs_under_way", asked=asked, epoch=epoch))


def results_ui(run: BorrowedRun, coached: bool = False) -> None:
    """What a finished (or paused) run tells: why it stopped, and the per-epoch table.

    With `coached`, the coach (ui/coach/) words a diverged run, in the live view above.
    """
    reason = stop_text(run)
    if run.status == "diverged":
        if not coached:
            st.error(t("common.diverged", reason=reason))
    elif reason:
        st.info(reason)
    if run.device_note:
        st.caption(coded_text(run, "device", run.device_note))
    if run.history.epochs:
        with st.expander(t("common.metrics_per_epoch"), expanded=run.done):
            df = per_epoch_frame(run.history.epochs)
            df = df.rename(columns=lambda c: t(f"common.columns.{c}"))
            st.dataframe(df.set_index(t("common.columns.epoch")).round(4), width="stretch")


def per_epoch_frame(epochs: list[dict]) -> pd.DataFrame:
    """The history's rows as the per-epoch table shows them: speeds whole, each epoch's time in ms.

    A speed of 5237.5765 samples/s claimed more than anyone measured; the losses and
    accuracies keep the 4 decimals the table rounds them to. An XOR or Iris epoch takes a few
    milliseconds, which read 0.00 in seconds.
    """
    df = pd.DataFrame(epochs).drop(columns=["eval_seconds"], errors="ignore")
    if "samples_per_sec" in df:
        df["samples_per_sec"] = df["samples_per_sec"].round().astype("Int64")
    if "seconds" in df:
        df["seconds"] = (df["seconds"] * 1000).round(1)
        df = df.rename(columns={"seconds": "ms"})
    return df


def summary_ui(model_config: ModelConfig) -> None:
    """The Keras-style summary of the architecture the controls describe."""
    try:
        summary = model_summary(build_model(model_config))
    except ValueError as exc:
        st.error(error_text(exc))
        return
    rows = [
        {
            t("common.summary.layer"): r.layer,
            t("common.summary.shape"): r.output_shape,
            t("common.summary.params"): r.params,
        }
        for r in summary.rows
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("common.summary.total", total=summary.total_params))


def before_training_ui(
    dataset: Dataset, model_config: ModelConfig, preview: DataPreview | None
) -> None:
    """The model summary, and beside it the lab's look at the data (a chart).

    The chart also loads the browser's charting library (~5 MB of JavaScript
    to parse and compile) while the student reads the page. Without it that
    happened at the Train click, on the cores the first seconds of training
    needed (bench/README.md, "Live training loop").
    """
    left, right = st.columns(2) if preview is not None else (st.container(), None)
    with left:
        st.markdown(t("common.summary.heading"))
        summary_ui(model_config)
    if right is not None:
        with right:
            preview(dataset)


def training_panel(
    lab: str,
    dataset: Dataset,
    dataset_key: tuple,
    model_config: ModelConfig,
    train_config: TrainConfig,
    live_views: LiveViews | None = None,
    preview: DataPreview | None = None,
) -> LabSession:
    """Buttons, live charts, results and model files for one lab; returns its LabSession.

    `lab` is the lab's state key (lessons.registry). `live_views(run)` draws
    the lab's own views of the borrowed run inside the live fragment;
    `preview(dataset)` draws a look at the data before training.
    """
    session = lab_session(lab)
    signature = run_signature(dataset_key, model_config, train_config)
    # An upload waiting for this run: its restored sidebar has now built its data.
    adopt_pending(session, dataset, signature, model_config, train_config)
    if take_autostart(session):  # ui.compare.start_comparison asked for this run
        _start(session, dataset, model_config, train_config, signature)
    controls_row(session, dataset, model_config, train_config, signature)
    if not session.live.has_run:
        before_training_ui(dataset, model_config, preview)
    live_view(
        session, dataset.task, with_coach(session, live_views) if coached(lab) else live_views
    )
    if session.live.has_run and not session.live.running:
        with session.live.borrow() as run:
            results_ui(run, coached(lab))
    if compare_lab(lab):
        compare_panel(session)
    model_files_ui(session, dataset, model_config, train_config)
    # The code of the run the student trained (or loaded), else of the sidebar's settings.
    with session.live.borrow() as run:
        shown = (run.dataset, run.model_config, run.train_config) if run is not None else None
    code_view_ui(lab, *(shown or (dataset, model_config, train_config)))
    return session


def after_training_ui(session: LabSession, draw: LiveViews) -> None:
    """`draw(run)` with the borrowed run, once a run exists that is not training and has trained (or was loaded)."""
    live = session.live
    if live.running:
        return
    with live.borrow() as run:
        if run is not None and (run.step > 0 or run.epoch > 0):
            draw(run)


def coded_text(run: BorrowedRun, kind: str, english: str) -> str:
    """A run's coded message (`{kind}_code`, `{kind}_params`) in the session's language, else `english`."""
    code = getattr(run, f"{kind}_code", None)
    if code:
        return t(f"errors.{code}", **(getattr(run, f"{kind}_params", None) or {}))
    return english


def stop_text(run: BorrowedRun) -> str | None:
    """Why the run stopped, in the session's language (None while it has not stopped)."""
    if not run.stop_reason:
        return None
    return coded_text(run, "stop", run.stop_reason)
