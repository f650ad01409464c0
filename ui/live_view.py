"""The live charts: a fragment that redraws a lab's run a few times a second while it trains.

The run trains on its LiveRun's thread (ui.live_run); each redraw borrows it
between two slices, draws the status line and the lab's own views, copies the
history, and gives it back; the training charts are drawn from the copies
after. Redraws are spaced so that drawing stays about DRAW_SHARE of the time.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from data import Dataset
from ui.compare.overlay import chart_runs
from ui.figures.compare import Curves, compare_loss_figure, compare_metric_figure
from ui.figures.training import loss_figure, metric_figure, step_loss_figure
from ui.i18n import Translator
from ui.language import error_text, t, translator
from ui.live_chart import chart_spec, live_line_chart
from ui.live_run import BorrowedRun
from ui.paced_views import paced_run
from ui.page_style import running_sign_style
from ui.state import LabSession

# Redraws start at least MIN_REDRAW_SECONDS apart (once a second) and further
# apart when drawing is slow, so that it takes at most DRAW_SHARE of the time,
# but never more than MAX_REDRAW_SECONDS apart. The frontend asks every
# LIVE_INTERVAL seconds; the fragment waits out the rest of the spacing.
# Why not twice a second, as before: each redraw costs the browser ~0.3-0.5 s of
# CPU on a real lab page (far more than its charts cost in a bare page), and on
# a 2-core machine that CPU comes out of training; once a second cut the browser's
# CPU during an MNIST run by about a fifth (bench/README.md, "Live training loop").
MIN_REDRAW_SECONDS = 1.0
MAX_REDRAW_SECONDS = 2.0
DRAW_SHARE = 0.05
# Each ask costs the tab a message with every widget's state, and the server its decoding;
# asks that come while the fragment runs are folded into one. A fragment run waits inside
# until its redraw is due, so it lasts about the redraw's spacing (1-2 s; 5 s in the queue):
# an ask always comes during it, and the next run starts as soon as it ends, as with 0.1 s.
# Only the first timer redraw after a full rerun can start up to LIVE_INTERVAL later, since
# the browser restarts its timer then. With 8 tabs on one server, asking every 0.5 s instead
# of 0.1 s gave the server about a tenth of a core more (bench/README.md, "A classroom on
# one server", twenty-first session).
LIVE_INTERVAL = 0.5
# A run waiting for a free core redraws only its place in the queue, this often: with 8
# sessions on one 2-core server, 7 waiting tabs redrawing every second kept the cores
# busy drawing (bench/README.md, "A classroom on one server").
QUEUED_REDRAW_SECONDS = 5.0
# The wait before a redraw goes in steps this long, each a chance to answer a click.
WAIT_STEP_SECONDS = 0.1
_YIELD_KEY = "live_view::yield"  # never stored: reading it is only a yield point

LiveViews = Callable[[BorrowedRun], None]
DataPreview = Callable[[Dataset], None]


def status_line(
    run: BorrowedRun,
    running: bool,
    seconds: float = 0.0,
    ahead: int | None = None,
    failed: bool = False,
    after_turn: bool = False,
) -> None:
    """Epoch counter, progress bar, throughput and (if it trained here) the time spent training.

    `ahead` is the run's place in the server's training queue (ui.live_run's
    queue_position): while it waits, the line says how many runs are ahead, and
    with `after_turn` that it waits because its turn ended (waits_after_turn).
    `failed`: training stopped on an error (shown above the line), so the line
    says so instead of "Paused".

    The samples/s count time inside training steps only; `seconds` is the wall
    clock while training ran, redraws included (bench/live_loop_speed.py
    reads both).
    """
    if run.step == 0 and getattr(run, "stop_code", None) == "loaded_from_file":
        # A model from a file has taken no step here: no step count or speed to show.
        word = t("common.status.loaded")
        text = t("common.status.loaded_line", word=word, epoch=run.epoch) if run.epoch else word
        st.progress(run.progress, text=text)
        return
    if run.done:
        status = run.status
    elif failed:
        status = "error"
    else:
        status = "training" if running else ("paused" if run.step else "ready")
    word = t(f"common.status.{status}")
    if running and not run.done and ahead is not None:
        # A run sent back after its turn is taking turns; a resumed one is new in line.
        kind = "turn" if after_turn else "queue"
        word = (
            t(f"classroom.{kind}.next") if ahead == 0 else t(f"classroom.{kind}.ahead", ahead=ahead)
        )
        if not run.step:  # no step or speed yet: zeros would only be noise
            total = run.train_config.epochs
            line = t("common.status.line_waiting", word=word, epoch=run.epoch, total=total)
            st.progress(run.progress, text=line)
            return
    clock = t("common.status.clock", seconds=seconds) if seconds > 0 else ""
    st.progress(
        run.progress,
        text=t(
            "common.status.line",
            word=word,
            epoch=run.epoch,
            total=run.train_config.epochs,
            step=run.step,
            rate=run.samples_per_sec,
            clock=clock,
        ),
    )


def redraw_period(draw_seconds: float) -> float:
    """Seconds between redraw starts so that drawing (draw_seconds each) is ~DRAW_SHARE of the time."""
    return min(MAX_REDRAW_SECONDS, max(MIN_REDRAW_SECONDS, draw_seconds / DRAW_SHARE))


def _chart(where, fig: go.Figure | dict, key: str, light: bool) -> None:
    """One training chart in its column `where`.

    On the light canvas chart while a run trains, else in Plotly. Either way
    one element at the same place: a container around one of them would turn
    an element into a block between two redraws, which Streamlit's frontend
    can fail to apply ("'setIn' cannot be called on an ElementNode"). A dict
    is a light chart's spec, made already.
    """
    if not light:
        where.plotly_chart(fig, width="stretch")
        return
    with where:
        live_line_chart(fig, key=f"live_chart::{key}")


@dataclass(frozen=True)
class ChartData:
    """What the training charts draw, copied from a borrowed run: they are drawn after the borrow."""

    epochs: list[dict]
    step_loss: list[float]
    task: str
    overlay: Sequence[Curves] = ()

    @classmethod
    def of(cls, run: BorrowedRun, overlay: Sequence[Curves] = ()) -> ChartData:
        """Copies of `run`'s history lists (the trainer appends to them once it has the run back)."""
        history = run.history
        return cls(list(history.epochs), list(history.step_loss), run.task, overlay)


