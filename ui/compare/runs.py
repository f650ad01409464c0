"""Keeping a lab's runs for comparison: recording, pinning, and starting a comparison run.

Entry points for other code (the coach's button among them):
- `pin_current(session)` pins the current run as the baseline;
- `start_comparison(lab_key, settings)` pins the current run, applies
  `settings` (CLI flag names, e.g. {"lr": 0.01}) to the lab's widgets and
  trains the changed run on the next script run, with the same seed unless
  `settings` names one.

The live fragment records the current run at every redraw (`sync`), and the
Train and Reset callbacks keep the run they replace (`keep_replaced`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lessons.registry import lab_with_key
from models import model_to_bytes
from models.run_record import record_of
from ui.compare.book import MAX_ON_CHART, CompareBook
from ui.experiment_settings import queue_settings
from ui.state import LabSession, lab_session

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ui.live_run import BorrowedRun

MAX_PINNED = MAX_ON_CHART - 1
"""Pins at most: each pinned run holds its weights, and all of them fit on the chart."""


def compare_lab(lab_key: str) -> bool:
    """True for the labs that compare runs: the exercises (XOR, Iris, Boston, MNIST and the like)."""
    lab = lab_with_key(lab_key)
    return lab is not None and lab.section == "Exercises"


def recordable(run: BorrowedRun | None) -> bool:
    """True for a single run trained here (not a run group, not a model only loaded from a file)."""
    return (
        run is not None
        and getattr(run, "model_config", None) is not None
        and bool(run.history.epochs)
        and run.step > 0
    )


def _weights(run: BorrowedRun) -> bytes:
    """The run's model as a model file's bytes, with the metadata a download needs."""
    return model_to_bytes(
        run.model, train_config=run.train_config, dataset=run.dataset, history=run.history
    )


def sync(session: LabSession, run: BorrowedRun | None, running: bool) -> None:
    """Record the borrowed current run as it stands (call inside `live.borrow()`).

    Cheap when nothing changed since the last call. A pinned run's weights
    are copied only when it is not training (they would be stale at once),
    and only once per state of the run.
    """
    book: CompareBook = session.compare
    if not recordable(run):
        return
    generation = session.live.generation
    if book.current_generation not in (None, generation):
        book.detach_current()  # replaced by a way that did not say so (an uploaded model)
    current = book.current if book.current_generation == generation else None
    if current is not None and (current.step, current.status) == (run.step, run.status):
        stale = current.pinned and not running and book.weights_at != (generation, run.step)
        if not stale:
            return

    def make(number: int, pinned: bool, old_bytes: bytes | None):
        if not pinned:
            return record_of(run, number)
        if running:  # no download of weights that no longer match the curves
            book.weights_at, old_bytes = None, None
        elif book.weights_at != (generation, run.step):
            old_bytes, book.weights_at = _weights(run), (generation, run.step)
        return record_of(run, number, pinned=True, model_bytes=old_bytes)

    book.upsert(generation, make)


def keep_replaced(session: LabSession) -> None:
    """Keep the current run as it stands before it is replaced (new Train, Reset); then detach it."""
    live = session.live
    with live.borrow() as run:
        if recordable(run):
            sync(session, run, running=False)
    session.compare.detach_current()


def pin_current(session: LabSession) -> bool:
    """Pin the current run as the baseline (with its weights if it is not training).

    Returns False when there is nothing to pin yet (no finished epoch) or
    MAX_PINNED runs are pinned already.
    """
    book: CompareBook = session.compare
    live = session.live
    with live.borrow() as run:
        sync(session, run, running=live.running)
        record = book.current if book.current_generation == live.generation else None
        if record is None:
            return False
        if record.pinned:
            return True
        if len(book.pinned) >= MAX_PINNED:
            return False
        weights = None if live.running else _weights(run)
        book.replace(record.with_pin(True, weights))
        book.weights_at = None if weights is None else (live.generation, run.step)
    return True


def pin(session: LabSession, number: int, pinned: bool) -> None:
    """Pin or unpin a kept run. A kept run's model is gone, so pinning one keeps no weights."""
    book: CompareBook = session.compare
    record = book.get(number)
    if record is None or record.pinned == pinned:
        return
    if pinned and len(book.pinned) >= MAX_PINNED:
        return
    if record is book.current:
        if pinned:
            pin_current(session)
            return
        book.weights_at = None
    book.replace(record.with_pin(pinned))
    if pinned and record is not book.current:
        book.show(number)


def start_comparison(lab_key: str, settings: Mapping[str, Any]) -> None:
    """Pin lab `lab_key`'s current run, apply `settings` to its widgets and train them next run.

    Works in a button's on_click callback as it is; called from the page's
    body, follow it with st.rerun(). The seed stays as the widgets have it,
    so the new run starts from the same initial weights and data order.
    """
    session = lab_session(lab_key)
    pin_current(session)
    queue_settings(lab_key, settings)
    session.compare.autostart = True


def take_autostart(session: LabSession) -> bool:
    """True once after start_comparison: the panel then trains with the page's settings."""
    book: CompareBook = session.compare
    start, book.autostart = book.autostart, False
    return start
