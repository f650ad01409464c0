"""bench/proc_stats: CPU by kind, machine-wide or within one process tree."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench.proc_stats import cpu_seconds_by_kind, process_tree

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

NO_BROWSER = "/nonexistent/browser"


def _burn_until(cpu_seconds: float) -> float:
    """Use this process's CPU until it has used `cpu_seconds` in all; return what it has used."""
    while time.process_time() < cpu_seconds:
        sum(i * i for i in range(10_000))
    return time.process_time()


def test_under_counts_only_that_tree_and_the_server():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert process_tree([child.pid]) == {child.pid}
        in_child = cpu_seconds_by_kind([], NO_BROWSER, under=child.pid)
        # This process has used at least a third of a second more than the sleeping child.
        mine = _burn_until(in_child["other"] + 0.35)
        everywhere = cpu_seconds_by_kind([], NO_BROWSER)
        in_child = cpu_seconds_by_kind([], NO_BROWSER, under=child.pid)
        # /proc counts in clock ticks (0.01 s): a tick or two of slack.
        assert everywhere["other"] >= mine - 0.03
        assert in_child["other"] < mine - 0.3
        assert in_child["browsers"] == 0.0
        as_server = cpu_seconds_by_kind([child.pid], NO_BROWSER, under=child.pid)
        assert as_server["other"] == 0.0
        # The child may still be finishing its start-up: a few ticks either way.
        assert as_server["server"] == pytest.approx(in_child["other"], abs=0.05)
    finally:
        child.kill()
        child.wait()
