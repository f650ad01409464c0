"""Training in worker processes of their own, outside the server's GIL.

A Streamlit server runs every session's script and every trainer thread in one
Python process, so a run's training steps wait for the GIL whenever other
sessions draw. A TrainWorker is a process that holds one run at a time: the
server hands it the run (`take`), lets it train on its own (`train`), reads
its progress when it can (`want`, then `messages`) into the copy of the run
it draws, stops it (`stop_training`) and takes the run back (`give_back`).
Only state crosses the pipe (models/run_transfer.py); a dataset is sent once
and kept in the worker. The worker's side is models/train_worker.py.

A WorkerPool keeps as many workers as the server has training slots
(models/admission.py), started once (importing torch takes seconds) and reused.

Pure Python: the server (ui/live_run.py), benches and tests use it alike.
"""

from __future__ import annotations

import os
import pickle
import socket
import subprocess
import sys
import threading
import weakref
from collections import OrderedDict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

from data.errors import CodedError
from models.run_transfer import full_state
from models.train_worker import DATASETS_KEPT, dumps
from models.trainer import TrainingRun

# "1" trains in worker processes, "0" on the server's own threads; unset, `enabled` decides.
PROCESS_ENV = "NNLAB_TRAIN_PROCESS"
# The project's root: the worker runs `-m models.train_worker` from there.
ROOT = Path(__file__).resolve().parents[1]
# A worker that does not answer a command within this long is taken to be lost.
ANSWER_SECONDS = 120.0


def enabled(slots: int) -> bool:
    """True when runs should train in worker processes, for a server with `slots` training slots.

    NNLAB_TRAIN_PROCESS=1 or 0 decides. Unset: only with two or more slots (three or
    more cores), because one process's runs share its GIL: two small-model runs on threads
    trained half as fast in all as one alone, and in two workers twice as fast. With one
    slot a single run alone trains a few points faster in a worker, but eight sessions
    train a little less in all with it, and it holds its own ~430 MB (bench/README.md,
    "A classroom on one server", eleventh, twelfth and twenty-fifth sessions).
    """
    choice = os.environ.get(PROCESS_ENV, "").strip()
    return choice == "1" if choice in ("0", "1") else slots >= 2


class TrainingProcessLost(CodedError):
    """The worker process that trained a run ended or stopped answering."""


def _lost(exitcode: int | None) -> TrainingProcessLost:
    return TrainingProcessLost(
        "training_process_lost",
        f"The process that trained this run stopped unexpectedly (exit code {exitcode}).",
        exitcode="?" if exitcode is None else exitcode,
    )


