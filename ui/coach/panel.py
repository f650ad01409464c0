"""The coach on the page: the findings of the lab's run, while it trains and after, each with one button.

`coach_ui(session, run)` draws inside the live fragment (ui.live_view), on the
run borrowed there; `with_coach(session, live_views)` puts it in front of a
lab's own live views, which is how ui.training_view.training_panel hooks it in.
While the run trains, models.diagnose runs at most every COACH_SECONDS and only
when the epoch changed (ui.coach.memo); after training, once per state of the run.

A finding's button pins this run as the baseline, queues its settings with the
suggestion applied (same seed) and trains the new run on the next script run:
ui.compare.runs.start_comparison does all of that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from lessons.registry import Lab, lab_with_key
from models.diagnose import Finding, diagnose
from models.flags import settings_of
from models.recurrent import RECURRENT_KINDS
from ui.coach.memo import CoachMemo
from ui.coach.words import BROKEN_CODES, button_text, changes_text, finding_text
from ui.compare.runs import compare_lab, start_comparison
from ui.experiment_settings import lab_flags, takes_settings, widget_values
from ui.language import t, translator
from ui.live_run import BorrowedRun
from ui.state import LabSession

LOG = logging.getLogger(__name__)
LiveViews = Callable[[BorrowedRun], None]


def coached(lab_key: str) -> bool:
    """True for the labs the coach reads: those that keep and compare single runs."""
    return compare_lab(lab_key)


def comparison_settings(lab: Lab, run: Any, suggestion: dict[str, Any]) -> dict[str, Any]:
    """The run's own settings (those the lab's widgets take) with the suggestion applied.

    Queued whole, so the new run differs from this one by the suggestion alone
    (a slider moved since this run trained goes back), seed included.
    """
    keep = lab_flags(lab)
    own = settings_of(run.model_config, run.train_config, run.dataset)
    return {k: v for k, v in own.items() if k in keep} | dict(suggestion)


def can_apply(lab: Lab | None, suggestion: dict[str, Any]) -> bool:
    """True when the lab's widgets can take every key of `suggestion` (a notch nearby will do)."""
    if lab is None or not takes_settings(lab) or not suggestion:
        return False
    _, problems = widget_values(lab, suggestion)
    return all(p.code == "setting_snapped" for p in problems)


def _findings(session: LabSession, run: BorrowedRun, running: bool) -> list[Finding]:
    """The findings for the run's current state: made anew when due, else the memo's."""
    memo: CoachMemo = session.coach
    key = (session.live.generation, run.epoch, run.status, run.done)
    now = time.monotonic()
    if memo.due(key, running, now):
        try:
            memo.store(key, diagnose(run), now)
        except Exception as exc:  # noqa: BLE001 (the page goes on without the coach)
            if memo.error is None:  # once, not at every epoch of a run it fails on
                # For the server's log, never the page (LOG.log: the scan for page text reads
                # .exception/.error/.warning as Streamlit elements).
                LOG.log(
                    logging.ERROR, "models.diagnose failed on lab %s", session.key, exc_info=True
                )
            memo.store(key, [], now, error=exc)
    if memo.key is None or memo.key[0] != session.live.generation:
        return []  # a new run: nothing said about it yet (the old run's findings are not its)
    return memo.findings


def _clicked(session: LabSession, settings: dict[str, Any]) -> None:
    start_comparison(session.key, settings)
    # A button inside the live fragment reruns only the fragment; the settings are
    # applied and the run started by a run of the whole page (see coach_ui).
    session.coach.rerun = True


def _finding_ui(session: LabSession, run: BorrowedRun, finding: Finding, lab: Lab | None) -> None:
    tr = translator()
    text = finding_text(finding, tr, run.stop_code, run.stop_params)
    box = st.error if finding.code in BROKEN_CODES else st.warning
    if not finding.is_problem:
        box = st.info
    with st.container(key=f"{session.key}_coach_{finding.code}"):
        box(text, icon=":material/psychology:")
        recurrent = run.model_config.kind in RECURRENT_KINDS
        label = button_text(finding, tr, recurrent)
        if label is not None and can_apply(lab, dict(finding.suggestion)):
            st.button(
                label,
                key=f"{session.key}_coach_try_{finding.code}",
                icon=":material/science:",
                on_click=_clicked,
                args=(session, comparison_settings(lab, run, dict(finding.suggestion))),
                help=t("coach.applies", changes=changes_text(finding.suggestion, tr, recurrent)),
            )


def coach_ui(session: LabSession, run: BorrowedRun | None) -> None:
    """The coach's findings on the borrowed run (call inside `live.borrow()`, in the live fragment).

    Nothing before a run has trained, and no alarm for a healthy one: after
    training it says so in one line.
    """
    memo: CoachMemo = session.coach
    if memo.rerun:
        memo.rerun = False
        if not session.full_run:  # a fragment's rerun: the whole page must run, once
            st.rerun()  # the queued settings reach the widgets, and the new run starts
    live = session.live
    if run is None or session.uploaded or getattr(run, "model_config", None) is None:
        return
    if run.step == 0 and not run.done:
        return
    running = live.running and not run.done
    findings = _findings(session, run, running)
    if not findings:
        if run.done and memo.error is None:
            st.caption(t("coach.none"))
        return
    lab = lab_with_key(session.key)
    st.markdown(f"**{t('coach.heading')}**")
    for finding in findings:
        _finding_ui(session, run, finding, lab)


def with_coach(session: LabSession, live_views: LiveViews | None) -> LiveViews:
    """`live_views` with the coach in front of them: what training_panel gives the live fragment."""

    def draw(run: BorrowedRun) -> None:
        coach_ui(session, run)
        if live_views is not None:
            live_views(run)

    return draw
