"""ui.lost_fragments: a click for a fragment the server lacks reruns the page, with Streamlit's real types."""

from __future__ import annotations

import pytest
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

from ui.lost_fragments import as_page_rerun_if_lost, rerun_page_for_lost_fragments


class _Session:
    """Stands in for an AppSession that holds the fragments in `held`."""

    def __init__(self, *held: str) -> None:
        self.held = set(held)

    def has_fragment(self, fragment_id: str) -> bool:
        return fragment_id in self.held


def _click(fragment_id: str = "", auto: bool = False) -> ClientState:
    return ClientState(
        fragment_id=fragment_id,
        is_auto_rerun=auto,
        page_script_hash="iris",
        query_string="lang=zh-TW",
    )


def test_a_click_in_a_held_fragment_stays_a_fragment_rerun() -> None:
    state = _click("panel")
    assert as_page_rerun_if_lost(_Session("panel"), state) is state


def test_a_click_in_a_lost_fragment_reruns_the_same_page() -> None:
    state = as_page_rerun_if_lost(_Session(), _click("panel"))
    assert state.fragment_id == ""
    assert (state.page_script_hash, state.query_string) == ("iris", "lang=zh-TW")


def test_a_lost_fragments_timer_and_a_page_rerun_pass_unchanged() -> None:
    timer, page = _click("live", auto=True), _click()
    assert as_page_rerun_if_lost(_Session(), timer) is timer
    assert as_page_rerun_if_lost(_Session(), page) is page
    assert as_page_rerun_if_lost(_Session(), None) is None


def test_installed_once_it_rewrites_what_appsession_receives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received = []
    monkeypatch.setattr(AppSession, "request_rerun", lambda self, state: received.append(state))
    rerun_page_for_lost_fragments()
    rerun_page_for_lost_fragments()  # a second install must not wrap twice
    AppSession.request_rerun(_Session("live"), _click("panel"))
    AppSession.request_rerun(_Session("live"), _click("live"))
    assert [s.fragment_id for s in received] == ["", "live"]


def test_appsession_still_has_what_the_fallback_relies_on() -> None:
    import inspect

    assert list(inspect.signature(AppSession.request_rerun).parameters)[:2] == [
        "self",
        "client_state",
    ]
    assert callable(AppSession.has_fragment)