class TrainWorker:
    """One worker process and the server's end of its pipe; used by one trainer thread at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._conn: Any = None
        # The datasets the worker holds, token -> dataset, oldest first: the worker's own
        # OrderedDict, kept in the same order by the same rule (DATASETS_KEPT, moved on use).
        self._sent: OrderedDict[int, weakref.ref] = OrderedDict()
        self._tokens = iter(range(1, 2**62))
        # The pool's start (a background thread at server start) and a first run's `take` can
        # start the same worker at once: two processes, and a run sent to the one whose pipe
        # was then dropped, waiting ANSWER_SECONDS for an answer.
        self._starting = threading.Lock()

    @property
    def alive(self) -> bool:
        """True while the worker process runs."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The worker's process id (None before it started)."""
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the process if it is not running.

        A fresh interpreter (`python -m models.train_worker FD`), not multiprocessing's spawn:
        spawn runs the parent's __main__ again in the child, and inside a Streamlit script
        run that is the app itself.
        """
        with self._starting:
            if not self.alive:
                self._start_process()

    def _start_process(self) -> None:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "models.train_worker", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
            )
        self._process, self._conn = process, Connection(ours.detach())
        self._sent.clear()

    def take(self, run: TrainingRun) -> bool:
        """Hand `run` to the worker, which trains it from exactly where it stands.

        False when the run cannot leave this process (a hook or callback that
        cannot be pickled); it then stays here and nothing was sent.
        """
        self.start()
        token = self._token_for(run.dataset)
        known = token is not None
        if not known:
            token = next(self._tokens)
        try:
            message = dumps(("take", token, None if known else run.dataset, full_state(run)))
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        try:
            self._call_pickled(message)
        finally:  # the worker keeps the dataset before it builds the run, even if that fails
            if self.alive:
                self._remember(token, run.dataset)
        return True

    def _remember(self, token: int, dataset: Any) -> None:
        """Note that the worker holds `dataset` as `token`, by the worker's own rule (DATASETS_KEPT)."""
        if token not in self._sent:
            self._sent[token] = weakref.ref(dataset)
            while len(self._sent) > DATASETS_KEPT:
                self._sent.popitem(last=False)
        self._sent.move_to_end(token)

    def train(self, threads: int | None, slice_seconds: float) -> None:
        """Let the worker train the held run on its own, in slices of `slice_seconds`, with `threads`."""
        self._send("train", threads, slice_seconds)

    def want(self) -> None:
        """Ask for the run's progress; it comes as a ("progress", ...) message after this slice."""
        self._send("want")

    def set_epochs(self, epochs: int) -> None:
        """Plan `epochs` epochs for the held run (it may be training)."""
        self._send("epochs", epochs)

    def messages(self, timeout: float) -> list[tuple[str, dict[str, Any]]]:
        """The worker's messages that arrived, waiting up to `timeout` s for the first.

        Each is ("progress" | "ended" | "stopped", models.run_transfer progress).
        An error in the worker is raised here; a lost worker raises TrainingProcessLost.
        """
        found: list[tuple[str, dict[str, Any]]] = []
        wait = timeout
        while self._receive(wait, found):
            wait = 0.0
        return found

    def stop_training(self) -> list[tuple[str, dict[str, Any]]]:
        """Stop the worker's training after its slice; the messages up to its "stopped"."""
        self._send("stop")
        found: list[tuple[str, dict[str, Any]]] = []
        while not any(kind == "stopped" for kind, _ in found):
            if not self._receive(ANSWER_SECONDS, found):
                self._lose()
        return [(kind, progress) for kind, progress in found if progress is not None]

    def give_back(self) -> dict[str, Any]:
        """The held run's full state (models.run_transfer.full_state); the worker then holds none."""
        return self._call("give_back")

    def stop(self) -> None:
        """End the process (a new one starts on the next `take`)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            self._conn.send(("quit",))
        except (OSError, ValueError):
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        self._conn.close()

    def _token_for(self, dataset: Any) -> int | None:
        for token, ref in self._sent.items():
            if ref() is dataset:
                return token
        return None

    def _send(self, command: str, *args: Any) -> None:
        if self._process is None:
            raise _lost(None)
        try:
            self._conn.send_bytes(dumps((command, *args)))
        except OSError:
            self._lose()

    def _receive(self, timeout: float, found: list) -> bool:
        """Add the next message to `found` if one comes within `timeout` s (raising an error)."""
        try:
            if not self._conn.poll(timeout):
                return False
            kind, payload = self._conn.recv()
        except (EOFError, OSError):
            self._lose()
        if kind == "error":
            raise payload
        found.append((kind, payload))
        return True

    def _call(self, command: str, *args: Any) -> Any:
        return self._call_pickled(dumps((command, *args)))

    def _call_pickled(self, message: bytes) -> Any:
        """Send a command and wait for its answer, passing over progress sent before it."""
        if self._process is None:
            raise _lost(None)
        try:
            self._conn.send_bytes(message)
            while True:
                if not self._conn.poll(ANSWER_SECONDS):
                    raise TimeoutError
                kind, answer = self._conn.recv()
                if kind in ("ok", "error"):
                    break
        except (EOFError, OSError, TimeoutError):
            self._lose()
        if kind == "error":
            raise answer
        return answer

    def _lose(self) -> NoReturn:
        """The worker ended or stopped answering: end it for good and raise TrainingProcessLost."""
        process = self._process
        exitcode = None
        if process is not None:
            try:
                exitcode = process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                exitcode = None
        self.stop()
        raise _lost(exitcode)


class WorkerPool:
    """Up to `size` TrainWorkers, lent to one trainer thread at a time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: list[TrainWorker] = []
        self._all: list[TrainWorker] = []
        self._lent = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start all workers now (at server start, so a first Train click finds them ready)."""
        with self._lock:
            while len(self._idle) + self._lent < self.size:
                self._idle.append(self._new())
            workers = list(self._idle)
        for worker in workers:
            worker.start()

    def lend(self) -> TrainWorker:
        """A worker for one admitted run (admission keeps the runs at or below `size`)."""
        with self._lock:
            worker = self._idle.pop() if self._idle else self._new()
            self._lent += 1
        return worker

    def give_back(self, worker: TrainWorker) -> None:
        """Return a lent worker (a lost one is restarted when next lent)."""
        with self._lock:
            self._lent -= 1
            self._idle.append(worker)

    def stop(self) -> None:
        """End every idle worker's process (used at exit and by tests)."""
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.stop()

    def pids(self) -> list[int]:
        """Process ids of the pool's workers that run, lent or idle."""
        with self._lock:
            return [w.pid for w in self._all if w.alive and w.pid is not None]

    def _new(self) -> TrainWorker:
        worker = TrainWorker()
        self._all.append(worker)
        return worker
