"""AppTests for the optimizer lab: every surface and control at its ends, divergence as a sentence."""

import pytest

from lessons.loss_surfaces import SURFACES
from models.optimizers import OPTIMIZERS
from tests.apptest.concept_steps import chart_is_finite, page, sweep
from ui.concepts.optimizers.controls import LEARNING_RATES


def test_optimizer_page():
    at = page("optimizers")
    assert len(at.get("plotly_chart")) == 2
    assert sweep(at, "slider") >= 6
    assert sweep(at, "select_slider") >= 6
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
