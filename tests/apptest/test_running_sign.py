"""Streamlit's running figure is hidden while a lab's own live run trains, and only then.

The live fragment waits inside its runs, so the figure would move nearly all the
time; the page's status line says it instead (ui.page_style.running_sign_style).
Whether the rule hides the figure in a browser is tests/e2e/test_live_area.py's part.
"""

from __future__ import annotations

from tests.apptest.helpers import lab_session, open_page, set_widget, train_to_end
from ui.page_style import NO_RULE, QUIET_RUNNING_SIGN


def _page_styles(at) -> list[str]:
    """The style-only HTML elements of the page (Streamlit puts them in its event container)."""
    return [h.proto.body for h in at.get("html")]


def test_the_figure_is_hidden_while_the_run_trains_and_back_once_it_is_paused():
    at = open_page("iris")
    assert _page_styles(at) == [NO_RULE]
    set_widget(at, "iris_epochs", 500)
    at.run()
    at.button(key="iris_train").click().run()
    live = lab_session(at, "iris").live
    try:
        assert not at.exception, at.exception
        assert _page_styles(at) == [QUIET_RUNNING_SIGN]
        at.button(key="iris_pause").click().run()
        assert not live.running
        assert _page_styles(at) == [NO_RULE]
    finally:
        live.stop()


def test_the_figure_comes_back_when_the_run_ends():
    at = open_page("xor")
    set_widget(at, "xor_epochs", 50)
    at.run()
    train_to_end(at, "xor")
    assert _page_styles(at) == [NO_RULE]


def test_the_neuron_comparison_hides_the_figure_while_it_trains():
    # The universal-approximation lab's "more neurons" group redraws in a fragment of its own.
    at = open_page("universal_approximation")
    assert QUIET_RUNNING_SIGN not in _page_styles(at)
    at.button(key="ua_compare").click().run()
    live = at.session_state["ua_compare_session"].live
    try:
        assert not at.exception, at.exception
        assert QUIET_RUNNING_SIGN in _page_styles(at)
        at.button(key="ua_compare_pause").click().run()
        assert not live.running
        assert QUIET_RUNNING_SIGN not in _page_styles(at)
    finally:
        live.stop()