def chart_places() -> tuple:
    """The three training charts' places: loss and metric side by side, loss per step below.

    Each is a column, made before the charts are drawn into it, so a redraw can make the
    places while it holds the run and draw the charts once the trainer has it back
    (_live_body). The steps' chart has a column of its own so the page's tree is the same
    before, while and after a run.
    """
    c1, c2 = st.columns(2)
    (c3,) = st.columns(1)
    return c1, c2, c3


def training_charts(data: ChartData, places: tuple, light: bool = False) -> None:
    """Loss per epoch, the task's metric, and loss per step, at `places` (chart_places).

    `data.overlay` (ui.compare.overlay.chart_runs) holds the runs to compare, the
    current one among them, each in its own colour; empty: this run alone.
    `light`: draw them with ui.live_chart (while the run trains) instead of
    Plotly, whose hover, zoom and download come back once it stops.
    """
    tr = translator()
    if data.overlay:
        loss = compare_loss_figure(data.overlay, tr=tr)
        metric = compare_metric_figure(data.overlay, data.task, tr=tr)
    else:
        loss = loss_figure(data.epochs, tr=tr)
        metric = metric_figure(data.epochs, data.task, tr=tr)
    # Epochs without steps: a model from a file, whose history has no per-step losses.
    from_file = bool(data.epochs) and not data.step_loss
    step_loss = step_loss_figure(data.step_loss, tr=tr, note=from_file)
    _charts(loss, metric, step_loss, light, places)


def _charts(
    loss: go.Figure | dict,
    metric: go.Figure | dict,
    step_loss: go.Figure | dict,
    light: bool,
    places: tuple | None = None,
) -> None:
    """The three training charts at their places (chart_places)."""
    c1, c2, c3 = places or chart_places()
    _chart(c1, loss, "loss", light)
    _chart(c2, metric, "metric", light)
    _chart(c3, step_loss, "step_loss", light)


def empty_training_charts(task: str) -> None:
    """The training charts before a lab's first run: no lines yet, on the light renderer.

    They stand where the run's charts will, drawn by the same component, so the
    browser has loaded its code before the first Train click (see _live_body).
    """
    _charts(*_empty_chart_specs(translator().language, task), light=True)


@functools.lru_cache(maxsize=16)
def _empty_chart_specs(language: str, task: str) -> tuple[dict, dict, dict]:
    """The empty training charts' specs, made once per language and task.

    They are drawn at every rerun before a first run, and making them from
    figures took ~11 ms of each (the three charts, on this 2-core machine).
    """
    tr = Translator(language)
    figures = (loss_figure([], tr=tr), metric_figure([], task, tr=tr), step_loss_figure([], tr=tr))
    return tuple(chart_spec(fig) for fig in figures)


