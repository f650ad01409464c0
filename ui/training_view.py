"""The live training view every lab shares: Train / Pause / Reset, live charts, results.

Training happens in short time slices on a per-session trainer thread
(`_Trainer`), and an `st.fragment(run_every=...)` redraws the charts a few
times a second, borrowing the run between two slices. The run object lives in
st.session_state (ui.state.lab_state), so reruns, slider moves, page switches
and pauses all find it where they left it.

Why a thread: when the fragment itself trained a slice per run, training
stopped whenever the browser was slow to ask for the next run (it renders the
charts first), and on a busy 2-core machine that left the server idle most of
the time (bench/README.md, "Live training loop"). Now training goes on while
the browser draws; only the drawing itself pauses it, and redraws are spaced
so that drawing stays about DRAW_SHARE of the time. Code outside the live
views that uses the model of a run that may be training wraps that use in
`borrow_run(lab)`.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

import pandas as pd
import streamlit as st
import torch

from data import Dataset
from models import ModelConfig, TrainConfig, TrainingRun, build_model, model_summary
from ui.figures.training import loss_figure, metric_figure, step_loss_figure
from ui.model_files import model_files_ui
from ui.state import LabState, lab_state

# The trainer thread holds the run for TRAIN_SLICE_SECONDS at a time, so a
# redraw or a Pause click never waits longer than that for it.
TRAIN_SLICE_SECONDS = 0.05
# Redraws start at least MIN_REDRAW_SECONDS apart (2 a second) and further
# apart when drawing is slow, so that it takes at most DRAW_SHARE of the time,
# but never more than MAX_REDRAW_SECONDS apart. The frontend asks every
# LIVE_INTERVAL seconds; the fragment waits out the rest of the spacing.
# Why not 3 a second, with drawing 10% of the time: on the 2-core machine the
# browser spends ~0.25 s of CPU redrawing a lab's charts, nearly all of the
# core the trainer leaves, and the server's drawing stops the trainer. At
# 3 a second and 10% live training ran at 81-88% of headless (XOR, Iris,
# Boston); at 2 a second and 5% (XOR's and Iris's views take 35-45 ms, so they
# redraw every ~0.8 s) it reached 87-88% for XOR and Iris (bench/README.md,
# "Live training loop").
MIN_REDRAW_SECONDS = 0.5
MAX_REDRAW_SECONDS = 2.0
DRAW_SHARE = 0.05
LIVE_INTERVAL = 0.1
# Training time per fragment run for loops that still train inside their
# fragment (ui.concepts.ua_compare trains several small runs side by side).
SLICE_SECONDS = 0.3
# With no redraw for this long (tab closed, student on another page) the
# trainer thread stops; the next redraw of the lab starts it again.
IDLE_STOP_SECONDS = 30.0
# Intra-op threads for live training: all cores but one, which the browser
# drawing the charts and the server's redraws need. On the 2-core machine,
# MNIST's fast MLP trained 2x faster live with 1 thread than with 2 (55k ->
# 107k samples/s; bench/README.md, "Live training loop"): with both cores
# asked for, every parallel matmul waited for the thread the browser displaced.
# Each trainer thread sets it when it starts. With OpenMP this also becomes
# the count that threads started later take, so the server converges on it:
# the same policy for every session, never a value left over from another.
LIVE_THREADS = max(1, (os.cpu_count() or 2) - 1)

LiveView = Callable[[TrainingRun], None]
DataPreview = Callable[[Dataset], None]


def run_signature(
    dataset_key: tuple, model_config: ModelConfig, train_config: TrainConfig
) -> tuple:
    """Everything whose change needs a new run (epochs excluded: they can be extended)."""
    tc = train_config.to_dict()
    tc.pop("epochs")
    return (
        dataset_key,
        json.dumps(model_config.to_dict(), sort_keys=True),
        json.dumps(tc, sort_keys=True),
    )


class _Trainer:
    """Advances one run on a background thread, a short slice at a time, until told to stop.

    The script thread `borrow()`s the run to draw it: the trainer finishes its
    slice and waits until the drawing is done, so views always see a run that
    is not changing under them.
    """

    def __init__(self, state: LabState, run: TrainingRun) -> None:
        self.run = run
        self.error: BaseException | None = None
        self.seen = time.monotonic()  # last redraw; the thread stops when nobody looks
        self.started, self.ended = time.perf_counter(), None
        self._lock = threading.Lock()
        self._wanted = threading.Event()  # the script thread is waiting for the run
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop,
            args=(state,),
            daemon=True,
            name=f"nnlab-trainer-{state.extras.get('key', 'lab')}",
        )
        self._thread.start()
        _TRAINERS.add(self)

    def _loop(self, state: LabState) -> None:
        run = self.run
        try:
            torch.set_num_threads(LIVE_THREADS)
            self._train(state, run)
        except Exception as exc:  # shown by the next redraw instead of dying silently
            self.error = exc
        finally:
            self.ended = time.perf_counter()

    def _train(self, state: LabState, run: TrainingRun) -> None:
        while not self._stop.is_set():
            if self._wanted.is_set():
                time.sleep(0.001)  # let the waiting redraw take the run first
                continue
            with self._lock:
                if (
                    self._stop.is_set()
                    or not state.running
                    or state.run is not run
                    or run.done
                    or time.monotonic() - self.seen > IDLE_STOP_SECONDS
                ):
                    return
                run.advance(seconds=TRAIN_SLICE_SECONDS)

    @property
    def live_seconds(self) -> float:
        """Wall time since this thread started training, until it stopped (redraws included)."""
        return (self.ended or time.perf_counter()) - self.started

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @contextmanager
    def borrow(self) -> Iterator[None]:
        """Hold the run (between two slices) for the duration of the with-block."""
        self._wanted.set()
        try:
            with self._lock:
                yield
        finally:
            self._wanted.clear()

    def stop(self) -> None:
        """Stop after the current slice and wait for it (a few tens of ms)."""
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=10)


_TRAINERS: weakref.WeakSet[_Trainer] = weakref.WeakSet()


@atexit.register
def _stop_all_trainers() -> None:
    """At interpreter exit, let running slices end instead of killing threads inside torch."""
    for trainer in list(_TRAINERS):
        trainer.stop()


def _stop_trainer(state: LabState) -> None:
    trainer = state.extras.pop("trainer", None)
    if trainer is not None:
        trainer.stop()
        state.extras["wall_done"] = (
            trainer.run,
            _earlier_seconds(state, trainer.run) + trainer.live_seconds,
        )


def _earlier_seconds(state: LabState, run: TrainingRun) -> float:
    done = state.extras.get("wall_done")  # (run, seconds its stopped trainer threads trained)
    return done[1] if done is not None and done[0] is run else 0.0


def training_seconds(state: LabState, run: TrainingRun) -> float:
    """Wall-clock seconds `run` has trained live so far: pauses left out, redraws in between counted."""
    trainer = state.extras.get("trainer")
    current = trainer.live_seconds if trainer is not None and trainer.run is run else 0.0
    return _earlier_seconds(state, run) + current


def _ensure_trainer(state: LabState, run: TrainingRun) -> _Trainer:
    trainer = state.extras.get("trainer")
    if trainer is None or trainer.run is not run or not trainer.alive:
        _stop_trainer(state)
        trainer = state.extras["trainer"] = _Trainer(state, run)
    return trainer


@contextmanager
def borrow_run(lab: str) -> Iterator[None]:
    """Keep `lab`'s run still for the with-block (it trains on a background thread).

    The live views always see a still run. Other code that uses the run's
    model while it may be training should wrap that use in this (without it,
    it reads weights mid-update), or, when it must not wait for a slice that
    may end an epoch, read `models.inference_copy(run.model)` instead, as the
    MNIST drawing pad does.
    """
    trainer = lab_state(lab).extras.get("trainer")
    with trainer.borrow() if trainer is not None and trainer.alive else nullcontext():
        yield


def _start(
    state: LabState, dataset: Dataset, mc: ModelConfig, tc: TrainConfig, signature: tuple
) -> None:
    _stop_trainer(state)
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
    state.extras.pop("wall_done", None)  # the old run's clock, and the reference that kept it alive
    state.running = True


def _reset(state: LabState) -> None:
    _stop_trainer(state)
    if state.run is not None and state.run.history.epochs:
        state.previous_history = state.run.history.epochs
    state.run, state.running, state.signature = None, False, None
    state.extras.pop("uploaded", None)
    state.extras.pop("wall_done", None)


def _toggle_pause(state: LabState) -> None:
    state.running = not state.running
    if not state.running:
        _stop_trainer(state)  # waits for the current slice, so the paused run stays put


def controls_row(
    state: LabState, dataset: Dataset, mc: ModelConfig, tc: TrainConfig, signature: tuple
) -> None:
    """Train / Pause-Resume / Reset buttons, acting through callbacks on the session's LabState."""
    run = state.run
    changed = run is not None and state.signature != signature
    can_extend = (
        run is not None and not changed and run.done and tc.epochs > run.train_config.epochs
    )
    c1, c2, c3 = st.columns(3)
    label = "Train" if run is None or changed else ("Train more" if can_extend else "Train")
    c1.button(
        label,
        type="primary",
        key=f"{state_key(state)}_train",
        width="stretch",
        on_click=_start,
        args=(state, dataset, mc, tc, signature),
        disabled=run is not None
        and not changed
        and not can_extend
        and (run.done or state.running)
        and run.status != "diverged",
    )
    c2.button(
        "Resume" if (run and not state.running and not run.done) else "Pause",
        key=f"{state_key(state)}_pause",
        width="stretch",
        on_click=_toggle_pause,
        args=(state,),
        disabled=run is None or run.done,
    )
    c3.button(
        "Reset",
        key=f"{state_key(state)}_reset",
        width="stretch",
        on_click=_reset,
        args=(state,),
        disabled=run is None,
    )
    if changed and not state.extras.get("uploaded"):
        st.warning(
            "You changed a ↻ setting. The results below still belong to the run trained with the old "
            "settings; press **Train** to start a new run with the new ones (download the model first "
            "if you want to keep it)."
        )
    elif changed:
        st.info(
            "Showing the model you uploaded. Press **Train** to train a new one with the settings on the left."
        )
    if run is not None and not changed and not run.done and tc.epochs != run.train_config.epochs:
        # Epochs can change mid-run: training simply stops at the new count.
        run.train_config.epochs = max(tc.epochs, run.epoch + 1)


