"""Streamlit's "Connection error" dialog in the page's language, with words for NN Lab.

When the server stops answering (a classroom worker stopped, a closed terminal),
Streamlit's page shows a dialog in English only: "Are you connected to the
internet?", or on localhost "restart it in your terminal: streamlit run
yourscript.py", which is not NN Lab's command. A student of a class needs to
know that the page reconnects by itself, and to tell the teacher.

The dialog is Streamlit's own and carries no test id of its own, so a small
script marks it (`data-nnlab-dialog="connection"`) when it is added to the page,
by its English title; the style then puts the catalogue's words in place of
Streamlit's. The script watches only the page body's direct children, where
Streamlit adds its dialogs, so a training page's redraws never reach it.

Once connected again, Streamlit's page asks for a script run only if a run was on or
a fragment reruns on a timer: a tab that sat on a finished page stayed as it was, and
a student learned that the server had lost the run only at the next click, which
did nothing else. An empty fragment on a long timer makes every page ask.
"""

from __future__ import annotations

import streamlit as st

from ui.hidden_script import hidden_container
from ui.language import t
from ui.page_style import css_text

MARK = "data-nnlab-dialog"
_WATCH_KEY = "nnlab_connection_watch"  # its hidden container's key
# The empty fragment's timer: its only use is to exist, so that a page reruns on reconnecting.
RECONNECT_TIMER_SECONDS = 3600
# Streamlit's own title of the dialog (streamlit/static: handleConnectionError -> showError).
STREAMLIT_TITLE = "Connection error"
# The status corner says "Connecting" beside an icon of three dots, "Error" beside a warning
# sign (a fatal error: the page stops trying). The dots' path tells the two apart.
DOTS = 'path[d^="M0 3v2h2V3H0z"]'
CONNECTING = f'[data-testid="stConnectionStatus"]:has({DOTS}) label'
_WATCH = f"""<script>
(() => {{
  if (window.__nnlabConnectionWatch) return;
  window.__nnlabConnectionWatch = true;
  const markDialog = (node) => {{
    if (node.nodeType !== 1 || node.getAttribute("data-testid") !== "stDialog") return;
    const title = node.querySelector('[role="dialog"] h2');
    if (title && title.textContent.trim() === {STREAMLIT_TITLE!r}) {{
      // Trying again (the dots), or given up for good (a fatal error: a reload is needed).
      const trying = document.querySelector('[data-testid="stConnectionStatus"] ' + {DOTS!r});
      node.setAttribute("{MARK}", trying ? "connection" : "connection-failed");
    }}
  }};
  for (const node of document.body.children) markDialog(node);
  new MutationObserver((records) => {{
    for (const record of records) for (const node of record.addedNodes) markDialog(node);
  }}).observe(document.body, {{childList: true}});
}})();
</script>"""


def connection_style(title: str, body: str, connecting: str, failed: str) -> str:
    """The style that puts `title` and `body` (`failed` once the page has given up) in a marked
    connection dialog, and `connecting` in the status corner while the page tries to reconnect,
    instead of Streamlit's words."""
    dialog = f'[{MARK}^="connection"] [role="dialog"]'
    gave_up = f'[{MARK}="connection-failed"] [role="dialog"]'
    return (
        "<style>"
        # Streamlit's words stay in the page but take no room; the catalogue's take their place.
        f"{dialog} h2 {{font-size: 0 !important;}}"
        f"{dialog} h2::after {{content: {css_text(title)}; font-size: 1.5rem;}}"
        f"{dialog} h2 + div > * {{display: none !important;}}"
        f"{dialog} h2 + div::after {{content: {css_text(body)}; font-size: 1rem; display: block;}}"
        f"{gave_up} h2 + div::after {{content: {css_text(failed)};}}"
        f"{CONNECTING} {{font-size: 0 !important;}}"
        f"{CONNECTING}::after {{content: {css_text(connecting)}; font-size: 0.875rem;}}"
        "</style>"
    )


def connection_ui() -> None:
    """Give Streamlit's connection-error dialog NN Lab's words, in the page's language, and
    have the page rerun when it reconnects (so ui.classroom can say what the server lost).

    Call once a full run, after the language is known (app.py): the style (style-only HTML,
    which takes no room) follows a language switch; the script, the same in every language,
    runs once a page.
    """
    parts = ("title", "body", "connecting", "failed")
    words = (t(f"classroom.disconnected.{part}") for part in parts)
    st.html(connection_style(*words))
    with hidden_container(_WATCH_KEY):
        st.html(_WATCH, unsafe_allow_javascript=True)
        _rerun_on_reconnect()


@st.fragment(run_every=RECONNECT_TIMER_SECONDS)
def _rerun_on_reconnect() -> None:
    """Draw nothing. A page with a timed fragment asks for a script run when it reconnects
    (Streamlit's handleConnectionStateChanged), so ui.classroom's notice shows at once."""
