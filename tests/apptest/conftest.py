"""Fixtures for every AppTest module in this folder."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Train on one torch thread while this module's pages run in-process (every module here).

    The labs' networks are tiny, so torch's intra-op threads only add
    synchronization; on a shared 2-core machine they made a Boston step ~18x
    slower (bench/README.md). One thread keeps these tests fast and steady and
    does not change what the pages compute.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