def state_key(state: LabState) -> str:
    """A stable widget-key prefix for a lab's state object."""
    return state.extras.setdefault("key", f"lab{id(state)}")


def status_line(run: TrainingRun, running: bool, seconds: float = 0.0) -> None:
    """Epoch counter, progress bar, throughput and (if it trained here) the time spent training.

    The samples/s count time inside training steps only; `seconds` is the wall
    clock while training ran, redraws included (bench/live_loop_speed.py
    reads both).
    """
    total = run.train_config.epochs
    word = {"diverged": "Diverged", "early_stopped": "Stopped early", "finished": "Finished"}.get(
        run.status, "Training" if running else ("Paused" if run.step else "Ready")
    )
    clock = f" · {seconds:,.2f} s" if seconds > 0 else ""
    st.progress(
        run.progress,
        text=f"{word} · epoch {run.epoch}/{total} · step {run.step:,} · "
        f"{run.samples_per_sec:,.0f} samples/s{clock}",
    )


def redraw_period(draw_seconds: float) -> float:
    """Seconds between redraw starts so that drawing (draw_seconds each) is ~DRAW_SHARE of the time."""
    return min(MAX_REDRAW_SECONDS, max(MIN_REDRAW_SECONDS, draw_seconds / DRAW_SHARE))


