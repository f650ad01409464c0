"""ui.state.remember: a control's value reaches a browser that lacks it (or shows it in another
language), and never overrides one the browser sent.

The proto's `set_value` is what Streamlit's frontend obeys over the value it
shows. A run that re-sent a value the browser had just sent could land after a
newer move, and put the old value back under the student's hand (seen in a
browser: "Sequence length T" went 200 → 30 → 200 when moved right after
"Epochs", and a Train click in between trained at T = 30).
"""

from __future__ import annotations

from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import open_page


def _slider_app():
    import streamlit as st

    from ui.state import remember

    st.slider("T", 2, 200, key=remember("t_len", 30))
    st.button("go")


def _slider(at: AppTest):
    return at.slider(key="t_len")


def test_a_first_run_sends_the_default():
    at = AppTest.from_function(_slider_app, default_timeout=60).run()
    assert not at.exception, at.exception
    assert _slider(at).value == 30
    assert _slider(at).proto.set_value


def test_a_value_the_browser_sent_is_not_sent_back():
    at = AppTest.from_function(_slider_app, default_timeout=60).run()
    _slider(at).set_value(120).run()
    assert _slider(at).value == 120
    assert not _slider(at).proto.set_value
    at.button[0].click().run()  # another widget's rerun: the browser sent T = 120 along
    assert _slider(at).value == 120
    assert not _slider(at).proto.set_value


def test_a_widget_whose_message_the_browser_lost_gets_its_value_sent_again():
    # A cold server's first run draws the sidebar, and a click interrupts it before
    # the browser has its messages: the next run's request carries no slider at all.
    at = AppTest.from_function(_slider_app, default_timeout=60).run()
    _slider(at).set_value(120).run()
    at._run(WidgetStates(), timeout=60)  # AppTest's own run() would send every widget it has
    assert _slider(at).value == 120
    assert _slider(at).proto.set_value, "the browser would mount the slider at its minimum"
    assert list(_slider(at).proto.value) == [120]


def test_a_language_switch_sends_translated_choices_again():
    # A selectbox sends back the label it shows: after a switch the browser's value is the old
    # language's label, which the widget cannot match among its new ones.
    at = open_page("rnn", lang="en")
    at.selectbox(key="rnn_task").set_value("noisy_wave").run()
    at.run()
    assert not at.selectbox(key="rnn_task").proto.set_value
    at.query_params["lang"] = "zh-TW"
    at.run()
    task = at.selectbox(key="rnn_task")
    assert not at.exception, at.exception
    assert task.value == "noisy_wave"
    assert task.proto.set_value, "the browser would keep the English label, matching no option"
    at.run()  # the browser now holds the new labels
    assert not at.selectbox(key="rnn_task").proto.set_value


def _with_label(at: AppTest, key: str, label: str) -> WidgetStates:
    """Every widget's state as AppTest would send it, but selectbox `key` showing `label`."""
    states = at._tree.get_widget_states()
    widget_id = at.selectbox(key=key).id
    for state in states.widgets:
        if state.id == widget_id:
            state.string_value = label
    return states


def test_an_old_language_label_sent_after_a_switch_is_not_a_preset_pick():
    # A timer redraw that the browser asked for before it had the new labels sends the preset's
    # old label: Streamlit keeps what it cannot match as the value. It used to reach the
    # preset's callback (KeyError: '快速 MLP', in a browser switching language mid-run). Here the
    # label comes with a full run, which puts the preset back before the next one; in a browser
    # it comes with a fragment run, and the callback's other guard (not re-applying the preset
    # when the right label returns) is not reached by this test.
    at = open_page("mnist", lang="zh-TW")
    at.selectbox(key="mnist_preset").set_value("CNN").run()
    at.select_slider(key="mnist_cnn_dense").set_value(64).run()  # the student's own change
    assert at.selectbox(key="mnist_preset").value == "Custom"  # no preset has it
    at.query_params["lang"] = "en"
    at.run()
    for old_label in ("自訂", "快速 MLP"):  # the picker's own label, and another preset's
        at._run(_with_label(at, "mnist_preset", old_label), timeout=60)
        assert not at.exception, at.exception
        assert at.selectbox(key="mnist_preset").value == "Custom"
        at.run()  # the browser now sends the new label
        assert not at.exception, at.exception
        assert at.select_slider(key="mnist_cnn_dense").value == 64
        assert at.radio(key="mnist_kind").value == "cnn"
