"""AppTest: a run that stops on an error says so, in the status line and in words, in both languages."""

from __future__ import annotations

import logging

import pytest

from models import TrainingRun
from tests.apptest.helpers import lab_session, open_page, progress_text, rerun_until, texts
from ui.i18n import ENGLISH, Translator


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_run_stopped_by_an_error_says_so_and_keeps_what_it_trained(monkeypatch, caplog, lang):
    tr = ENGLISH if lang == "en" else Translator("zh-TW")
    advance = TrainingRun.advance
    calls: dict[int, int] = {}

    def fails_on_the_third_slice(self, *args, **kwargs):
        calls[id(self)] = calls.get(id(self), 0) + 1  # per run: no other run can use them up
        if calls[id(self)] == 3:
            raise RuntimeError("boom")
        # One step a slice: a fast host's two 50 ms slices could otherwise end the 300-step run.
        return advance(self, *args, **{**kwargs, "max_steps": 1})

    monkeypatch.setattr(TrainingRun, "advance", fails_on_the_third_slice)
    at = open_page("xor", lang=lang)
    at.button(key="xor_train").click()
    with caplog.at_level(logging.ERROR, logger="ui.live_run"):
        at.run()
        live = lab_session(at, "xor").live
        stopped = tr("common.status.error")
        rerun_until(at, lambda: progress_text(at).startswith(stopped), f"{stopped!r} shown")
    assert not at.exception
    assert any("boom" in text for text in texts(at, "error"))  # the reason, in words
    assert live.step > 0  # what it trained before the error is kept
    # The server's log keeps the traceback for whoever looks into it.
    logged = [r for r in caplog.records if r.name == "ui.live_run"]
    assert logged and logged[0].exc_info and "boom" in str(logged[0].exc_info[1])