def _wait_until_due(session: LabSession) -> None:
    """On a timer rerun, let the trainer work until this redraw is due.

    Waits in WAIT_STEP_SECONDS steps, reading the session state after each:
    Streamlit checks there for a pending full rerun, so a click during the
    wait is answered at once. A waiting run redraws as soon as it is admitted,
    and a run whose trainer thread has ended (finished, stopped early,
    diverged) at once.
    """
    clock = session.redraw
    if session.full_run or clock.last_start is None:
        return
    queued = session.live.queue_position is not None
    # Nothing moves while a run waits: its tab redraws rarely, leaving the CPU to training.
    period = QUEUED_REDRAW_SECONDS if queued else redraw_period(clock.draw_seconds)
    due = clock.last_start + period
    while (left := due - time.perf_counter()) > 0:
        time.sleep(min(left, WAIT_STEP_SECONDS))
        _ = _YIELD_KEY in st.session_state  # a yield point: a pending click's rerun starts here
        if queued and session.live.queue_position is None:
            return
        if not session.live.training_now:
            return  # the run ended (or stopped): show it now, not at the due time


def _finish_ended_run(session: LabSession) -> bool:
    """On a timer redraw, finish a run that has ended (finished, stopped early, diverged).

    Returns True if it did, and then the page should rerun whole at once: that
    rerun draws the ended run once, with its Plotly charts and after-training
    views. Drawing it in this fragment first cost the server and the browser a
    second copy at every run's end, the moment the next run in the training
    queue starts (bench/README.md, "A classroom on one server"). A run that
    stopped on an error keeps the fragment's redraw, which shows the error.
    """
    live = session.live
    if session.full_run or not live.running or live.error is not None:
        return False
    with live.borrow() as run:
        ended = run is not None and run.done
    if ended:
        session.redraw.last_start = None
        session.views_model.model = None  # the full rerun's views read the run itself
        live.finish()
    return ended


def _live_body(session: LabSession, polling: bool, live_views: LiveViews | None, task: str) -> None:
    live = session.live
    if not live.has_run:
        # The status line is there before the first run, at the place the run's will take.
        # Streamlit's frontend fetches a kind of element's code the first time one appears:
        # when the first Train click brought the first status line, a busy classroom tab could
        # show nothing of its run until the run had ended (bench/README.md, "A classroom on
        # one server", eighteenth session).
        st.progress(0, text=t("common.status.ready"))
        empty_training_charts(task)
        return
    if live.running:
        _wait_until_due(session)
        live.keep_training()
        if polling and _finish_ended_run(session):
            st.rerun()
    start = time.perf_counter()
    with live.borrow() as run:
        drawing_from = time.perf_counter()  # the wait for the slice to end was training time
        if live.error is not None:
            st.error(
                t(
                    "common.unexpected_error",
                    kind=type(live.error).__name__,
                    message=error_text(live.error),
                )
            )
        ended = live.running and run.done
        training = live.running and not ended
        status_line(
            run,
            training,
            live.seconds,
            live.queue_position,
            live.error is not None,
            after_turn=live.waits_after_turn,
        )
        places = chart_places()
        charts = ChartData.of(run, chart_runs(session, run, translator()))
        # A run waiting for its first turn in the training queue has nothing to show in the
        # lab's views: they come with its first redraw once admitted, so a class clicking Train
        # at once does not draw 30 untrained models' charts (bench/README.md, "A classroom
        # on one server", eighth session). A run back in the queue after its turn keeps them.
        if live_views is not None and (live.queue_position is None or run.step > 0):
            # While it trains, the lab's views see the model as of their last refresh
            # (ui.paced_views); paused or ended, the run itself.
            live_views(
                paced_run(run, session.views_model, live.generation, refresh=session.full_run)
                if training
                else run
            )
    # The charts are drawn from copies once the trainer has the run back: making and sending
    # them was about half of the time a redraw held it (bench/README.md, "Live training loop",
    # twentieth session).
    training_charts(charts, places, light=training)
    clock = session.redraw
    if live.running and not ended:
        took = time.perf_counter() - drawing_from
        # The first redraw after Train or Resume pays one-off costs (Boston fits its
        # baselines, caches fill): 0.35-0.45 s against 40-80 ms later. Pacing on it
        # spaced a whole 1000-epoch Boston run at one redraw every 2 s, so it is left out.
        if clock.last_start is not None:
            clock.draw_seconds = (
                took if not clock.draw_seconds else 0.5 * (clock.draw_seconds + took)
            )
        clock.last_start = start
    else:
        clock.last_start = None
        # A paused or ended run's views read the run itself: no second copy kept per session.
        session.views_model.model = None
    if ended:
        live.finish()
    if polling and not live.running:
        st.rerun()  # a full rerun stops the polling and shows the after-training views


def live_view(session: LabSession, task: str, live_views: LiveViews | None = None) -> None:
    """The charts, redrawn a few times a second while the session's run trains.

    Before the first run the training charts stand empty, the metric chart the lab's `task`'s.

    Drawn inline on a full run (at once, unpaced), then by the fragment's timer.
    """
    polling = session.live.running
    running_sign_style(live=polling)  # the status line says it while the run trains or waits
    session.full_run = True
    try:
        st.fragment(_live_body, run_every=LIVE_INTERVAL if polling else None)(
            session, polling, live_views, task
        )
    finally:
        session.full_run = False
