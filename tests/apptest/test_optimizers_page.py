"""AppTests for the optimizer lab: every surface and control at its ends, divergence as a sentence."""

from tests.apptest.concept_steps import page, sweep


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
