"""What the current script run is: the whole page or fragments, and whether a click waits behind it.

A click on a widget inside a fragment asks Streamlit for a rerun of that
fragment only, and such a request does not interrupt the run in progress: it
waits until that run ends. The live fragment spends most of its run waiting for
its next redraw (ui.live_view), up to QUEUED_REDRAW_SECONDS while a run waits
for a free core, so it asks here between two steps of that wait and ends early.
A request for the whole app interrupts it anyway, at the wait's yield point.

This reads the pending request from Streamlit's ScriptRequests, whose fields
are not public API: streamlit is pinned in requirements.txt, and
tests/test_script_run.py drives the real classes, so a change there fails a
test instead of silently slowing clicks.
"""

from __future__ import annotations

from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx


def click_waiting() -> bool:
    """True when a rerun other than this run's own fragments' timer is pending for this session.

    False outside a script run, or when Streamlit's request object is not the
    one this was written against.
    """
    ctx = get_script_run_ctx()
    requests = getattr(ctx, "script_requests", None)
    if getattr(requests, "_state", None) is not ScriptRequestType.RERUN:
        return False
    pending = getattr(requests, "_rerun_data", None)
    queue = getattr(pending, "fragment_id_queue", None)
    if queue is None:
        return False
    if not queue:
        return True  # the whole app: it preempts this run at the next yield point anyway
    running = set(getattr(ctx, "fragment_ids_this_run", None) or ())
    return any(fragment_id not in running for fragment_id in queue)


def whole_page_run() -> bool:
    """True when this script run draws the whole page, False in a fragment's own run (or outside a run)."""
    ctx = get_script_run_ctx()
    return ctx is not None and not getattr(ctx, "fragment_ids_this_run", None)