def _live_body(lab: str, live_views: LiveView | None) -> None:
    state = lab_state(lab)
    run = state.run
    if run is None:
        return
    # tick["draw"]: smoothed seconds one redraw takes; tick["start"]: when the last one began.
    tick = state.extras.setdefault("live_tick", {"draw": 0.0, "start": None})
    trainer = None
    if state.running and not run.done:
        if not state.extras.get("full_run") and tick["start"] is not None:
            # A timer rerun: let the trainer work until this redraw is due.
            wait = tick["start"] + redraw_period(tick["draw"]) - time.perf_counter()
            if wait > 0:
                time.sleep(min(wait, MAX_REDRAW_SECONDS))
        trainer = _ensure_trainer(state, run)
    start = time.perf_counter()
    finished_now = False
    with trainer.borrow() if trainer is not None else nullcontext():
        drawing_from = (
            time.perf_counter()
        )  # the wait for the slice to end was training time, not drawing
        if trainer is not None and trainer.error is not None:
            state.running = False
            st.error(
                f"Training stopped because of an unexpected error ({type(trainer.error).__name__}: "
                f"{trainer.error}). The model and the history up to this point are kept: press "
                "**Resume** to try again, or **Reset** to start over."
            )
        elif state.running and run.done:
            state.running, finished_now = False, True
        status_line(run, state.running, training_seconds(state, run))
        epochs = run.history.epochs
        c1, c2 = st.columns(2)
        c1.plotly_chart(loss_figure(epochs, state.previous_history), width="stretch")
        c2.plotly_chart(metric_figure(epochs, run.task), width="stretch")
        st.plotly_chart(step_loss_figure(run.history.step_loss), width="stretch")
        if live_views is not None:
            live_views(run)
    if trainer is not None:
        trainer.seen = time.monotonic()
        took = time.perf_counter() - drawing_from
        # The first redraw after Train or Resume pays one-off costs (Boston fits its baselines, caches
        # fill): 0.35-0.45 s against 40-80 ms later. Pacing on it spaced a whole 1000-epoch Boston run
        # at one redraw every 2 s, so it is left out.
        if tick["start"] is not None:
            tick["draw"] = took if not tick["draw"] else 0.5 * tick["draw"] + 0.5 * took
        tick["start"] = start
    else:
        tick["start"] = None
    if finished_now:
        _stop_trainer(state)
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
            st.dataframe(
                df.drop(columns=["eval_seconds"], errors="ignore").round(4), width="stretch"
            )


