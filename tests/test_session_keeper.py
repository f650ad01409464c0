"""ui.session_keeper: what a reloaded page's new session takes over from the old one, and when."""

from __future__ import annotations

import collections
import threading
import time
from types import SimpleNamespace

import pytest
from streamlit.runtime.state.session_state import SessionState

from ui import session_keeper
from ui.i18n import Translator
from ui.language import RUN_TRANSLATOR_KEY
from ui.session_keeper import claim, kept_values, register, taken_over


def _state(run: object) -> SessionState:
    state = SessionState()
    state["lab_session::xor"] = run
    state["remember::xor_lr"] = 0.1
    state["xor_lr"] = 0.1
    state._key_id_mapper["xor_lr"] = "$$ID-0123-xor_lr"  # "xor_lr" is a widget's key
    state["classroom::moved_from"] = "w1"  # how the old session began: not carried
    state["session_keeper::token"] = "abc"
    state[RUN_TRANSLATOR_KEY] = Translator("zh-TW")  # the old session's last run: not carried
    return state


class FakeRuntime:
    """The two calls of Streamlit's Runtime that claim() makes."""

    def __init__(self, active: set[str]) -> None:
        self.active = active
        self.nonresumable: list[str] = []

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.active

    def mark_session_nonresumable(self, session_id: str) -> None:
        self.nonresumable.append(session_id)


class FakeSession:
    """An AppSession's two attributes that claim() reads (weakly referenced, as the real one)."""

    def __init__(self, state, running: bool = False) -> None:
        self.session_state = state
        self._state = SimpleNamespace(name="APP_IS_RUNNING" if running else "APP_NOT_RUNNING")


def _session(state, running: bool = False) -> FakeSession:
    return FakeSession(state, running)


@pytest.fixture(autouse=True)
def _short_wait(monkeypatch):
    monkeypatch.setattr(session_keeper, "ADOPT_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(session_keeper, "_SESSIONS", {})
    monkeypatch.setattr(session_keeper, "_TAKEN_OVER", collections.deque(maxlen=1000))


def test_kept_values_carry_stored_objects_and_shadows_but_no_widget_value():
    run = object()
    kept = kept_values(_state(run))
    assert kept == {"lab_session::xor": run, "remember::xor_lr": 0.1}
    assert kept["lab_session::xor"] is run  # the very object: a live run trains on


def test_a_disconnected_session_is_claimed_once_and_never_resumed():
    run = object()
    old = _session(_state(run))
    register("tok", "old", old)
    runtime = FakeRuntime(active={"new"})

    token, kept = claim(["other", "tok"], "new", runtime)

    assert token == "tok" and kept["lab_session::xor"] is run
    assert runtime.nonresumable == ["old"]
    assert taken_over("old") and not taken_over("new")  # its tab's reconnect is not "lost"
    assert claim(["tok"], "newer", runtime) is None  # claimed: gone from the table


def test_of_two_tabs_the_closed_one_is_claimed():
    open_tab, closed_tab = _session(_state("open run")), _session(_state("closed run"))
    register("a", "open", open_tab)
    register("b", "closed", closed_tab)
    token, kept = claim(["a", "b"], "new", FakeRuntime(active={"open", "new"}))
    assert token == "b" and kept["lab_session::xor"] == "closed run"


def test_a_reloading_tab_takes_its_own_session_before_another_dropped_one():
    dropped, mine = _session(_state("other tab's run")), _session(_state("my run"))
    register("a", "dropped", dropped)  # held here: the table refers to sessions weakly
    register("b", "mine", mine)
    token, kept = claim(["a", "~b"], "new", FakeRuntime(active={"new"}))
    assert token == "b" and kept["lab_session::xor"] == "my run"


def test_an_open_tab_or_a_running_script_is_not_taken_over(monkeypatch):
    monkeypatch.setattr(session_keeper, "ADOPT_WAIT_SECONDS", 10.0)
    old = _session(_state(object()))
    register("tok", "old", old)
    started = time.monotonic()
    assert claim(["tok"], "new", FakeRuntime(active={"old", "new"})) is None
    # Another open tab: no wait for it (a wait would last 10 s; any host answers well within 5).
    assert time.monotonic() - started < 5.0

    monkeypatch.setattr(session_keeper, "ADOPT_WAIT_SECONDS", 0.3)
    busy = _session(_state(object()), running=True)
    register("tok2", "busy", busy)
    runtime = FakeRuntime(active={"new"})
    assert claim(["~tok2"], "new", runtime) is None  # a leaving tab is waited for, in vain
    assert runtime.nonresumable == []


def test_a_leaving_tab_is_claimed_once_its_session_has_closed(monkeypatch):
    monkeypatch.setattr(session_keeper, "ADOPT_WAIT_SECONDS", 30.0)  # a budget; ends on the close
    leaving = _session(_state("run"), running=True)
    register("tok", "old", leaving)
    runtime = FakeRuntime(active={"new"})
    closes = threading.Timer(0.05, lambda: setattr(leaving._state, "name", "APP_NOT_RUNNING"))
    closes.start()
    try:
        token, kept = claim(["~tok"], "new", runtime)
    finally:
        closes.join()
    assert token == "tok" and kept["lab_session::xor"] == "run"


def test_unknown_tokens_and_unreadable_state_start_fresh_and_keep_the_entry():
    runtime = FakeRuntime(active={"new"})
    assert claim(["nobody"], "new", runtime) is None

    broken = _session(SimpleNamespace())  # no filtered_state: as if Streamlit's internals moved
    register("tok", "old", broken)
    assert claim(["tok"], "new", runtime) is None
    assert runtime.nonresumable == []
    assert "tok" in session_keeper._SESSIONS  # kept for a later try
