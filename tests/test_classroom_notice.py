"""ui.classroom's two ways of knowing that a tab's earlier session, and its run, are gone."""

from __future__ import annotations

from ui.classroom import moved_from, resumed_elsewhere
from ui.i18n import Translator


def test_the_cookie_names_another_worker_only_when_it_differs():
    assert moved_from("w1", "w2") == "w2"
    assert moved_from("w1", "w1") is None
    assert moved_from(None, "w2") is None  # not behind the launcher
    assert moved_from("w1", None) is None  # a browser's first visit


def test_a_reconnect_naming_a_session_this_server_does_not_run_is_a_lost_session():
    # As Streamlit 1.67's page sends it: subprotocol, XSRF token, then the session to resume.
    header = "streamlit, 2|b2a0e915|96e7|1796282277, 1e93f09f-ca7d-4968-9fd3-d36b74939d95"
    assert resumed_elsewhere(header, "719dd393-95fa-4cbb-8d99-27befea79fda")
    assert not resumed_elsewhere(header, "1e93f09f-ca7d-4968-9fd3-d36b74939d95")  # resumed
    assert not resumed_elsewhere("streamlit, 2|b2a0e915|96e7|1796282277", "719dd393")  # fresh page
    assert not resumed_elsewhere("streamlit, , ", "719dd393")
    assert not resumed_elsewhere(None, "719dd393")  # AppTest, or no WebSocket headers


def test_both_notices_name_no_worker_and_say_what_to_do_in_both_languages():
    for lang in ("en", "zh-TW"):
        tr = Translator(lang)
        for key in ("classroom.moved", "classroom.reconnected"):
            text = tr(key)
            assert "{" not in text and ("**Train**" in text or "**訓練**" in text), (lang, key)


def test_a_session_another_tab_took_over_on_reload_is_not_called_lost():
    # ui.session_keeper marks such a session non-resumable on purpose: its runs live on in the
    # reloaded tab, so its own tab's reconnect is not told that a server lost them.
    header = "streamlit, 2|b2a0e915|96e7|1796282277, 1e93f09f"
    assert not resumed_elsewhere(header, "719dd393", moved_on={"1e93f09f"}.__contains__)
    assert resumed_elsewhere(header, "719dd393", moved_on={"other"}.__contains__)


def test_the_connection_dialog_says_to_reload_once_the_page_has_given_up():
    from ui.connection_words import MARK, connection_style

    css = connection_style("T", "keeps trying", "Reconnecting", "reload")
    trying = css.index(f'[{MARK}^="connection"] [role="dialog"] h2 + div::after')
    gave_up = css.index(f'[{MARK}="connection-failed"] [role="dialog"] h2 + div::after')
    # The given-up rule comes later, so it wins over the general one for a failed dialog.
    assert (
        trying < gave_up and '"reload"' in css[gave_up:] and '"keeps trying"' in css[trying:gave_up]
    )
