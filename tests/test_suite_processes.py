"""How many test processes `pytest -n auto` starts (tests/conftest.py)."""

from __future__ import annotations

import os

from tests import conftest


def test_one_process_per_usable_core_at_most_four(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(2)), raising=False)
    assert conftest.pytest_xdist_auto_num_workers(None) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert conftest.pytest_xdist_auto_num_workers(None) == conftest.MAX_TEST_PROCESSES == 4


def test_without_sched_getaffinity_every_core_counts(monkeypatch):
    # macOS and Windows have no os.sched_getaffinity.
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert conftest.pytest_xdist_auto_num_workers(None) == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # "cannot be determined"
    assert conftest.pytest_xdist_auto_num_workers(None) == 1
