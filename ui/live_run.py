"""A lab's live run for one session: the thread that trains it, and the only way to reach its model.

One LiveRun per lab per browser session (ui.state.lab_session) owns the
background thread, its lock and the run (a models.TrainingRun, or a
models.RunGroup of several). Nothing else holds the run, so code that draws or
predicts has exactly two ways in:

- `with live.borrow() as run:` holds the run still between two training
  slices and gives a view of it that stops working when the block ends;
- `live.inference_copy()` gives an eval-mode copy of the model to predict
  with, without waiting for the trainer.

Changes to a running run (its epochs) go through methods that take the lock.

Training admission: the thread asks models.admission for a slot before its
first slice and gives it back whenever it stops (ADMISSION, one per server
process); until then the run waits in a FIFO queue that the status line
shows. A run whose tab is closed leaves the queue after SESSION_GONE_SECONDS
(Streamlit's runtime says its session is no longer connected), and one that
nobody looks at after IDLE_STOP_SECONDS, like a training one.

Worker processes: with two or more slots (models.train_process.enabled), the
thread hands an admitted TrainingRun to a worker process of WORKERS and only
copies its progress into the run here under the lock (models.remote_run), so
runs training at once do not take turns on this process's GIL. Borrowers and
inference copies read the run here, as with a thread.

Why a thread: when the page's fragment trained a slice per rerun, training stopped whenever
the browser was slow to ask for the next one, leaving a busy 2-core server idle most of the
time (bench/README.md, "Live training loop"); now only the server's drawing pauses it.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import torch
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from models import TrainingRun, inference_copy
from models.admission import Admission, Ticket, turn_seconds
from models.remote_run import RemoteRun
from models.threads import live_threads
from models.train_process import WorkerPool, enabled
from ui.borrowed_run import BorrowedRun

_LOG = logging.getLogger(__name__)
# The trainer holds the run for TRAIN_SLICE_SECONDS at a time, so a redraw or
# a Pause click never waits longer than that for it.
TRAIN_SLICE_SECONDS = 0.05
# With nobody looking for this long (tab closed, student on another page) the
# thread stops; the lab's next redraw starts it again.
IDLE_STOP_SECONDS = 30.0
THREAD_PREFIX = "nnlab-trainer-"
# While a borrower holds the run, the trainer looks again at least this often (to see a stop).
BORROW_POLL_SECONDS = 0.05
# A waiting run looks this often whether it was admitted, stopped, or its tab is gone.
QUEUE_POLL_SECONDS = 0.05
# A run whose browser session has been disconnected this long leaves the queue (or its slot).
# Longer than a quick reload takes (ui.session_keeper hands the run to the reloaded page's
# new session), so such a reload keeps its place; a closed tab frees it within seconds
# instead of IDLE_STOP_SECONDS.
SESSION_GONE_SECONDS = 5.0
# The one admission queue of this server process (models/admission.py): its capacity follows
# the core count and models.threads' policy.
ADMISSION = Admission(turn_seconds=turn_seconds())
# One training process per slot (models/train_process.py): with several slots, an admitted
# TrainingRun trains in one, out of the GIL that the other runs and every session's drawing share.
WORKERS = WorkerPool(ADMISSION.capacity)
# A worker looks for the server's requests between slices this long. Nothing here waits for
# a slice (borrowers read the server's copy), so it can be longer than a thread's.
WORKER_SLICE_SECONDS = 0.1
# A stop waits this long for the thread to end; a slice that takes longer (an epoch's evaluation
# on a crowded server) ends on its own, since its thread's stop stays set.
STOP_JOIN_SECONDS = 30.0


class Trainable(Protocol):
    """What a LiveRun trains: a TrainingRun or a RunGroup."""

    @property
    def done(self) -> bool:
        """True once the run has trained all its epochs or stopped (early, diverged)."""
        ...

    def advance(self, seconds: float | None = None, threads: int | None = None) -> Any:
        """Train for at most `seconds` (None: to the end) with `threads` intra-op threads."""
        ...


class LiveRun:
    """One lab's run for one session, trained a slice at a time on a background thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._job: Trainable | None = None
        self._running = False
        # Re-entrant: code holding a borrow may call set_epochs without deadlocking itself.
        self._lock = threading.RLock()
        self._wanted = threading.Event()  # a borrower is waiting: the trainer lets it in first
        self._given_back = threading.Event()  # the last borrower is done: the trainer goes on
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen = time.monotonic()
        # (seconds earlier threads trained the current job, when this thread's training began):
        # one tuple, replaced whole, so a redraw reading it while the trainer stops its clock
        # never sees one half changed.
        self._clock: tuple[float, float | None] = (0.0, None)
        self.error: BaseException | None = None
        self._ticket: Ticket | None = None
        self.session_alive: Callable[[], bool] | None = None
        """False once the browser session that owns this run is gone (set on the first redraw)."""
        self.generation = 0
        """Counts the runs this object has held: caches key on it (an id() can be reused)."""
        self._epochs_planned: int | None = None  # the last set_epochs, re-applied over a worker's
        with _REGISTRY_LOCK:
            _LIVE_RUNS.add(self)

    # ------------------------------------------------------------ status
    @property
    def has_run(self) -> bool:
        """True while a run exists (trained, training, paused or loaded)."""
        return self._job is not None

    @property
    def running(self) -> bool:
        """True while the student wants training to go on (Train pressed, not paused, not done)."""
        return self._running

    @property
    def training_now(self) -> bool:
        """True while the background thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def queue_position(self) -> int | None:
        """Runs waiting ahead of this one for a free core (0: next), or None when it is not waiting."""
        ticket = self._ticket
        return ADMISSION.ahead(ticket) if ticket is not None else None

    @property
    def waits_after_turn(self) -> bool:
        """True once the queue sent the run back after a turn (read while it waits: not new in line)."""
        return self._ticket is not None and self._ticket.turns > 0

    @property
    def step(self) -> int:
        """Optimizer steps the run has taken, read without waiting for the trainer (0 without a run)."""
        return getattr(self._job, "step", 0)

    def latest_epoch(self) -> tuple[int, dict | None]:
        """(completed epochs, the last epoch's history row), read without waiting for the trainer.

        Safe while the run trains (the drawing pad must not wait for a slice): rows never change
        once appended, and a worker's replace the mirror's in one slice assignment.
        """
        job = self._job
        history = getattr(job, "history", None)
        return getattr(job, "epoch", 0), history.latest() if history is not None else None

    @property
    def seconds(self) -> float:
        """Wall-clock seconds the current run has trained here: pauses left out, redraws counted."""
        before, start = self._clock
        return before + (time.perf_counter() - start if start is not None else 0.0)

    # ----------------------------------------------------------- changes
    def start(self, job: Trainable, running: bool = True) -> None:
        """Replace the run with `job` (a new run, or one loaded from a file), training it if `running`."""
        self._stop_thread()
        self._job = job
        self._running = running and not job.done
        self._clock = (0.0, None)
        self.error = None
        self._epochs_planned = None
        self.generation += 1

    def resume(self) -> None:
        """Train the current run on (after Pause, or after more epochs were planned)."""
        if self._job is not None and not self._job.done:
            if not self._running:
                # A thread stopped by an error may still be on its way out: it ends first, so
                # the next redraw starts a new one instead of finding the old one alive.
                self._stop_thread()
            self.error = None
            self._running = True

    def pause(self) -> None:
        """Stop training after the current slice, and wait for it, so the paused run stays put."""
        self._running = False
        self._stop_thread()

    def reset(self) -> None:
        """Forget the run (its thread stopped first)."""
        self._stop_thread()
        self._job, self._running, self.error = None, False, None
        self._clock = (0.0, None)
        self.generation += 1

    def set_epochs(self, epochs: int) -> None:
        """Plan `epochs` epochs for the run, under the lock: a running run stops at the new count."""
        with self._locked():
            if self._job is not None:
                self._job.set_epochs(epochs)
                self._epochs_planned = self._job.train_config.epochs

    def finish(self) -> None:
        """Mark a done run as no longer running and stop its thread (called when a redraw sees it end)."""
        self._running = False
        self._stop_thread()

    # ------------------------------------------------------------ access
    @contextmanager
    def borrow(self) -> Iterator[BorrowedRun | None]:
        """Hold the run still for the with-block and give a read-only view of it (None without a run).

        The trainer finishes its slice (at most TRAIN_SLICE_SECONDS) and waits
        until the block ends.
        """
        with self._locked():
            view = BorrowedRun(self._job) if self._job is not None else None
            try:
                yield view
            finally:
                if view is not None:
                    view._close()

    def inference_copy(self) -> torch.nn.Module | None:
        """An eval-mode copy of the run's model for predicting, or None without a (single) run.

        Copied without waiting for the trainer: an epoch's end can hold the run
        for a second (MNIST scores 10,000 digits), and a drawing must not wait
        for it. A copy taken mid-step may mix two neighbouring steps, which is
        harmless for a prediction.
        """
        job = self._job
        model = getattr(job, "model", None)
        return inference_copy(model) if model is not None else None

    # ------------------------------------------------------------ thread
    def keep_training(self) -> None:
        """Called on every redraw: note that someone looks, and (re)start the thread if it should run."""
        self._seen = time.monotonic()
        if self.session_alive is None:
            self.session_alive = _session_alive_check()
        job = self._job
        if not self._running or job is None or job.done or self.training_now:
            return
        # Each thread its own stop: one that outlived its stop's join must not see a new
        # thread's cleared event and train the same run beside it.
        self._stop = stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, args=(job, stop), daemon=True, name=THREAD_PREFIX + self.name
        )
        self._thread.start()

    def follow_session(self) -> None:
        """Belong to the browser session of this script run (a reload's new session took it over)."""
        self.session_alive = _session_alive_check()

    def stop(self) -> None:
        """Stop the thread (the run is kept, still marked running: the next redraw restarts it)."""
        self._stop_thread()

    def _loop(self, job: Trainable, stop: threading.Event) -> None:
        current = None
        remote: RemoteRun | None = None  # the run's stay in a worker process
        failure: BaseException | None = None
        ticket = self._ticket = ADMISSION.join(self.name)
        try:
            if not self._wait_for_slot(job, ticket, stop):
                return
            movable = (
                enabled(ADMISSION.capacity) and isinstance(job, TrainingRun) and not job.callbacks
            )
            gone_since: list[float] = []
            while not stop.is_set():
                now = time.monotonic()
                if ADMISSION.turn_over(ticket, now):  # others waited a whole turn
                    # The worker goes back to the pool before the slot goes: the run admitted
                    # next takes it, instead of starting a second worker (~440 MB) beside it.
                    # (If the waiter left meanwhile, the run just moves into a worker again.)
                    leaving, remote = remote, None
                    self._close(leaving)
                    if ADMISSION.take_turn(ticket, now):  # to the back of the queue
                        self._pause_clock()
                        if not self._wait_for_slot(job, ticket, stop):
                            return
                threads = live_threads(max(1, ADMISSION.holding))
                if movable and remote is None:
                    remote = RemoteRun.hand_over(WORKERS, job, self._lock)
                    movable = remote is not None
                if remote is not None:
                    if not remote.round(
                        threads,
                        WORKER_SLICE_SECONDS,
                        QUEUE_POLL_SECONDS,
                        self._epochs_planned,
                        lambda: self._still_wanted(job, gone_since, stop),
                    ):
                        return
                    continue
                if self._wanted.is_set():
                    # Let the borrower take the run first, and sleep until it gives it back:
                    # waking every millisecond to look took the GIL from the drawing it waited for.
                    self._given_back.wait(timeout=BORROW_POLL_SECONDS)
                    continue
                if threads != current:
                    # Per thread once it has run parallel work (and the seed of threads started
                    # later): every trainer sets it from the same policy, so no session's value
                    # is left over for another (models/threads.py).
                    torch.set_num_threads(threads)
                    current = threads
                with self._lock:
                    if not self._still_wanted(job, gone_since, stop):
                        return
                    job.advance(seconds=TRAIN_SLICE_SECONDS, threads=threads)
        except Exception as exc:  # shown by the next redraw instead of dying silently
            _LOG.exception("Training run %r stopped on an error", self.name)
            failure = exc
        finally:
            try:
                self._close(remote)
            except Exception as exc:  # the worker was lost: the copy here stays as last sent
                if failure is None:  # its first report is already logged
                    _LOG.exception("Training run %r lost its worker process", self.name)
                failure = failure or exc
            # Every way out (finish, pause, reset, divergence, error, a closed tab) frees the slot.
            ADMISSION.release(ticket)
            # A thread that outlived its stop's join must not clear a newer thread's ticket,
            # nor stop its clock.
            if self._ticket is ticket:
                self._ticket = None
                self._pause_clock()
            if failure is not None:
                # Told last, once this thread has let go of everything: a Resume clicked on
                # seeing the error must not be undone by this thread's own clean-up.
                self.error = failure
                self._running = False

    @staticmethod
    def _close(remote: RemoteRun | None) -> None:
        """End a run's stay in a worker (if it has one): its full state comes back here."""
        if remote is not None:
            remote.close()

    def _pause_clock(self) -> None:
        before, start = self._clock
        if start is not None:
            self._clock = (before + time.perf_counter() - start, None)

    def _still_wanted(self, job: Trainable, gone_since: list[float], stop: threading.Event) -> bool:
        """True while this thread (stopped by `stop`) should go on: between slices, or in the queue."""
        now = time.monotonic()
        if (
            stop.is_set()
            or not self._running
            or self._job is not job
            or job.done
            or now - self._seen > IDLE_STOP_SECONDS
        ):
            return False
        alive = self.session_alive
        if alive is None or alive():
            gone_since.clear()
            return True
        if not gone_since:
            gone_since.append(now)
        return now - gone_since[0] <= SESSION_GONE_SECONDS

    def _wait_for_slot(self, job: Trainable, ticket: Ticket, stop: threading.Event) -> bool:
        """Wait in the queue until `ticket` holds a slot (True), or the run is no longer wanted."""
        gone_since: list[float] = []
        while not ADMISSION.wait(ticket, timeout=QUEUE_POLL_SECONDS):
            if not self._still_wanted(job, gone_since, stop):
                return False
        self._clock = (self._clock[0], time.perf_counter())  # training counts, not the queue
        return True

    def _stop_thread(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        if thread is not threading.current_thread():
            thread.join(timeout=STOP_JOIN_SECONDS)
        self._thread = None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._given_back.clear()
        self._wanted.set()
        try:
            with self._lock:
                yield
        finally:
            self._wanted.clear()
            self._given_back.set()


_LIVE_RUNS: weakref.WeakSet[LiveRun] = weakref.WeakSet()
_REGISTRY_LOCK = threading.Lock()  # sessions add LiveRuns while trainer threads count them


def _all_live_runs() -> list[LiveRun]:
    with _REGISTRY_LOCK:
        return list(_LIVE_RUNS)


def _session_alive_check() -> Callable[[], bool]:
    """A check that the browser session of this script run is still connected to the server.

    Streamlit keeps a disconnected session for a while so that a dropped
    connection can resume it; Runtime.is_active_session (safe from any thread) is True
    only while a browser is connected. Outside a server (AppTest, tests) there
    is nobody to ask, and the session counts as alive.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return lambda: True
    runtime, session_id = Runtime.instance(), ctx.session_id
    return lambda: runtime.is_active_session(session_id)


def stop_all() -> None:
    """Stop every live run's thread in this process (runs are kept); used at exit and by tests."""
    for live in _all_live_runs():
        live.stop()


def _stop_everything() -> None:
    stop_all()
    WORKERS.stop()


def trainer_threads() -> list[threading.Thread]:
    """Every trainer thread still alive in this process."""
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX) and t.is_alive()]


# At interpreter exit, let running slices end instead of killing threads inside torch.
atexit.register(_stop_everything)
