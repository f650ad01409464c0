"""ui.session_keeper.kept_values: what a reloaded page's new session takes over from the old one."""

from __future__ import annotations

from streamlit.runtime.state.session_state import SessionState

from ui.session_keeper import kept_values


def test_kept_values_carry_stored_objects_and_shadows_but_no_widget_value():
    state = SessionState()
    run = object()
    state["lab_session::xor"] = run
    state["remember::xor_lr"] = 0.1
    state["xor_lr"] = 0.1
    state._key_id_mapper["xor_lr"] = "$$ID-0123-xor_lr"  # "xor_lr" is a widget's key
    state["classroom::moved_from"] = "w1"  # how the old session began: not carried
    state["session_keeper::token"] = "abc"

    kept = kept_values(state)

    assert kept == {"lab_session::xor": run, "remember::xor_lr": 0.1}
    assert kept["lab_session::xor"] is run  # the very object: a live run trains on
