"""The code that runs inside a training worker process (started by models.train_process).

The worker holds one run at a time and trains it on its own, slice after
slice, without waiting for the server: a server busy drawing for other
sessions reads the worker's progress when it can, and training never stops
for it. Commands come in on the pipe and are looked at between slices:

- ("take", token, dataset or None, state): build the run (answer "ok");
- ("train", threads, slice_seconds): train until told to stop; when the run
  ends, send ("ended", progress) unasked;
- ("want",): send ("progress", progress): what changed since the last one;
- ("epochs", n): plan n epochs (a student changed them mid-run);
- ("stop",): stop training after this slice (answer ("stopped", progress));
- ("give_back",): answer ("ok", the run's full state) and hold no run;
- ("datasets",): answer ("ok", the tokens of the datasets kept).

An exception is answered with ("error", exception) and stops training.
"""

from __future__ import annotations

import pickle
import signal
import sys
from collections import OrderedDict
from multiprocessing.connection import Connection
from typing import Any

import torch

from models.optimizers import warm_up
from models.run_transfer import ProgressReader, full_state, run_from_state
from models.trainer import TrainingRun

# Datasets a worker keeps between runs (MNIST's is ~55 MB): the last few labs' data.
DATASETS_KEPT = 3


def dumps(message: Any) -> bytes:
    """A message pickled by value.

    Not multiprocessing's pickler: with torch imported, it moves every tensor it sends into
    shared memory, so the server's model would be trained in place by the worker.
    """
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def picklable(exc: Exception) -> Exception:
    """`exc` itself if it can be sent, else a RuntimeError with its type and message."""
    try:
        dumps(exc)
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


class _Worker:
    """The worker's state: its datasets, its run, and whether it trains."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.datasets: OrderedDict[int, Any] = OrderedDict()
        self.run: TrainingRun | None = None
        self.reader: ProgressReader | None = None
        self.training = False
        self.threads: int | None = 1
        self.slice_seconds = 0.1

    def send(self, kind: str, payload: Any = None) -> None:
        self.conn.send_bytes(dumps((kind, payload)))

    def serve(self) -> None:
        """Train while asked to, and answer commands between slices, until the server is gone."""
        torch.set_num_threads(1)
        while True:
            try:
                if self.training:
                    self.train_slice()
                    if self.training and not self.conn.poll(0):
                        continue
                command, *args = self.conn.recv()
            except (EOFError, OSError):  # the server is gone
                return
            try:
                if not self.handle(command, args):
                    return
            except Exception as exc:  # shown by the server as the run's error
                self.training = False
                self.send("error", picklable(exc))

    def train_slice(self) -> None:
        run = self.run
        try:
            if not run.done:
                run.advance(seconds=self.slice_seconds, threads=self.threads)
        except Exception as exc:
            self.training = False
            self.send("error", picklable(exc))
            return
        if run.done:
            self.training = False
            self.send("ended", self.reader.read())

    def handle(self, command: str, args: list[Any]) -> bool:
        """Carry out one command; False for "quit" or anything unknown."""
        if command in ("want", "epochs", "train") and self.run is None:
            return True  # sent before the run was given back: nothing to answer
        if command == "want":
            self.send("progress", self.reader.read())
        elif command == "epochs":
            if self.run.status != "diverged":
                self.run.set_epochs(args[0])
        elif command == "train":
            self.threads, self.slice_seconds = args
            if self.threads is not None:
                torch.set_num_threads(self.threads)
            self.training = True
        elif command == "stop":
            self.training = False
            self.send("stopped", self.reader.read(whole=True) if self.reader is not None else None)
        elif command == "take":
            token, dataset, state = args
            if dataset is not None:
                self.datasets[token] = dataset
                while len(self.datasets) > DATASETS_KEPT:
                    self.datasets.popitem(last=False)
            self.datasets.move_to_end(token)
            self.run, self.reader, self.training = None, None, False
            self.run = run_from_state(self.datasets[token], state)
            self.reader = ProgressReader(self.run)
            self.send("ok")
        elif command == "give_back":
            state, self.run, self.reader, self.training = full_state(self.run), None, None, False
            self.send("ok", state)
        elif command == "datasets":
            self.send("ok", list(self.datasets))
        else:
            return False
        return True


def serve(conn: Any) -> None:
    """Serve the server at the other end of `conn` until it closes it."""
    # Paid now, while the server starts: a first run would otherwise wait a second for it.
    warm_up()
    _Worker(conn).serve()


if __name__ == "__main__":  # started by models.train_process.TrainWorker with its socket's fd
    # Ctrl-C in the teacher's terminal reaches the whole process group: the server decides
    # when its workers end (it closes the pipe), so they print no traceback of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(int(sys.argv[1])))
