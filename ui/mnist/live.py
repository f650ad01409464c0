"""A live validation-accuracy estimate while an MNIST epoch is still running.

The trainer scores the full 10,000 validation digits at each epoch's end
(the epoch chart). An epoch takes seconds to a minute, so in between this
scores a fixed subset, the first 1,000, at most once every REFRESH seconds
so that estimating never steals much time from training.
"""

from __future__ import annotations

import time

import streamlit as st

from ui.language import t
from ui.live_run import BorrowedRun
from ui.mnist.session import mnist_session
from ui.state import lab_session

SUBSET = 1000
REFRESH = 2.0


def live_estimate(run: BorrowedRun) -> None:
    """Shown inside the training fragment: subset accuracy now, and the last full-set accuracy."""
    own = mnist_session()
    generation = lab_session("mnist").live.generation
    cached = own.live_estimate
    # Keyed on the run's generation, not id(run): a run started after Reset may get the old one's id.
    stale = (
        cached is None
        or cached[0] != generation
        or (cached[1] != run.step and time.perf_counter() - cached[3] >= REFRESH)
    )
    if stale and run.step > 0:
        acc = run.evaluate("valid", limit=SUBSET).get("accuracy")
        cached = (generation, run.step, acc, time.perf_counter())
        own.live_estimate = cached
    n = min(SUBSET, len(run.dataset.y_valid))
    c1, c2 = st.columns(2)
    if cached is not None and cached[0] == generation and cached[2] is not None:
        c1.metric(
            t("mnist.live.now", n=n),
            f"{cached[2]:.1%}",
            help=t("mnist.live.now_help", refresh=REFRESH, n=n),
        )
    last = run.history.latest()
    if last is not None and "valid_accuracy" in last:
        c2.metric(
            t("mnist.live.after_epoch", epoch=last["epoch"], total=len(run.dataset.y_valid)),
            f"{last['valid_accuracy']:.2%}",
        )
