"""Start-up work done in the background, once per server process."""

from __future__ import annotations

import threading

import streamlit as st


def _warm_up() -> None:
    # Imported here, in the thread: importing torch takes seconds, and at the top
    # of this module it held up the server's first page, which needs no torch.
    from models.optimizers import warm_up
    from models.train_process import enabled
    from ui.live_run import ADMISSION, WORKERS

    warm_up()
    if enabled(ADMISSION.capacity):  # a worker imports torch too: started now, it is ready
        WORKERS.start()  # for the first Train click


@st.cache_resource(show_spinner=False)
def warm_up_in_background() -> threading.Thread:
    """Start (once per process) a thread that pays torch's lazy imports before the first Train click.

    Cached as a resource because it is process-wide, like the imports it
    triggers; it holds no run and nothing of any session.
    """
    thread = threading.Thread(target=_warm_up, name="nnlab-warmup", daemon=True)
    thread.start()
    return thread
