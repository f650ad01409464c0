"""AppTests for the optimizer lab: every surface and control at its ends, divergence as a sentence."""

import pytest

from lessons.loss_surfaces import SURFACES
from models.optimizers import OPTIMIZERS
from tests.apptest.concept_steps import chart_is_finite, page, sweep
from tests.apptest.helpers import open_page
from tests.apptest.language_checks import english_words
from ui.concepts.optimizers.controls import LEARNING_RATES


def test_optimizer_page():
    at = page("optimizers")
    assert len(at.get("plotly_chart")) == 2  # every control at its ends: the test below
    at.selectbox(key="opt_surface").set_value("Rosenbrock").run()
    at.select_slider(key="opt_lr_Rosenbrock_sgd").set_value(1.0).run()
    assert not at.exception
    assert "smaller learning rate" in at.warning[0].value
    at.multiselect(key="opt_names").set_value([]).run()
    assert not at.exception and "at least one" in at.info[0].value


@pytest.mark.parametrize("surface", list(SURFACES))
def test_optimizer_page_every_surface_at_its_ends(surface):
    at = page("optimizers")
    at.selectbox(key="opt_surface").set_value(surface).run()
    at.multiselect(key="opt_names").set_value(list(OPTIMIZERS)).run()
    assert sweep(at, "slider") >= 8  # steps, start x, start y, replay
    assert sweep(at, "select_slider") == 2 * len(OPTIMIZERS)
    for name in OPTIMIZERS:  # every optimizer at the largest learning rate at once
        at.select_slider(key=f"opt_lr_{surface}_{name}").set_value(LEARNING_RATES[-1])
    at.slider(key="opt_steps").set_value(1000).run()
    assert not at.exception
    # Whatever blew up says so in a sentence; nothing reaches the charts as NaN.
    for warning in at.warning:
        assert "blew up at step" in warning.value and "smaller learning rate" in warning.value
    assert all(chart_is_finite(chart) for chart in at.get("plotly_chart"))


# "Rosenbrock" is a name; "optimizer" is in the slides' section title the page header
# quotes ("優化器(optimizer)處理"); "customdata" is Plotly's placeholder in the hover
# template (the step number goes there), never shown.
ZH_ALLOWED = {"rosenbrock", "optimizer", "customdata"}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_optimizer_page_in_zh_tw_shows_no_english(surface):
    at = open_page("optimizers", "zh-TW")
    at.selectbox(key="opt_surface").set_value(surface).run()
    at.multiselect(key="opt_names").set_value(list(OPTIMIZERS)).run()
    assert not at.exception
    assert english_words(at, allowed=ZH_ALLOWED) == []
    assert at.selectbox(key="opt_surface").options == ["碗形", "狹長山谷", "Rosenbrock", "馬鞍面"]


def test_optimizer_page_in_zh_tw_words_a_blow_up_and_an_empty_pick():
    at = open_page("optimizers", "zh-TW")
    at.selectbox(key="opt_surface").set_value("Rosenbrock").run()
    at.select_slider(key="opt_lr_Rosenbrock_sgd").set_value(1.0).run()
    assert not at.exception
    assert "發散" in at.warning[0].value and "較小的學習率" in at.warning[0].value
    assert english_words(at, allowed=ZH_ALLOWED) == []
    at.multiselect(key="opt_names").set_value([]).run()
    assert not at.exception and at.info[0].value == "請至少選一個優化器。"
    assert english_words(at, allowed=ZH_ALLOWED) == []


def test_optimizer_page_switching_language_keeps_every_setting():
    at = page("optimizers")
    at.selectbox(key="opt_surface").set_value("Saddle").run()
    at.multiselect(key="opt_names").set_value(["adam", "rmsprop"]).run()
    at.slider(key="opt_steps").set_value(100).run()
    at.select_slider(key="opt_lr_Saddle_adam").set_value(0.1).run()
    at.slider(key="opt_show_100").set_value(40).run()
    before = [c.proto.spec for c in at.get("plotly_chart")]
    for lang in ("zh-TW", "en"):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert at.selectbox(key="opt_surface").value == "Saddle"
        assert at.multiselect(key="opt_names").value == ["adam", "rmsprop"]
        assert at.slider(key="opt_steps").value == 100
        assert at.select_slider(key="opt_lr_Saddle_adam").value == 0.1
        assert at.slider(key="opt_show_100").value == 40
    assert [c.proto.spec for c in at.get("plotly_chart")] == before  # English again, same paths
