"""The app's page styling: no stale fade, so a busy server does not make pages pulse (and no
Plotly toolbar over the charts' titles on a touch screen, and a phone's layout fixes: PHONE).

While a script run is in progress, Streamlit marks every element it has not
redrawn yet as stale, and half a second later starts fading it out
("opacity 1s ease-in 0.5s"). NN Lab's live fragment waits inside its own run
for its next redraw, so its charts were stale nearly all the time and dimmed
and came back every second; and on a classroom server, where a Train click's
rerun can take seconds, whole pages faded while eight browsers shared two
cores. The fade kept each browser painting ~20 frames a second. Measured
(bench/README.md, "Live training loop" and "A classroom on one server"):
without it a training page's browser used ~25% less CPU, and 8 sessions'
p95 Train click to first chart went from 6.0 to 3.9 s (medians of 11 runs
each). Streamlit's "Running..." sign still says that a run is on; on a page
whose own live run trains or waits, its Stop button alone (running_sign_style).
"""

from __future__ import annotations

import streamlit as st

from ui.language import t

NO_STALE_FADE = (
    "<style>"
    '[data-stale="true"] {opacity: 1 !important; transition: none !important;}'
    # A touch screen cannot hover, so Plotly shows its toolbar all the time, over the chart's
    # title (a tablet review: XOR's decision boundary and Iris's confusion matrix unreadable).
    "@media (hover: none) {.modebar-container {display: none !important;}}"
    "</style>"
)

# A phone (390 px wide; Streamlit stacks columns below 641 px). A phone review's findings:
# - A long formula was cut at the screen's edge, often just after a complete-looking part
#   ("Z⁽²⁾ = H⁽¹⁾W⁽²⁾ + B⁽²⁾ = [0.6514 0.6846]", the rest out of sight): the backprop lab's lines
#   are up to 742 px wide in a 358 px box. There it breaks after = and + (and other operators), as
#   inline math does in a paragraph; a part too wide even so still scrolls in its own box.
# - The run comparison table (twelve columns) scrolls sideways in its own box, but the browser
#   squeezed every column to its longest word, and in Chinese, which breaks between any two
#   characters, to one or two: headers ten lines tall, "第 2 次訓練（目前）" on four lines,
#   "Learning rate 0.03 → 0.1" on three. Here a header is at least 6em wide (six Chinese
#   characters, about eleven Latin letters), a value keeps to one line, and the changed
#   settings get 10em.
# - The glossary's four columns stacked: a header row of four lone words, then each term's English
#   and Chinese words on two lines, with nothing to tell where a term ended. Here the header goes,
#   each term's two words share a line, and a rule separates the terms.
PHONE = (
    "<style>@media (max-width: 640px) {"
    ".katex-display > .katex {white-space: normal;}"
    ".katex-display > .katex > .katex-html > .base {margin-block: 0.2em;}"
    '[class*="st-key-compare_table_"] th {min-width: 6em;}'
    '[class*="st-key-compare_table_"] td:not(:nth-child(2)) p {white-space: nowrap;}'
    '[class*="st-key-compare_table_"] td:nth-child(2) {min-width: 10em;}'
    ".st-key-glossary_header {display: none;}"
    '.st-key-glossary_terms [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]) '
    "{border-top: 1px solid rgba(128, 128, 128, 0.3); padding-top: 0.5rem;}"
    '.st-key-glossary_terms [data-testid="stHorizontalBlock"] > '
    '[data-testid="stColumn"]:nth-child(-n + 2) {min-width: calc(50% - 0.5rem);}'
    "}</style>"
)


def css_text(text: str) -> str:
    """`text` as a CSS string literal (for `content:`), quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_style() -> None:
    """Add the app's style to this page (style-only HTML: Streamlit puts it where it takes no space)."""
    st.html(NO_STALE_FADE + PHONE)


def stop_button_words() -> None:
    """Give Streamlit's Stop button (shown beside its running sign) the page language's words.

    Streamlit writes "Stop" and "Stopping..." in English only; a teacher's review found
    it the one English word on a zh-TW page while a run trains. Call after the language is known.
    (Streamlit's Rerun buttons, which show only with the file watcher on, match the rule too:
    a developer's setting, not a classroom's; .streamlit/config.toml turns the watcher off.)
    """
    button = '[data-testid="stStatusWidget"] button'
    st.html(
        "<style>"
        f"{button} {{font-size: 0 !important;}}"
        f"{button}::after {{content: {css_text(t('common.stop_button'))}; font-size: 0.875rem;}}"
        f"{button}:disabled::after {{content: {css_text(t('common.stopping_button'))};}}"
        "</style>"
    )


# Streamlit's running sign (a figure it swaps five times a second, beside a Stop button) shows
# once a script run has lasted half a second. The live fragment waits inside its runs, so on
# a training or waiting page the figure moved nearly all the time, though the page's own status
# line already says so, and kept every such tab painting. Hidden there, a server's waiting and
# training tabs cost their browsers less CPU (bench/README.md, "A classroom on one server",
# twenty-fourth session). The Stop button stays: during a slow full rerun (a click while the run trains) it
# is the sign that the page is working on the click. Hiding the whole sign only while no control
# was stale (so that it showed during full reruns) cost half of the saving: the rule is plain.
QUIET_RUNNING_SIGN = (
    '<style>[data-testid="stStatusWidgetRunningIcon"] {display: none !important;}</style>'
)
# Sent instead when the page has no live run, so that the page's elements are the same in
# number and place whether a run trains or not.
NO_RULE = "<style></style>"


def running_sign_style(live: bool) -> None:
    """Hide Streamlit's running figure while this page's own live run trains or waits (`live`).

    Call it on every full run of a page with a live view: the rule goes when the run
    stops, and with it the figure comes back for the page's other reruns.
    """
    st.html(QUIET_RUNNING_SIGN if live else NO_RULE)
