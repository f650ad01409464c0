"""The "Compare runs" section under a lab's charts: pin a baseline, pick runs, read the table.

The curves themselves are drawn by the live charts (ui.live_view, with
ui.compare.overlay); this section holds the controls, the table of the runs
on the chart and the pinned runs' downloads. Its state is the lab's
CompareBook (ui.compare.book), so it survives reruns and page switches.
"""

from __future__ import annotations

import streamlit as st

from models.recurrent import RECURRENT_KINDS
from models.run_record import comparison_rows
from ui.compare.book import MAX_ON_CHART, CompareBook
from ui.compare.overlay import run_label
from ui.compare.runs import MAX_PINNED, pin, pin_current
from ui.compare.table import comparison_frame
from ui.language import t, translator
from ui.state import LabSession


def _unpin_current(session: LabSession) -> None:
    current = session.compare.current
    if current is not None and current.pinned:
        pin(session, current.number, False)


def _picked(session: LabSession, widget_key: str) -> None:
    picked = list(st.session_state.get(widget_key) or [])
    # Run numbers only: after a language switch, a redraw the browser asked for before it had
    # the new labels sends old-language labels back (ui.state.remember_choice), no pick.
    if all(isinstance(n, int) for n in picked):
        session.compare.set_shown(picked)


def _pin_ui(session: LabSession, book: CompareBook) -> None:
    current = book.current
    pinned = current is not None and current.pinned
    full = not pinned and len(book.pinned) >= MAX_PINNED
    # With a baseline pinned already, this run joins it rather than replacing it.
    others = [record for record in book.pinned if record is not current]
    label = t("compare.pin_also") if others else t("compare.pin_current")
    # Pin and Unpin each keep their place: a double click on Pin lands on Pin again, now
    # disabled, not on an Unpin drawn there (ui/training_view.controls_row).
    st.button(
        label,
        key=f"{session.key}_compare_pin",
        icon=":material/push_pin:",
        on_click=pin_current,
        args=(session,),
        disabled=current is None or pinned or full,
        help=t("compare.pin_full", n=MAX_PINNED) if full else t("compare.pin_help"),
        width="stretch",
    )
    st.button(
        t("compare.unpin_current"),
        key=f"{session.key}_compare_unpin",
        on_click=_unpin_current,
        args=(session,),
        disabled=not pinned,
        width="stretch",
    )


def _pick_ui(session: LabSession, book: CompareBook) -> None:
    kept = book.kept
    if not kept:
        st.caption(t("compare.no_kept"))
        return
    widget_key = f"{session.key}_compare_runs"
    options = [r.number for r in reversed(kept)]  # newest first
    # The book is the truth (pins and new runs change the pick); the widget shows it.
    st.session_state[widget_key] = [n for n in book.shown if n in options]
    tr = translator()
    pinned = {r.number for r in book.pinned}
    st.multiselect(
        t("compare.pick"),
        options,
        key=widget_key,
        format_func=lambda n, tr=tr, pinned=pinned: (
            tr("compare.pinned_label", label=run_label(n, tr)) if n in pinned else run_label(n, tr)
        ),
        max_selections=MAX_ON_CHART - 1,
        on_change=_picked,
        args=(session, widget_key),
        help=t("compare.pick_help", n=MAX_ON_CHART - 1),
    )


def _downloads_ui(session: LabSession, book: CompareBook) -> None:
    """A download (and an unpin) for every pinned earlier run; the current one has its own."""
    tr = translator()
    for record in book.pinned:
        if record is book.current:
            continue
        label = run_label(record.number, tr)
        c1, c2 = st.columns([3, 1])
        if record.model_bytes is not None:
            c1.download_button(
                t("compare.download", label=label),
                record.model_bytes,
                file_name=f"nnlab_{session.key}_run{record.number}.pth",
                mime="application/octet-stream",
                key=f"{session.key}_compare_download_{record.number}",
                icon=":material/download:",
            )
        else:
            c1.caption(t("compare.no_weights", label=label))
        c2.button(
            t("compare.unpin"),
            key=f"{session.key}_compare_unpin_{record.number}",
            on_click=pin,
            args=(session, record.number, False),
        )


def compare_panel(session: LabSession) -> None:
    """The section, once the lab has recorded a run: pin, pick, table, downloads."""
    book: CompareBook = session.compare
    if book.current_generation != session.live.generation:
        book.detach_current()  # replaced without Train or Reset (an upload): keep it as it stood
    if not book.records:
        return
    st.subheader(t("compare.heading"))
    st.caption(t("compare.intro"))
    left, right = st.columns([1, 2])
    with left:
        _pin_ui(session, book)
    with right:
        _pick_ui(session, book)
    shown = book.shown_records() + ([book.current] if book.current is not None else [])
    rows = comparison_rows(shown)
    if rows:
        current = book.current.number if book.current is not None else None
        recurrent = shown[0].settings.get("model") in RECURRENT_KINDS
        frame = comparison_frame(
            rows, shown[0].task, translator(), current, session.live.running, recurrent
        )
        # A static table: five rows at most, every cell readable without scrolling a grid. On a
        # phone it scrolls sideways in its own box; its keyed box keeps the columns readable
        # (ui.page_style.PHONE).
        with st.container(key=f"compare_table_{session.key}"):
            st.table(frame, hide_index=True)
        seeds = {row.seed for row in rows}
        if len(rows) > 1:
            if len(seeds) == 1:
                st.caption(t("compare.same_seed_note", seed=rows[0].seed))
            else:
                st.caption(t("compare.seed_differs_note"))
    if book.pinned:
        _downloads_ui(session, book)
