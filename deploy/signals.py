"""Stopping deploy.classroom: Ctrl-C, SIGTERM and a closed terminal (SIGHUP) stop it at once.

The launcher turns each of the three signals into `Stopped`, raised in its main thread
wherever it waits (for a worker, for HAProxy's check), so a stop during start-up does not
wait for start-up to end. Only while it records a process it has just started is the
signal held back, so that no process escapes the clean-up.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Stopped(BaseException):
    """A stop signal arrived. A BaseException, as KeyboardInterrupt: no `except Exception` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by the signal: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + self.signum

    @property
    def name(self) -> str:
        """How a teacher knows the signal: Ctrl-C, SIGTERM, SIGHUP (the terminal closed)."""
        if self.signum == signal.SIGINT:
            return "Ctrl-C"
        if self.signum == signal.SIGHUP:
            return "SIGHUP: the terminal closed"
        return signal.Signals(self.signum).name


class StopSignals:
    """Raises Stopped for the first of SIGINT, SIGTERM and SIGHUP; later ones are only noted."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._held = False
        self._raised = False
        self._previous: dict[int, object] = {}

    def install(self) -> None:
        """Handle the three signals from now on (in the main thread, as Python requires).

        A signal that was ignored stays ignored: `nohup` ignores SIGHUP so that a launcher
        outlives its terminal, and a shell ignores SIGINT for a job started with `&`.
        """
        for sig in SIGNALS:
            if signal.getsignal(sig) != signal.SIG_IGN:
                self._previous[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        """Give the signals back to the handlers they had before `install`."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def hold(self) -> None:
        """From now on only note signals: the clean-up must not be cut short by a second one."""
        self._held = True

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold a signal back while the block runs (starting and recording a process); raise after."""
        before, self._held = self._held, True
        try:
            yield
        finally:
            self._held = before
            self._raise_if_due()

    def _handle(self, signum: int, frame: object) -> None:
        if self.signum is None:
            self.signum = signum
        self._raise_if_due()

    def _raise_if_due(self) -> None:
        if self.signum is not None and not self._held and not self._raised:
            self._raised = True
            raise Stopped(self.signum)


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that makes a child get SIGTERM when this process dies, even by SIGKILL.

    Linux only (prctl PR_SET_PDEATHSIG), and only while this process runs one thread:
    preexec_fn runs Python between fork and exec, which can deadlock on a lock that
    another thread held at the fork. None where it is not safe; the launcher's own
    clean-up then remains the only one.
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the launcher died before the prctl: nobody would stop us
            os._exit(1)

    return preexec
