"""A click in a fragment this server does not hold reruns the whole page, instead of nothing.

Train, Pause and Reset sit in the training panel's fragment (ui.training_view),
so a click asks the server to rerun that fragment only. A server process that
never drew the page does not know the fragment: a classroom worker that took
over a tab whose worker stopped (deploy/classroom.py), or a restarted server
that a tab reconnected to. Streamlit then drops the request (an info line in
its log), and the button does nothing. Here such a click becomes a rerun of
the whole page, which draws the panel, and the notice of what was lost
(ui.classroom). A fragment's own timer request is left alone: a timer of a
page already left should stay dropped.

It wraps `AppSession.request_rerun`, which is not public API: streamlit is
pinned in requirements.txt, and tests/test_lost_fragments.py drives the real
AppSession method, so a change there fails a test.
"""

from __future__ import annotations

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

_MARK = "_nnlab_reruns_lost_fragments"


def rerun_page_for_lost_fragments() -> None:
    """Install the fallback in this server process (once; later calls do nothing)."""
    original = AppSession.request_rerun
    if getattr(original, _MARK, False):
        return

    def request_rerun(self: AppSession, client_state: ClientState | None) -> None:
        return original(self, as_page_rerun_if_lost(self, client_state))

    setattr(request_rerun, _MARK, True)
    request_rerun.__doc__ = original.__doc__
    AppSession.request_rerun = request_rerun


def as_page_rerun_if_lost(
    session: AppSession, client_state: ClientState | None
) -> ClientState | None:
    """`client_state` for the whole page if it asks for a fragment `session` lacks after a click; else as it is."""
    if client_state is None or not client_state.fragment_id or client_state.is_auto_rerun:
        return client_state
    if session.has_fragment(client_state.fragment_id):
        return client_state
    whole_page = ClientState()
    whole_page.CopyFrom(client_state)
    whole_page.ClearField("fragment_id")
    return whole_page
