"""AppTest: a run that finds no free core shows its place in the queue, then starts on its own."""

from __future__ import annotations

import pytest

import ui.live_run as live_run
from models.admission import Admission
from tests.apptest.helpers import lab_session, open_page, progress_text, rerun_until
from ui.i18n import ENGLISH, Translator


@pytest.fixture
def busy_server(monkeypatch):
    """One training slot, already held by another session, with one more session waiting."""
    adm = Admission(capacity=1, turn_seconds=None)
    monkeypatch.setattr(live_run, "ADMISSION", adm)
    holder, other = adm.join("another student"), adm.join("a third student")
    yield adm, holder, other
    adm.release(holder)
    adm.release(other)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_status_line_shows_the_queue_and_the_run_starts_when_a_core_frees(busy_server, lang):
    adm, holder, other = busy_server
    tr = ENGLISH if lang == "en" else Translator("zh-TW")
    at = open_page("xor", lang=lang)
    at.button(key="xor_train").click()
    at.run()
    live = lab_session(at, "xor").live
    one_ahead = tr("classroom.queue.ahead", ahead=1)
    rerun_until(at, lambda: progress_text(at).startswith(one_ahead), f"{one_ahead!r} shown")
    assert live.step == 0 and adm.waiting == 2

    adm.release(holder)  # the student training before finished: the third moves up
    next_in_line = tr("classroom.queue.next")
    rerun_until(at, lambda: progress_text(at).startswith(next_in_line), "next in line shown")

    adm.release(other)  # a free core: the run starts by itself
    training = tr("common.status.training")
    rerun_until(
        at,
        lambda: live.step > 0 and progress_text(at).startswith(training),
        "training after the queue",
    )
    live.pause()
    assert adm.holding == 0