def summary_ui(model_config: ModelConfig) -> None:
    """The Keras-style summary of the architecture the controls describe."""
    try:
        summary = model_summary(build_model(model_config))
    except ValueError as exc:
        st.error(str(exc))
        return
    st.dataframe(pd.DataFrame(summary.rows_as_dicts()), hide_index=True, width="stretch")
    st.caption(f"Total parameters: {summary.total_params:,} (all trainable)")


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
        st.markdown("**Model summary** (before training)")
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
    live_views: LiveView | None = None,
    preview: DataPreview | None = None,
) -> LabState:
    """Buttons, live charts, results and model files for one lab; returns its LabState.

    `live_views(run)` draws the lab's own views of the model inside the live
    fragment; `preview(dataset)` draws a look at the data before training.
    """
    state = lab_state(lab)
    state.extras.setdefault("key", lab)
    signature = run_signature(dataset_key, model_config, train_config)
    controls_row(state, dataset, model_config, train_config, signature)
    if state.run is None:
        before_training_ui(dataset, model_config, preview)
    state.extras["full_run"] = True  # the fragment runs inline: draw at once, don't pace
    try:
        live_view(lab, live_views)
    finally:
        state.extras["full_run"] = False
    if state.run is not None and not state.running:
        results_ui(state.run)
    model_files_ui(state, dataset, train_config)
    return state
