"""Live "more neurons" comparison: one TrainingRun per N, trained together as one RunGroup.

The group trains on the same engine as every lab's run (ui.live_run): its own
LiveRun in this session's state, a background thread advancing all N runs in
shared slices, and a fragment that borrows the group to redraw it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from data import Dataset
from models import ModelConfig, RunGroup, TrainConfig, TrainingRun
from ui.language import t
from ui.live_run import BorrowedRun, LiveRun
from ui.live_view import LIVE_INTERVAL, MIN_REDRAW_SECONDS
from ui.page_style import running_sign_style
from ui.state import session_object

LIVE_KEY = "ua_compare"
Draw = Callable[[list[tuple[int, object, float]]], None]


class CompareSession:
    """The comparison's LiveRun and the settings its group was started with."""

    def __init__(self) -> None:
        self.live = LiveRun(LIVE_KEY)
        self.key: tuple | None = None
        self.last_redraw: float | None = None


def compare_session() -> CompareSession:
    """This session's comparison state, created on first use."""
    return session_object("ua_compare_session", CompareSession)


def _start(dataset: Dataset, configs: dict[int, ModelConfig], tc: TrainConfig, key: tuple) -> None:
    session = compare_session()
    session.live.start(RunGroup({n: TrainingRun(dataset, mc, tc) for n, mc in configs.items()}))
    session.key = key


def _fits(group: BorrowedRun) -> list[tuple[int, object, float]]:
    fits = []
    for n, run in group.runs.items():
        last = run.history.latest()
        fits.append((n, run.model, float(last["valid_loss"]) if last else float("nan")))
    return fits


def _body(polling: bool, draw: Draw) -> None:
    session = compare_session()
    live = session.live
    if not live.has_run:
        return
    if live.running and session.last_redraw is not None:
        # A timer rerun: give the trainer the time until this redraw is due.
        wait = session.last_redraw + MIN_REDRAW_SECONDS - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    live.keep_training()
    session.last_redraw = time.perf_counter() if live.running else None
    with live.borrow() as group:
        ended = live.running and group.done
        total = group.epochs
        st.progress(
            min(1.0, group.epoch / max(1, total)),
            text=t("ua.compare.progress", epoch=group.epoch, total=total),
        )
        draw(_fits(group))
    if ended:
        live.finish()
    if polling and not live.running:
        st.rerun()  # a full rerun stops the polling


def compare_panel(
    dataset: Dataset, configs: dict[int, ModelConfig], tc: TrainConfig, key: tuple, draw: Draw
) -> None:
    """Start / pause buttons and the live small multiples; `draw(fits)` draws [(N, model, loss)]."""
    session = compare_session()
    live = session.live
    stale = live.has_run and session.key != key
    c1, c2, c3 = st.columns(3)
    c1.button(
        t("ua.compare.train"),
        type="primary",
        key="ua_compare",
        on_click=_start,
        args=(dataset, configs, tc, key),
    )
    if live.has_run and not stale:
        with live.borrow() as group:
            all_done = group.done
        # Pause and Resume each keep their place (ui/training_view.controls_row): a double
        # click on Pause lands on Pause again, now disabled, not on a Resume drawn there.
        c2.button(
            t("ua.compare.pause"),
            key="ua_compare_pause",
            on_click=live.pause,
            disabled=all_done or not live.running,
        )
        c3.button(
            t("ua.compare.resume"),
            key="ua_compare_resume",
            on_click=live.resume,
            disabled=all_done or live.running,
        )
    polling = live.running and not stale
    running_sign_style(live=polling)  # the progress line says it while the group trains
    if stale:
        st.caption(t("ua.compare.stale"))
        return
    st.fragment(_body, run_every=LIVE_INTERVAL if polling else None)(polling, draw)
