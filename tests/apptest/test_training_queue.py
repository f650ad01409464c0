"""AppTest: a run that finds no free core shows its place in the queue, then starts on its own."""

from __future__ import annotations

import pytest

import ui.live_run as live_run
from models.admission import Admission
from tests.apptest.helpers import (
    charts,
    lab_session,
    long_xor_run,
    open_page,
    progress_text,
    rerun_until,
    set_widget,
)
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
    long_xor_run(at)  # still training at the first redraw after it starts
    at.button(key="xor_train").click()
    at.run()
    live = lab_session(at, "xor").live
    one_ahead = tr("classroom.queue.ahead", ahead=1)
    rerun_until(at, lambda: progress_text(at).startswith(one_ahead), f"{one_ahead!r} shown")
    assert live.step == 0 and adm.waiting == 2
    # Nothing trained yet: no step count or speed of zero beside the queue's place.
    line = tr("common.status.line_waiting", word=one_ahead, epoch=0, total=2000)
    assert progress_text(at) == line
    # Its curves are there (empty, on the light renderer); the lab's views wait for training.
    assert not charts(at), [c["title"] for c in charts(at)]

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
    rerun_until(at, lambda: charts(at), "the lab's views once it trains")
    live.pause()
    assert adm.holding == 0


def test_a_run_sent_back_to_the_queue_after_its_turn_keeps_its_views(monkeypatch):
    adm = Admission(capacity=1, turn_seconds=0.2)
    monkeypatch.setattr(live_run, "ADMISSION", adm)
    at = open_page("xor", lang="en")
    # 8,000 steps: still training when its 0.2 s turn ends, however fast the machine.
    set_widget(at, "xor_epochs", 2000)
    set_widget(at, "xor_batch", 1)
    at.run()
    at.button(key="xor_train").click()
    at.run()
    live = lab_session(at, "xor").live
    rerun_until(at, lambda: live.step > 0, "training")
    other = adm.join("another student")  # someone waits: after its turn, the run yields
    try:
        rerun_until(
            at,
            lambda: progress_text(at).startswith(ENGLISH("classroom.turn.next")),
            "the run waiting for its next turn",
        )
        assert live.step > 0 and charts(at), "a trained run keeps its views while it waits"
    finally:
        adm.release(other)
        live.pause()
