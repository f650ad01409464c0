"""The session's language: chosen in the sidebar, kept in the URL (?lang=zh-TW), and looked up per session.

Resolution, on every run: a valid `?lang=` wins (a shared link opens in the
language it was shared in); else the language this session chose before; else
the browser's (`st.context.locale`: any zh locale gets zh-TW, anything else
English). The router writes the result back to the URL, so it survives page
switches and reloads. Changing language never touches a run, a drawing or a
widget's value: widget keys and option values never depend on the language.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.i18n import (
    _SEEN_KEY,
    _SESSION_KEY,
    DEFAULT_LANGUAGE,
    ENGLISH,
    LANGUAGE_NAMES,
    LANGUAGES,
    QUERY_KEY,
    Translator,
    catalogue,
    normalize,
)

WIDGET_KEY = "ui_language"
# This run's Translator (see translator()); a reloaded tab's session does not take it over.
RUN_TRANSLATOR_KEY = "i18n::run_translator"


def _browser_language() -> str | None:
    try:
        return normalize(st.context.locale)
    except Exception:  # no browser behind this run (AppTest, bare execution)
        return None


def _resolve_language() -> str:
    chosen = normalize(st.query_params.get(QUERY_KEY))
    if chosen is None:
        chosen = st.session_state.get(_SESSION_KEY) or _browser_language() or DEFAULT_LANGUAGE
    if st.session_state.get(_SESSION_KEY) != chosen:
        st.session_state[_SESSION_KEY] = chosen
    return chosen


def _start_run() -> Translator:
    """Resolve the language for this run and keep its Translator for every lookup until the next."""
    tr = Translator(_resolve_language(), st.session_state.setdefault(_SEEN_KEY, set()))
    st.session_state[RUN_TRANSLATOR_KEY] = tr
    return tr


def language() -> str:
    """This session's language code ("zh-TW" or "en")."""
    if get_script_run_ctx() is None:
        return DEFAULT_LANGUAGE
    return translator().language


def translator() -> Translator:
    """The lookup function of this session's language (English outside a Streamlit run).

    Resolved once per run, by the router (`sync_language`) or the page (`begin_page`, which
    every page calls through ui.page_header), not at each of a run's hundreds of lookups:
    reading the URL's ?lang= made a lookup 60 us instead of 15, and a Boston page's idle
    rerun 77 ms instead of 64 (bench/README.md, "A classroom on one server"). The
    language only changes with a new full run (a switch, a link), and a fragment's rerun
    keeps the one of the run it belongs to. A script that calls neither keeps the language
    of its first run.
    """
    if get_script_run_ctx() is None:
        return ENGLISH
    tr = st.session_state.get(RUN_TRANSLATOR_KEY)
    return tr if tr is not None else _start_run()


def t(key: str, **values: Any) -> str:
    """Message `key` in this session's language, placeholders filled, terms as plain words."""
    return translator()(key, **values)


def md(key: str, **values: Any) -> str:
    """Message `key` as Markdown: a term's first appearance on the page shows the other language on hover."""
    return translator().md(key, **values)


def markdown(key: str, container: Any = None, **values: Any) -> None:
    """Draw message `key` as Markdown (in `container`, or where the page is), terms with hover."""
    (container or st).markdown(md(key, **values), unsafe_allow_html=True)


def begin_page() -> None:
    """Start a page's run: resolve its language; terms show their hover again at their first appearance."""
    st.session_state[_SEEN_KEY] = set()
    _start_run()


def _on_switch() -> None:
    chosen = st.session_state.get(WIDGET_KEY)
    if chosen not in LANGUAGES:  # a click on the chosen one deselects it: keep the language
        chosen = st.session_state.get(_SESSION_KEY, DEFAULT_LANGUAGE)
        st.session_state[WIDGET_KEY] = chosen
    st.session_state[_SESSION_KEY] = chosen
    st.query_params[QUERY_KEY] = chosen
    st.session_state.pop(RUN_TRANSLATOR_KEY, None)  # the run this callback starts resolves it anew


def sync_language() -> str:
    """Resolve the language for this run and keep it in the URL (the router calls this first)."""
    lang = _start_run().language
    if st.query_params.get(QUERY_KEY) != lang:
        st.query_params[QUERY_KEY] = lang
    if st.session_state.get(WIDGET_KEY) != lang:
        st.session_state[WIDGET_KEY] = lang
    return lang


def language_ui() -> str:
    """The language switch in the sidebar; returns the language in force."""
    lang = sync_language()
    st.sidebar.segmented_control(
        "🌐",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        key=WIDGET_KEY,
        on_change=_on_switch,
        label_visibility="collapsed",
        width="stretch",
    )
    return lang


def error_text(exc: BaseException) -> str:
    """An error from data/, models/ or lessons/ in the session's language.

    Those packages raise errors that carry a `code` and the numbers behind it
    (`params`); the sentence comes from the catalogue's errors.<code>. An error
    without a known code keeps its own (English) message.
    """
    tr = translator()
    code = getattr(exc, "code", None)
    if code and f"errors.{code}" in catalogue("en"):
        return tr(f"errors.{code}", **(getattr(exc, "params", None) or {}))
    return str(exc)
