"""ui.script_run against Streamlit's own request queue (its fields are not public API).

The live fragment ends its wait early when a click in another fragment (the
training panel, the digit pad) waits for it; these drive the real
ScriptRequests, so a Streamlit upgrade that changes them fails here.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

import ui.script_run as script_run

LIVE, PANEL = "live-fragment-id", "panel-fragment-id"


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> ScriptRequests:
    """The live fragment's own timer run in progress, with a real ScriptRequests for it."""
    reqs = ScriptRequests()
    ctx = SimpleNamespace(script_requests=reqs, fragment_ids_this_run=[LIVE])
    monkeypatch.setattr(script_run, "get_script_run_ctx", lambda: ctx)
    return reqs


def test_nothing_pending_is_no_click(requests: ScriptRequests) -> None:
    assert not script_run.click_waiting()


def test_the_live_fragments_own_timer_is_no_click(requests: ScriptRequests) -> None:
    requests.request_rerun(RerunData(fragment_id=LIVE, is_auto_rerun=True))
    assert not script_run.click_waiting()


def test_a_click_in_the_panel_fragment_is_waiting(requests: ScriptRequests) -> None:
    requests.request_rerun(RerunData(fragment_id=PANEL))
    assert script_run.click_waiting()


def test_a_click_stays_seen_when_the_timer_asks_again(requests: ScriptRequests) -> None:
    requests.request_rerun(RerunData(fragment_id=PANEL))
    requests.request_rerun(RerunData(fragment_id=LIVE, is_auto_rerun=True))
    assert script_run.click_waiting()


def test_a_full_rerun_counts(requests: ScriptRequests) -> None:
    requests.request_rerun(RerunData())
    assert script_run.click_waiting()


def test_a_click_taken_by_the_runner_is_no_longer_waiting(requests: ScriptRequests) -> None:
    requests.request_rerun(RerunData())
    assert requests.on_scriptrunner_yield() is not None  # the runner starts the full rerun
    assert not script_run.click_waiting()


def test_outside_a_script_run_there_is_no_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(script_run, "get_script_run_ctx", lambda: None)
    assert not script_run.click_waiting()
